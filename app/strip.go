package app

import (
	"image"
	"image/color"
	"math"

	"corescope/heatmap"
)

// Colours of the busy-cores strip: the subject in the heat colour of a busy
// core, everything else in a neutral grey above it, as the legend says.
var (
	stripSubject = heatmap.Color(190.0 / 255)
	stripOthers  = color.RGBA{0x6e, 0x74, 0x80, 0xff}
	stripMark    = color.RGBA{0x9a, 0x9a, 0x9a, 0xff} // the 1-core and all-cores lines
)

// stripPainter draws the busy-cores strip in two stacked layers. Its scratch
// space is reused, so redrawing allocates nothing.
type stripPainter struct {
	under, over []int // per pixel column, the first pixel row of each layer
}

// paint draws into r of dst, per pixel column, the busy cores of under (the
// subject) from the bottom in the subject's colour and, stacked above up to
// the busy cores of over (the whole machine, nil for none), the rest in
// grey: 0 at the bottom, cores at the top, with lines at 1 core and at all
// cores. Several samples in one pixel column show the highest sums, so a
// short burst never disappears.
func (p *stripPainter) paint(dst *image.RGBA, r image.Rectangle, under, over [][]float64, cores int) {
	r = r.Intersect(dst.Bounds())
	if r.Empty() {
		return
	}
	w, h := r.Dx(), r.Dy()
	cores = max(cores, 1)
	rows := func(v float64) int { return h - max(0, min(h, int(math.Round(v/float64(cores)*float64(h))))) }
	p.under, p.over = grow(p.under, w), grow(p.over, w)
	for x := range w {
		lo, hi := 0.0, 0.0
		if n := len(under); n > 0 {
			s0 := x * n / w
			for s := s0; s == s0 || s < (x+1)*n/w; s++ {
				sub := busySum(under[s])
				lo = max(lo, sub)
				if s < len(over) {
					hi = max(hi, busySum(over[s]), sub)
				}
			}
		}
		p.under[x], p.over[x] = rows(lo), rows(max(hi, lo))
	}
	markAll, markOne := rows(float64(cores)), min(rows(1), h-1)
	for y := range h {
		o := dst.PixOffset(r.Min.X, r.Min.Y+y)
		row := dst.Pix[o : o+4*w]
		for x := range w {
			c := heatmap.Idle()
			switch {
			case y == markOne || y == markAll:
				c = stripMark
			case y >= p.under[x]:
				c = stripSubject
			case y >= p.over[x]:
				c = stripOthers
			}
			px := row[4*x : 4*x+4 : 4*x+4]
			px[0], px[1], px[2], px[3] = c.R, c.G, c.B, c.A
		}
	}
}

// busySum is a sample's busy cores, each core clamped to 0..1.
func busySum(s []float64) float64 {
	sum := 0.0
	for _, v := range s {
		sum += heatmap.Clamp01(v)
	}
	return sum
}
