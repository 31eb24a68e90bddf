package nodes

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"corescope/nodes/nodestest"
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
	if err := n.read(context.Background()); err != nil { // the baseline and layout
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := n.read(context.Background()); err != nil {
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

// BenchmarkHistory64Nodes decodes and lays out a query_range answer of 64
// nodes x 64 cores over 10 minutes at 1 s (4,096 series of 600 points, as
// Prometheus writes them) into History's rows.
func BenchmarkHistory64Nodes(b *testing.B) {
	from := time.Unix(1_700_000_000, 0)
	q := HistoryQuery{From: from, To: from.Add(599 * time.Second), Step: time.Second}
	var body bytes.Buffer
	body.WriteString(`{"status":"success","data":{"resultType":"matrix","result":[`)
	for n := range 64 {
		for c := range 64 {
			if n+c > 0 {
				body.WriteByte(',')
			}
			fmt.Fprintf(&body, `{"metric":{"cpu":"%d","instance":"node%02d:9100"},"values":[`, c, n)
			for k := range 600 {
				if k > 0 {
					body.WriteByte(',')
				}
				fmt.Fprintf(&body, `[%d,"%v"]`, from.Unix()+int64(k), float64((n*c+k)%100)/99)
			}
			body.WriteString("]}")
		}
	}
	body.WriteString("]}}")
	b.SetBytes(int64(body.Len()))
	b.ReportAllocs()
	for b.Loop() {
		var ans answerJSON
		if err := json.Unmarshal(body.Bytes(), &ans); err != nil {
			b.Fatal(err)
		}
		h, err := historyOf(ans.Data.Result, q)
		if err != nil {
			b.Fatal(err)
		}
		if len(h.Nodes) != 64 || len(h.Ticks) != 600 {
			b.Fatalf("%d nodes, %d ticks", len(h.Nodes), len(h.Ticks))
		}
	}
}

// BenchmarkFirstAnswerOfLargestNode reads the first answer of a node of
// maxCores cores, 8 modes each (65,536 samples, 4.3 MB): parse, lay the
// cores out and fold, as Scrape does for a node's first answer.
func BenchmarkFirstAnswerOfLargestNode(b *testing.B) {
	body := nodestest.CPUAnswer(maxCores, linuxModes, 1)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		n := &nodeState{parser: newCountersParser()}
		n.body.Write(body)
		if err := n.read(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
