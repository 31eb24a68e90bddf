package report

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"io"
	"math"

	"github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"
	"golang.org/x/image/font"

	"corescope/diagnosis"
	"corescope/heatmap"
	"corescope/profile"
	"corescope/runtext"
)

// chartDPI scales go-chart's 10-point labels to about 18 px, legible when
// the report is shrunk.
const chartDPI = 130

// charts draws the busy-cores line chart and the wall-time and speedup
// bar charts of the runs drawn. go-chart fails on degenerate data (a single point, equal
// bars), so every range is set here, and a chart with nothing to show is
// replaced by a sentence that says why.
func (pg *page) charts() error {
	dst, tf, l, ps := pg.dst, pg.tf, pg.l, pg.drawn
	names := pg.names[:len(ps)]
	if l.Line.Empty() { // every run is a watch, with charts of its own
		return nil
	}
	plot := l.Line
	plot.Min.Y += chartLegendH
	if len(ps) > lineRunsMost {
		x, base := l.Line.Min.X, l.Line.Min.Y+lineHeight(tf.body)
		x += text(dst, tf.body, ink, x, base, left, "Busy cores over time, a chart a run on one scale") + 30
		for _, k := range stripKeys(ps)[0] { // the subject's and other programs' colours
			box(dst, image.Rect(x, base-13, x+24, base), k.c)
			x += 32 + text(dst, tf.small, muted, x+32, base, left, k.name) + 24
		}
		pg.multiples(plot)
	} else if err := pg.lineSection(plot); err != nil {
		return err
	}

	var wall, speed []bar
	over := map[string]bool{} // what the speedups are measured against
	for i, p := range ps {
		if !recorded(p) {
			continue
		}
		row := pg.rows[i]
		wall = append(wall, wallBar(row, names[i], runColor(i)))
		if b, ok := speedupBar(row, names[i], runColor(i)); ok {
			speed = append(speed, b)
			over[diagnosis.BaselineName(p)] = true
		}
	}
	for _, b := range []struct {
		r           image.Rectangle
		title, unit string
		bars        []bar
		least, ref  float64
		none        string
	}{
		{l.Wall, "Wall time", " s", wall, 0, 0, "no runs"},
		{l.Speedup, speedupTitle(over), "x", speed, 1, 1, "no speedup: it needs a sequential run of the same workload and size"},
	} {
		text(dst, tf.body, ink, b.r.Min.X, b.r.Min.Y+lineHeight(tf.body), left, b.title)
		plot := b.r
		plot.Min.Y += chartLegendH
		if len(b.bars) == 0 {
			empty(dst, tf, plot, b.none)
			continue
		}
		pg.hbars(plot, b.bars, b.least, b.ref, b.unit)
	}
	return nil
}

// lineSection draws the busy cores of the runs drawn as one line chart in
// plot, under its title and the key of its lines.
func (pg *page) lineSection(plot image.Rectangle) error {
	dst, tf, l, ps := pg.dst, pg.tf, pg.l, pg.drawn
	names := pg.names[:len(ps)]
	line, shown := lineChart(plot, ps, names, pg.series)
	x, base := l.Line.Min.X, l.Line.Min.Y+lineHeight(tf.body)
	x += text(dst, tf.body, ink, x, base, left, "Busy cores over time") + 30
	// The layers' key, in grey: every run draws both.
	box(dst, image.Rect(x, base-13, x+30, base-10), muted)
	x += 38 + text(dst, tf.small, muted, x+38, base, left, "the subject") + 24
	box(dst, image.Rect(x, base-12, x+30, base-11), blend(paper, muted, 0.6))
	x += 38 + text(dst, tf.small, muted, x+38, base, left, "other programs") + 40
	for i, name := range names {
		switch {
		case !recorded(ps[i]):
			continue
		case !shown[i]:
			name += " (too few samples)"
		case !runtext.SubjectMeasured(ps[i]):
			name += " (whole machine)"
		}
		w := 30 + font.MeasureString(tf.small, name).Round()
		if x+w > l.Line.Max.X { // no room left: the run headers name the colours too
			text(dst, tf.small, muted, x, base, left, "…")
			break
		}
		box(dst, image.Rect(x, base-14, x+24, base-10), runColor(i))
		x += text(dst, tf.small, muted, x+30, base, left, name) + 30 + 24
	}
	if line == nil {
		empty(dst, tf, plot, "no samples: a line needs at least two per run")
	} else if err := render(dst, plot, line); err != nil {
		return fmt.Errorf("cannot draw the busy-cores chart: %w", err)
	}
	return nil
}

// speedupTitle names what the speedups are measured against: the one
// baseline they share ("sequential", or a --baseline's label), else each
// run's own.
func speedupTitle(over map[string]bool) string {
	if len(over) == 1 {
		for base := range over {
			return "Speedup over " + base
		}
	}
	return "Speedup over each run's baseline"
}

// renderer is what both chart kinds are.
type renderer interface {
	Render(rp chart.RendererProvider, w io.Writer) error
}

// render draws c into r of dst.
func render(dst *image.RGBA, r image.Rectangle, c renderer) error {
	var iw chart.ImageWriter
	if err := c.Render(chart.PNG, &iw); err != nil {
		return err
	}
	img, err := iw.Image()
	if err != nil {
		return err
	}
	draw.Draw(dst, r, img, img.Bounds().Min, draw.Src)
	return nil
}

// lineChart is the busy cores of every run with at least two samples (but
// watches, see watchChart) over time, on a time axis as long as the
// longest of them: per run the subject's in its colour, and other programs' as a thinner, paler line (a file without
// the subject's load gives the whole machine's line alone). Each line is
// the mean of the run's series (series[i] is run i's) in each pixel column
// of r, as the window's strip is, so an hour costs no more points than a
// minute; it breaks where the samples are missing. nil when no run has two
// samples; shown says which runs are in it.
func lineChart(r image.Rectangle, ps []*profile.Profile, names []string, series []*heatmap.Series) (c *chart.Chart, shown []bool) {
	shown = make([]bool, len(ps))
	var ss []chart.Series
	top, end := 1.0, 0.0
	for _, p := range ps {
		if recorded(p) {
			top = max(top, float64(cores(p)))
			end = max(end, axisSeconds([]*profile.Profile{p}))
		}
	}
	var hp heatmap.Painter
	var machine, subject []float64
	for i, p := range ps {
		s := series[i]
		if len(p.Frames) < 2 || !recorded(p) {
			continue
		}
		from, to := s.Extent()
		n := max(2, heatmap.Width(r.Dx(), to-from, end))
		measured := s.SubjectKnown()
		machine = hp.Busy(machine, s, heatmap.Machine, from, to, n)
		if measured {
			subject = hp.Busy(subject, s, heatmap.Subject, from, to, n)
		}
		// The lines of each stretch of measured columns: a gap in the
		// samples breaks them rather than being drawn across.
		var xs, own, others []float64
		flush := func() {
			if len(xs) >= 2 {
				ss = append(ss, chart.ContinuousSeries{Name: names[i], XValues: xs, YValues: own,
					Style: chart.Style{StrokeColor: chartColor(runColor(i)), StrokeWidth: 3}})
				if measured {
					ss = append(ss, chart.ContinuousSeries{Name: names[i] + ": other programs", XValues: xs, YValues: others,
						Style: othersStyle(runColor(i))})
				}
				shown[i] = true
			}
			xs, own, others = nil, nil, nil
		}
		for k, busy := range machine {
			if !isFinite(busy) || measured && !isFinite(subject[k]) {
				flush() // neither line knows this column
				continue
			}
			xs = append(xs, from+(float64(k)+0.5)*(to-from)/float64(n))
			if measured {
				others = append(others, max(busy-subject[k], 0))
				top = max(top, others[len(others)-1])
				busy = subject[k]
			}
			own = append(own, busy)
			top = max(top, busy)
		}
		flush()
	}
	if len(ss) == 0 || !(end > 0) {
		return nil, shown
	}
	// go-chart ends each axis at its last tick, whatever its Range says:
	// the ticks must reach past the data, or the lines run off the axes.
	xt := endTicks(end)
	yt := ticks(top, 8, func(v float64) string { return fmt.Sprintf("%g", v) })
	return &chart.Chart{
		Width: r.Dx(), Height: r.Dy(), DPI: chartDPI,
		Background: chart.Style{Padding: chart.Box{Top: 20, Right: 30}},
		XAxis:      chart.XAxis{Name: "seconds", Ticks: xt},
		YAxis:      chart.YAxis{Name: "busy cores", Ticks: yt},
		Series:     ss,
	}, shown
}

// othersStyle draws other programs' line of a run in colour c: thinner and
// paler than the subject's, so the subject stands out. Not dashed: go-chart
// left whole stretches of a dashed line of short steps undrawn.
func othersStyle(c color.RGBA) chart.Style {
	return chart.Style{StrokeColor: chartColor(blend(paper, c, 0.6)), StrokeWidth: 2}
}

// timeTicks marks a time scale of at least axis seconds (see ticks).
func timeTicks(axis float64) []chart.Tick {
	step := heatmap.NiceStep(axis, 10)
	return ticks(axis, 10, func(v float64) string { return seconds(v, step) })
}

// endTicks marks a time axis that ends at end, not at the round tick past
// it (which put a 5.001 s watch on a 6 s axis), since go-chart ends an axis
// at its last tick: the round ticks up to end, the last moved to end when
// it is within a fiftieth of a step of it, else an unlabelled one at end.
func endTicks(end float64) []chart.Tick {
	step := heatmap.NiceStep(end, 10)
	out := timeTicks(end)
	for len(out) > 1 && out[len(out)-1].Value > end {
		out = out[:len(out)-1]
	}
	switch last := len(out) - 1; {
	case last < 0:
		return nil
	case end-out[last].Value <= step/50:
		out[last].Value = end
	default:
		out = append(out, chart.Tick{Value: end})
	}
	return out
}

// ticks marks 0..top at a round step, about n of them, the last at or past
// top: go-chart's axes end at their last tick, and must hold all the data.
func ticks(top float64, n int, label func(float64) string) []chart.Tick {
	step := heatmap.NiceStep(top, n)
	if step == 0 {
		return nil
	}
	var out []chart.Tick
	for k := 0; ; k++ {
		v := float64(k) * step
		out = append(out, chart.Tick{Value: v, Label: label(v)})
		if v >= top*(1-1e-9) {
			return out
		}
	}
}

// empty says in r why a chart is missing.
func empty(dst *image.RGBA, tf *typeface, r image.Rectangle, why string) {
	box(dst, r, shade)
	text(dst, tf.body, muted, (r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2, center, fit(tf.body, why, r.Dx()-40))
}

// finite replaces NaN and infinities, which go-chart cannot place, by 0.
func finite(v float64) float64 {
	if !isFinite(v) {
		return 0
	}
	return v
}

// maxPlotted bounds a bar's value: go-chart sets its axis a little above
// the highest bar, and an axis up to infinity has it fill a rectangle
// 2^63 pixels wide, for ever.
const maxPlotted = 1e300

// plottable is v as a bar can show it: finite (see finite) and within
// ±maxPlotted.
func plottable(v float64) float64 { return max(-maxPlotted, min(finite(v), maxPlotted)) }

// isFinite reports whether v is neither NaN nor infinite.
func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// chartColor converts a colour for go-chart.
func chartColor(c color.RGBA) drawing.Color { return drawing.Color{R: c.R, G: c.G, B: c.B, A: c.A} }
