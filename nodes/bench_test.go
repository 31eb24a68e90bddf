package nodes

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"
)

// BenchmarkParse64Cores reads one tick's answer of a 64-core node_exporter
// with its default collectors (1,879 lines, 97 KB): parse, fold the cpu
// counters and make the busy row, as Scrape does for each node.
func BenchmarkParse64Cores(b *testing.B) {
	body, err := os.ReadFile("testdata/node-exporter-64cpu.prom")
	if err != nil {
		b.Fatal(err)
	}
	n := &nodeState{parser: newCountersParser()}
	n.body.Write(body)
	if err := n.read(); err != nil { // the baseline and layout
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := n.read(); err != nil {
			b.Fatal(err)
		}
	}
	if len(n.row) != 64 {
		b.Fatalf("%d cores; want 64", len(n.row))
	}
}

// BenchmarkScrape64Nodes is one tick of a 64-node cluster of 64 cores each:
// 64 requests in parallel to in-process servers sending the real answer
// above (their cost is in the figures too), parsed and folded.
func BenchmarkScrape64Nodes(b *testing.B) {
	body, err := os.ReadFile("testdata/node-exporter-64cpu.prom")
	if err != nil {
		b.Fatal(err)
	}
	var addrs []string
	for range 64 {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
			w.Write(body)
		}))
		defer srv.Close()
		addrs = append(addrs, srv.URL)
	}
	s, err := NewScraper(addrs, 10*time.Second)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ReportAllocs()
	for b.Loop() {
		tick, err := s.Scrape(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range tick.Nodes {
			if r.Err != nil || len(r.Busy) != 64 {
				b.Fatalf("%v, %d cores", r.Err, len(r.Busy))
			}
		}
	}
}
