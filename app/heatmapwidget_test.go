package app

import (
	"image"
	"image/color"
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"corescope/heatmap"
	"corescope/levels"
)

// showHeatmap puts h in a test window big enough for one pixel per sample
// and core, and returns its renderer.
func showHeatmap(t testing.TB, h *heatmapWidget, size fyne.Size) *heatmapRenderer {
	t.Helper()
	w := test.NewTempWindow(t, h)
	w.Resize(size)
	h.Refresh()
	return test.WidgetRenderer(h).(*heatmapRenderer)
}

func TestHeatmapColours(t *testing.T) {
	test.NewTempApp(t)
	transparent := color.RGBA{}
	m, half := levels.Missing, levels.Of(0.5)
	gap := color.RGBA{1, 2, 3, 4} // stands for either grey of the gap hatch
	tests := []struct {
		name    string
		cores   int
		samples []levels.Row
		width   int // of the image: a pixel a sample
		// want[y][x] is the colour of pixel (x, y) of the heatmap image
		want func(x, y int) color.RGBA
	}{
		{
			name: "no samples", cores: 4, width: 1,
			want: func(x, y int) color.RGBA { return transparent },
		},
		{
			name: "0 cores", cores: 0, samples: []levels.Row{{}, {}, {}, {}}, width: 4,
			want: func(x, y int) color.RGBA { return transparent },
		},
		{
			name: "1 core", cores: 1, samples: []levels.Row{{levels.Steps}, {half}}, width: 2,
			want: func(x, y int) color.RGBA {
				return []color.RGBA{heatmap.Color(1), heatmap.Color(half.Fraction())}[x]
			},
		},
		{
			name: "2 cores, one missing then short", cores: 2, width: 3,
			samples: []levels.Row{{m, levels.Steps}, {0, 64}, {levels.Steps}},
			want: func(x, y int) color.RGBA {
				return [][]color.RGBA{
					{gap, heatmap.Color(0), heatmap.Color(1)},
					{heatmap.Color(1), heatmap.Color(levels.Level(64).Fraction()), gap},
				}[y][x]
			},
		},
		{
			name: "256 cores", cores: 256, samples: diagonal(256, 5), width: 5,
			want: func(x, y int) color.RGBA {
				if y == x*50 {
					return heatmap.Color(1)
				}
				return heatmap.Color(0)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHeatmapWidget(tt.cores, len(tt.samples), 0.1)
			for i, s := range tt.samples {
				h.Push(float64(i+1)*0.1, s, nil)
			}
			r := showHeatmap(t, h, fyne.NewSize(800, 600))
			b := r.pix.Bounds()
			if want := image.Rect(0, 0, tt.width, max(1, tt.cores)); b != want {
				t.Fatalf("image bounds = %v; want %v", b, want)
			}
			for y := range b.Dy() {
				for x := range b.Dx() {
					got, want := r.pix.RGBAAt(x, y), tt.want(x, y)
					if want == gap && isGap(got) {
						continue
					}
					if got != want {
						t.Fatalf("pixel (%d, %d) = %v; want %v", x, y, got, want)
					}
				}
			}
		})
	}
}

// isGap reports whether c is one of the gap hatch's greys, which no load's
// colour is.
func isGap(c color.RGBA) bool { return c.R == c.G && c.G == c.B && c.A == 0xff }

// diagonal is n samples of cores cores where sample i has core 50*i busy.
func diagonal(cores, n int) []levels.Row {
	cols := make([]levels.Row, n)
	for i := range cols {
		cols[i] = make(levels.Row, cores)
		cols[i][min(cores-1, 50*i)] = levels.Steps
	}
	return cols
}

func TestHeatmapSortedPutsBusyCoresOnTop(t *testing.T) {
	test.NewTempApp(t)
	h := newHeatmapWidget(3, 2, 0.1)
	h.Push(0.1, levels.Row{0, 0, levels.Steps}, nil)
	h.Push(0.2, levels.Row{0, levels.Steps, 0}, nil)
	r := showHeatmap(t, h, fyne.NewSize(400, 300))
	if got := r.pix.RGBAAt(0, 0); got != heatmap.Color(0) {
		t.Errorf("by core: pixel (0, 0) = %v; want idle %v", got, heatmap.Color(0))
	}
	h.SetSorted(true)
	for x := range 2 {
		if got := r.pix.RGBAAt(x, 0); got != heatmap.Color(1) {
			t.Errorf("sorted: pixel (%d, 0) = %v; want busy %v", x, got, heatmap.Color(1))
		}
	}
}

func TestHeatmapImageFollowsTheScreen(t *testing.T) {
	test.NewTempApp(t)
	h := newHeatmapWidget(256, 600, 0.1)
	for i := range 600 { // more samples than pixels
		h.Push(float64(i+1)/10, make(levels.Row, 256), nil)
	}
	r := showHeatmap(t, h, fyne.NewSize(300, 200))
	b := r.pix.Bounds()
	if b.Dx() > 300 || b.Dy() > 200 || b.Dx() < 200 || b.Dy() < 50 {
		t.Errorf("image for a 300x200 window = %v; want about the widget's pixel size", b)
	}
}

// BenchmarkHeatmapFrame is one live update of a 256-core heatmap showing
// its last minute: push a sample, repaint the images. Goal: <= 2 ms, 0 allocs.
func BenchmarkHeatmapFrame(b *testing.B) {
	test.NewTempApp(b)
	h := newHeatmapWidget(256, 600, 0.1)
	h.ResetLive(256, 600, 0.1)
	busy := make(levels.Row, 256)
	for i := range 600 {
		busy[i%256] = levels.Of(float64(i%10) / 10)
		h.Push(float64(i+1)/10, busy, nil)
	}
	r := showHeatmap(b, h, fyne.NewSize(1400, 900))
	if got := r.pix.Bounds(); got != image.Rect(0, 0, 600, 256) {
		b.Fatalf("image bounds = %v; want 600x256", got)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		busy[i%256] = levels.Of(float64(i%7) / 7)
		h.Push(float64(601+i)/10, busy, nil)
		r.draw()
		i++
	}
}

// TestLiveHeatmapFillsTheWidthAsItGrows checks that a short live run covers
// its share of a round time axis, not a sliver of a minute.
func TestLiveHeatmapFillsTheWidthAsItGrows(t *testing.T) {
	test.NewTempApp(t)
	tests := []struct {
		samples  int     // of 0.1 s, all busy
		wantFill float64 // share of the image's columns painted
	}{
		{10, 1.0 / 5},   // 1 s on the 5 s minimum axis
		{40, 4.0 / 5},   // 4 s of 5 s
		{60, 6.0 / 7.5}, // 6 s of 7.5 s
		{900, 1},        // more than a minute: the whole width, scrolling
	}
	for _, tt := range tests {
		h := newHeatmapWidget(2, 600, 0.1)
		h.ResetLive(2, 600, 0.1)
		for i := range tt.samples {
			h.Push(float64(i+1)*0.1, levels.Row{levels.Steps, levels.Steps}, nil)
		}
		r := showHeatmap(t, h, fyne.NewSize(800, 300))
		w := r.pix.Rect.Dx()
		painted := 0
		for x := range w {
			if r.pix.RGBAAt(x, 0) == heatmap.Color(1) {
				painted++
			}
		}
		if want := int(math.Round(tt.wantFill * float64(w))); painted != want {
			t.Errorf("%d samples: %d of %d columns painted; want %d", tt.samples, painted, w, want)
		}
	}
}

// TestTimeAxisLabelsNeverOverlap lays out axes of many spans and widths and
// checks that no two visible tick labels overlap.
func TestTimeAxisLabelsNeverOverlap(t *testing.T) {
	test.NewTempApp(t)
	h := newHeatmapWidget(1, 1, 0.1)
	test.NewTempWindow(t, h)
	a := newTimeAxis(12)
	for _, width := range []float32{60, 150, 333, 760, 1500} {
		for _, span := range []float64{0.3, 1, 5, 7.5, 15, 60, 600, 6000} {
			for _, from := range []float64{0, 0.05, 123.4} {
				a.place(h, from, span, 10, width, 0)
				var prevEnd float32 = -1
				shown := 0
				for _, tick := range a.ticks {
					if tick.Hidden {
						continue
					}
					shown++
					x := tick.Position().X
					if x < prevEnd || x < 10 || x+tick.Size().Width > 10+width+0.5 {
						t.Errorf("axis %v+%v s over %v px: label %q at %v..%v overlaps its neighbour (ends %v) or the edges",
							from, span, width, tick.Text, x, x+tick.Size().Width, prevEnd)
					}
					prevEnd = x + tick.Size().Width
				}
				if width >= 300 && shown < 2 {
					t.Errorf("axis %v+%v s over %v px shows %d labels; want at least 2", from, span, width, shown)
				}
			}
		}
	}
}

// TestReadoutSaysWhatThePixelShows hovers a pixel of a run longer than
// the picture is wide: the readout gives the busiest load of its samples,
// as the pixel shows it, so a burst in a long run reads as one.
func TestReadoutSaysWhatThePixelShows(t *testing.T) {
	test.NewTempApp(t)
	const n, burst = 10_000, 5_003
	h := newHeatmapWidget(2, n, 0.1)
	for i := range n {
		row := levels.Row{0, 0}
		if i == burst {
			row[1] = levels.Steps
		}
		h.Push(float64(i+1)/10, row, nil)
	}
	r := showHeatmap(t, h, fyne.NewSize(400, 300))
	bright := -1
	for px := range r.pix.Rect.Dx() {
		if r.pix.RGBAAt(px, 1) == heatmap.Color(1) {
			bright = px
		}
	}
	if bright < 0 {
		t.Fatal("the burst is not drawn")
	}
	x := (float32(bright) + 0.5) / float32(r.pix.Rect.Dx()) * h.width
	h.MouseIn(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(h.x0+x, h.heatH*3/4)}})
	got := h.hoverReadout.text
	if !strings.Contains(got, "samples · core 1\nbusiest: machine 100%") {
		t.Errorf("readout over the burst's pixel (of %d) = %q; want its busiest load, 100%%, of its samples", r.pix.Rect.Dx(), got)
	}
	h.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(h.x0+x, h.stripY+stripHeight/2)}})
	if got := h.hoverReadout.text; !strings.Contains(got, "mean: machine 0.0") {
		t.Errorf("readout over the strip there = %q; want the mean busy cores, near 0", got)
	}
}
