package nodes_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"corescope/nodes"
)

// A watch loop: one Scrape a tick; the first only takes baselines.
func ExampleScraper() {
	s, err := nodes.NewScraper([]string{"node1:9100", "node2:9100"}, nodes.DefaultInterval)
	if err != nil {
		log.Fatal(err) // names --node or --interval
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tick := time.NewTicker(nodes.DefaultInterval)
	defer tick.Stop()
	for {
		t, err := s.Scrape(ctx)
		if err != nil {
			return // ctx is done
		}
		for i, r := range t.Nodes {
			node := s.Nodes()[i]
			if r.Err != nil {
				fmt.Println("missing:", r.Err) // e.g. node2:9100: timed out after 800ms
				continue
			}
			fmt.Printf("%s: %.2f of %d cores busy\n", node.Name, r.Busy.Sum(), len(node.CPUs))
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Last night's figures of every node of a job, one tick a minute.
func ExampleQueryHistory() {
	to := time.Now().Truncate(24 * time.Hour)
	h, err := nodes.QueryHistory(context.Background(), nodes.HistoryQuery{
		Server:   "http://prometheus:9090",
		Selector: `job="node"`,
		From:     to.Add(-8 * time.Hour),
		To:       to,
		Step:     time.Minute,
	})
	if err != nil {
		log.Fatal(err) // names --prometheus, --step, --to, or passes Prometheus' own on
	}
	fmt.Printf("%d nodes, %d ticks, rates over %v\n", len(h.Nodes), len(h.Ticks), h.Query.Window())
}
