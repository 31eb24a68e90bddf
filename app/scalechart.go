package app

import (
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"corescope/report"
	"corescope/scaling"
)

var (
	_ fyne.Widget        = (*scaleChart)(nil)
	_ fyne.Tappable      = (*scaleChart)(nil)
	_ desktop.Cursorable = (*scaleChart)(nil)
)

// scaleChart is a sweep's speedup against workers, laid out as the PNG
// report lays it out (report.LayoutScale) and drawn with canvas objects:
// the ideal line, the measured points with their spread, the laws fitted
// within the cores and, dashed past them, their projection and its band.
// Tapping a point shows the run that stands for it.
type scaleChart struct {
	widget.BaseWidget
	sweep *scaling.Sweep
	onTap func(point int)
	plot  report.ScalePlot // as last laid out, for Tapped
}

// Room around the plot for the ticks' labels, in Fyne units.
const (
	scaleChartLeft   = 48
	scaleChartTop    = 22
	scaleChartRight  = 12
	scaleChartBottom = 40
	// tapReach is how far from a point a tap still picks it.
	tapReach = 14
)

func newScaleChart(sw *scaling.Sweep, onTap func(point int)) *scaleChart {
	c := &scaleChart{sweep: sw, onTap: onTap}
	c.ExtendBaseWidget(c)
	return c
}

// Tapped shows the run of the point nearest the tap, within tapReach.
func (c *scaleChart) Tapped(ev *fyne.PointEvent) {
	best, bestD := -1, float64(tapReach)
	for _, pt := range c.plot.Points {
		if d := math.Hypot(pt.X-float64(ev.Position.X), pt.Y-float64(ev.Position.Y)); d <= bestD {
			best, bestD = pt.Index, d
		}
	}
	if best >= 0 && c.onTap != nil {
		c.onTap(best)
	}
}

func (c *scaleChart) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (c *scaleChart) MinSize() fyne.Size { return fyne.NewSize(420, 280) }

func (c *scaleChart) CreateRenderer() fyne.WidgetRenderer { return &scaleChartRenderer{chart: c} }

type scaleChartRenderer struct {
	chart *scaleChart
	objs  []fyne.CanvasObject
	size  fyne.Size
}

func (r *scaleChartRenderer) Destroy()                     {}
func (r *scaleChartRenderer) MinSize() fyne.Size           { return r.chart.MinSize() }
func (r *scaleChartRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *scaleChartRenderer) Refresh()                     { r.Layout(r.size) }

// Layout lays the plot out for size and makes its objects again: a plot
// costs a few hundred lines, made only when the chart is resized or
// shown anew.
func (r *scaleChartRenderer) Layout(size fyne.Size) {
	r.size = size
	plot := image.Rect(scaleChartLeft, scaleChartTop, int(size.Width)-scaleChartRight, int(size.Height)-scaleChartBottom)
	if plot.Dx() < 40 || plot.Dy() < 40 {
		r.objs = nil
		return
	}
	sp := report.LayoutScale(r.chart.sweep, plot)
	r.chart.plot = sp
	fg := theme.Color(theme.ColorNameForeground)
	faint := theme.Color(theme.ColorNameSeparator)
	var objs []fyne.CanvasObject
	add := func(o fyne.CanvasObject) { objs = append(objs, o) }
	line := func(a, b report.PlotXY, c color.Color, w float32) {
		l := canvas.NewLine(c)
		l.StrokeWidth = w
		l.Position1, l.Position2 = fyne.NewPos(float32(a.X), float32(a.Y)), fyne.NewPos(float32(b.X), float32(b.Y))
		add(l)
	}
	label := func(s string, x, y float32, align fyne.TextAlign, c color.Color) {
		t := canvas.NewText(s, c)
		t.TextSize = theme.CaptionTextSize()
		w := fyne.MeasureText(s, t.TextSize, t.TextStyle).Width
		switch align {
		case fyne.TextAlignCenter:
			x -= w / 2
		case fyne.TextAlignTrailing:
			x -= w
		}
		t.Move(fyne.NewPos(x, y))
		add(t)
	}
	p := sp.Plot
	for _, t := range sp.YTicks {
		line(report.PlotXY{X: float64(p.Min.X), Y: t.Pos}, report.PlotXY{X: float64(p.Max.X), Y: t.Pos}, faint, 1)
		label(t.Label, float32(p.Min.X)-6, float32(t.Pos)-8, fyne.TextAlignTrailing, fg)
	}
	for _, t := range sp.XTicks {
		line(report.PlotXY{X: t.Pos, Y: float64(p.Min.Y)}, report.PlotXY{X: t.Pos, Y: float64(p.Max.Y)}, faint, 1)
		label(t.Label, float32(t.Pos), float32(p.Max.Y)+2, fyne.TextAlignCenter, fg)
	}
	label("workers (and cores, projected)", float32(p.Min.X+p.Max.X)/2, float32(p.Max.Y)+18, fyne.TextAlignCenter, fg)
	if sp.CoresX > 0 {
		line(report.PlotXY{X: sp.CoresX, Y: float64(p.Min.Y) - 6}, report.PlotXY{X: sp.CoresX, Y: float64(p.Max.Y)}, fg, 1)
		label("measured", float32(sp.CoresX)-4, float32(p.Min.Y)-20, fyne.TextAlignTrailing, fg)
		label("projected", float32(sp.CoresX)+4, float32(p.Min.Y)-20, fyne.TextAlignLeading, fg)
	}
	for _, l := range sp.Lines {
		c, w := report.ScaleLineStyle(l.Role)
		for i := 1; i < len(l.Pts); i++ {
			line(l.Pts[i-1], l.Pts[i], c, float32(w))
		}
	}
	for _, pt := range sp.Points {
		c := fg
		if pt.Competed {
			c = theme.Color(theme.ColorNameWarning)
		}
		line(report.PlotXY{X: pt.X, Y: pt.Low}, report.PlotXY{X: pt.X, Y: pt.High}, c, 2)
		dot := canvas.NewCircle(c)
		if !pt.InFit { // hollow: shown, not fitted
			dot.FillColor, dot.StrokeColor, dot.StrokeWidth = theme.Color(theme.ColorNameBackground), c, 2
		}
		dot.Resize(fyne.NewSize(10, 10))
		dot.Move(fyne.NewPos(float32(pt.X)-5, float32(pt.Y)-5))
		add(dot)
	}
	for _, lb := range sp.Labels {
		c, _ := report.ScaleLineStyle(lb.Role)
		align := fyne.TextAlignLeading
		if lb.Right {
			align = fyne.TextAlignTrailing
		}
		label(lb.Text, float32(lb.At.X)-4, float32(lb.At.Y)-18, align, c)
	}
	r.objs = objs
}
