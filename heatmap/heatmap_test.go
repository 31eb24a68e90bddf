package heatmap

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// luma is a colour's perceived brightness (Rec. 601 weights).
func luma(c color.RGBA) float64 {
	return 0.299*float64(c.R) + 0.587*float64(c.G) + 0.114*float64(c.B)
}

func TestColor(t *testing.T) {
	idle, busy := Color(0), Color(1)
	if luma(idle) > 10 {
		t.Errorf("Color(0) = %v; want near black", idle)
	}
	if luma(busy) < 230 {
		t.Errorf("Color(1) = %v; want near white", busy)
	}
	if Idle() != idle {
		t.Errorf("Idle() = %v; want Color(0) = %v", Idle(), idle)
	}
	tests := []struct {
		v    float64
		want color.RGBA
	}{
		{-0.5, idle},
		{math.Inf(-1), idle},
		{math.NaN(), idle},
		{1.5, busy},
		{math.Inf(1), busy},
		{0.5, palette[128]},
	}
	for _, tt := range tests {
		if got := Color(tt.v); got != tt.want {
			t.Errorf("Color(%v) = %v; want %v", tt.v, got, tt.want)
		}
	}
}

func TestColorIsPerceptual(t *testing.T) {
	// Inferno's endpoints as matplotlib gives them, to 8 bits.
	if got, want := palette[0], (color.RGBA{0, 0, 4, 255}); got != want {
		t.Errorf("palette[0] = %v; want %v", got, want)
	}
	if got, want := palette[255], (color.RGBA{252, 255, 164, 255}); got != want {
		t.Errorf("palette[255] = %v; want %v", got, want)
	}
	prev := -1.0
	for i := 0; i <= 100; i++ {
		v := float64(i) / 100
		c := Color(v)
		if c.A != 255 {
			t.Fatalf("Color(%v) = %v; want opaque", v, c)
		}
		if l := luma(c); l < prev-1 {
			t.Fatalf("luma(Color(%v)) = %.1f after %.1f; want brightness never to drop", v, l, prev)
		}
		prev = luma(c)
	}
}

// img returns a w x h image filled with a marker colour no view paints.
func img(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = 0x42
	}
	return m
}

// samples builds n samples of cores values, v(sample, core) each.
func samples(n, cores int, v func(s, c int) float64) [][]float64 {
	out := make([][]float64, n)
	for s := range out {
		out[s] = make([]float64, cores)
		for c := range out[s] {
			out[s][c] = v(s, c)
		}
	}
	return out
}

type probe struct {
	x, y int
	want color.RGBA
}

func TestHeatmap(t *testing.T) {
	idle, busy := Color(0), Color(1)
	tests := []struct {
		name   string
		w, h   int
		cols   [][]float64
		sorted bool
		probes []probe
	}{
		{"no samples", 4, 4, nil, false,
			[]probe{{0, 0, idle}, {3, 3, idle}}},
		{"zero cores", 4, 4, [][]float64{{}, {}}, false,
			[]probe{{0, 0, idle}, {3, 3, idle}}},
		{"one core, samples wider than one pixel", 4, 2, [][]float64{{0}, {1}}, false,
			[]probe{{0, 0, idle}, {1, 1, idle}, {2, 0, busy}, {3, 1, busy}}},
		{"out of range clamped", 2, 2, [][]float64{{-3, 7}, {math.NaN(), math.Inf(1)}}, false,
			[]probe{{0, 0, idle}, {0, 1, busy}, {1, 0, idle}, {1, 1, busy}}},
		{"cores several pixels high", 1, 6, [][]float64{{0, 1, 0.5}}, false,
			[]probe{{0, 0, idle}, {0, 1, idle}, {0, 2, busy}, {0, 3, busy}, {0, 4, Color(0.5)}, {0, 5, Color(0.5)}}},
		{"several samples per pixel show the max", 2, 1, [][]float64{{0}, {1}, {0}, {0}}, false,
			[]probe{{0, 0, busy}, {1, 0, idle}}},
		{"short samples are idle", 2, 2, [][]float64{{1, 1}, {1}}, false,
			[]probe{{0, 1, busy}, {1, 0, busy}, {1, 1, idle}}},
		{"256 cores, one row each: core s busy in sample s", 256, 256,
			samples(256, 256, func(s, c int) float64 { return b2f(s == c) }), false,
			[]probe{{0, 0, busy}, {0, 1, idle}, {100, 100, busy}, {100, 101, idle}, {255, 255, busy}, {255, 0, idle}}},
		{"256 cores in 64 rows show each row's busiest core", 1, 64,
			samples(1, 256, func(s, c int) float64 { return b2f(c == 5) }), false,
			[]probe{{0, 0, idle}, {0, 1, busy}, {0, 2, idle}, {0, 63, idle}}},
		{"sorted puts the busy core on top", 1, 4,
			[][]float64{{0, 0.2, 0, 1}}, true,
			[]probe{{0, 0, busy}, {0, 1, Color(0.2)}, {0, 2, idle}, {0, 3, idle}}},
		{"unsorted keeps core order", 1, 4,
			[][]float64{{0, 0.2, 0, 1}}, false,
			[]probe{{0, 0, idle}, {0, 1, Color(0.2)}, {0, 3, busy}}},
		{"sorted counts a migrating thread as one core", 1, 2,
			[][]float64{{1, 0}, {0, 1}}, true,
			[]probe{{0, 0, busy}, {0, 1, idle}}},
		{"unsorted shows both cores of a migrating thread", 1, 2,
			[][]float64{{1, 0}, {0, 1}}, false,
			[]probe{{0, 0, busy}, {0, 1, busy}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Draw at an offset inside a larger image: nothing outside r may change.
			dst := img(tt.w+4, tt.h+4)
			r := image.Rect(2, 2, 2+tt.w, 2+tt.h)
			var p Painter
			p.Heatmap(dst, r, tt.cols, tt.sorted)
			for _, pr := range tt.probes {
				if got := dst.RGBAAt(r.Min.X+pr.x, r.Min.Y+pr.y); got != pr.want {
					t.Errorf("pixel (%d,%d) = %v; want %v", pr.x, pr.y, got, pr.want)
				}
			}
			checkOutside(t, dst, r)
		})
	}
}

// checkOutside fails if a pixel of dst outside r lost its marker colour.
func checkOutside(t *testing.T, dst *image.RGBA, r image.Rectangle) {
	t.Helper()
	marker := color.RGBA{0x42, 0x42, 0x42, 0x42}
	b := dst.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if !image.Pt(x, y).In(r) && dst.RGBAAt(x, y) != marker {
				t.Fatalf("pixel (%d,%d) outside %v = %v; want untouched", x, y, r, dst.RGBAAt(x, y))
			}
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func TestHeatmapClipsToImage(t *testing.T) {
	dst := img(4, 4)
	var p Painter
	p.Heatmap(dst, image.Rect(-10, -10, 100, 100), [][]float64{{1}}, false)
	if got := dst.RGBAAt(3, 3); got != Color(1) {
		t.Errorf("pixel (3,3) = %v; want %v", got, Color(1))
	}
	p.Heatmap(dst, image.Rect(10, 10, 20, 20), [][]float64{{0}}, false) // outside: no panic, no change
	if got := dst.RGBAAt(3, 3); got != Color(1) {
		t.Errorf("after drawing outside, pixel (3,3) = %v; want %v", got, Color(1))
	}
}

func TestStrip(t *testing.T) {
	idle := Idle()
	// 2 cores in 10 rows: the all-cores line is row 0, the 1-core line row 5.
	cols := [][]float64{{0, 0}, {1, 1}, {1, 0}, {0.25, 0}, {-1, 9}}
	dst := img(9, 14)
	r := image.Rect(2, 2, 7, 12)
	var p Painter
	p.Strip(dst, r, cols, 2)
	checkPixels(t, dst, r, []pixel{
		{"all-cores line", 0, 0, stripMark},
		{"1-core line", 0, 5, stripMark},
		{"idle column", 0, 9, idle},
		{"full column top", 1, 1, stripFill},
		{"full column bottom", 1, 9, stripFill},
		{"half column above", 2, 4, idle},
		{"half column below", 2, 6, stripFill},
		{"quarter core: one row", 3, 9, stripFill},
		{"quarter core: not two", 3, 8, idle},
		{"clamped values: one core", 4, 6, stripFill},
		{"clamped values: not more", 4, 4, idle},
	})
}

// pixel is a colour expected at x, y of a picture.
type pixel struct {
	name string
	x, y int
	want color.RGBA
}

// checkPixels checks the pixels of r in dst, and that nothing outside r was drawn.
func checkPixels(t *testing.T, dst *image.RGBA, r image.Rectangle, pixels []pixel) {
	t.Helper()
	for _, px := range pixels {
		if got := dst.RGBAAt(r.Min.X+px.x, r.Min.Y+px.y); got != px.want {
			t.Errorf("%s: pixel (%d,%d) = %v; want %v", px.name, px.x, px.y, got, px.want)
		}
	}
	checkOutside(t, dst, r)
}

func TestStackedStrip(t *testing.T) {
	idle := Idle()
	// 2 cores in 10 rows, as in TestStrip: each row is a fifth of a core.
	subject := [][]float64{{0, 0}, {1, 0}, {1, 1}, {0.5, 0}}
	machine := [][]float64{{0, 0}, {1, 1}, {0.5, 0.5}, {1, 0.5}}
	dst := img(6, 12)
	r := image.Rect(1, 1, 5, 11)
	var p Painter
	p.StackedStrip(dst, r, subject, machine, 2)
	checkPixels(t, dst, r, []pixel{
		{"idle column", 0, 9, idle},
		{"subject's core", 1, 9, stripFill},
		{"others above the subject", 1, 3, othersFill},
		{"subject above a lower machine sum", 2, 1, stripFill},
		{"half a core of the subject", 3, 9, stripFill},
		{"a core of others above it", 3, 6, othersFill},
		{"nothing above the machine", 3, 1, idle},
	})
}

func TestStripEmpty(t *testing.T) {
	dst := img(4, 4)
	var p Painter
	p.Strip(dst, dst.Bounds(), nil, 0)
	for _, pt := range []image.Point{{0, 0}, {3, 3}} {
		if got := dst.RGBAAt(pt.X, pt.Y); got != Idle() {
			t.Errorf("empty strip pixel %v = %v; want %v", pt, got, Idle())
		}
	}
	// No samples but a known core count: the lines still show the scale.
	p.Strip(dst, dst.Bounds(), nil, 2)
	if got := dst.RGBAAt(0, 0); got != stripMark {
		t.Errorf("strip without samples, pixel (0,0) = %v; want the all-cores line %v", got, stripMark)
	}
}

func TestLegend(t *testing.T) {
	dst := img(256, 3)
	Legend(dst, dst.Bounds())
	for _, pr := range []probe{{0, 0, Color(0)}, {255, 2, Color(1)}, {128, 1, Color(128.0 / 255)}} {
		if got := dst.RGBAAt(pr.x, pr.y); got != pr.want {
			t.Errorf("legend pixel (%d,%d) = %v; want %v", pr.x, pr.y, got, pr.want)
		}
	}
}

func TestWidth(t *testing.T) {
	tests := []struct {
		full       int
		span, axis float64
		want       int
	}{
		{1000, 10, 10, 1000},
		{1000, 5, 10, 500},
		{1000, 0.001, 10, 1},
		{1000, 20, 10, 1000},
		{1000, 0, 10, 0},
		{1000, 5, 0, 0},
		{1000, math.NaN(), 10, 0},
		{0, 5, 10, 0},
	}
	for _, tt := range tests {
		if got := Width(tt.full, tt.span, tt.axis); got != tt.want {
			t.Errorf("Width(%d, %v, %v) = %d; want %d", tt.full, tt.span, tt.axis, got, tt.want)
		}
	}
}

func TestNiceStep(t *testing.T) {
	tests := []struct {
		span float64
		n    int
		want float64
	}{
		{10, 10, 1},
		{25, 10, 5},
		{120, 10, 20},
		{9, 1, 10},
		{0.5, 2, 0.5},
		{0, 10, 0},
		{-3, 10, 0},
		{math.NaN(), 10, 0},
		{10, 0, 0},
	}
	for _, tt := range tests {
		if got := NiceStep(tt.span, tt.n); got != tt.want {
			t.Errorf("NiceStep(%v, %d) = %v; want %v", tt.span, tt.n, got, tt.want)
		}
	}
}

func TestClamp01(t *testing.T) {
	for _, tt := range []struct{ v, want float64 }{{0.25, 0.25}, {-1, 0}, {2, 1}, {math.NaN(), 0}, {math.Inf(1), 1}} {
		if got := Clamp01(tt.v); got != tt.want {
			t.Errorf("Clamp01(%v) = %v; want %v", tt.v, got, tt.want)
		}
	}
}

// pattern is a 256-core x 600-sample frame with a moving busy band.
func pattern() [][]float64 {
	return samples(600, 256, func(s, c int) float64 {
		return math.Abs(math.Sin(float64(s)/40 + float64(c)/30))
	})
}

func TestHeatmapDoesNotAllocate(t *testing.T) {
	cols := pattern()
	dst := image.NewRGBA(image.Rect(0, 0, 600, 256))
	var p Painter
	for _, sorted := range []bool{false, true} {
		p.Heatmap(dst, dst.Bounds(), cols, sorted) // grows the scratch once
		if n := testing.AllocsPerRun(5, func() {
			p.Heatmap(dst, dst.Bounds(), cols, sorted)
			p.Strip(dst, dst.Bounds(), cols, 256)
		}); n != 0 {
			t.Errorf("Heatmap+Strip (sorted=%v) allocations = %v; want 0", sorted, n)
		}
	}
}

func BenchmarkHeatmap(b *testing.B) {
	cols := pattern()
	for _, bb := range []struct {
		name   string
		w, h   int
		sorted bool
	}{
		{"600x256", 600, 256, false},
		{"600x256/sorted", 600, 256, true},
		{"1200x768", 1200, 768, false},
		{"1200x768/sorted", 1200, 768, true},
	} {
		b.Run(bb.name, func(b *testing.B) {
			dst := image.NewRGBA(image.Rect(0, 0, bb.w, bb.h))
			var p Painter
			b.ReportAllocs()
			for b.Loop() {
				p.Heatmap(dst, dst.Bounds(), cols, bb.sorted)
			}
		})
	}
}

func BenchmarkStrip(b *testing.B) {
	cols := pattern()
	dst := image.NewRGBA(image.Rect(0, 0, 1200, 60))
	var p Painter
	b.ReportAllocs()
	for b.Loop() {
		p.Strip(dst, dst.Bounds(), cols, 256)
	}
}
