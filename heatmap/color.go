package heatmap

import (
	"encoding/binary"
	"image"
	"image/color"
	"math"
)

// infernoStops are every 16th entry (and the last) of matplotlib's 256-entry
// inferno map (BIDS colormaps, CC0). Inferno runs from near black through red
// to pale yellow with even perceived steps, so idle reads dark, busy bright,
// and the order survives greyscale printing and colour blindness.
var infernoStops = [...][3]float64{
	{0.001462, 0.000466, 0.013866}, // 0
	{0.042253, 0.028139, 0.141141}, // 16
	{0.129285, 0.047293, 0.290788}, // 32
	{0.238273, 0.036621, 0.396353}, // 48
	{0.341500, 0.062325, 0.429425}, // 64
	{0.441207, 0.099338, 0.431594}, // 80
	{0.540920, 0.134729, 0.415123}, // 96
	{0.640135, 0.171438, 0.381065}, // 112
	{0.735683, 0.215906, 0.330245}, // 128
	{0.822386, 0.275197, 0.266085}, // 144
	{0.894305, 0.353399, 0.193584}, // 160
	{0.946965, 0.449191, 0.115272}, // 176
	{0.978422, 0.557937, 0.034931}, // 192
	{0.987874, 0.675267, 0.065257}, // 208
	{0.974638, 0.797692, 0.206332}, // 224
	{0.947594, 0.917399, 0.410665}, // 240
	{0.988362, 0.998364, 0.644924}, // 255
}

// palette is the 256-entry colour table, built once from infernoStops by
// linear interpolation (within one 8-bit step of the full matplotlib table).
// It is never written after initialisation.
var palette = buildPalette()

func buildPalette() [256]color.RGBA {
	var p [256]color.RGBA
	last := len(infernoStops) - 1
	for i := range p {
		// Stop k sits at index 16k, except the last, which sits at 255.
		k := min(i/16, last-1)
		lo, hi := 16*k, 16*(k+1)
		if k+1 == last {
			hi = 255
		}
		f := float64(i-lo) / float64(hi-lo)
		var c [3]uint8
		for j := range c {
			v := infernoStops[k][j] + f*(infernoStops[k+1][j]-infernoStops[k][j])
			c[j] = uint8(math.Round(255 * v))
		}
		p[i] = color.RGBA{c[0], c[1], c[2], 0xff}
	}
	return p
}

// Clamp01 clamps a busy fraction to 0..1; NaN counts as 0.
func Clamp01(v float64) float64 {
	if !(v > 0) { // also catches NaN
		return 0
	}
	return min(v, 1)
}

// pixels holds the palette as the 4 bytes R, G, B, A of an *image.RGBA pixel
// read as one little-endian word, so a pixel is one store.
var pixels = func() (px [256]uint32) {
	for i, c := range palette {
		px[i] = binary.LittleEndian.Uint32([]byte{c.R, c.G, c.B, c.A})
	}
	return px
}()

// level maps a busy fraction to a palette index.
func level(v float64) uint8 { return uint8(Clamp01(v)*255 + 0.5) }

// Color maps a busy fraction to the perceptual scale (dark = idle, bright =
// busy). v is clamped to 0..1; NaN counts as 0.
func Color(v float64) color.RGBA { return palette[level(v)] }

// Idle is the colour of an idle core, also the background of empty views.
func Idle() color.RGBA { return palette[0] }

// Legend paints the colour scale into r, 0% at the left, 100% at the right.
func Legend(dst *image.RGBA, r image.Rectangle) {
	r = r.Intersect(dst.Bounds())
	if r.Empty() {
		return
	}
	w := r.Dx()
	first := dst.PixOffset(r.Min.X, r.Min.Y)
	row := dst.Pix[first : first+4*w]
	for x := range w {
		v := 0.0
		if w > 1 {
			v = float64(x) / float64(w-1)
		}
		put(row, 4*x, Color(v))
	}
	fillDown(dst, r, row)
}

// put writes c at byte offset o of pix.
func put(pix []byte, o int, c color.RGBA) {
	p := pix[o : o+4 : o+4]
	p[0], p[1], p[2], p[3] = c.R, c.G, c.B, c.A
}

// fillDown copies r's first pixel row, row, into every other row of r.
func fillDown(dst *image.RGBA, r image.Rectangle, row []byte) {
	for y := r.Min.Y + 1; y < r.Max.Y; y++ {
		o := dst.PixOffset(r.Min.X, y)
		copy(dst.Pix[o:o+len(row)], row)
	}
}

// fill paints all of r in c.
func fill(dst *image.RGBA, r image.Rectangle, c color.RGBA) {
	first := dst.PixOffset(r.Min.X, r.Min.Y)
	row := dst.Pix[first : first+4*r.Dx()]
	for o := 0; o < len(row); o += 4 {
		put(row, o, c)
	}
	fillDown(dst, r, row)
}
