package report

import (
	"fmt"
	"image"
	"math"
	"strings"
	"testing"

	"corescope/profile"
	"corescope/runtext"
	"corescope/scaling"
	"corescope/spec"
)

// sweepRuns are the runs of a sweep named name on 2 cores of 1, 2 and 4
// workers, 3 runs each, that rise to the cores and flatten, concluded.
func sweepRuns(name string) []*profile.Profile {
	var ps []*profile.Profile
	for _, c := range []struct {
		n    int
		wall float64
	}{{1, 2}, {2, 1.05}, {4, 1.1}} {
		for k, d := range []float64{-0.01, 0, 0.01} {
			p := small(1)[0]
			p.Label = fmt.Sprintf("processes ×%d #%d", c.n, k+1)
			p.Spec.Model, p.Spec.Workers, p.Spec.Scale = spec.Processes, c.n, spec.Scale{Sweep: name, Workers: c.n}
			p.Machine.LogicalCores = 2
			p.Summary.WallS, p.Summary.CPUS, p.Summary.CoresUsed = c.wall+d, 2, 2/(c.wall+d)
			ps = append(ps, p)
		}
	}
	runtext.Conclude(ps)
	return ps
}

// TestLayoutScale: workers on a log₂ axis from 1 to 8 times the cores,
// the ideal through (n, n), each measured point with its spread around
// it, the law solid within the cores and dashed past them.
func TestLayoutScale(t *testing.T) {
	sw := scaling.Sweeps(sweepRuns("s"))[0]
	plot := image.Rect(100, 50, 900, 450)
	sp := LayoutScale(sw, plot)
	if n := len(sp.XTicks); n != 5 || sp.XTicks[0].Pos != 100 || sp.XTicks[4].Pos != 900 || sp.XTicks[4].Label != "16" {
		t.Errorf("x ticks %+v; want 1, 2, 4, 8, 16 across the plot", sp.XTicks)
	}
	if sp.CoresX != sp.XTicks[1].Pos {
		t.Errorf("the cores at x %v; want at 2 workers, %v", sp.CoresX, sp.XTicks[1].Pos)
	}
	ideal := sp.Lines[0]
	var yOf2 float64
	for _, tk := range sp.YTicks {
		if tk.Label == "2x" {
			yOf2 = tk.Pos
		}
	}
	if ideal.Role != LineIdeal || !near(ideal.Pts, PlotXY{sp.XTicks[1].Pos, yOf2}) {
		t.Errorf("the ideal line does not pass through 2x at 2 workers (y %v)", yOf2)
	}
	if len(sp.Points) != 3 {
		t.Fatalf("%d points; want 3", len(sp.Points))
	}
	for _, pt := range sp.Points {
		if !(pt.High <= pt.Y && pt.Y <= pt.Low) || pt.X < 100 || pt.X > 900 {
			t.Errorf("point %+v: want its spread around it, inside the plot", pt)
		}
	}
	var solid, dashed int
	for _, l := range sp.Lines {
		if l.Role != LineSerial {
			continue
		}
		if !l.Projected {
			solid++
			if last := l.Pts[len(l.Pts)-1]; math.Abs(last.X-sp.CoresX) > 1e-9 {
				t.Errorf("the fitted line ends at x %v; want the cores, %v", last.X, sp.CoresX)
			}
			continue
		}
		dashed++
		length := 0.0
		for i := 1; i < len(l.Pts); i++ {
			length += math.Hypot(l.Pts[i].X-l.Pts[i-1].X, l.Pts[i].Y-l.Pts[i-1].Y)
		}
		if l.Pts[0].X < sp.CoresX-1e-9 || length > dashPx+1e-6 {
			t.Errorf("a dash from x %v, %.1f px long; want past the cores, at most %d px", l.Pts[0].X, length, dashPx)
		}
	}
	if solid != 1 || dashed < 10 {
		t.Errorf("%d solid lines and %d dashes of the serial law; want 1 within the cores and many past them", solid, dashed)
	}
}

// near reports whether the polyline passes within 2 px of p.
func near(pts []PlotXY, p PlotXY) bool {
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		if p.X < a.X || p.X > b.X {
			continue
		}
		y := a.Y + (b.Y-a.Y)*(p.X-a.X)/(b.X-a.X)
		return math.Abs(y-p.Y) <= 2
	}
	return false
}

// TestPNGScaling draws a sweep's section: the measured points in ink,
// the law in its colour on both sides of the cores (solid, then dashed),
// and the fit's lines of text under the chart.
func TestPNGScaling(t *testing.T) {
	ps := sweepRuns("s")
	l, _ := drawnWithin(t, ps)
	if len(l.Scales) != 1 || !l.ScalesOmitted.Empty() {
		t.Fatalf("%d scaling sections, omitted %v; want 1", len(l.Scales), l.ScalesOmitted)
	}
	img, err := PNG(ps, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rgba := img.(*image.RGBA)
	s := l.Scales[0]
	sp := LayoutScale(scaling.Sweeps(ps)[0], s.Plot)
	for _, pt := range sp.Points {
		if c := rgba.RGBAAt(int(pt.X), int(pt.Y)); pt.InFit && c != ink && c != notice {
			t.Errorf("the point of %d workers is %v; want it filled in ink", scaling.Sweeps(ps)[0].Points[pt.Index].Workers, c)
		}
	}
	within := image.Rect(s.Plot.Min.X, s.Plot.Min.Y, int(sp.CoresX), s.Plot.Max.Y)
	past := image.Rect(int(sp.CoresX)+2, s.Plot.Min.Y, s.Plot.Max.X, s.Plot.Max.Y)
	if a, b := count(rgba, within, is(scaleSerial)), count(rgba, past, is(scaleSerial)); a < 50 || b < 200 {
		t.Errorf("%d pixels of the law within the cores, %d past them; want it drawn on both sides", a, b)
	}
	if n := count(rgba, s.Text, not(paper)); n < 1000 {
		t.Errorf("%d pixels of text under the chart; want the fit's lines", n)
	}
}

// TestPNGOfManySweeps draws the first maxScaleSections sweeps and says how
// many it leaves out, within MaxHeight.
func TestPNGOfManySweeps(t *testing.T) {
	var ps []*profile.Profile
	for i := range 7 {
		ps = append(ps, sweepRuns(fmt.Sprint("s", i))...)
	}
	l, _ := drawnWithin(t, ps)
	if len(l.Scales) != maxScaleSections || l.ScalesOmitted.Empty() {
		t.Errorf("%d sections, omitted %v; want %d and a line that says so", len(l.Scales), l.ScalesOmitted, maxScaleSections)
	}
	for _, s := range l.Scales {
		if h := s.Text.Max.Y - s.Title.Min.Y; h > maxScaleH {
			t.Errorf("a section %d px high; want at most %d", h, maxScaleH)
		}
	}
}

// TestHTMLScaling: the HTML report carries a sweep's section, its chart
// as SVG with a circle a measured point, and the fit's texts.
func TestHTMLScaling(t *testing.T) {
	ps := sweepRuns("s")
	d, _ := htmlPage(runtext.Rows(ps), Locate(ps, Options{}), Options{})
	if len(d.Scales) != 1 || d.ScalesLeft != "" {
		t.Fatalf("%d sections, %q left; want 1", len(d.Scales), d.ScalesLeft)
	}
	s := d.Scales[0]
	if n := strings.Count(s.SVG, "<circle"); n != 3 || !strings.HasPrefix(s.SVG, "<svg") || !strings.HasSuffix(s.SVG, "</svg>") {
		t.Errorf("the chart has %d circles; want an SVG of 3", n)
	}
	if len(s.Texts) < 2 || !strings.HasPrefix(s.Texts[0], "Amdahl: serial fraction") {
		t.Errorf("texts %q; want the fit's line first", s.Texts)
	}
}

// TestPNGSweepWithoutFit draws a sweep whose 1-worker runs failed: no
// speedups, no fit, and the section says why rather than failing.
func TestPNGSweepWithoutFit(t *testing.T) {
	ps := sweepRuns("s")
	for _, p := range ps[:3] {
		p.Error = "the subject exited with code 1"
	}
	runtext.Conclude(ps)
	l, _ := drawnWithin(t, ps)
	if len(l.Scales) != 1 {
		t.Fatalf("%d sections; want 1", len(l.Scales))
	}
	sp := LayoutScale(scaling.Sweeps(ps)[0], l.Scales[0].Plot)
	if len(sp.Points) != 0 || sp.CoresX != 0 || len(sp.Lines) != 1 {
		t.Errorf("plot %+v; want the ideal alone", sp)
	}
	if texts := scaleTexts(scaling.Sweeps(ps)[0]); len(texts) == 0 || !strings.HasPrefix(texts[0], "no fit") {
		t.Errorf("texts %q; want the reason there is no fit", texts)
	}
}
