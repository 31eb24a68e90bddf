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

type probe struct {
	x, y int
	want color.RGBA
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
