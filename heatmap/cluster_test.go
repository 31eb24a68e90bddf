package heatmap

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"

	"corescope/levels"
)

// cluster builds the series of every core and the nodes' means of n
// one-second samples of groups, core c of sample i at v(i, c) (NaN:
// missing); no subject.
func cluster(groups []Group, n int, v func(i, c int) float64) (*Series, *Nodes) {
	cores := 0
	for _, g := range groups {
		cores = max(cores, g.First+g.Cores)
	}
	var s Series
	var nodes Nodes
	s.Reset(cores, 1, n)
	nodes.Reset(groups, 1, n)
	row := make(levels.Row, cores)
	for i := range n {
		for c := range row {
			row[c] = levels.Of(v(i, c))
		}
		s.Append(float64(i+1), row, nil)
		nodes.Append(float64(i+1), row, nil)
	}
	return &s, &nodes
}

func TestArrange(t *testing.T) {
	groups := []Group{{"a", 0, 2}, {"b", 2, 4}, {"c", 6, 2}}
	t.Run("expanded", func(t *testing.T) {
		bands := Arrange(groups, 82, nil) // 80 rows for 8 cores, 2 separators
		want := []Band{{0, 0, 20, 0, 0, false}, {1, 21, 61 - 6, 61 - 6, 61, false}, {2, 62, 82, 0, 0, false}}
		for k, b := range bands {
			if b != want[k] {
				t.Errorf("Arrange(...)[%d] = %+v; want %+v", k, b, want[k])
			}
		}
	})
	t.Run("one expanded among collapsed", func(t *testing.T) {
		// b takes 4 weights of 6: two thirds of the 96 rows left by the separators.
		bands := Arrange(groups, 98, []bool{true, false, true})
		if b := bands[1]; b.Collapsed || b.StripY1-b.Y0 != 64 {
			t.Errorf("expanded band = %+v; want 64 rows with its strip", b)
		}
		for _, k := range []int{0, 2} {
			if b := bands[k]; !b.Collapsed || b.Y1-b.Y0 != 16 || b.StripY1 != b.StripY0 {
				t.Errorf("collapsed band %d = %+v; want 16 rows and no strip", k, b)
			}
		}
	})
	t.Run("too small for separators", func(t *testing.T) {
		bands := Arrange(groups, 5, []bool{true, true, true})
		if bands[0].Y0 != 0 || bands[2].Y1 != 5 || bands[1].Y0 != bands[0].Y1 {
			t.Errorf("Arrange(h=5) = %+v; want the rows shared without separators", bands)
		}
	})
	if b := Arrange(nil, 10, nil); b != nil {
		t.Errorf("Arrange(no groups) = %v; want nil", b)
	}
}

func TestLabelled(t *testing.T) {
	bands := []Band{{Y0: 0, Y1: 5}, {Y0: 6, Y1: 11}, {Y0: 12, Y1: 17}, {Y0: 18, Y1: 18}, {Y0: 24, Y1: 30}}
	got := fmt.Sprint(Labelled(bands, 10))
	if want := "[0 2 4]"; got != want { // 1 is under 0's name, 3 has no rows
		t.Errorf("Labelled(bands, 10) = %s; want %s", got, want)
	}
	// A node opened among collapsed ones (band 2, 40 rows) is named first:
	// band 0's name would overlap it, band 3's clears it, 4 and 5 are
	// under 3's.
	bands = []Band{{Y0: 0, Y1: 3}, {Y0: 4, Y1: 7}, {Y0: 8, Y1: 48}, {Y0: 49, Y1: 52}, {Y0: 53, Y1: 56}, {Y0: 57, Y1: 60}}
	got = fmt.Sprint(Labelled(bands, 10))
	if want := "[2 3]"; got != want {
		t.Errorf("Labelled(one opened) = %s; want %s", got, want)
	}
}

func TestCrowded(t *testing.T) {
	for _, tc := range []struct {
		cores, rows int
		want        bool
	}{{4096, 700, true}, {128, 256, false}, {128, 255, true}, {2, 100, false}} {
		if got := Crowded(tc.cores, tc.rows); got != tc.want {
			t.Errorf("Crowded(%d, %d) = %v; want %v", tc.cores, tc.rows, got, tc.want)
		}
	}
}

func TestGroupedRowsLandInTheirNode(t *testing.T) {
	// Two nodes of two cores; only core 0 of node b (core 2) is busy.
	groups := []Group{{"a", 0, 2}, {"b", 2, 2}}
	s, n := cluster(groups, 10, func(i, c int) float64 { return b2f(c == 2) })
	dst := img(10, 41)
	bands := Arrange(groups, 41, nil)
	var p Painter
	p.Grouped(dst, dst.Rect, s, n, Machine, 0, 10, false, bands)
	idle, busy := Color(0), Color(1)
	b := bands[1]
	checkPixels(t, dst, dst.Rect, []pixel{
		{"node a, core 0", 5, 0, idle},
		{"node a, core 1", 5, bands[0].Y1 - 1, idle},
		{"separator", 5, bands[0].Y1, SeparatorColor},
		{"node b, core 2", 5, b.Y0, busy},
		{"node b, core 3", 5, b.Y1 - 1, idle},
	})
}

func TestGroupedCollapsed(t *testing.T) {
	nan := math.NaN()
	// Node a: cores at 1, 0 and missing: its mean of known cores is 0.5.
	// Node b: every core missing: the hatch, never idle.
	groups := []Group{{"a", 0, 3}, {"b", 3, 2}}
	loads := []float64{1, 0, nan, nan, nan}
	s, n := cluster(groups, 10, func(i, c int) float64 { return loads[c] })
	if got := n.Node(0).tiers[0].top[Machine][0]; got != levels.Of(0.5) {
		t.Errorf("node a's mean = %d; want %d (the mean of its known cores)", got, levels.Of(0.5))
	}
	dst := img(10, 21)
	bands := Arrange(groups, 21, []bool{true, true})
	var p Painter
	p.Grouped(dst, dst.Rect, s, n, Machine, 0, 10, false, bands)
	half := levelPixels[up(levels.Of(0.5))]
	for y := bands[0].Y0; y < bands[0].Y1; y++ {
		if got := word(dst.RGBAAt(3, y)); got != half {
			t.Errorf("node a's row at y=%d = %v; want its mean, %v", y, dst.RGBAAt(3, y), Color(0.5))
		}
	}
	for y := bands[1].Y0; y < bands[1].Y1; y++ {
		if c := dst.RGBAAt(3, y); !isGap(c) {
			t.Errorf("node b's row at y=%d = %v; want the gap hatch", y, c)
		}
	}
}

func TestGroupedCollapsedShowsBurst(t *testing.T) {
	// 1,000 samples in 10 pixel columns: node a's one busy sample (both
	// cores at 1 in sample 500) survives as the maximum of its column.
	groups := []Group{{"a", 0, 2}}
	s, n := cluster(groups, 1000, func(i, c int) float64 { return b2f(i == 500) })
	dst := img(10, 4)
	var p Painter
	p.Grouped(dst, dst.Rect, s, n, Machine, 0, 1000, false, Arrange(groups, 4, []bool{true}))
	bright := 0
	for x := range 10 {
		switch dst.RGBAAt(x, 0) {
		case Color(1):
			bright++
		case Color(0):
		default:
			t.Errorf("column %d = %v; want idle or busy", x, dst.RGBAAt(x, 0))
		}
	}
	if bright != 1 {
		t.Errorf("%d columns show the burst; want 1", bright)
	}
}

func TestGroupedNodeWithoutCores(t *testing.T) {
	// Node b never answered: it has no cores, and its rows show the hatch.
	groups := []Group{{"a", 0, 2}, {"b", 2, 0}}
	s, n := cluster(groups, 10, func(i, c int) float64 { return 0 })
	dst := img(10, 30)
	bands := Arrange(groups, 30, nil)
	var p Painter
	p.Grouped(dst, dst.Rect, s, n, Machine, 0, 10, false, bands)
	if c := dst.RGBAAt(3, bands[1].Y0); !isGap(c) {
		t.Errorf("node b's row = %v; want the gap hatch", c)
	}
	if c := dst.RGBAAt(3, bands[0].Y0); c != Color(0) {
		t.Errorf("node a's row = %v; want idle", c)
	}
}

// TestGroupedTakesAnyLayout paints groups that do not lay out the series'
// cores, as a layout from a file or a node could say: one starting before
// core 0, one past the last core, one longer than what is left. Each shows
// what of it the series has, sorted or not, and no index goes out of range.
func TestGroupedTakesAnyLayout(t *testing.T) {
	s, _ := cluster([]Group{{"all", 0, 4}}, 10, func(i, c int) float64 { return 0.5 })
	groups := []Group{{"before", -2, 3}, {"past", 9, 2}, {"longer", 2, 5}}
	var n Nodes
	n.Reset(groups, 1, 10)
	for _, sorted := range []bool{false, true} {
		dst := img(10, 60)
		bands := Arrange(groups, 60, nil)
		var p Painter
		p.Grouped(dst, dst.Rect, s, &n, Machine, 0, 10, sorted, bands)
		if c := dst.RGBAAt(3, bands[2].Y0); c != Color(0.5) {
			t.Errorf("sorted %v: group longer than the series' cores = %v; want its cores 2 and 3 at 50%%", sorted, c)
		}
	}
}

func TestGroupedSorted(t *testing.T) {
	// Two nodes of 3 cores: node a's last core busy, node b's middle one
	// missing and its first at half. Sorted, each node's busiest core is
	// at its top, missing ones at its bottom; no core leaves its node.
	nan := math.NaN()
	groups := []Group{{"a", 0, 3}, {"b", 3, 3}}
	loads := []float64{0, 0, 1, 0.5, nan, 0}
	s, n := cluster(groups, 10, func(i, c int) float64 { return loads[c] })
	dst := img(4, 62)
	bands := Arrange(groups, 62, nil)
	var p Painter
	p.Grouped(dst, dst.Rect, s, n, Machine, 0, 10, true, bands)
	row := func(k, c int) color.RGBA { // the middle of core c of node k
		b := bands[k]
		return dst.RGBAAt(1, b.Y0+(2*c+1)*(b.Y1-b.Y0)/6)
	}
	if got := row(0, 0); got != Color(1) {
		t.Errorf("node a's top = %v; want its busy core %v", got, Color(1))
	}
	if got := row(0, 2); got != Color(0) {
		t.Errorf("node a's bottom = %v; want idle", got)
	}
	if got := row(1, 0); got != dst.RGBAAt(1, bands[1].Y0) || word(got) != levelPixels[up(levels.Of(0.5))] {
		t.Errorf("node b's top = %v; want its half-busy core", got)
	}
	if got := row(1, 2); !isGap(got) {
		t.Errorf("node b's bottom = %v; want its missing core, the hatch", got)
	}
}

func TestGroupedStrip(t *testing.T) {
	// One node of 4 cores, 2 busy: its strip is filled half way up.
	groups := []Group{{"a", 0, 4}}
	s, n := cluster(groups, 10, func(i, c int) float64 { return b2f(c < 2) })
	dst := img(10, 60)
	bands := Arrange(groups, 60, nil)
	b := bands[0]
	if b.StripY1-b.StripY0 != 10 {
		t.Fatalf("strip = rows %d..%d; want 10 rows", b.StripY0, b.StripY1)
	}
	var p Painter
	p.Grouped(dst, dst.Rect, s, n, Machine, 0, 10, false, bands)
	if got := dst.RGBAAt(5, b.StripY1-1); got != stripFill {
		t.Errorf("strip bottom = %v; want filled %v", got, stripFill)
	}
	if got := dst.RGBAAt(5, b.StripY0+2); got != Idle() {
		t.Errorf("strip near the top = %v; want empty %v", got, Idle())
	}
}

// BenchmarkClusterHeatmap is one frame of a cluster's heatmap: 64 nodes of
// 64 cores (4,096 rows) sampled at 1 Hz for 10 minutes, drawn as the Live
// view draws it (600 pixel columns, a sample each, in 640 rows), every
// core expanded (a node's strip under its cores) and collapsed to a row
// per node; and expanded at a pixel row a core, as a tall report would.
func BenchmarkClusterHeatmap(b *testing.B) {
	const nodes, per, n = 64, 64, 600
	groups := make([]Group, nodes)
	for k := range groups {
		groups[k] = Group{fmt.Sprintf("node%02d:9100", k), k * per, per}
	}
	s, ns := cluster(groups, n, func(i, c int) float64 {
		if c/per == 7 && i > 300 {
			return math.NaN() // a node that stopped answering
		}
		return math.Abs(math.Sin(float64(i+c) / 50))
	})
	all := make([]bool, nodes)
	for k := range all {
		all[k] = true
	}
	for _, bc := range []struct {
		name      string
		w, h      int
		collapsed []bool
		sorted    bool
	}{
		{"expanded", 600, 640, nil, false},
		{"expanded/sorted", 600, 640, nil, true},
		{"collapsed", 600, 640, all, false},
		{"expanded-4096-rows", 600, 4096 + 63, nil, false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			dst := image.NewRGBA(image.Rect(0, 0, bc.w, bc.h))
			bands := Arrange(groups, bc.h, bc.collapsed)
			var p Painter
			b.ReportAllocs()
			for b.Loop() {
				p.Grouped(dst, dst.Rect, s, ns, Machine, 0, n, bc.sorted, bands)
				p.Strip(dst, image.Rect(0, 0, bc.w, 32), s, 0, n, 0) // the cluster's total
			}
		})
	}
}
