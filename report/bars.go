package report

import (
	"fmt"
	"image"
	"image/color"

	"golang.org/x/image/font"

	"corescope/heatmap"
	"corescope/runtext"
)

// A bar is one group's in a bar chart: its figure, the range of its
// repeats (lo = hi = v without one), and its figure as the table words it.
type bar struct {
	name      string
	c         color.RGBA
	v, lo, hi float64
	label     string
}

// wallBar is row r's bar of wall time: its repeats' median and range.
func wallBar(r runtext.Row, name string, c color.RGBA) bar {
	b := bar{name: name, c: c, v: r.Wall(), label: runtext.ColWall.RowCell(r)}
	b.lo, b.hi = b.v, b.v
	if w := r.Group.Wall(); w.N > 1 {
		b.lo, b.hi = w.Min, w.Max
	}
	return b
}

// speedupBar is row r's bar of speedup over its baseline, with its range
// over the repeats; false without a speedup.
func speedupBar(r runtext.Row, name string, c color.RGBA) (bar, bool) {
	s := r.Run.Summary
	if s.Speedup == nil {
		return bar{}, false
	}
	b := bar{name: name, c: c, v: *s.Speedup, label: runtext.ColSpeedup.RowCell(r)}
	b.lo, b.hi = b.v, b.v
	if rg := s.SpeedupRange; rg != nil {
		b.lo, b.hi = rg.Low(), rg.High()
	}
	return b, true
}

// Geometry of a bar chart's rows.
const (
	barRowMostH = 44 // a row of a chart of few bars
	barLabelGap = 8  // between a bar (or its whisker) and its figure
	whiskerCapH = 10 // the ends of a range's whisker
	barNameFrac = 28 // percent of the width the names take
	barLabelMax = 3  // the figures take at most a third of the width
)

// hbars draws bars across r, one a row in the order of the runs: its name
// at the left, its bar from 0 to its figure on a scale shared by all (to
// at least least), a whisker over the range of its repeats, and its figure,
// range included, printed past the bar's end, so no value has to be read
// off an axis; at ref (1x: as fast as the baseline), when positive, a
// line across every bar. Rows are at most barRowMostH high, so a few bars
// do not fill the chart.
func (pg *page) hbars(r image.Rectangle, bars []bar, least, ref float64, unit string) {
	tf := pg.tf
	labelW := 0
	top := least
	for i := range bars {
		b := &bars[i]
		b.v, b.lo, b.hi = max(0, plottable(b.v)), max(0, plottable(b.lo)), max(0, plottable(b.hi))
		top = max(top, b.v, b.hi)
		labelW = max(labelW, font.MeasureString(tf.small, b.label).Round())
	}
	if !(top > 0) {
		top = 1
	}
	labelW = min(labelW+barLabelGap, r.Dx()/barLabelMax)
	x0 := r.Min.X + r.Dx()*barNameFrac/100
	x1 := max(x0+1, r.Max.X-labelW)
	ts := ticks(top, 5, func(v float64) string { return fmt.Sprintf("%.3g%s", v, unit) })
	end := ts[len(ts)-1].Value
	xOf := func(v float64) int { return x0 + int(clampPx(v/end*float64(x1-x0), x1-x0)) }
	step := min(barRowMostH, (r.Dy()-barAxisH)/max(1, len(bars)))
	plotH := step * len(bars)
	for _, tk := range ts { // the grid and the axis's figures
		x := xOf(tk.Value)
		box(pg.dst, image.Rect(x, r.Min.Y, x+1, r.Min.Y+plotH), rule)
		pg.text(tf.small, muted, x, r.Min.Y+plotH+smallPx+4, center, tk.Label)
	}
	box(pg.dst, image.Rect(x0, r.Min.Y+plotH, x1, r.Min.Y+plotH+1), muted)
	for i, b := range bars {
		mid := r.Min.Y + i*step + step/2
		thick := max(4, step*6/10)
		box(pg.dst, image.Rect(r.Min.X+6, mid-7, r.Min.X+20, mid+7), b.c)
		pg.text(tf.small, ink, r.Min.X+28, mid+smallPx/3, left, fit(tf.small, b.name, x0-r.Min.X-28-barLabelGap))
		box(pg.dst, image.Rect(x0, mid-thick/2, max(xOf(b.v), x0+1), mid+thick/2), b.c)
		tip := xOf(b.v) // where its figure starts, past the bar and its whisker
		if b.hi > b.lo {
			lo, hi := xOf(b.lo), xOf(b.hi)
			box(pg.dst, image.Rect(lo, mid-1, max(hi, lo+1), mid+1), ink)
			box(pg.dst, image.Rect(lo, mid-whiskerCapH/2, lo+2, mid+whiskerCapH/2), ink)
			box(pg.dst, image.Rect(hi-1, mid-whiskerCapH/2, hi+1, mid+whiskerCapH/2), ink)
			tip = max(tip, hi)
		}
		pg.text(tf.small, ink, tip+barLabelGap, mid+smallPx/3, left, fit(tf.small, b.label, r.Max.X-tip-barLabelGap))
	}
	if ref > 0 && ref <= end {
		x := xOf(ref)
		box(pg.dst, image.Rect(x-1, r.Min.Y, x+1, r.Min.Y+plotH), ink)
	}
}

// Geometry of one small chart of the busy-cores small multiples.
const (
	multiplesGap   = 24 // between two charts of a row
	multipleAxisW  = 34 // left of a chart, for its cores' figures
	multipleTicksH = 24 // under a chart, for its seconds
)

// multiples draws the busy cores of each run drawn as a small chart of
// its own, multiplesCols to a row in r, all on the heatmaps' time scale
// and up to the most cores any has, so they compare at a glance where one
// chart of 8-16 crossing lines could not be read: its name, the area of
// its subject's busy cores with other programs' stacked on it, as under
// its heatmap, and the ends of its scales.
func (pg *page) multiples(r image.Rectangle) {
	tf, axis := pg.tf, pg.l.AxisS
	most := 1
	for _, p := range pg.drawn {
		if recorded(p) {
			most = max(most, cores(p))
		}
	}
	k := 0
	for i, p := range pg.drawn {
		if !recorded(p) {
			continue
		}
		plot := multiplePlot(r, k)
		k++
		base := plot.Min.Y - 8
		x := plot.Min.X - multipleAxisW
		box(pg.dst, image.Rect(x, base-12, x+12, base), runColor(i))
		pg.text(tf.small, ink, x+18, base, left, fit(tf.small, pg.names[i], plot.Max.X-x-18))
		box(pg.dst, plot, shade)
		pg.text(tf.small, muted, plot.Min.X-6, plot.Min.Y+smallPx-4, right, fmt.Sprint(most))
		pg.text(tf.small, muted, plot.Min.X-6, plot.Max.Y, right, "0")
		pg.text(tf.small, muted, plot.Min.X, plot.Max.Y+smallPx+2, left, "0 s")
		if axis > 0 {
			pg.text(tf.small, muted, plot.Max.X, plot.Max.Y+smallPx+2, right, seconds(axis, heatmap.NiceStep(axis, 10)))
		}
		s := pg.series[i]
		if len(p.Frames) < 2 || !(axis > 0) {
			pg.text(tf.small, muted, (plot.Min.X+plot.Max.X)/2, (plot.Min.Y+plot.Max.Y)/2, center, "no samples")
			continue
		}
		from, to := s.Extent()
		strip := plot
		strip.Max.X = plot.Min.X + heatmap.Width(plot.Dx(), lastT(p), axis)
		pg.hp.Strip(pg.dst, strip, s, from, to, most)
	}
}

// multiplePlot is where the k-th small chart of the busy-cores small
// multiples in r plots its busy cores, under its name.
func multiplePlot(r image.Rectangle, k int) image.Rectangle {
	cellW := (r.Dx() - (multiplesCols-1)*multiplesGap) / multiplesCols
	x, y := r.Min.X+(k%multiplesCols)*(cellW+multiplesGap), r.Min.Y+(k/multiplesCols)*multipleH
	return image.Rect(x+multipleAxisW, y+smallPx+10, x+cellW, y+multipleH-multipleTicksH)
}
