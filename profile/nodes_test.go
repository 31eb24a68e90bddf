package profile

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"corescope/levels"
	"corescope/spec"
)

// watched is a small watch of two nodes by hand: a has 2 cores, b has 1 and
// missed the second tick.
func watched() *Profile {
	p := &Profile{
		Label:   "watch of 2 nodes",
		Spec:    spec.Spec{Interval: spec.Duration(time.Second)},
		Started: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC),
		Nodes: []Node{{Name: "a:9100", URL: "http://a:9100/metrics", Cores: 2},
			{Name: "b:9100", URL: "http://b:9100/metrics", Cores: 1, First: 2, MissedTicks: 1, LastError: "timed out after 800ms"}},
		Frames: []Frame{
			{T: 1, Busy: row(0.5, 1, 0.25)},
			{T: 2, Busy: levels.Row{levels.Of(0.5), levels.Of(0.5), levels.Missing}},
		},
	}
	p.Summary.WallS = 2
	p.Summary.MachineBusyCores, p.Summary.PeakBusyCores = p.ClusterBusy()
	return p
}

func TestWatchedRoundTripAndFigures(t *testing.T) {
	want := watched()
	// Means of known cores: (1.75 + 1.0) / 2; a missing node adds nothing.
	near := func(got, want float64) bool { return math.Abs(got-want) <= 3*levels.MaxError }
	if busy, peak := want.ClusterBusy(); !near(busy, 1.375) || !near(peak, 1.75) {
		t.Errorf("ClusterBusy = %v, %v; want 1.375, 1.75", busy, peak)
	}
	var buf bytes.Buffer
	if err := Encode(&buf, []*Profile{want}); err != nil {
		t.Fatal(err)
	}
	got, err := Decode(&buf)
	if err != nil {
		t.Fatalf("Decode = %v", err)
	}
	if !reflect.DeepEqual(got[0], want) {
		t.Errorf("Decode(Encode(p)) differs:\n got %+v\nwant %+v", got[0], want)
	}
	figs := got[0].Figures()
	if !near(figs[1].MeanBusyCores, 0.25) || figs[1].MissedTicks != 1 || !near(figs[0].PeakBusyCores, 1.5) {
		t.Errorf("Figures = %+v; want b's mean 0.252 over the tick it answered, a's peak 1.5", figs)
	}
}

func TestNodeLayout(t *testing.T) {
	p := watched()
	one := fixture()
	one.Machine.Hostname = "box"
	if l := one.NodeLayout(); len(l) != 1 || l[0].Name != "box" || l[0].Cores != 2 {
		t.Errorf("one machine's NodeLayout = %+v; want box with 2 cores", l)
	}
	if n, ok := one.LocalNode(); !ok || n.Name != "box" {
		t.Errorf("LocalNode = %+v, %v; want box", n, ok)
	}
	if _, ok := p.LocalNode(); ok {
		t.Error("a watch has a local node; want none")
	}
}

func TestNodesChecked(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*Profile)
		want string
	}{
		{"overlap", func(p *Profile) { p.Nodes[1].First = 1 }, "nodes[1].first"},
		{"gap", func(p *Profile) { p.Nodes[1].First = 3 }, "nodes[1].first"},
		{"too few cores", func(p *Profile) { p.Nodes[1].Cores = 0 }, "frame 1 has 3 cores; its nodes have 2"},
		{"too many cores", func(p *Profile) { p.Nodes[1].Cores = 2 }, "frame 1 has 3 cores; its nodes have 4"},
		{"twice", func(p *Profile) { p.Nodes[1].Name = "a:9100" }, "nodes[1].name"},
		{"no name", func(p *Profile) { p.Nodes[0].Name = "" }, "nodes[0].name"},
		{"missed more than frames", func(p *Profile) { p.Nodes[0].MissedTicks = 3 }, "missed_ticks"},
		{"no interval", func(p *Profile) { p.Spec.Interval = 0 }, "spec.interval"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := watched()
			c.edit(p)
			var buf bytes.Buffer
			Encode(&buf, []*Profile{p})
			_, err := Decode(&buf)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Decode = %v; want an error naming %s", err, c.want)
			}
		})
	}
}
