package report

import (
	"image"
	"image/color"
	"math"
	"path/filepath"
	"testing"

	"github.com/wcharczuk/go-chart/v2"

	"corescope/heatmap"
	"corescope/internal/pngtest"
	"corescope/lanes"
	"corescope/profile"
	"corescope/spec"
)

// count is how many pixels of r in img satisfy ok.
func count(img *image.RGBA, r image.Rectangle, ok func(color.RGBA) bool) int {
	n := 0
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if ok(img.RGBAAt(x, y)) {
				n++
			}
		}
	}
	return n
}

func is(c color.RGBA) func(color.RGBA) bool  { return func(p color.RGBA) bool { return p == c } }
func not(c color.RGBA) func(color.RGBA) bool { return func(p color.RGBA) bool { return p != c } }

func failed(p *profile.Profile) *profile.Profile {
	p.Error, p.ExitCode = "subject exited with status 2", 2
	return p
}

func noSpeedup(p *profile.Profile) *profile.Profile {
	p.Summary.Speedup = nil
	return p
}

// gradientRows checks that row band c of a heatmap of cores cores has core c's gradient colour.
func gradientRows(t *testing.T, img *image.RGBA, hm image.Rectangle, cores int, probe []int) {
	t.Helper()
	for _, c := range probe {
		y := hm.Min.Y + (2*c+1)*hm.Dy()/(2*cores)
		for _, x := range []int{hm.Min.X, hm.Min.X + hm.Dx()/2, hm.Max.X - 1} {
			want := heatmap.Color(float64(c) / float64(cores-1))
			if got := img.RGBAAt(x, y); got != want {
				t.Errorf("heatmap pixel (%d,%d) for core %d = %v; want %v", x, y, c, got, want)
			}
		}
	}
}

func TestPNG(t *testing.T) {
	five := make([]*profile.Profile, 0, 5)
	for i, m := range spec.Models {
		n := 20 + 20*i
		five = append(five, fixture(string(m), m, 4, n, secondHalf(n)))
	}
	tests := []struct {
		name string
		ps   []*profile.Profile
		// check tests what is special to the case.
		check func(t *testing.T, img *image.RGBA, l Layout)
	}{
		{"one run", []*profile.Profile{fixture("cpu/processes", spec.Processes, 4, 50, gradient(4))},
			func(t *testing.T, img *image.RGBA, l Layout) {
				if got, want := l.Runs[0].Heatmap.Dx(), l.Runs[0].Lane.Dx(); got != want {
					t.Errorf("the only run's heatmap width = %d; want the whole lane, %d", got, want)
				}
				gradientRows(t, img, l.Runs[0].Heatmap, 4, []int{0, 1, 2, 3})
			}},
		{"five runs on one time scale", five, func(t *testing.T, img *image.RGBA, l Layout) {
			for i, r := range l.Runs {
				want := float64(r.Lane.Dx()) * lastT(five[i]) / l.AxisS
				if got := float64(r.Heatmap.Dx()); math.Abs(got-want) > 1 {
					t.Errorf("run %d heatmap width = %v; want %.1f (its share of the time scale)", i, got, want)
				}
				hm := r.Heatmap
				y := (hm.Min.Y + hm.Max.Y) / 2
				if got := img.RGBAAt(hm.Min.X+hm.Dx()/4, y); got != heatmap.Color(0) {
					t.Errorf("run %d heatmap at 1/4 = %v; want idle %v", i, got, heatmap.Color(0))
				}
				if got := img.RGBAAt(hm.Min.X+3*hm.Dx()/4, y); got != heatmap.Color(1) {
					t.Errorf("run %d heatmap at 3/4 = %v; want busy %v", i, got, heatmap.Color(1))
				}
				if hm.Max.X < r.Lane.Max.X {
					if got := img.RGBAAt(hm.Max.X+1, y); got != shade {
						t.Errorf("run %d lane after its end = %v; want the shade %v", i, got, shade)
					}
				}
			}
		}},
		{"256 cores", []*profile.Profile{fixture("big", spec.Goroutines, 256, 600, gradient(256))},
			func(t *testing.T, img *image.RGBA, l Layout) {
				if got := l.Runs[0].Heatmap.Dy(); got < 256 {
					t.Errorf("256-core heatmap height = %d; want at least a pixel per core", got)
				}
				gradientRows(t, img, l.Runs[0].Heatmap, 256, []int{0, 1, 100, 254, 255})
			}},
		{"run with no samples", []*profile.Profile{fixture("empty", spec.Async, 4, 0, wave)},
			func(t *testing.T, img *image.RGBA, l Layout) {
				r := l.Runs[0]
				if !r.Heatmap.Empty() {
					t.Errorf("heatmap of a run without samples = %v; want empty", r.Heatmap)
				}
				if n := count(img, r.Lane, is(muted)); n == 0 {
					t.Error("lane of a run without samples has no text; want \"no samples\"")
				}
				if n := count(img, l.Line, is(muted)); n == 0 {
					t.Error("line chart without samples has no text; want why it is missing")
				}
			}},
		{"failed run beside a good one", []*profile.Profile{
			fixture("good", spec.Sequential, 2, 30, gradient(2)),
			failed(fixture("bad", spec.Threads, 2, 10, wave))},
			func(t *testing.T, img *image.RGBA, l Layout) {
				if n := count(img, l.Runs[1].Header, is(alarm)); n < 50 {
					t.Errorf("failed run's header has %d pixels of the alarm colour; want its error in red", n)
				}
				if n := count(img, l.Runs[0].Header, is(alarm)); n != 0 {
					t.Errorf("good run's header has %d pixels of the alarm colour; want none", n)
				}
				gradientRows(t, img, l.Runs[0].Heatmap, 2, []int{0, 1})
			}},
		{"failed run without samples", []*profile.Profile{failed(fixture("bad", spec.Threads, 2, 0, wave))},
			func(t *testing.T, img *image.RGBA, l Layout) {
				if n := count(img, l.Runs[0].Header, is(alarm)); n < 50 {
					t.Errorf("failed run's header has %d pixels of the alarm colour; want its error in red", n)
				}
			}},
		{"no speedup", []*profile.Profile{noSpeedup(fixture("alone", spec.Threads, 2, 10, wave))},
			func(t *testing.T, img *image.RGBA, l Layout) {
				if n := count(img, l.Speedup, is(runColor(0))); n != 0 {
					t.Errorf("speedup chart has %d pixels of the run's colour; want no bar", n)
				}
				if n := count(img, l.Speedup, is(muted)); n == 0 {
					t.Error("speedup chart without speedups has no text; want why it is missing")
				}
			}},
		{"one sample", []*profile.Profile{fixture("blink", spec.Async, 2, 1, gradient(2))},
			func(t *testing.T, img *image.RGBA, l Layout) {
				gradientRows(t, img, l.Runs[0].Heatmap, 2, []int{0, 1})
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := PNG(tt.ps, Options{})
			if err != nil {
				t.Fatalf("PNG() error = %v; want none", err)
			}
			img := out.(*image.RGBA)
			l := Locate(tt.ps, Options{})
			if got := img.Bounds().Size(); got != l.Size || got.X != DefaultWidth {
				t.Fatalf("image size = %v; want %v, %d wide", got, l.Size, DefaultWidth)
			}
			titleText := l.Title
			titleText.Max.X = l.Legend.Min.X
			if n := count(img, titleText, not(paper)); n < 2000 {
				t.Errorf("title area has %d drawn pixels; want its text", n)
			}
			if n := count(img, l.Legend, is(heatmap.Color(1))); n == 0 {
				t.Error("legend has no pixel of the busy colour")
			}
			if n := count(img, l.Table, not(paper)); n < 2000 {
				t.Errorf("table area has %d drawn pixels; want the table", n)
			}
			for i, p := range tt.ps {
				c := is(runColor(i))
				if len(p.Frames) >= 2 {
					if n := count(img, l.Line, c); n < 50 {
						t.Errorf("line chart has %d pixels of run %d's colour; want its line", n, i)
					}
				}
				if p.Summary.WallS > 0 {
					if n := count(img, l.Wall, c); n < 50 {
						t.Errorf("wall-time chart has %d pixels of run %d's colour; want its bar", n, i)
					}
				}
			}
			tt.check(t, img, l)
		})
	}
}

func TestPNGNoRuns(t *testing.T) {
	if _, err := PNG(nil, Options{}); err == nil {
		t.Error("PNG(nil) error = nil; want an error")
	}
}

func TestPNGWidth(t *testing.T) {
	ps := []*profile.Profile{fixture("a", spec.Threads, 2, 10, wave)}
	for _, w := range []int{1200, 2400} {
		img, err := PNG(ps, Options{Width: w})
		if err != nil {
			t.Fatalf("PNG(width %d) error = %v", w, err)
		}
		if got := img.Bounds().Dx(); got != w {
			t.Errorf("PNG(width %d) width = %d; want %d", w, got, w)
		}
	}
}

func TestWritePNG(t *testing.T) {
	ps := []*profile.Profile{fixture("a", spec.Threads, 2, 10, wave)}
	path := filepath.Join(t.TempDir(), "report.png")
	if err := WritePNG(path, ps, Options{}); err != nil {
		t.Fatalf("WritePNG() error = %v", err)
	}
	img := pngtest.Read(t, path)
	if got, want := img.Bounds().Size(), Locate(ps, Options{}).Size; got != want {
		t.Errorf("written report size = %v; want %v", got, want)
	}
}

func BenchmarkPNG(b *testing.B) {
	var ps []*profile.Profile
	for i, m := range spec.Models {
		p := fixture(string(m), m, 256, 600, func(s, c int) float64 { return wave(s+i, c) })
		ps = append(ps, withSubject(p, profile.AttributionExact, func(s, c int) float64 { return wave(s+i, c) / 2 }))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PNG(ps, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestPNGSubjectAndOthers(t *testing.T) {
	full := func(s, c int) float64 { return 1 }
	exact := withSlices(withSubject(fixture("exact", spec.Threads, 4, 30, full), profile.AttributionExact, gradient(4)), 6, 600)
	approx := withSubject(fixture("approx", spec.Processes, 4, 20, full), profile.AttributionApproximate, gradient(4))
	old := fixture("old", spec.Sequential, 4, 20, gradient(4))
	ps := []*profile.Profile{exact, approx, old}
	out, err := PNG(ps, Options{})
	if err != nil {
		t.Fatalf("PNG() error = %v", err)
	}
	img, l := out.(*image.RGBA), Locate(ps, Options{})
	for i, r := range l.Runs {
		// Every run's main heatmap is the gradient: the subject's load, or
		// the machine's in the old file.
		gradientRows(t, img, r.Heatmap, 4, []int{0, 1, 2, 3})
		if n := count(img, r.Strip, is(heatmap.StripColor())); n == 0 {
			t.Errorf("run %d strip has no pixel of the busy colour", i)
		}
	}
	for i, r := range l.Runs[:2] {
		if got := r.Machine.Dx(); got != r.Heatmap.Dx() {
			t.Errorf("run %d whole-machine heatmap width = %d; want the subject's, %d", i, got, r.Heatmap.Dx())
		}
		if n, want := count(img, r.Machine, is(heatmap.Color(1))), r.Machine.Dx()*r.Machine.Dy(); n != want {
			t.Errorf("run %d whole-machine heatmap has %d busy pixels; want all %d", i, n, want)
		}
		// The machine is 4 cores busy, the subject 2: half the strip is others.
		if n := count(img, r.Strip, is(heatmap.OthersColor())); n < r.Strip.Dx()*r.Strip.Dy()/4 {
			t.Errorf("run %d strip has %d pixels of other programs' colour; want about a third of it", i, n)
		}
	}
	if !l.Runs[2].Machine.Empty() {
		t.Errorf("old file's whole-machine heatmap = %v; want none, its heatmap is the machine's", l.Runs[2].Machine)
	}
	if n := count(img, l.Runs[2].Strip, is(heatmap.OthersColor())); n != 0 {
		t.Errorf("old file's strip has %d pixels of other programs' colour; want none (nothing tells them apart)", n)
	}
	for i, want := range []bool{false, true, true} {
		r := l.Runs[i]
		if got := !r.Note.Empty() && count(img, r.Note, is(notice)) > 50; got != want {
			t.Errorf("run %d says its pictures are not exact: %v; want %v", i, got, want)
		}
	}

	th := l.Runs[0].Threads
	if th.Empty() {
		t.Fatal("run with slices has no threads panel")
	}
	for c, col := range lanes.CorePalette[:4] {
		if n := count(img, th, is(col)); n < 100 {
			t.Errorf("threads panel has %d pixels of core %d's colour; want its slices", n, c)
		}
	}
	for i, r := range l.Runs[1:] {
		if !r.Threads.Empty() {
			t.Errorf("run %d without slices has a threads panel %v; want none", i+1, r.Threads)
		}
	}
	if n := count(img, l.Line, func(c color.RGBA) bool { return c == chartLayer(runColor(0)) }); n == 0 {
		t.Error("line chart has no pixel of the exact run's other-programs line")
	}
}

// chartLayer is the colour of other programs' line of a run of colour c.
func chartLayer(c color.RGBA) color.RGBA {
	sc := othersStyle(c).StrokeColor
	return color.RGBA{sc.R, sc.G, sc.B, sc.A}
}

func TestThreadPanel(t *testing.T) {
	p := withSlices(fixture("many", spec.Threads, 4, 30, wave), 40, 4000)
	tp := newThreadPanel(p)
	if tp.lanes != maxLanes || tp.more != 40-maxLanes {
		t.Errorf("40 threads: %d lanes and %d more; want %d and %d", tp.lanes, tp.more, maxLanes, 40-maxLanes)
	}
	if len(tp.groups) != 2 {
		t.Fatalf("groups = %d; want 2, one a process", len(tp.groups))
	}
	for _, g := range tp.groups {
		for _, th := range g.threads[1:] {
			if th.pid != g.threads[0].pid {
				t.Errorf("group %q holds thread %d of process %d", g.label, th.tid, th.pid)
			}
		}
	}
	if got, want := tp.groups[0].label, "corescope 100"; got != want {
		t.Errorf("first group label = %q; want %q", got, want)
	}
	if got, want := tp.groups[0].threads[0].label, "worker-0 101"; got != want {
		t.Errorf("first lane label = %q; want %q", got, want)
	}
	if want := panelHeadH + 2*groupH + maxLanes*laneH + footH; tp.height() != want {
		t.Errorf("height = %d; want %d", tp.height(), want)
	}
	if h := newThreadPanel(fixture("none", spec.Threads, 4, 30, wave)).height(); h != 0 {
		t.Errorf("height without slices = %d; want 0", h)
	}
}

func TestLineChartHoldsItsData(t *testing.T) {
	full := func(s, c int) float64 { return 1 }
	tests := []struct {
		name string
		p    *profile.Profile
	}{
		// 2.9 s of data: ticks every 0.5 s used to stop at 2.5 s.
		{"2.9 s", fixture("a", spec.Threads, 4, 29, wave)},
		// 256 busy cores: ticks every 50 used to stop at 250.
		{"256 busy cores", fixture("b", spec.Goroutines, 256, 10, full)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := []*profile.Profile{tt.p}
			l := Locate(ps, Options{})
			c, _ := lineChart(l.Line, ps, []string{"a"}, runSeries(ps))
			xt, yt := c.XAxis.Ticks, c.YAxis.Ticks
			for _, s := range c.Series {
				cs := s.(chart.ContinuousSeries)
				for k := range cs.XValues {
					if x, y := cs.XValues[k], cs.YValues[k]; x > xt[len(xt)-1].Value || y > yt[len(yt)-1].Value {
						t.Fatalf("point (%v, %v) lies past the axes, which end at (%v, %v)", x, y, xt[len(xt)-1].Value, yt[len(yt)-1].Value)
					}
				}
			}
			// go-chart ends an axis at its last tick: a line past it runs
			// into the chart's right padding.
			out, err := PNG(ps, Options{})
			if err != nil {
				t.Fatalf("PNG() error = %v", err)
			}
			pad := image.Rect(l.Line.Max.X-30, l.Line.Min.Y, l.Line.Max.X, l.Line.Max.Y)
			if n := count(out.(*image.RGBA), pad, is(runColor(0))); n != 0 {
				t.Errorf("%d pixels of the line lie right of the x axis; want none", n)
			}
		})
	}
}

func BenchmarkPNGSlices(b *testing.B) {
	p := withSlices(withSubject(fixture("threads", spec.Threads, 64, 600, wave), profile.AttributionExact,
		func(s, c int) float64 { return wave(s, c) / 2 }), 48, 50000)
	ps := []*profile.Profile{p}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PNG(ps, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
