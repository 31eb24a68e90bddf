package report

import (
	"image"
	"image/color"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/wcharczuk/go-chart/v2"

	"corescope/profile"
	"corescope/runtext"
	"corescope/spec"
)

// gapHatch reports whether c is one of the gap hatch's greys.
func gapHatch(c color.RGBA) bool {
	return c == (color.RGBA{0xa0, 0xa0, 0xa0, 0xff}) || c == (color.RGBA{0x80, 0x80, 0x80, 0xff})
}

// withSilentNode adds to watch p a node that never answered, as Watch
// leaves one: no cores, every tick missed, and why.
func withSilentNode(p *profile.Profile) *profile.Profile {
	cores := 0
	for _, n := range p.Nodes {
		cores += n.Cores
	}
	p.Nodes = append(p.Nodes, profile.Node{Name: "silent:9100", URL: "http://silent:9100/metrics", First: cores,
		MissedTicks: len(p.Frames), LastError: "cannot connect: connection refused"})
	return p
}

// keyNames are the names of the key under the colour scale.
func keyNames(ps []*profile.Profile) []string {
	var names []string
	for _, row := range stripKeys(ps) {
		for _, k := range row {
			names = append(names, k.name)
		}
	}
	return names
}

// TestPNGWatch: a watch's report has no subject, so no subject legend, no
// line chart, wall-time or speedup panel, or summary table of runs: its
// section has the cluster's and each node's lines, a bar a node (the
// silent one hatched, the ones that missed ticks with a red mark) and the
// node table, with "-" for the silent node.
func TestPNGWatch(t *testing.T) {
	// node00 idle, node01's core 1 busy, node01 missing its last 10 ticks.
	p := withSilentNode(watched(2, 4, 60, func(s, c int) float64 {
		if c >= 4 && s >= 50 {
			return math.NaN()
		}
		return b2f(c == 5)
	}))
	p.Nodes[1].MissedTicks = 10
	ps := []*profile.Profile{p}
	img, l := drawn(t, ps)

	for name, r := range map[string]image.Rectangle{"line chart": l.Line, "wall time": l.Wall, "speedup": l.Speedup, "table": l.Table} {
		if !r.Empty() {
			t.Errorf("a watch's report has a %s of runs at %v; want none, it has no subject", name, r)
		}
	}
	if got := keyNames(ps); slices.Contains(got, "the subject") || !slices.Contains(got, "busy cores of the cluster") || !slices.Contains(got, "no figure") {
		t.Errorf("the key under the colour scale = %q; want the cluster's busy cores and no figure, no subject", got)
	}
	if len(l.Watches) != 1 || l.Watches[0].Run != 0 {
		t.Fatalf("Watches = %+v; want one section, of run 0", l.Watches)
	}
	w := l.Watches[0]
	if w.Table.Max.Y+margin != l.Size.Y {
		t.Errorf("the node table ends at %d in a report %d high; want it last", w.Table.Max.Y, l.Size.Y)
	}

	// The lines: the cluster's total and one a node that gave figures,
	// node01's broken where it missed.
	c, split := watchChart(w.Line, p, runSeries(ps)[0], nodeSeries(p), nodeLooks(p))
	if c == nil || split {
		t.Fatalf("watchChart = %v, split %v; want a chart on one axis (8 cores of 2 nodes)", c, split)
	}
	lines := map[string]int{}
	for _, s := range c.Series {
		cs := s.(chart.ContinuousSeries)
		lines[cs.Name]++
		if cs.Name == "node01:9100" {
			if last := cs.XValues[len(cs.XValues)-1]; last > 50.5 {
				t.Errorf("node01's line reaches %v s; want it to stop where the node stopped answering (50 s)", last)
			}
		}
	}
	if lines["cluster"] == 0 || lines["node00:9100"] != 1 || lines["node01:9100"] != 1 || lines["silent:9100"] != 0 {
		t.Errorf("lines %v; want the cluster, node00 and node01 (each once), none of the silent node", lines)
	}
	if xt := c.XAxis.Ticks; xt[len(xt)-1].Value != lastT(p) {
		t.Errorf("the time axis ends at %v s; want the last sample, %v s", xt[len(xt)-1].Value, lastT(p))
	}
	if n := count(img, w.Line, is(clusterLine)); n < 200 {
		t.Errorf("%d pixels of the cluster's line; want it drawn", n)
	}

	// The bars: the silent node's slot is hatched, node01 has its missed
	// ticks in red, node00 none.
	slot := slotWidth(w.Bars.Dx(), 3)
	slotOf := func(k int) image.Rectangle {
		x0 := w.Bars.Min.X + nodeAxisW + k*slot
		return image.Rect(x0, w.Bars.Min.Y+nodeLegendH, x0+slot, w.Bars.Min.Y+nodeLegendH+nodePlotH+8+missedH)
	}
	if n := count(img, slotOf(2), gapHatch); n < 1000 {
		t.Errorf("the silent node's bar has %d pixels of hatch; want a hatched bar", n)
	}
	if n := count(img, slotOf(0), gapHatch); n > 50 { // a few in its label's anti-aliasing
		t.Errorf("node00's bar has %d pixels of hatch; want none", n)
	}
	for k, want := range []bool{false, true, true} {
		if got := count(img, slotOf(k), is(alarm)) > 20; got != want {
			t.Errorf("node %d's missed ticks shown: %v; want %v", k, got, want)
		}
	}

	// The node table: the CLI's rows, drawn.
	rows := tableNodeRows(p)
	want := [][]string{
		{"node00:9100", "4", "0.00", "0.00", "0 of 60", "-"},
		{"node01:9100", "4", "1.00", "1.00", "10 of 60", "-"},
		{"silent:9100", "0", "-", "-", "60 of 60", "cannot connect: connection refused"},
		{"all", "8", "0.83", "1.00", "", ""}, // node00 alone in the last 10 ticks
	}
	if len(rows) != len(want) {
		t.Fatalf("node table rows %q; want %q", rows, want)
	}
	for k := range want {
		if strings.Join(rows[k], "|") != strings.Join(want[k], "|") {
			t.Errorf("node table row %d = %q; want %q", k, rows[k], want[k])
		}
	}
	for k := range len(want) + 2 { // the heading, the rows and the cost
		row := image.Rect(w.Table.Min.X, w.Table.Min.Y+k*nodeRowH, w.Table.Max.X, w.Table.Min.Y+(k+1)*nodeRowH)
		if n := inkIn(img, row); n < 100 {
			t.Errorf("node table line %d has %d pixels of ink; want its text", k, n)
		}
	}
}

// TestPNGWatchesBesideARun: a recording and two watches in one report.
// The recording keeps its charts and table, on its own scale (not the
// watches' 64 cores or 30 s); each watch gets its section, in run order.
func TestPNGWatchesBesideARun(t *testing.T) {
	run := fixture("cpu/processes", spec.Processes, 4, 50, gradient(4))
	a := watched(2, 32, 30, func(s, c int) float64 { return 0.5 })
	b := withSilentNode(watched(3, 2, 20, func(s, c int) float64 { return b2f(c%2 == 0) }))
	ps := []*profile.Profile{a, run, b}
	img, l := drawn(t, ps)
	if l.Line.Empty() || l.Speedup.Empty() || l.Table.Empty() {
		t.Fatalf("Line %v, Speedup %v, Table %v; want the recording's charts and table", l.Line, l.Speedup, l.Table)
	}
	if got := rowHeights(nil, runtext.Rows(ps), l.Table.Dx()); got[0] != 0 || got[1] != rowH || got[2] != 0 {
		t.Errorf("table rows %v; want the recording's alone", got)
	}
	if got := keyNames(ps); !slices.Contains(got, "the subject") || !slices.Contains(got, "busy cores of the cluster") {
		t.Errorf("the key under the colour scale = %q; want both the subject's and the cluster's", got)
	}
	c, _ := lineChart(l.Line, ps, runtext.Names(ps), runSeries(ps))
	if yt := c.YAxis.Ticks; yt[len(yt)-1].Value > 5 {
		t.Errorf("the recording's chart runs to %v busy cores; want its own 4 cores, not the watches' 64", yt[len(yt)-1].Value)
	}
	if xt := c.XAxis.Ticks; xt[len(xt)-1].Value != lastT(run) {
		t.Errorf("the recording's chart ends at %v s; want its own %v s, not the watches' 30 s", xt[len(xt)-1].Value, lastT(run))
	}
	if len(l.Watches) != 2 || l.Watches[0].Run != 0 || l.Watches[1].Run != 2 {
		t.Fatalf("Watches = %+v; want sections of runs 0 and 2", l.Watches)
	}
	if a, b := l.Watches[0], l.Watches[1]; a.Title.Min.Y < l.Table.Max.Y || b.Title.Min.Y < a.Table.Max.Y {
		t.Errorf("sections at %v and %v, the runs' table ends at %d; want them after it, one after the other", a, b, l.Table.Max.Y)
	}
	for k, w := range l.Watches {
		if n := count(img, w.Title, is(runColor(w.Run))); n < 100 {
			t.Errorf("section %d has %d pixels of its run's colour; want its swatch", k, n)
		}
		if n := count(img, w.Line, is(clusterLine)); n < 200 {
			t.Errorf("section %d has %d pixels of the cluster's line; want it drawn", k, n)
		}
	}
}

// TestWatchChartOfManyNodes: 64 nodes draw the cluster on an axis of its
// own, every node a faint line, and the busiest few in colour.
func TestWatchChartOfManyNodes(t *testing.T) {
	p := watched(64, 64, 30, func(s, c int) float64 { return float64(c/64) / 64 })
	ps := []*profile.Profile{p}
	l := Locate(ps, Options{})
	looks := nodeLooks(p)
	var named []int
	for k, lk := range looks {
		if lk.named {
			named = append(named, k)
		}
	}
	if want := []int{60, 61, 62, 63}; !slices.Equal(named, want) {
		t.Errorf("nodes in colour %v; want the busiest, %v", named, want)
	}
	c, split := watchChart(l.Watches[0].Line, p, runSeries(ps)[0], nodeSeries(p), looks)
	if !split || c.YAxisSecondary.Range == nil || c.YAxisSecondary.Range.GetMax() != 4096 {
		t.Errorf("split %v, cluster axis %+v; want the cluster on its own axis to 4,096 cores", split, c.YAxisSecondary.Range)
	}
	if got := len(c.Series); got != 65 {
		t.Errorf("%d lines; want 65, the cluster's and one a node", got)
	}
}

func TestEndTicks(t *testing.T) {
	tests := []struct {
		end       float64
		lastLabel string
	}{
		{5.001, "5 s"}, // a watch's last frame, a millisecond late: not a 6 s axis
		{5, "5.0 s"},
		{5.4, ""}, // past the last round tick: an unlabelled end
	}
	for _, tt := range tests {
		xt := endTicks(tt.end)
		if last := xt[len(xt)-1]; last.Value != tt.end || last.Label != tt.lastLabel {
			t.Errorf("endTicks(%v) ends at %+v; want %v labelled %q", tt.end, last, tt.end, tt.lastLabel)
		}
	}
}
