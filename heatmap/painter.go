package heatmap

import (
	"encoding/binary"
	"image"
	"image/color"
	"math"
	"slices"

	"corescope/levels"
)

// Colours of the busy-cores strip.
var (
	stripFill  = palette[190]                       // the busy area: orange
	othersFill = color.RGBA{0x6e, 0x74, 0x80, 0xff} // other programs stacked on it: a neutral grey
	stripMark  = color.RGBA{0x9a, 0x9a, 0x9a, 0xff} // the 1-core and all-cores lines
)

// StripColor is the colour of the busy area of a strip (the subject's,
// when measured), so legends can name it.
func StripColor() color.RGBA { return stripFill }

// OthersColor is the colour of other programs' load in Strip.
func OthersColor() color.RGBA { return othersFill }

// MarkColor is the colour of a strip's lines at 1 core and at all cores.
func MarkColor() color.RGBA { return stripMark }

// Painter draws heatmaps and strips into a caller-owned *image.RGBA. The zero
// value is ready to use. Its scratch space grows to the largest picture drawn
// and is reused, so drawing a picture of a size seen before allocates nothing.
// A Painter is not safe for concurrent use.
//
// Time scale: a picture shows a window [from, to) of a Series' time over
// the whole width of its rectangle; the time the series does not cover is
// transparent. To draw several runs on one shared time scale, give them one
// window, or each run a rectangle whose width is proportional to its
// duration (see Width).
type Painter struct {
	grid   []uint8 // shifted levels (see up), core-major: grid[core*g + column]
	block  []uint8 // levels of up to block grid columns, column-major
	row    []uint8 // one pixel row's levels when several cores share it
	refs   []ref   // the series columns a picture covers (see plan)
	lo, hi []int32 // the refs of each grid column (see plan)
	ends   []int32 // the pixel column after each grid column
	top    []int   // Strip: the first filled pixel row of each grid column
	otop   []int   // Strip: the first pixel row of other programs' load
}

// block is how many grid columns fillGrid computes before transposing them
// into the core-major grid: small enough to stay in the L1 cache with 256
// cores, large enough that the grid is written in runs, not bytes.
const block = 32

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

// rows is how many of h pixel rows v of cores fills, clamped to 0..h.
func rows(v float64, cores, h int) int {
	return max(0, min(h, int(math.Round(v/float64(cores)*float64(h)))))
}

// RowCores are the cores [lo, hi) that pixel row y of a heatmap rows
// pixels high shows, of cores: one, or several when there are more cores
// than rows (the row shows their maximum). A readout names what it reads
// from them.
func RowCores(y, rows, cores int) (lo, hi int) { return span(y, rows, cores) }

// span maps index i of n pixels onto m items: the items [lo, hi) it shows,
// never empty.
func span(i, n, m int) (lo, hi int) {
	lo, hi = i*m/n, (i+1)*m/n
	if hi <= lo {
		hi = lo + 1
	}
	return lo, hi
}

// The gap colours: a neutral grey hatch where a value is missing (a node
// that did not answer, a core that was offline), never read as idle.
var (
	gapLight = color.RGBA{0xa0, 0xa0, 0xa0, 0xff}
	gapDark  = color.RGBA{0x80, 0x80, 0x80, 0xff}
	gapPix   = [2]uint32{word(gapLight), word(gapDark)}
)

// GapColors are the two greys of the gap hatch, light then dark, so that
// another drawing of the pictures (the HTML report's) hatches gaps alike.
func GapColors() (light, dark color.RGBA) { return gapLight, gapDark }

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
			var ok bool
			if a, ok = s.holding(refs, a, (t0+t1)/2); !ok {
				continue // outside the run
			}
			b = a + 1
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

// Heatmap paints layer of s over the time window [from, to) into r
// of dst (r is clipped to dst): one row per core, core 0 at the top, time
// from left to right. Each pixel shows the maximum of the samples in its
// time, as does a pixel row holding several cores, so a short burst on one
// core never disappears. sorted orders each sample's cores by load,
// busiest at the top, which shows how many cores were busy even when the
// OS moved the work between cores (the first sorted picture makes s keep
// the ranks it needs). Missing values show the gap hatch; the
// pixel columns outside the run are made transparent, so "not sampled"
// never reads as "idle". It reads O(r's width x cores) values, whatever
// the run's length or the zoom, and allocates nothing once its scratch
// has grown to the picture.
func (p *Painter) Heatmap(dst *image.RGBA, r image.Rectangle, s *Series, layer Layer, from, to float64, sorted bool) {
	r = r.Intersect(dst.Bounds())
	if r.Empty() {
		return
	}
	xa, xb := p.grid0(s, layer, from, to, r.Dx(), sorted)
	p.paintCores(dst, r, xa, xb, 0, s.Cores())
}

// grid0 plans the time window [from, to) of s onto w pixel columns and
// fills the grid of every core (see fillGrid); xa..xb are the pixel
// columns with samples.
func (p *Painter) grid0(s *Series, layer Layer, from, to float64, w int, sorted bool) (xa, xb int) {
	xa, xb = p.plan(s, from, to, w)
	if s.Cores() == 0 {
		xa, xb = 0, 0
	}
	if xb > xa {
		if sorted {
			s.keepRanks()
		}
		p.fillGrid(s, layer, s.Cores(), sorted)
	}
	return xa, xb
}

// paintCores paints the grid's cores [base, base+n) into r of dst (r
// within dst), the first at the top, a pixel row holding several cores
// showing their maximum; pixel columns outside xa..xb are transparent.
func (p *Painter) paintCores(dst *image.RGBA, r image.Rectangle, xa, xb, base, n int) {
	w, h := r.Dx(), r.Dy()
	g := len(p.ends)
	prev0, prev1, prevGap := -1, -1, false
	var prevRow []byte
	for y := range h {
		o := dst.PixOffset(r.Min.X, r.Min.Y+y)
		row := dst.Pix[o : o+4*w]
		clear(row[:4*xa])
		clear(row[4*xb:])
		if xb == xa || n <= 0 {
			continue
		}
		c0, c1 := span(y, h, n)
		c0, c1 = c0+base, c1+base
		if c0 == prev0 && c1 == prev1 && !prevGap {
			copy(row, prevRow)
			continue
		}
		lv := p.grid[c0*g : (c0+1)*g]
		if c1-c0 > 1 {
			copy(p.row, lv)
			for c := c0 + 1; c < c1; c++ {
				for j, l := range p.grid[c*g : (c+1)*g] {
					p.row[j] = max(p.row[j], l)
				}
			}
			lv = p.row
		}
		gap := false
		if g == xb-xa { // a grid column a pixel: the common case, zoomed out
			out := row[4*xa : 4*xb]
			for j, l := range lv {
				px := levelPixels[l]
				if l == 0 {
					px, gap = gapAt(xa+j, y), true
				}
				binary.LittleEndian.PutUint32(out[4*j:], px)
			}
		} else {
			x := xa
			for j, l := range lv {
				end := int(p.ends[j])
				if l == 0 {
					for ; x < end; x++ {
						binary.LittleEndian.PutUint32(row[4*x:], gapAt(x, y))
					}
					gap = true
					continue
				}
				fillRun(row[4*x:4*end], levelPixels[l])
				x = end
			}
		}
		prev0, prev1, prevGap, prevRow = c0, c1, gap, row
	}
}

// fillRun sets every pixel of seg, a run of pixels of one row, to px: the
// first one, then copies doubling in length, as a zoomed-in picture has
// runs hundreds of pixels long.
func fillRun(seg []byte, px uint32) {
	if len(seg) < 4 {
		return
	}
	binary.LittleEndian.PutUint32(seg, px)
	for n := 4; n < len(seg); n *= 2 {
		copy(seg[n:], seg[:n])
	}
}

// fillGrid fills p.grid, core-major, with the shifted level (see up)
// of each core and each grid column of plan: column j is the maximum of
// its refs, core by core, or rank by rank when sorted.
func (p *Painter) fillGrid(s *Series, layer Layer, cores int, sorted bool) {
	g := len(p.ends)
	p.grid = slices.Grow(p.grid[:0], g*cores)[:g*cores]
	// The block's columns are a cache line apart more than cores: with
	// thousands of cores (a cluster) a power-of-two stride would put the
	// bytes of one core in every column on the same cache set.
	stride := cores + 64
	p.block = slices.Grow(p.block[:0], block*stride)[:block*stride]
	p.row = slices.Grow(p.row[:0], g)[:g]
	for j0 := 0; j0 < g; j0 += block {
		n := min(block, g-j0)
		for k := range n {
			col := p.block[k*stride : k*stride+cores]
			clear(col)
			for _, rf := range p.refs[p.lo[j0+k]:p.hi[j0+k]] {
				s.maxInto(col, rf, layer, sorted)
			}
		}
		for c := range cores {
			run := p.grid[c*g+j0 : c*g+j0+n]
			for k := range run {
				run[k] = p.block[k*stride+c]
			}
		}
	}
}

// Strip paints the total-busy-cores strip of s over the time window
// [from, to) into r of dst (r is clipped to dst): per pixel column the mean
// busy cores of its samples as a filled area, scaled from 0 at the bottom
// to cores at the top, with thin lines at 1 core and at all cores. With the
// subject's load measured, the area is the subject's, and above it, up to
// the whole machine's, what other programs used, in OthersColor: so a busy
// desktop is not taken for the subject's work. Where the subject's load is
// missing the machine's area shows the gap hatch, and where the machine's
// is, the whole column does. Pixel columns outside the run are
// transparent; cores <= 0 means s's cores.
func (p *Painter) Strip(dst *image.RGBA, r image.Rectangle, s *Series, from, to float64, cores int) {
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
	p.otop = p.tops(p.otop, s, Machine, h, cores)
	if s.SubjectKnown() {
		p.top = p.tops(p.top, s, Subject, h, cores)
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

// tops sets top (grown to the grid columns of plan) to the first
// filled pixel row of each grid column of a strip h rows high: the mean
// busy cores of layer in its time, of cores; -1 where it is missing. No
// samples fill nothing.
func (p *Painter) tops(top []int, s *Series, layer Layer, h, cores int) []int {
	top = slices.Grow(top[:0], len(p.ends))[:len(p.ends)]
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

// Busy sets dst (grown to w) to the mean busy cores of layer of s in
// each of w equal slices of the time window [from, to): NaN where no
// sample falls or all are missing. Charts draw it as one point a pixel
// column, whatever the run's length.
func (p *Painter) Busy(dst []float64, s *Series, layer Layer, from, to float64, w int) []float64 {
	n := max(w, 0)
	dst = slices.Grow(dst[:0], n)[:n]
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
