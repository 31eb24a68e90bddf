package recorder

import (
	"bytes"
	"fmt"
	"math"
	"testing"
	"time"

	"corescope/levels"
	"corescope/nodes"
	"corescope/profile"
)

// history64 is 10 minutes of 64 nodes of 64 cores at 1 Hz, as
// nodes.QueryHistory lays it out; node 5 has no samples in its first minute.
func history64() *nodes.History {
	const nodeCount, cores, ticks = 64, 64, 600
	from := time.Date(2026, 11, 29, 2, 0, 0, 0, time.UTC)
	h := &nodes.History{Query: nodes.HistoryQuery{From: from, To: from.Add((ticks - 1) * time.Second), Step: time.Second}}
	cpus := make([]string, cores)
	for c := range cpus {
		cpus[c] = fmt.Sprint(c)
	}
	for i := range nodeCount {
		h.Nodes = append(h.Nodes, nodes.Node{Name: fmt.Sprintf("node%02d:9100", i), CPUs: cpus})
	}
	for k := range ticks {
		t := nodes.Tick{Time: from.Add(time.Duration(k) * time.Second), Nodes: make([]nodes.Reading, nodeCount)}
		for i := range t.Nodes {
			row := make(levels.Row, cores)
			for c := range row {
				row[c] = levels.Of(0.5 + 0.5*math.Sin(float64(k+c+i)/10))
			}
			if i == 5 && k < 60 {
				for c := range row {
					row[c] = levels.Missing
				}
				t.Nodes[i].Err = &nodes.NodeError{Node: h.Nodes[i].Name, Err: fmt.Errorf("no samples")}
			}
			t.Nodes[i].Busy = row
		}
		h.Ticks = append(h.Ticks, t)
	}
	return h
}

func TestFromHistory(t *testing.T) {
	h := history64()
	p := FromHistory(t.Context(), h, &profile.Machine{})
	var file bytes.Buffer
	if err := profile.Encode(&file, []*profile.Profile{p}); err != nil {
		t.Fatal(err)
	}
	if _, err := profile.Decode(&file); err != nil {
		t.Fatalf("the profile of a history does not pass its own file's checks: %v", err)
	}
	if len(p.Frames) != 600 || len(p.Nodes) != 64 || len(p.Frames[0].Busy) != 64*64 {
		t.Fatalf("%d frames, %d nodes, %d cores; want 600, 64, 4096", len(p.Frames), len(p.Nodes), len(p.Frames[0].Busy))
	}
	if s := p.Summary; s.SubjectStartS != 0 || s.SubjectEndS != 0 || s.WallS <= 0 {
		t.Errorf("summary subject %v..%v s, wall %v s; want no subject span (a watch has none) and a wall time", s.SubjectStartS, s.SubjectEndS, s.WallS)
	}
	// Frame k ends at tick k's time, on the same axis as a watch's.
	if got := p.Started.Add(time.Duration(p.Frames[10].T * float64(time.Second))); !got.Equal(h.Ticks[10].Time) {
		t.Errorf("frame 10 ends at %v; want tick 10's %v", got, h.Ticks[10].Time)
	}
	if n := p.Nodes[5]; n.MissedTicks != 60 || n.LastError != "no samples" {
		t.Errorf("node 5 = %+v; want 60 missed ticks and why", n)
	}
	if got, want := p.Frames[3].Busy.At(64*7+3), h.Ticks[3].Nodes[7].Busy.At(3); got != want {
		t.Errorf("frame 3, node 7, core 3 = %v; want the history's %v", got, want)
	}
	if p.Summary.WallS != 600 || p.Summary.MachineBusyCores < 1900 || p.Summary.MachineBusyCores > 2200 {
		t.Errorf("summary = %+v; want 600 s and about half of 4,096 cores busy", p.Summary)
	}
}

// BenchmarkFromHistory64Nodes builds the profile of a night's window of 64
// nodes of 64 cores (600 ticks): what report --prometheus does after the
// query (nodes' BenchmarkHistory64Nodes measures reading the answer).
func BenchmarkFromHistory64Nodes(b *testing.B) {
	h := history64()
	m := &profile.Machine{}
	b.ReportAllocs()
	for b.Loop() {
		FromHistory(b.Context(), h, m)
	}
}
