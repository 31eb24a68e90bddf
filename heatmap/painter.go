package heatmap

import (
	"encoding/binary"
	"image"
	"image/color"
	"math"
)

// Colours of the busy-cores strip.
var (
	stripFill  = palette[190]                       // the busy area: orange
	othersFill = color.RGBA{0x6e, 0x74, 0x80, 0xff} // other programs stacked on it: a neutral grey
	stripMark  = color.RGBA{0x9a, 0x9a, 0x9a, 0xff} // the 1-core and all-cores lines
)

// StripColor is the colour of the busy area of a strip (the subject's, in
// StackedStrip), so legends can name it.
func StripColor() color.RGBA { return stripFill }

// OthersColor is the colour of other programs' load in StackedStrip.
func OthersColor() color.RGBA { return othersFill }

// Painter draws heatmaps and strips into a caller-owned *image.RGBA. The zero
// value is ready to use. Its scratch space grows to the largest picture drawn
// and is reused, so drawing a picture of a size seen before allocates nothing.
// A Painter is not safe for concurrent use.
//
// Time scale: the columns handed to Heatmap and Strip are samples evenly
// spaced in time and are spread over the whole width of r. To draw several
// runs on one shared time scale, give each run a rectangle whose width is
// proportional to its duration (see Width).
type Painter struct {
	grid  []uint8 // palette levels, core-major: grid[core*g + column]
	block []uint8 // levels of up to block grid columns, column-major
	row   []uint8 // one pixel row's levels when several cores share it
	ends  []int32 // the pixel column after each grid column
	top   []int   // Strip: the first filled pixel row of each column
	otop  []int   // StackedStrip: the first pixel row of other programs' load
}

// Heatmap paints cols (cols[i] is one sample: the busy fraction of each core)
// into r of dst (r is clipped to dst): one row per core, core 0 at the top,
// the samples spread over r's width in time order, nearest neighbour. When
// several samples fall in one pixel column, or several cores in one pixel
// row (more cores than pixels), the pixel shows the maximum, so a short burst
// on one core never disappears; with fewer samples than pixel columns each
// sample spans several columns. sorted orders each sample's cores by load,
// busiest at the top, which shows how many cores were busy even when the OS
// moved the work between cores. Missing values count as idle; empty cols or
// no cores give an idle background.
func (p *Painter) Heatmap(dst *image.RGBA, r image.Rectangle, cols [][]float64, sorted bool) {
	r = r.Intersect(dst.Bounds())
	if r.Empty() {
		return
	}
	cores := maxLen(cols)
	if cores == 0 {
		fill(dst, r, Idle())
		return
	}
	w, h := r.Dx(), r.Dy()
	// One grid column per pixel column, or per sample when there are fewer
	// samples than pixels; pixel column x shows grid column x*g/w.
	g := min(w, len(cols))
	p.levels(cols, g, cores, sorted)
	// Grid column j covers pixel columns up to ends[j]: the x with x*g/w == j.
	p.ends = grow(p.ends, g)
	for j := range p.ends {
		p.ends[j] = int32(((j+1)*w + g - 1) / g)
	}

	prev0, prev1 := -1, -1
	var prevRow []byte
	for y := range h {
		o := dst.PixOffset(r.Min.X, r.Min.Y+y)
		row := dst.Pix[o : o+4*w]
		c0, c1 := span(y, h, cores)
		if c0 == prev0 && c1 == prev1 {
			copy(row, prevRow)
			continue
		}
		levels := p.grid[c0*g : (c0+1)*g]
		if c1-c0 > 1 {
			copy(p.row, levels)
			for c := c0 + 1; c < c1; c++ {
				for j, l := range p.grid[c*g : (c+1)*g] {
					p.row[j] = max(p.row[j], l)
				}
			}
			levels = p.row
		}
		if g == w {
			for x, l := range levels {
				binary.LittleEndian.PutUint32(row[4*x:], pixels[l])
			}
		} else {
			x := 0
			for j, l := range levels {
				px := pixels[l]
				for end := int(p.ends[j]); x < end; x++ {
					binary.LittleEndian.PutUint32(row[4*x:], px)
				}
			}
		}
		prev0, prev1, prevRow = c0, c1, row
	}
}

// block is how many grid columns levels computes before transposing them
// into the core-major grid: small enough to stay in the L1 cache with 256
// cores, large enough that the grid is written in runs, not bytes.
const block = 32

// levels fills p.grid, core-major, with the palette level of each core and
// each of g grid columns: column j is the max of the samples span(j, g, n).
func (p *Painter) levels(cols [][]float64, g, cores int, sorted bool) {
	p.grid = grow(p.grid, g*cores)
	p.block = grow(p.block, block*cores)
	p.row = grow(p.row, g)
	for j0 := 0; j0 < g; j0 += block {
		n := min(block, g-j0)
		for k := range n {
			s0, s1 := span(j0+k, g, len(cols))
			p.column(p.block[k*cores:(k+1)*cores], cols[s0:s1], sorted)
		}
		for c := range cores {
			run := p.grid[c*g+j0 : c*g+j0+n]
			for k := range run {
				run[k] = p.block[k*cores+c]
			}
		}
	}
}

// column sets col to the per-core maximum level of samples. Sorted, it
// ranks each sample's levels, highest first, before taking the maximum rank
// by rank, so one busy thread that hopped between cores still counts as one
// busy core. The ranking is a counting sort: O(n) for 256 levels.
func (p *Painter) column(col []uint8, samples [][]float64, sorted bool) {
	clear(col)
	for _, s := range samples {
		if !sorted {
			for c, v := range s {
				col[c] = max(col[c], level(v))
			}
			continue
		}
		var count [256]int32
		for _, v := range s {
			count[level(v)]++
		}
		rank := 0
		for l := 255; rank < len(s); l-- {
			for range count[l] {
				col[rank] = max(col[rank], uint8(l))
				rank++
			}
		}
	}
}

// Strip paints the total-busy-cores strip into r of dst (r is clipped to
// dst): per pixel column the sum of the busy fractions as a filled area,
// scaled from 0 at the bottom to cores at the top, with thin lines at 1 core
// and at all cores. Several samples in one pixel column show the highest sum.
// cores <= 0 means the longest sample's length.
func (p *Painter) Strip(dst *image.RGBA, r image.Rectangle, cols [][]float64, cores int) {
	p.StackedStrip(dst, r, cols, nil, cores)
}

// StackedStrip paints a strip like Strip of the subject's samples, and
// above the subject's area, up to the whole machine's sum (machine holds
// the machine's samples, on the same time scale), what other programs used,
// in OthersColor: so a busy desktop is not taken for the subject's work.
// A machine sum below the subject's shows no other programs. cores <= 0
// means the longest sample's length of either.
func (p *Painter) StackedStrip(dst *image.RGBA, r image.Rectangle, subject, machine [][]float64, cores int) {
	r = r.Intersect(dst.Bounds())
	if r.Empty() {
		return
	}
	if cores <= 0 {
		cores = max(maxLen(subject), maxLen(machine))
	}
	if cores == 0 {
		fill(dst, r, Idle())
		return
	}
	w, h := r.Dx(), r.Dy()
	p.top = tops(p.top, subject, w, h, cores)
	p.otop = tops(p.otop, machine, w, h, cores)
	markAll := h - rows(float64(cores), cores, h)
	markOne := h - rows(1, cores, h)
	for y := range h {
		o := dst.PixOffset(r.Min.X, r.Min.Y+y)
		row := dst.Pix[o : o+4*w]
		if y == min(markOne, h-1) || y == markAll {
			for x := range w {
				put(row, 4*x, stripMark)
			}
			continue
		}
		for x, t := range p.top[:w] {
			c := Idle()
			switch {
			case y >= t:
				c = stripFill
			case y >= p.otop[x]:
				c = othersFill
			}
			put(row, 4*x, c)
		}
	}
}

// tops sets top (grown to w) to the first filled pixel row of each of w
// columns of a strip h rows high: the highest busy-core sum of the samples
// in that column, of cores. No samples fill nothing.
func tops(top []int, cols [][]float64, w, h, cores int) []int {
	top = grow(top, w)
	for x := range w {
		sum := 0.0
		if len(cols) > 0 {
			s0, s1 := span(x, w, len(cols))
			for _, s := range cols[s0:s1] {
				sum = max(sum, busyCores(s))
			}
		}
		top[x] = h - rows(sum, cores, h)
	}
	return top
}

// Width is how many of full pixels a run lasting span seconds takes on an
// axis covering axis seconds: give each run's rectangle this width and
// several runs share one time scale. A run with a positive span gets at
// least one pixel; nonsensical inputs give 0.
func Width(full int, span, axis float64) int {
	if full <= 0 || !(span > 0) || !(axis > 0) {
		return 0
	}
	return max(1, min(full, int(math.Round(float64(full)*span/axis))))
}

// NiceStep is the step of an axis over span with at most about n ticks: the
// smallest 1, 2 or 5 times a power of ten that covers span in n steps, so
// the window's and the report's axes tick alike. It is 0 when no step
// fits (n < 1, or span not positive).
func NiceStep(span float64, n int) float64 {
	if n < 1 || !(span > 0) {
		return 0
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

// busyCores sums a sample's busy fractions, each clamped to 0..1.
func busyCores(s []float64) float64 {
	sum := 0.0
	for _, v := range s {
		sum += Clamp01(v)
	}
	return sum
}

// rows is how many of h pixel rows v of cores fills, clamped to 0..h.
func rows(v float64, cores, h int) int {
	return max(0, min(h, int(math.Round(v/float64(cores)*float64(h)))))
}

// span maps index i of n pixels onto m items: the items [lo, hi) it shows,
// never empty.
func span(i, n, m int) (lo, hi int) {
	lo, hi = i*m/n, (i+1)*m/n
	if hi <= lo {
		hi = lo + 1
	}
	return lo, hi
}

// maxLen is the length of the longest sample: the number of cores.
func maxLen(cols [][]float64) int {
	n := 0
	for _, c := range cols {
		n = max(n, len(c))
	}
	return n
}

// grow returns s with length n, reusing its storage when it is big enough.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
