package report

import (
	"image"
	"image/color"
	"math"
	"path/filepath"
	"testing"

	"corescope/heatmap"
	"corescope/internal/pngtest"
	"corescope/profile"
	"corescope/runners"
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
	for i, m := range runners.Models {
		n := 20 + 20*i
		five = append(five, fixture(string(m), m, 4, n, secondHalf(n)))
	}
	tests := []struct {
		name string
		ps   []*profile.Profile
		// check tests what is special to the case.
		check func(t *testing.T, img *image.RGBA, l Layout)
	}{
		{"one run", []*profile.Profile{fixture("cpu/processes", runners.Processes, 4, 50, gradient(4))},
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
		{"256 cores", []*profile.Profile{fixture("big", runners.Goroutines, 256, 600, gradient(256))},
			func(t *testing.T, img *image.RGBA, l Layout) {
				if got := l.Runs[0].Heatmap.Dy(); got < 256 {
					t.Errorf("256-core heatmap height = %d; want at least a pixel per core", got)
				}
				gradientRows(t, img, l.Runs[0].Heatmap, 256, []int{0, 1, 100, 254, 255})
			}},
		{"run with no samples", []*profile.Profile{fixture("empty", runners.Async, 4, 0, wave)},
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
			fixture("good", runners.Sequential, 2, 30, gradient(2)),
			failed(fixture("bad", runners.Threads, 2, 10, wave))},
			func(t *testing.T, img *image.RGBA, l Layout) {
				if n := count(img, l.Runs[1].Header, is(alarm)); n < 50 {
					t.Errorf("failed run's header has %d pixels of the alarm colour; want its error in red", n)
				}
				if n := count(img, l.Runs[0].Header, is(alarm)); n != 0 {
					t.Errorf("good run's header has %d pixels of the alarm colour; want none", n)
				}
				gradientRows(t, img, l.Runs[0].Heatmap, 2, []int{0, 1})
			}},
		{"failed run without samples", []*profile.Profile{failed(fixture("bad", runners.Threads, 2, 0, wave))},
			func(t *testing.T, img *image.RGBA, l Layout) {
				if n := count(img, l.Runs[0].Header, is(alarm)); n < 50 {
					t.Errorf("failed run's header has %d pixels of the alarm colour; want its error in red", n)
				}
			}},
		{"no speedup", []*profile.Profile{noSpeedup(fixture("alone", runners.Threads, 2, 10, wave))},
			func(t *testing.T, img *image.RGBA, l Layout) {
				if n := count(img, l.Speedup, is(runColor(0))); n != 0 {
					t.Errorf("speedup chart has %d pixels of the run's colour; want no bar", n)
				}
				if n := count(img, l.Speedup, is(muted)); n == 0 {
					t.Error("speedup chart without speedups has no text; want why it is missing")
				}
			}},
		{"one sample", []*profile.Profile{fixture("blink", runners.Async, 2, 1, gradient(2))},
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
	ps := []*profile.Profile{fixture("a", runners.Threads, 2, 10, wave)}
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
	ps := []*profile.Profile{fixture("a", runners.Threads, 2, 10, wave)}
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
	for i, m := range runners.Models {
		ps = append(ps, fixture(string(m), m, 256, 600, func(s, c int) float64 { return wave(s+i, c) }))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PNG(ps, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
