package app

import (
	"fmt"
	"image"
	"math"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"corescope/heatmap"
	"corescope/levels"
	"corescope/profile"
	"corescope/runtext"
)

var (
	_ fyne.Widget       = (*runLanes)(nil)
	_ fyne.Scrollable   = (*runLanes)(nil)
	_ fyne.Draggable    = (*runLanes)(nil)
	_ fyne.Focusable    = (*runLanes)(nil)
	_ fyne.Tappable     = (*runLanes)(nil)
	_ desktop.Hoverable = (*runLanes)(nil)
)

// runLanes draws a group's runs one under the other on one time scale, so
// a four-second run and a tenth of a second one compare at a glance: each
// run's per-core heatmap from the start of its recording, named in the
// gutter, the time axis under them. They zoom and pan together, as one
// timeView (see timeGestures); tapping a run selects it; hovering a cell
// says which run, time and cores it is and their load.
type runLanes struct {
	widget.BaseWidget
	timeGestures
	hoverReadout
	view     timeView
	runs     []*profile.Profile
	series   []*laneSeries    // each run's, built when its lane is first painted
	shown    *profile.Profile // named in bold
	onSelect func(*profile.Profile)
	span     heatmap.Span // what the readout read, reused
}

// Heights of a run's lane and the gap under it.
const (
	laneHeight = 26
	laneGap    = 4
)

func newRunLanes() *runLanes {
	l := &runLanes{}
	l.timeGestures = timeGestures{view: &l.view, self: l, changed: l.Refresh}
	l.ExtendBaseWidget(l)
	return l
}

// set shows runs, fitted, with shown named in bold.
func (l *runLanes) set(runs []*profile.Profile, shown *profile.Profile) {
	l.runs, l.shown = runs, shown
	span, step := 0.0, 0.0
	for _, p := range runs {
		span = max(span, duration(p))
		if d := p.Spec.Interval.D().Seconds(); d > 0 && (step == 0 || d < step) {
			step = d
		}
	}
	l.view.MinSpan = 2 * step
	l.view.SetExtent(0, span)
	l.view.Fit()
	l.Refresh()
}

// Tapped selects the run under the pointer and takes the keyboard focus
// for the zoom keys.
func (l *runLanes) Tapped(ev *fyne.PointEvent) {
	l.timeGestures.Tapped(ev)
	if i := int(ev.Position.Y / (laneHeight + laneGap)); i >= 0 && i < len(l.runs) && l.onSelect != nil {
		l.onSelect(l.runs[i])
	}
}

// readout words the cell under pos as the lane shows it: the run, the
// time and the cores of the pixel, and the subject's and the machine's
// load, the busiest of its samples and cores where it holds several; ""
// where there is no sample.
func (l *runLanes) readout(pos fyne.Position) string {
	i := int(pos.Y / (laneHeight + laneGap))
	y := pos.Y - float32(i)*(laneHeight+laneGap)
	if i < 0 || i >= len(l.runs) || i >= len(l.series) || y >= laneHeight || pos.X < l.x0 || pos.X >= l.x0+l.width {
		return ""
	}
	p, ls := l.runs[i], l.series[i]
	if ls == nil || ls.p != p {
		return "" // not painted yet
	}
	// The pixel under pos, as paint sizes the lane's image.
	from, to := l.view.Window()
	w := float64(max(1, pixelWidth(l, l.width)))
	col := math.Floor(float64((pos.X-l.x0)/l.width) * w)
	sp := &l.span
	ls.s.Span(sp, from+(to-from)*col/w, from+(to-from)*(col+1)/w, false)
	cores := ls.s.Cores()
	rows := laneRows(l, cores)
	c0, c1 := heatmap.RowCores(min(int(y/laneHeight*float32(rows)), rows-1), rows, cores)
	if sp.Samples == 0 {
		return ""
	}
	// The frames of the pixel: those ending after its start, up to its end.
	j0 := sort.Search(len(p.Frames), func(j int) bool { return p.Frames[j].T > sp.From })
	j1 := sort.Search(len(p.Frames), func(j int) bool { return p.Frames[j].T > sp.To })
	busiest := func(row func(f *profile.Frame) levels.Row) string {
		top := math.NaN() // until a value was measured
		for j := j0; j < j1; j++ {
			if v := highest(row(&p.Frames[j]), c0, c1); !math.IsNaN(v) && (math.IsNaN(top) || v > top) {
				top = v
			}
		}
		return percent(top)
	}
	where, lead := fmt.Sprintf("core %d", c0), ""
	if c1-c0 > 1 {
		where = fmt.Sprintf("cores %d–%d", c0, c1-1)
	}
	when := spanText(sp.From, sp.To)
	if sp.Samples > 1 {
		when += fmt.Sprintf(" · %d samples", sp.Samples)
	}
	if sp.Samples > 1 || c1-c0 > 1 {
		lead = "busiest: "
	}
	text := fmt.Sprintf("%s · %s · %s\n%s", runNames(l.runs)[i], when, where, lead)
	machine := busiest(func(f *profile.Frame) levels.Row { return f.Busy })
	if !ls.subject {
		return text + "machine " + machine
	}
	return text + "subject " + busiest(func(f *profile.Frame) levels.Row { return f.SubjectBusy }) + " · machine " + machine
}

func (l *runLanes) CreateRenderer() fyne.WidgetRenderer {
	l.ExtendBaseWidget(l)
	l.hoverReadout.init(l, l.readout)
	r := &runLanesRenderer{l: l, axis: newTimeAxis(12)}
	r.Refresh()
	return r
}

type runLanesRenderer struct {
	l       *runLanes
	imgs    []*canvas.Image
	labels  rowLabels
	axis    *timeAxis
	painter heatmap.Painter
	size    fyne.Size
	objs    []fyne.CanvasObject
}

func (r *runLanesRenderer) Destroy() {}

func (r *runLanesRenderer) Objects() []fyne.CanvasObject { return r.objs }

func (r *runLanesRenderer) MinSize() fyne.Size {
	if len(r.l.runs) == 0 {
		return fyne.Size{}
	}
	return fyne.NewSize(r.labels.width(r.l)+100, float32(len(r.l.runs))*(laneHeight+laneGap)+r.axisHeight())
}

func (r *runLanesRenderer) axisHeight() float32 {
	return fyne.MeasureText("0 s", captionSize(r.l), fyne.TextStyle{}).Height
}

// Layout places the lanes and repaints them at their new width.
func (r *runLanesRenderer) Layout(size fyne.Size) {
	r.size = size
	r.l.hoverReadout.fit(size)
	gutter := r.labels.width(r.l) + 6
	width := max(size.Width-gutter, 1)
	r.l.x0, r.l.width = gutter, width
	for i, img := range r.imgs {
		img.Move(fyne.NewPos(gutter, float32(i)*(laneHeight+laneGap)))
		img.Resize(fyne.NewSize(width, laneHeight))
	}
	height := float32(len(r.imgs)) * (laneHeight + laneGap)
	r.labels.place(r.l, gutter, 0, height)
	from, to := r.l.view.Window()
	r.axis.place(r.l, from, to-from, gutter, width, height)
	r.paint(pixelWidth(r.l, width))
}

// paint draws every lane over the view's window, w pixels wide and at
// most a pixel row a core.
func (r *runLanesRenderer) paint(w int) {
	from, to := r.l.view.Window()
	for i, img := range r.imgs {
		ls := r.l.series[i]
		if ls == nil || ls.p != r.l.runs[i] {
			ls = newLaneSeries(r.l.runs[i])
			r.l.series[i] = ls
		}
		h := laneRows(r.l, ls.s.Cores())
		dst, ok := img.Image.(*image.RGBA)
		if !ok || dst.Rect.Dx() != max(w, 1) || dst.Rect.Dy() != h {
			dst = image.NewRGBA(image.Rect(0, 0, max(w, 1), h))
			img.Image = dst
		}
		paintLane(&r.painter, dst, r.l.runs[i], from, to, ls)
		img.Refresh()
	}
}

func (r *runLanesRenderer) Refresh() {
	l := r.l
	for len(r.imgs) < len(l.runs) {
		img := canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 1, 1)))
		img.ScaleMode, img.FillMode = canvas.ImageScalePixels, canvas.ImageFillStretch
		r.imgs = append(r.imgs, img)
	}
	r.imgs = r.imgs[:len(l.runs)]
	l.series = append(l.series, make([]*laneSeries, max(0, len(l.runs)-len(l.series)))...)[:len(l.runs)]
	clear(l.series[len(l.runs):cap(l.series)]) // runs no longer shown, and their pictures' memory, go
	r.labels.set(runNames(l.runs))
	for i, t := range r.labels.texts {
		t.TextStyle.Bold = l.runs[i] == l.shown
	}
	r.objs = r.objs[:0]
	for _, img := range r.imgs {
		r.objs = append(r.objs, img)
	}
	r.objs = append(append(r.objs, r.labels.objects()...), r.axis.objects()...)
	r.objs = append(r.objs, l.hoverReadout.objects()...)
	r.Layout(r.size)
	l.again() // what is under a still pointer changed with the zoom
}

// laneCores is how many cores run p's samples hold, at least one.
func laneCores(p *profile.Profile) int {
	cores := 1
	for i := range p.Frames {
		cores = max(cores, len(p.Frames[i].Busy))
	}
	return cores
}

// laneSeries is the series of the run a lane shows, built once: its
// subject's per-core load where measured (subject), the whole machine's in
// files made before, as the series' one layer.
type laneSeries struct {
	p       *profile.Profile
	s       heatmap.Series
	subject bool
}

func newLaneSeries(p *profile.Profile) *laneSeries {
	ls := &laneSeries{p: p, subject: runtext.SubjectMeasured(p)}
	ls.s.Reset(laneCores(p), p.Spec.Interval.D().Seconds(), len(p.Frames))
	for i := range p.Frames {
		f := &p.Frames[i]
		row := f.Busy
		if ls.subject {
			row = f.SubjectBusy
		}
		ls.s.Append(f.T, row, nil)
	}
	return ls
}

// laneRows is how many pixel rows a lane's image of cores cores has: at
// most one a core, and a pixel row is the busiest of its cores.
func laneRows(l *runLanes, cores int) int {
	return max(1, min(pixelWidth(l, laneHeight), cores))
}

// paintLane paints run p's per-core load over the window from..to seconds
// into dst, a column of dst per slice of time, each pixel the busiest of
// its samples, so a short burst never disappears: the subject's own load
// when it was measured, the whole machine's in files made before. Time the
// run does not cover stays clear, so a shorter run ends where it ended. ls
// is p's series, or nil to build it.
func paintLane(pr *heatmap.Painter, dst *image.RGBA, p *profile.Profile, from, to float64, ls *laneSeries) {
	if ls == nil || ls.p != p {
		ls = newLaneSeries(p)
	}
	pr.Heatmap(dst, dst.Rect, &ls.s, heatmap.Machine, from, to, false)
}
