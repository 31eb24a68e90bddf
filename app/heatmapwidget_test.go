package app

import (
	"image"
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"corescope/heatmap"
)

// showHeatmap puts h in a test window big enough for one pixel per sample
// and core, and returns its renderer.
func showHeatmap(t testing.TB, h *Heatmap, size fyne.Size) *heatmapRenderer {
	t.Helper()
	w := test.NewTempWindow(t, h)
	w.Resize(size)
	h.Refresh()
	return test.WidgetRenderer(h).(*heatmapRenderer)
}

func TestHeatmapColours(t *testing.T) {
	test.NewTempApp(t)
	transparent := color.RGBA{}
	tests := []struct {
		name     string
		cores    int
		capacity int
		samples  [][]float64
		// want[y][x] is the colour of pixel (x, y) of the heatmap image
		want func(x, y int) color.RGBA
	}{
		{
			name: "no samples", cores: 4, capacity: 8,
			want: func(x, y int) color.RGBA { return transparent },
		},
		{
			name: "0 cores", cores: 0, capacity: 4, samples: [][]float64{{}, {}, {}, {}},
			want: func(x, y int) color.RGBA { return heatmap.Idle() },
		},
		{
			name: "1 core, half full", cores: 1, capacity: 4, samples: [][]float64{{1}, {0.5}},
			want: func(x, y int) color.RGBA {
				return []color.RGBA{heatmap.Color(1), heatmap.Color(0.5), transparent, transparent}[x]
			},
		},
		{
			name: "2 cores, out of range clamped", cores: 2, capacity: 3,
			samples: [][]float64{{-1, 2}, {math.NaN(), 0.25}, {0, 1}},
			want: func(x, y int) color.RGBA {
				return [][]color.RGBA{
					{heatmap.Color(0), heatmap.Color(0), heatmap.Color(0)},
					{heatmap.Color(1), heatmap.Color(0.25), heatmap.Color(1)},
				}[y][x]
			},
		},
		{
			name: "256 cores", cores: 256, capacity: 5, samples: diagonal(256, 5),
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
			h := NewHeatmap(tt.cores, tt.capacity, 0.1)
			for i, s := range tt.samples {
				h.Push(float64(i+1)*0.1, s, nil)
			}
			r := showHeatmap(t, h, fyne.NewSize(800, 600))
			b := r.pix.Bounds()
			if want := image.Rect(0, 0, tt.capacity, max(1, tt.cores)); b != want {
				t.Fatalf("image bounds = %v; want %v", b, want)
			}
			for y := range b.Dy() {
				for x := range b.Dx() {
					if got, want := r.pix.RGBAAt(x, y), tt.want(x, y); got != want {
						t.Fatalf("pixel (%d, %d) = %v; want %v", x, y, got, want)
					}
				}
			}
		})
	}
}

// diagonal is n samples of cores cores where sample i has core 50*i busy.
func diagonal(cores, n int) [][]float64 {
	cols := make([][]float64, n)
	for i := range cols {
		cols[i] = make([]float64, cores)
		cols[i][min(cores-1, 50*i)] = 1
	}
	return cols
}

func TestHeatmapSortedPutsBusyCoresOnTop(t *testing.T) {
	test.NewTempApp(t)
	h := NewHeatmap(3, 2, 0.1)
	h.Push(0.1, []float64{0, 0, 1}, nil)
	h.Push(0.2, []float64{0, 1, 0}, nil)
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
	h := NewHeatmap(256, 600, 0.1)
	r := showHeatmap(t, h, fyne.NewSize(300, 200))
	b := r.pix.Bounds()
	if b.Dx() > 300 || b.Dy() > 200 || b.Dx() < 200 || b.Dy() < 50 {
		t.Errorf("image for a 300x200 window = %v; want about the widget's pixel size", b)
	}
}

// BenchmarkHeatmapFrame is one live update of a 256-core, 600-column
// heatmap: push a sample, repaint the images. Goal: <= 2 ms, 0 allocs.
func BenchmarkHeatmapFrame(b *testing.B) {
	test.NewTempApp(b)
	h := NewHeatmap(256, 600, 0.1)
	r := showHeatmap(b, h, fyne.NewSize(1400, 900))
	if got := r.pix.Bounds(); got != image.Rect(0, 0, 600, 256) {
		b.Fatalf("image bounds = %v; want 600x256", got)
	}
	busy := make([]float64, 256)
	for i := range 600 {
		busy[i%256] = float64(i%10) / 10
		h.Push(float64(i)/10, busy, nil)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		busy[i%256] = float64(i%7) / 7
		h.Push(float64(600+i)/10, busy, nil)
		r.draw()
	}
}

// TestLiveHeatmapFillsTheWidthAsItGrows checks that a short live run covers
// its share of a round time axis, not a sliver of the ring's capacity.
func TestLiveHeatmapFillsTheWidthAsItGrows(t *testing.T) {
	test.NewTempApp(t)
	tests := []struct {
		samples  int     // of 0.1 s, all busy
		wantFill float64 // share of the image's columns painted
	}{
		{10, 1.0 / 5},   // 1 s on the 5 s minimum axis
		{40, 4.0 / 5},   // 4 s of 5 s
		{60, 6.0 / 7.5}, // 6 s of 7.5 s
		{900, 1},        // more than the ring holds: the whole width, scrolling
	}
	for _, tt := range tests {
		h := NewHeatmap(2, 600, 0.1)
		h.ResetLive(2, 600, 0.1)
		for i := range tt.samples {
			h.Push(float64(i+1)*0.1, []float64{1, 1}, nil)
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
	h := NewHeatmap(1, 1, 0.1)
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
