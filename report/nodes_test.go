package report

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"
	"time"

	"corescope/heatmap"
	"corescope/levels"
	"corescope/profile"
	"corescope/spec"
)

// watched is a watch of nodes nodes of per cores each, n samples at 1 Hz,
// core c of sample s at busy(s, c) (NaN: missing), as recorder.Watch
// records it: no subject, the nodes named node00:9100 on.
func watched(nodes, per, n int, busy func(s, c int) float64) *profile.Profile {
	p := &profile.Profile{Label: fmt.Sprintf("watch of %d nodes", nodes), Spec: spec.Spec{Interval: spec.Duration(time.Second)},
		Started: started, Machine: profile.Machine{CPUModel: "Test CPU 9000", LogicalCores: 2, OS: "linux"}}
	for k := range nodes {
		name := fmt.Sprintf("node%02d:9100", k)
		p.Nodes = append(p.Nodes, profile.Node{Name: name, URL: "http://" + name + "/metrics", Cores: per, First: k * per})
	}
	for s := range n {
		f := profile.Frame{T: float64(s + 1), Busy: make(levels.Row, nodes*per)}
		for c := range f.Busy {
			f.Busy[c] = levels.Of(busy(s, c))
		}
		p.Frames = append(p.Frames, f)
	}
	p.Summary.WallS, p.Summary.SubjectEndS = float64(n), float64(n)
	return p
}

// inkIn counts the pixels of r in img that are neither paper nor shade:
// text or pictures.
func inkIn(img *image.RGBA, r image.Rectangle) int {
	return count(img, r, func(c color.RGBA) bool { return c != paper && c != shade })
}

// drawn draws the report of ps, and says where.
func drawn(t *testing.T, ps []*profile.Profile) (*image.RGBA, Layout) {
	t.Helper()
	out, err := PNG(ps, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return out.(*image.RGBA), Locate(ps, Options{})
}

func TestPNGGroupsNodes(t *testing.T) {
	// Two nodes of 4 cores; only core 1 of node01 (core 5) is busy.
	p := watched(2, 4, 60, func(_, c int) float64 { return b2f(c == 5) })
	p.Nodes[1].MissedTicks = 3
	ps := []*profile.Profile{p}
	img, l := drawn(t, ps)
	r := l.Runs[0]
	if len(r.Nodes) != 2 || r.Nodes[0].Collapsed || r.Nodes[1].Collapsed {
		t.Fatalf("Nodes = %+v; want 2 expanded nodes", r.Nodes)
	}
	if !r.Note.Empty() {
		t.Errorf("a watch's header has a note at %v; want none: it has no subject to attribute", r.Note)
	}
	if got, want := specLine(ps), "Spec: a watch of 2 node_exporters every 1s"; got != want {
		t.Errorf("specLine = %q; want %q", got, want)
	}
	b := r.Nodes[1]
	coreRows := (b.Y1 - b.Y0) / 4
	x := r.Heatmap.Min.X + r.Heatmap.Dx()/2
	for c := range 4 {
		y := r.Heatmap.Min.Y + b.Y0 + c*coreRows + coreRows/2
		want := heatmap.Color(b2f(c == 1))
		if got := img.RGBAAt(x, y); got != want {
			t.Errorf("node01 core %d at y=%d = %v; want %v", c, y, got, want)
		}
	}
	for _, a := range r.Nodes {
		if got := img.RGBAAt(x, r.Heatmap.Min.Y+a.Y0+1); got != heatmap.Color(0) && a.Group == 0 {
			t.Errorf("node00's first row = %v; want idle", got)
		}
	}
	// Each name stands in the gutter beside its node's top, not elsewhere.
	gutterOf := func(y0, y1 int) image.Rectangle {
		return image.Rect(r.Heatmap.Min.X-gutter, r.Heatmap.Min.Y+y0, r.Heatmap.Min.X-2, r.Heatmap.Min.Y+y1)
	}
	for k, a := range r.Nodes {
		if n := inkIn(img, gutterOf(a.Y0, a.Y0+smallPx+4)); n < 20 {
			t.Errorf("node %d's name: %d pixels of ink beside its top; want its name", k, n)
		}
	}
	if n := inkIn(img, gutterOf(r.Nodes[0].Y0+2*smallPx+8, r.Nodes[0].Y1)); n != 0 {
		t.Errorf("%d pixels of ink in the gutter beside node00's cores; want none (no missed ticks)", n)
	}
	if n := inkIn(img, gutterOf(b.Y0+smallPx+4, b.Y0+2*smallPx+8)); n < 20 {
		t.Errorf("node01's missed ticks: %d pixels of ink under its name; want the count", n)
	}
	// node01's strip: its mean busy cores (1 of 4) fill the bottom quarter.
	sx := r.Heatmap.Min.X + r.Heatmap.Dx()/2
	if got := img.RGBAAt(sx, r.Heatmap.Min.Y+b.StripY1-1); got != heatmap.StripColor() {
		t.Errorf("node01's strip bottom = %v; want %v", got, heatmap.StripColor())
	}
}

func TestPNGCollapsesATallCluster(t *testing.T) {
	nan := math.NaN()
	// 64 nodes of 64 cores: node03 never answered; node05 has half its
	// cores busy, the others missing.
	p := watched(64, 64, 30, func(_, c int) float64 {
		switch c / 64 {
		case 3:
			return nan
		case 5:
			if c%2 == 0 {
				return 1
			}
			return nan
		}
		return 0
	})
	img, l := drawn(t, []*profile.Profile{p})
	r := l.Runs[0]
	if len(r.Nodes) != 64 {
		t.Fatalf("%d bands; want 64", len(r.Nodes))
	}
	x := r.Heatmap.Min.X + r.Heatmap.Dx()/2
	for _, b := range r.Nodes {
		if !b.Collapsed {
			t.Fatalf("band %+v expanded; want every node collapsed", b)
		}
		got := img.RGBAAt(x, r.Heatmap.Min.Y+(b.Y0+b.Y1)/2)
		switch b.Group {
		case 3:
			if got != (color.RGBA{0xa0, 0xa0, 0xa0, 0xff}) && got != (color.RGBA{0x80, 0x80, 0x80, 0xff}) {
				t.Errorf("node03 (never answered) = %v; want the gap hatch, not idle", got)
			}
		case 5:
			if want := heatmap.Color(1); got != want {
				t.Errorf("node05 (its known cores busy) = %v; want %v", got, want)
			}
		default:
			if want := heatmap.Color(0); got != want {
				t.Errorf("node%02d = %v; want idle %v", b.Group, got, want)
			}
		}
	}
	if h := r.Heatmap.Dy(); h > 64*(clusterRowPx+1) {
		t.Errorf("heatmap %d px high; want a row of %d px a node", h, clusterRowPx)
	}
}

// BenchmarkPNG64Nodes is the report of a watch of 64 nodes of 64 cores
// (4,096 rows, collapsed to a row a node) at 1 Hz for 10 minutes.
func BenchmarkPNG64Nodes(b *testing.B) {
	ps := []*profile.Profile{watched(64, 64, 600, func(s, c int) float64 { return math.Abs(math.Sin(float64(s+c) / 50)) })}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PNG(ps, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
