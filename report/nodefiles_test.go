package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"corescope/levels"
	"corescope/profile"
	"corescope/spec"
)

// watchedFixture is a watch of two nodes: a (2 cores) answers every tick,
// b (1 core) misses ticks 2 and 3 of 4.
func watchedFixture() *profile.Profile {
	m := levels.Missing
	return &profile.Profile{
		Label:   "watch of 2 nodes",
		Spec:    spec.Spec{Interval: spec.Duration(time.Second)},
		Started: started,
		Nodes: []profile.Node{{Name: "a:9100", Cores: 2},
			{Name: `b"quoted":9100`, Cores: 1, First: 2, MissedTicks: 2, LastError: "timed out after 800ms"}},
		Frames: []profile.Frame{
			{T: 1, Busy: levels.Row{levels.Of(0.5), levels.Of(1), levels.Of(0.25)}},
			{T: 2, Busy: levels.Row{levels.Of(0.5), levels.Of(1), m}},
			{T: 3, Busy: levels.Row{levels.Of(0.5), levels.Of(1), m}},
			{T: 4, Busy: levels.Row{levels.Of(0.5), levels.Of(1), levels.Of(0.75)}},
		},
	}
}

func TestCSVOfNodes(t *testing.T) {
	var buf bytes.Buffer
	if err := CSV(&buf, []*profile.Profile{watchedFixture()}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+4*3 {
		t.Fatalf("CSV has %d rows; want a header and 12 (4 ticks of 3 cores)", len(rows))
	}
	for i, want := range map[int]string{
		1: "watch of 2 nodes,1.000,a:9100,0,0.5000,",
		3: `watch of 2 nodes,1.000,"b""quoted"":9100",0,0.2520,`,
		6: `watch of 2 nodes,2.000,"b""quoted"":9100",0,,`, // a gap: empty, never 0
	} {
		var line bytes.Buffer
		w := csv.NewWriter(&line)
		w.Write(rows[i])
		w.Flush()
		if got := strings.TrimSpace(line.String()); got != want {
			t.Errorf("row %d = %s; want %s", i, got, want)
		}
	}
}

func TestTraceOfNodes(t *testing.T) {
	tr := parseTrace(t, []*profile.Profile{watchedFixture()})
	counters := map[string]int{}
	var gaps [][2]float64
	for _, ev := range tr.TraceEvents {
		name := ev["name"].(string)
		switch ev["ph"] {
		case "C":
			counters[name]++
		case "X":
			if name == "no figure" {
				gaps = append(gaps, [2]float64{ev["ts"].(float64), ev["ts"].(float64) + ev["dur"].(float64)})
			}
		}
	}
	for name, want := range map[string]int{"a:9100 busy cores": 4, "a:9100 cpu1 busy %": 4, `b"quoted":9100 busy cores`: 2, `b"quoted":9100 cpu0 busy %`: 2, "busy cores": 0} {
		if counters[name] != want {
			t.Errorf("counter %q has %d samples; want %d (counters: %v)", name, counters[name], want, counters)
		}
	}
	// b gave no figure from the end of tick 1 to the end of tick 3.
	if len(gaps) != 1 || gaps[0] != [2]float64{1e6, 3e6} {
		t.Errorf("no-figure spans = %v; want one from 1 s to 3 s", gaps)
	}
}

// BenchmarkCSV64Nodes writes the CSV of 10 minutes of 64 nodes of 64 cores
// at 1 Hz: 2.46 million rows.
func BenchmarkCSV64Nodes(b *testing.B) {
	const nodeCount, cores, ticks = 64, 64, 600
	p := &profile.Profile{Label: "watch of 64 nodes", Spec: spec.Spec{Interval: spec.Duration(time.Second)}, Started: started}
	for i := range nodeCount {
		p.Nodes = append(p.Nodes, profile.Node{Name: fmt.Sprintf("node%02d:9100", i), Cores: cores, First: i * cores})
	}
	for k := range ticks {
		f := profile.Frame{T: float64(k + 1), Busy: make(levels.Row, nodeCount*cores)}
		for c := range f.Busy {
			f.Busy[c] = levels.Level((k + c) % (levels.Steps + 2)) // every level, and Missing
		}
		p.Frames = append(p.Frames, f)
	}
	var out countingWriter
	b.ReportAllocs()
	for b.Loop() {
		out = 0
		if err := CSV(&out, []*profile.Profile{p}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(out)/1e6, "MB")
}

// countingWriter counts what is written to it.
type countingWriter int

func (w *countingWriter) Write(b []byte) (int, error) {
	*w += countingWriter(len(b))
	return len(b), nil
}
