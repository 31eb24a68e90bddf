package report

import (
	"image"
	"image/color"
	"math"
	"slices"

	"golang.org/x/image/font"
	"golang.org/x/image/vector"

	"corescope/profile"
	"corescope/runtext"
	"corescope/scaling"
)

// ScaleLayout is where the Scaling section of one sweep goes: its title,
// the legend, the chart (Plot is the area inside its axes) and the lines
// of its fit and why its curve bends.
type ScaleLayout struct {
	Title, Legend, Chart, Plot, Text image.Rectangle
}

// Sizes of a Scaling section, in pixels, and how many the report draws.
const (
	maxScaleSections = 4
	scaleChartH      = 460
	scaleTextLines   = 3 // a text's lines at most: the fit, its note, why it bends
	scalePlotLeft    = 90
	scalePlotBottom  = 64
	scalePlotTop     = 34
	scalePlotRight   = 24
	// maxScaleH bounds a section: its title, legend, chart, three texts
	// of scaleTextLines lines and the gaps.
	maxScaleH = noteLineH + noteLineH + scaleChartH + 3*scaleTextLines*noteH + 4*gap
)

// scaleTexts are what is said under sweep sw's chart, in order: the fitted
// law and projection, what the fit stands on, why the curve bends.
func scaleTexts(sw *scaling.Sweep) []string {
	var out []string
	for _, s := range []string{runtext.FitLine(sw), runtext.FitNote(sw), runtext.Bends(sw)} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// scaleLines are sweep sw's texts in lines of tf's small face, each text
// at most scaleTextLines lines; nil tf gives a line a text.
func scaleLines(tf *typeface, sw *scaling.Sweep, width int) []string {
	var lines []string
	for i, s := range scaleTexts(sw) {
		if i == 2 {
			s = "Why it bends: " + s
		}
		if tf == nil {
			lines = append(lines, s)
			continue
		}
		lines = append(lines, wrap(tf.small, s, width, scaleTextLines)...)
	}
	return lines
}

// locateScale lays sweep sw's section out from y down within inner.
func locateScale(sw *scaling.Sweep, inner image.Rectangle, y int, tf *typeface) ScaleLayout {
	var s ScaleLayout
	s.Title = image.Rect(inner.Min.X, y, inner.Max.X, y+noteLineH)
	s.Legend = image.Rect(inner.Min.X, s.Title.Max.Y, inner.Max.X, s.Title.Max.Y+noteLineH)
	s.Chart = image.Rect(inner.Min.X, s.Legend.Max.Y+gap, inner.Max.X, s.Legend.Max.Y+gap+scaleChartH)
	s.Plot = image.Rect(s.Chart.Min.X+scalePlotLeft, s.Chart.Min.Y+scalePlotTop, s.Chart.Max.X-scalePlotRight, s.Chart.Max.Y-scalePlotBottom)
	n := len(scaleLines(tf, sw, inner.Dx()))
	s.Text = image.Rect(inner.Min.X, s.Chart.Max.Y+gap, inner.Max.X, s.Chart.Max.Y+gap+n*noteH)
	return s
}

// Colours of a Scaling section's lines.
var (
	scaleIdeal  = color.RGBA{0x99, 0x99, 0x99, 0xff}
	scaleSerial = series[0]
	scaleUSL    = series[2]
)

// ScaleLineStyle is how a plot's line of role is drawn, in the report and
// the window alike: its colour and width in pixels.
func ScaleLineStyle(role LineRole) (color.RGBA, float64) {
	switch role {
	case LineIdeal:
		return scaleIdeal, 2
	case LineSerial:
		return scaleSerial, 3
	case LineUSL:
		return scaleUSL, 3
	}
	return blend(paper, muted, 0.7), 1.5
}

// scale draws sweep sw's section at s: the title (what it ran), a legend,
// the chart of speedup against workers (the ideal line, the measured
// points with their spread, the laws fitted within the cores and their
// projection past them, dashed, with its band) and the texts.
func (pg *page) scale(sw *scaling.Sweep, s ScaleLayout) {
	tf := pg.tf
	base := func(r image.Rectangle) int { return r.Min.Y + lineHeight(tf.body) }
	pg.text(tf.body, ink, s.Title.Min.X, base(s.Title), left, fit(tf.body, "Scaling: "+runtext.ScaleTitle(sw), s.Title.Dx()))
	pg.scaleLegend(sw, s.Legend)
	sp := LayoutScale(sw, s.Plot)
	pg.scaleAxes(sp)
	if sp.CoresX > 0 {
		x := int(sp.CoresX)
		box(pg.dst, image.Rect(x, s.Plot.Min.Y-8, x+1, s.Plot.Max.Y), muted)
		pg.text(tf.small, muted, x-8, s.Plot.Min.Y-12, right, "measured")
		pg.text(tf.small, muted, x+8, s.Plot.Min.Y-12, left, "projected")
	}
	for _, l := range sp.Lines {
		c, w := ScaleLineStyle(l.Role)
		stroke(pg.dst, l.Pts, w, c)
	}
	for _, pt := range sp.Points {
		c := ink
		if pt.Competed {
			c = notice
		}
		stroke(pg.dst, []PlotXY{{pt.X, pt.Low}, {pt.X, pt.High}}, 2, c)
		disc(pg.dst, PlotXY{pt.X, pt.Y}, 6, c)
		if !pt.InFit {
			disc(pg.dst, PlotXY{pt.X, pt.Y}, 3.5, paper) // hollow: shown, not fitted
		}
	}
	for _, lb := range sp.Labels {
		c, _ := ScaleLineStyle(lb.Role)
		a := left
		if lb.Right {
			a = right
		}
		pg.text(tf.small, c, int(lb.At.X)-6, int(lb.At.Y)-8, a, lb.Text)
	}
	y := s.Text.Min.Y + lineHeight(tf.small)
	for _, line := range scaleLines(tf, sw, s.Text.Dx()) {
		pg.text(tf.small, ink, s.Text.Min.X, y, left, line)
		y += noteH
	}
}

// scaleLegend says what sweep sw's chart marks are: those it draws.
func (pg *page) scaleLegend(sw *scaling.Sweep, r image.Rectangle) {
	tf := pg.tf
	x, y := r.Min.X, r.Min.Y+lineHeight(tf.small)
	mid := float64(y - 5)
	key := func(what string, draw func(x float64)) bool {
		w := 34 + font.MeasureString(tf.small, what).Round()
		if x+w > r.Max.X {
			text(pg.dst, tf.small, muted, x, y, left, "…")
			return false
		}
		draw(float64(x))
		x += 34 + text(pg.dst, tf.small, muted, x+34, y, left, what) + 24
		return true
	}
	line := func(role LineRole) func(float64) {
		return func(x float64) {
			c, w := ScaleLineStyle(role)
			stroke(pg.dst, []PlotXY{{x, mid}, {x + 26, mid}}, w, c)
		}
	}
	dot := func(c color.RGBA, hollow bool) func(float64) {
		return func(x float64) {
			disc(pg.dst, PlotXY{x + 13, mid}, 6, c)
			if hollow {
				disc(pg.dst, PlotXY{x + 13, mid}, 3.5, paper)
			}
		}
	}
	keys := []struct {
		what string
		draw func(float64)
		show bool
	}{
		{"ideal", line(LineIdeal), true},
		{"measured (bar: spread)", dot(ink, false), true},
		{"not fitted", dot(ink, true), slices.ContainsFunc(sw.Points, func(pt profile.ScalePoint) bool { return pt.Speedup > 0 && !pt.InFit })},
		{"other programs competed", dot(notice, false), slices.ContainsFunc(sw.Points, func(pt profile.ScalePoint) bool { return pt.Competed })},
		{serialName(sw), line(LineSerial), sw.Fit != nil},
		{"USL", line(LineUSL), sw.Fit != nil && sw.Fit.Kappa != nil},
		{"± one standard error", line(LineBand), sw.Fit != nil && sw.Fit.Band != scaling.BandNone},
		{"dashed: projected past the cores", func(float64) {}, sw.Fit != nil},
	}
	for _, k := range keys {
		if k.show && !key(k.what, k.draw) {
			return
		}
	}
}

// scaleAxes draws the plot's frame, its grid and its ticks' labels.
func (pg *page) scaleAxes(sp ScalePlot) {
	tf, r := pg.tf, sp.Plot
	for _, t := range sp.YTicks {
		y := int(math.Round(t.Pos))
		box(pg.dst, image.Rect(r.Min.X, y, r.Max.X, y+1), shade)
		pg.text(tf.small, muted, r.Min.X-10, y+smallPx/3, right, t.Label)
	}
	for _, t := range sp.XTicks {
		x := int(math.Round(t.Pos))
		box(pg.dst, image.Rect(x, r.Min.Y, x+1, r.Max.Y), shade)
		pg.text(tf.small, muted, x, r.Max.Y+lineHeight(tf.small)+4, center, t.Label)
	}
	box(pg.dst, image.Rect(r.Min.X, r.Max.Y, r.Max.X, r.Max.Y+1), muted)
	box(pg.dst, image.Rect(r.Min.X-1, r.Min.Y, r.Min.X, r.Max.Y+1), muted)
	pg.text(tf.small, muted, (r.Min.X+r.Max.X)/2, r.Max.Y+2*lineHeight(tf.small)+10, center, "workers (and cores, projected)")
	pg.text(tf.small, muted, r.Min.X-10, r.Min.Y-12, right, "speedup")
}

// stroke draws the polyline pts, w pixels wide, in c, antialiased: a
// quad a segment, each wound the same way so that overlaps at the joints
// add up rather than cancel.
func stroke(dst *image.RGBA, pts []PlotXY, w float64, c color.RGBA) {
	if len(pts) < 2 {
		return
	}
	var quads [][]PlotXY
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		l := math.Hypot(b.X-a.X, b.Y-a.Y)
		if l == 0 {
			continue
		}
		nx, ny := -(b.Y-a.Y)/l*w/2, (b.X-a.X)/l*w/2
		quads = append(quads, []PlotXY{{a.X + nx, a.Y + ny}, {b.X + nx, b.Y + ny}, {b.X - nx, b.Y - ny}, {a.X - nx, a.Y - ny}})
	}
	fill(dst, c, quads...)
}

// disc fills a disc of radius rad about at in c, antialiased.
func disc(dst *image.RGBA, at PlotXY, rad float64, c color.RGBA) {
	const sides = 24
	pts := make([]PlotXY, sides)
	for i := range pts {
		a := 2 * math.Pi * float64(i) / sides
		pts[i] = PlotXY{at.X + rad*math.Cos(a), at.Y + rad*math.Sin(a)}
	}
	fill(dst, c, pts)
}

// fill fills the polygons in c, antialiased, with a rasterizer the size
// of their bounds, not the page's: a page may be 45,000 pixels high.
func fill(dst *image.RGBA, c color.RGBA, polygons ...[]PlotXY) {
	box := image.Rectangle{}
	for _, poly := range polygons {
		for _, p := range poly {
			box = box.Union(image.Rect(int(math.Floor(p.X)), int(math.Floor(p.Y)), int(math.Ceil(p.X))+1, int(math.Ceil(p.Y))+1))
		}
	}
	box = box.Intersect(dst.Bounds())
	if box.Empty() {
		return
	}
	z := vector.NewRasterizer(box.Dx(), box.Dy())
	at := func(p PlotXY) (float32, float32) {
		return float32(p.X - float64(box.Min.X)), float32(p.Y - float64(box.Min.Y))
	}
	for _, poly := range polygons {
		z.MoveTo(at(poly[0]))
		for _, p := range poly[1:] {
			z.LineTo(at(p))
		}
		z.ClosePath()
	}
	z.Draw(dst, box, image.NewUniform(c), image.Point{})
}

// sweepsOf are the sweeps among ps whose sections the report draws: the
// first maxScaleSections.
func sweepsOf(ps []*profile.Profile) (drawn []*scaling.Sweep, all int) {
	sws := scaling.Sweeps(ps)
	return sws[:min(len(sws), maxScaleSections)], len(sws)
}
