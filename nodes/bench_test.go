package nodes

import (
	"os"
	"testing"
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
