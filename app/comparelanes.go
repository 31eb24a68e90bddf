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
// TimeView (see timeGestures); tapping a run selects it; hovering a cell
// says which run, time and core it is and their load.
type runLanes struct {
	widget.BaseWidget
	timeGestures
	hoverReadout
	view     TimeView
	runs     []*profile.Profile
	shown    *profile.Profile // named in bold
	onSelect func(*profile.Profile)
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

// readout words the cell under pos: the run, the sample's time, the core,
// the subject's load and the machine's; "" where there is no sample.
func (l *runLanes) readout(pos fyne.Position) string {
	i := int(pos.Y / (laneHeight + laneGap))
	y := pos.Y - float32(i)*(laneHeight+laneGap)
	if i < 0 || i >= len(l.runs) || y >= laneHeight || pos.X < l.x0 || pos.X >= l.x0+l.width {
		return ""
	}
	p := l.runs[i]
	from, to := l.view.Window()
	j, ok := sampleAt(p, from+float64((pos.X-l.x0)/l.width)*(to-from))
	if !ok {
		return ""
	}
	f := &p.Frames[j]
	c := min(int(y/laneHeight*float32(laneCores(p))), laneCores(p)-1)
	where := fmt.Sprintf("%s · %s · core %d", runName(p), spanText(sampleStart(p, j), f.T), c)
	load := func(r levels.Row) float64 {
		if v := r.At(c); !math.IsNaN(v) {
			return v
		}
		return 0
	}
	if len(f.SubjectBusy) == 0 {
		return fmt.Sprintf("%s\nmachine %.0f%%", where, 100*load(f.Busy))
	}
	return fmt.Sprintf("%s\nsubject %.0f%% · machine %.0f%%", where, 100*load(f.SubjectBusy), 100*load(f.Busy))
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
	series  []*laneSeries // each lane's run, ready to draw
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
	rows := max(1, pixelWidth(r.l, laneHeight))
	for i, img := range r.imgs {
		ls := r.series[i]
		if ls == nil || ls.p != r.l.runs[i] {
			ls = newLaneSeries(r.l.runs[i])
			r.series[i] = ls
		}
		h := max(1, min(rows, ls.s.Cores()))
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
	r.series = append(r.series, make([]*laneSeries, max(0, len(l.runs)-len(r.series)))...)[:len(l.runs)]
	names := make([]string, len(l.runs))
	for i, p := range l.runs {
		names[i] = runName(p)
	}
	r.labels.set(names)
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
// subject's per-core load where measured, the whole machine's in files made
// before, as the series' one layer.
type laneSeries struct {
	p *profile.Profile
	s heatmap.Series
}

func newLaneSeries(p *profile.Profile) *laneSeries {
	ls := &laneSeries{p: p}
	subject := runtext.SubjectMeasured(p)
	ls.s.Reset(laneCores(p), p.Spec.Interval.D().Seconds(), len(p.Frames))
	for i := range p.Frames {
		f := &p.Frames[i]
		row := f.Busy
		if subject {
			row = f.SubjectBusy
		}
		ls.s.Append(f.T, row, nil)
	}
	return ls
}

// paintLane paints run p's per-core load over the window from..to seconds
// into dst, a column of dst per slice of time, each pixel the busiest of
// its samples, so a short burst never disappears: the subject's own load
// when it was measured, the whole machine's in files made before. Time the
// run does not cover stays clear, so a shorter run ends where it ended. ls
// is p's series from an earlier paint, or nil to build it; it is returned.
func paintLane(pr *heatmap.Painter, dst *image.RGBA, p *profile.Profile, from, to float64, ls *laneSeries) *laneSeries {
	if ls == nil || ls.p != p {
		ls = newLaneSeries(p)
	}
	pr.Heatmap(dst, dst.Rect, &ls.s, heatmap.Machine, from, to, false)
	return ls
}

// sampleAt is the index of run p's sample whose interval holds time t (the
// first ending at or after it); ok is false outside the samples.
func sampleAt(p *profile.Profile, t float64) (i int, ok bool) {
	n := len(p.Frames)
	if n == 0 || t < sampleStart(p, 0) {
		return 0, false
	}
	i = sort.Search(n, func(i int) bool { return p.Frames[i].T >= t })
	return i, i < n
}

// sampleStart is when run p's sample i began: the end of the one before,
// or an interval before the first (without a known interval, the start of
// the recording).
func sampleStart(p *profile.Profile, i int) float64 {
	if i > 0 {
		return p.Frames[i-1].T
	}
	if start := p.Frames[0].T - p.Spec.Interval.D().Seconds(); start < p.Frames[0].T {
		return start
	}
	return 0
}
