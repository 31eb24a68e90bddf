package heatmap

import (
	"encoding/binary"
	"image"
	"image/color"
	"math"

	"corescope/levels"
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
	grid   []uint8 // palette levels, core-major: grid[core*g + column]
	block  []uint8 // levels of up to block grid columns, column-major
	row    []uint8 // one pixel row's levels when several cores share it
	lo, hi []int32 // the samples of each grid column (see place)
	ends   []int32 // the pixel column after each grid column
	top    []int   // Strip: the first filled pixel row of each grid column
	otop   []int   // StackedStrip: the first pixel row of other programs' load
	refs   []ref   // the series columns a picture covers (see plan)
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
	if maxLen(cols) == 0 {
		fill(dst, r, Idle())
		return
	}
	p.HeatmapAt(dst, r, cols, 0, float64(r.Dx()), sorted)
}

// HeatmapAt is Heatmap for a zoomed or growing view: cols are spread evenly
// over the pixel columns x0..x1, counted from r's left edge and reaching
// beyond r where the view shows only part of them; only r is painted, and
// its pixel columns no sample covers are made transparent, so "not
// sampled" never reads as "idle". Give it only the samples in view: the
// cost is that of r's pixels and those samples, whatever the zoom.
func (p *Painter) HeatmapAt(dst *image.RGBA, r image.Rectangle, cols [][]float64, x0, x1 float64, sorted bool) {
	r = r.Intersect(dst.Bounds())
	if r.Empty() {
		return
	}
	w, h := r.Dx(), r.Dy()
	xa, xb := p.place(len(cols), w, x0, x1)
	cores := maxLen(cols)
	if cores > 0 {
		p.levels(cols, cores, sorted)
	}
	g := len(p.ends)
	prev0, prev1 := -1, -1
	var prevRow []byte
	for y := range h {
		o := dst.PixOffset(r.Min.X, r.Min.Y+y)
		row := dst.Pix[o : o+4*w]
		clear(row[:4*xa])
		clear(row[4*xb:])
		if cores == 0 {
			idle := pixels[0]
			for x := xa; x < xb; x++ {
				binary.LittleEndian.PutUint32(row[4*x:], idle)
			}
			continue
		}
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
		if g == xb-xa {
			for j, l := range levels {
				binary.LittleEndian.PutUint32(row[4*(xa+j):], pixels[l])
			}
		} else {
			x := xa
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

// place maps n samples spread evenly over the pixel columns x0..x1 onto a
// picture w pixels wide. The pixel columns whose centre some sample covers
// are xa..xb; each pixel column shows the samples its width overlaps (as
// span does), and runs of pixel columns showing the same samples make one
// grid column j: samples p.lo[j]..p.hi[j], pixel columns up to p.ends[j].
func (p *Painter) place(n, w int, x0, x1 float64) (xa, xb int) {
	p.lo, p.hi, p.ends = p.lo[:0], p.hi[:0], p.ends[:0]
	if n == 0 || !(x1 > x0) {
		return 0, 0
	}
	fn, length := float64(n), x1-x0
	xa = max(0, min(w, int(math.Ceil(x0-0.5))))
	xb = max(xa, min(w, int(math.Ceil(x1-0.5))))
	for x := xa; x < xb; x++ {
		// Multiplied before divided, so whole numbers stay whole and
		// a view from 0 to w maps exactly as span does.
		lo := max(0, min(int(math.Floor((float64(x)-x0)*fn/length)), n-1))
		hi := max(lo+1, min(int(math.Floor((float64(x+1)-x0)*fn/length)), n))
		if j := len(p.ends) - 1; j >= 0 && int(p.lo[j]) == lo && int(p.hi[j]) == hi {
			p.ends[j] = int32(x + 1)
			continue
		}
		p.lo, p.hi, p.ends = append(p.lo, int32(lo)), append(p.hi, int32(hi)), append(p.ends, int32(x+1))
	}
	return xa, xb
}

// block is how many grid columns levels computes before transposing them
// into the core-major grid: small enough to stay in the L1 cache with 256
// cores, large enough that the grid is written in runs, not bytes.
const block = 32

// levels fills p.grid, core-major, with the palette level of each core and
// each grid column of place: column j is the max of its samples.
func (p *Painter) levels(cols [][]float64, cores int, sorted bool) {
	g := len(p.ends)
	p.grid = grow(p.grid, g*cores)
	p.block = grow(p.block, block*cores)
	p.row = grow(p.row, g)
	for j0 := 0; j0 < g; j0 += block {
		n := min(block, g-j0)
		for k := range n {
			p.column(p.block[k*cores:(k+1)*cores], cols[p.lo[j0+k]:p.hi[j0+k]], sorted)
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
	// No samples still draw the scale: one empty column across.
	n := max(len(subject), len(machine), 1)
	p.stackedStrip(dst, r, subject, machine, cores, n, 0, float64(r.Dx()))
}

// StackedStripAt is StackedStrip for a zoomed or growing view, as HeatmapAt
// is Heatmap's: the samples (as many in both layers, or none in one) are
// spread over the pixel columns x0..x1 from r's left edge, and the columns
// no sample covers are transparent.
func (p *Painter) StackedStripAt(dst *image.RGBA, r image.Rectangle, subject, machine [][]float64, cores int, x0, x1 float64) {
	p.stackedStrip(dst, r.Intersect(dst.Bounds()), subject, machine, cores, max(len(subject), len(machine)), x0, x1)
}

// stackedStrip paints n columns of samples (a layer may have none) over
// x0..x1 of r, already clipped.
func (p *Painter) stackedStrip(dst *image.RGBA, r image.Rectangle, subject, machine [][]float64, cores, n int, x0, x1 float64) {
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
	xa, xb := p.place(n, w, x0, x1)
	p.top = p.tops(p.top, subject, h, cores)
	p.otop = p.tops(p.otop, machine, h, cores)
	markAll := h - rows(float64(cores), cores, h)
	markOne := h - rows(1, cores, h)
	for y := range h {
		o := dst.PixOffset(r.Min.X, r.Min.Y+y)
		row := dst.Pix[o : o+4*w]
		clear(row[:4*xa])
		clear(row[4*xb:])
		if y == min(markOne, h-1) || y == markAll {
			for x := xa; x < xb; x++ {
				put(row, 4*x, stripMark)
			}
			continue
		}
		x := xa
		for j, t := range p.top {
			c := Idle()
			switch {
			case y >= t:
				c = stripFill
			case y >= p.otop[j]:
				c = othersFill
			}
			for end := int(p.ends[j]); x < end; x++ {
				put(row, 4*x, c)
			}
		}
	}
}

// tops sets top (grown to the grid columns of place) to the first filled
// pixel row of each grid column of a strip h rows high: the highest
// busy-core sum of its samples, of cores. No samples fill nothing.
func (p *Painter) tops(top []int, cols [][]float64, h, cores int) []int {
	top = grow(top, len(p.ends))
	for j := range top {
		sum := 0.0
		if int(p.lo[j]) < len(cols) {
			for _, s := range cols[p.lo[j]:min(int(p.hi[j]), len(cols))] {
				sum = max(sum, BusyCores(s))
			}
		}
		top[j] = h - rows(sum, cores, h)
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

// BusyCores sums a sample's busy fractions, each clamped to 0..1: how many
// cores' worth of it was busy, as the strip draws it.
func BusyCores(s []float64) float64 {
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

// The gap colours: a neutral grey hatch where a value is missing (a node
// that did not answer, a core that was offline), never read as idle.
var (
	gapLight = color.RGBA{0xa0, 0xa0, 0xa0, 0xff}
	gapDark  = color.RGBA{0x80, 0x80, 0x80, 0xff}
	gapPix   = [2]uint32{word(gapLight), word(gapDark)}
)

// GapColor is the colour of missing values, so legends can name it.
func GapColor() color.RGBA { return gapLight }

// gapAt is the gap hatch's pixel at x, y: diagonal stripes two pixels wide.
func gapAt(x, y int) uint32 { return gapPix[((x+y)>>1)&1] }

// levelPixels maps a level shifted by up to its pixel; 0 (missing) maps to
// 0, which callers replace by the gap hatch.
var levelPixels = func() (px [256]uint32) {
	for u := 1; u < 256; u++ {
		px[u] = pixels[(255*(u-1)+levels.Steps/2)/levels.Steps]
	}
	return px
}()

// word is c as one little-endian pixel word of an *image.RGBA.
func word(c color.RGBA) uint32 {
	return uint32(c.R) | uint32(c.G)<<8 | uint32(c.B)<<16 | uint32(c.A)<<24
}

// plan maps the time window [from, to) of s onto w pixel columns: p.refs
// are the columns that cover it (see Series.cover), and each pixel column
// shows the refs whose middle falls within its time, or, where none does,
// the one that holds its centre; runs of pixel columns showing the same
// refs make one grid column j: refs p.lo[j]..p.hi[j], pixel columns up to
// p.ends[j]. The pixel columns with refs are xa..xb; the others lie
// outside the run.
func (p *Painter) plan(s *Series, from, to float64, w int) (xa, xb int) {
	p.lo, p.hi, p.ends = p.lo[:0], p.hi[:0], p.ends[:0]
	if w <= 0 || !(to > from) {
		return 0, 0
	}
	length := to - from
	p.refs = s.cover(p.refs, from, to, length/float64(w))
	refs := p.refs
	xa = -1
	lo, hi := 0, 0
	for x := range w {
		t0 := from + length*float64(x)/float64(w)
		t1 := from + length*float64(x+1)/float64(w)
		for lo < len(refs) && s.middle(refs[lo]) < t0 {
			lo++
		}
		hi = max(hi, lo)
		for hi < len(refs) && s.middle(refs[hi]) < t1 {
			hi++
		}
		a, b := lo, hi
		if a == b { // a column wider than the pixel, or none
			tc := (t0 + t1) / 2
			switch {
			case a > 0 && s.end(refs[a-1]) > tc:
				a, b = a-1, a
			case a < len(refs) && s.start(refs[a]) <= tc:
				b = a + 1
			default:
				continue // outside the run
			}
		}
		if xa < 0 {
			xa = x
		}
		xb = x + 1
		if j := len(p.ends) - 1; j >= 0 && int(p.lo[j]) == a && int(p.hi[j]) == b {
			p.ends[j] = int32(x + 1)
			continue
		}
		p.lo, p.hi, p.ends = append(p.lo, int32(a)), append(p.hi, int32(b)), append(p.ends, int32(x+1))
	}
	if xa < 0 {
		return 0, 0
	}
	return xa, xb
}

// SeriesHeatmap paints layer of s over the time window [from, to) into r
// of dst (r is clipped to dst): one row per core, core 0 at the top, time
// from left to right. Each pixel shows the maximum of the samples in its
// time, as does a pixel row holding several cores, so a short burst on one
// core never disappears. sorted orders each sample's cores by load,
// busiest at the top, which shows how many cores were busy even when the
// OS moved the work between cores. Missing values show the gap hatch; the
// pixel columns outside the run are made transparent, so "not sampled"
// never reads as "idle". It reads O(r's width x cores) values, whatever
// the run's length or the zoom, and allocates nothing once its scratch
// has grown to the picture.
func (p *Painter) SeriesHeatmap(dst *image.RGBA, r image.Rectangle, s *Series, layer Layer, from, to float64, sorted bool) {
	r = r.Intersect(dst.Bounds())
	if r.Empty() {
		return
	}
	w, h := r.Dx(), r.Dy()
	xa, xb := p.plan(s, from, to, w)
	cores := s.Cores()
	if cores == 0 {
		xa, xb = 0, 0
	}
	if xb > xa {
		p.seriesLevels(s, layer, cores, sorted)
	}
	g := len(p.ends)
	prev0, prev1, prevGap := -1, -1, false
	var prevRow []byte
	for y := range h {
		o := dst.PixOffset(r.Min.X, r.Min.Y+y)
		row := dst.Pix[o : o+4*w]
		clear(row[:4*xa])
		clear(row[4*xb:])
		if xb == xa {
			continue
		}
		c0, c1 := span(y, h, cores)
		if c0 == prev0 && c1 == prev1 && !prevGap {
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
		gap := false
		if g == xb-xa { // a grid column a pixel: the common case, zoomed out
			out := row[4*xa : 4*xb]
			for j, l := range levels {
				px := levelPixels[l]
				if l == 0 {
					px, gap = gapAt(xa+j, y), true
				}
				binary.LittleEndian.PutUint32(out[4*j:], px)
			}
		} else {
			x := xa
			for j, l := range levels {
				px := levelPixels[l]
				for end := int(p.ends[j]); x < end; x++ {
					if l == 0 {
						px, gap = gapAt(x, y), true
					}
					binary.LittleEndian.PutUint32(row[4*x:], px)
				}
			}
		}
		prev0, prev1, prevGap, prevRow = c0, c1, gap, row
	}
}

// seriesLevels fills p.grid, core-major, with the shifted level (see up)
// of each core and each grid column of plan: column j is the maximum of
// its refs, core by core, or rank by rank when sorted.
func (p *Painter) seriesLevels(s *Series, layer Layer, cores int, sorted bool) {
	g := len(p.ends)
	p.grid = grow(p.grid, g*cores)
	p.block = grow(p.block, block*cores)
	p.row = grow(p.row, g)
	for j0 := 0; j0 < g; j0 += block {
		n := min(block, g-j0)
		for k := range n {
			col := p.block[k*cores : (k+1)*cores]
			clear(col)
			for _, rf := range p.refs[p.lo[j0+k]:p.hi[j0+k]] {
				s.maxInto(col, rf, layer, sorted)
			}
		}
		for c := range cores {
			run := p.grid[c*g+j0 : c*g+j0+n]
			for k := range run {
				run[k] = p.block[k*cores+c]
			}
		}
	}
}

// SeriesStrip paints the total-busy-cores strip of s over the time window
// [from, to) into r of dst (r is clipped to dst): per pixel column the mean
// busy cores of its samples as a filled area, scaled from 0 at the bottom
// to cores at the top, with thin lines at 1 core and at all cores. With the
// subject's load measured, the area is the subject's, and above it, up to
// the whole machine's, what other programs used, in OthersColor: so a busy
// desktop is not taken for the subject's work. Where the subject's load is
// missing the machine's area shows the gap hatch, and where the machine's
// is, the whole column does. Pixel columns outside the run are
// transparent; cores <= 0 means s's cores.
func (p *Painter) SeriesStrip(dst *image.RGBA, r image.Rectangle, s *Series, from, to float64, cores int) {
	r = r.Intersect(dst.Bounds())
	if r.Empty() {
		return
	}
	if cores <= 0 {
		cores = s.Cores()
	}
	w, h := r.Dx(), r.Dy()
	xa, xb := p.plan(s, from, to, w)
	if s.Len() == 0 && cores > 0 {
		// No samples still draw the scale: one empty column across.
		xa, xb = 0, w
		p.ends = append(p.ends[:0], int32(w))
	}
	if cores == 0 {
		fill(dst, r, Idle())
		return
	}
	p.otop = p.seriesTops(p.otop, s, Machine, h, cores)
	if s.SubjectKnown() {
		p.top = p.seriesTops(p.top, s, Subject, h, cores)
	} else {
		p.top = append(p.top[:0], p.otop...) // the machine's load alone, in the strip's colour
	}
	idle := word(Idle())
	markAll := h - rows(float64(cores), cores, h)
	markOne := h - rows(1, cores, h)
	for y := range h {
		o := dst.PixOffset(r.Min.X, r.Min.Y+y)
		row := dst.Pix[o : o+4*w]
		clear(row[:4*xa])
		clear(row[4*xb:])
		if y == min(markOne, h-1) || y == markAll {
			for x := xa; x < xb; x++ {
				put(row, 4*x, stripMark)
			}
			continue
		}
		x := xa
		for j, t := range p.top {
			ot := p.otop[j]
			for end := int(p.ends[j]); x < end; x++ {
				px := idle
				switch {
				case ot < 0, t < 0 && y >= ot:
					px = gapAt(x, y) // the machine's, or the subject's share of it, is missing
				case y >= t:
					px = word(stripFill)
				case y >= ot:
					px = word(othersFill)
				}
				binary.LittleEndian.PutUint32(row[4*x:], px)
			}
		}
	}
}

// seriesTops sets top (grown to the grid columns of plan) to the first
// filled pixel row of each grid column of a strip h rows high: the mean
// busy cores of layer in its time, of cores; -1 where it is missing. No
// samples fill nothing.
func (p *Painter) seriesTops(top []int, s *Series, layer Layer, h, cores int) []int {
	top = grow(top, len(p.ends))
	for j := range top {
		top[j] = h
		if j < len(p.lo) {
			busy := s.meanBusy(p.refs[p.lo[j]:p.hi[j]], layer)
			if math.IsNaN(busy) {
				top[j] = -1
				continue
			}
			top[j] = h - rows(busy, cores, h)
		}
	}
	return top
}

// SeriesBusy sets dst (grown to w) to the mean busy cores of layer of s in
// each of w equal slices of the time window [from, to): NaN where no
// sample falls or all are missing. Charts draw it as one point a pixel
// column, whatever the run's length.
func (p *Painter) SeriesBusy(dst []float64, s *Series, layer Layer, from, to float64, w int) []float64 {
	dst = grow(dst, max(w, 0))
	for x := range dst {
		dst[x] = math.NaN()
	}
	xa, _ := p.plan(s, from, to, w)
	x := xa
	for j, end := range p.ends {
		busy := s.meanBusy(p.refs[p.lo[j]:p.hi[j]], layer)
		for ; x < int(end); x++ {
			dst[x] = busy
		}
	}
	return dst
}
