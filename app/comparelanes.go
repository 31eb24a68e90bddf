package app

import (
	"image"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"corescope/heatmap"
	"corescope/profile"
	"corescope/runtext"
)

var (
	_ fyne.Widget     = (*runLanes)(nil)
	_ fyne.Scrollable = (*runLanes)(nil)
	_ fyne.Draggable  = (*runLanes)(nil)
	_ fyne.Focusable  = (*runLanes)(nil)
	_ fyne.Tappable   = (*runLanes)(nil)
)

// runLanes draws a group's runs one under the other on one time scale, so
// a four-second run and a tenth of a second one compare at a glance: each
// run's per-core heatmap from the start of its recording, named in the
// gutter, the time axis under them. They zoom and pan together, as one
// TimeView (see timeGestures); tapping a run selects it.
type runLanes struct {
	widget.BaseWidget
	timeGestures
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

func (l *runLanes) CreateRenderer() fyne.WidgetRenderer {
	l.ExtendBaseWidget(l)
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
	cols    [][]float64 // scratch: the samples of one lane's pixel columns
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

// paint draws every lane over the view's window, w pixels wide.
func (r *runLanesRenderer) paint(w int) {
	from, to := r.l.view.Window()
	for i, img := range r.imgs {
		dst, ok := img.Image.(*image.RGBA)
		if !ok || dst.Rect.Dx() != max(w, 1) || dst.Rect.Dy() != laneCores(r.l.runs[i]) {
			dst = image.NewRGBA(image.Rect(0, 0, max(w, 1), laneCores(r.l.runs[i])))
			img.Image = dst
		}
		r.cols = paintLane(&r.painter, dst, r.l.runs[i], from, to, r.cols)
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
	r.Layout(r.size)
}

// laneCores is how many cores run p's samples hold, at least one.
func laneCores(p *profile.Profile) int {
	cores := 1
	for i := range p.Frames {
		cores = max(cores, len(p.Frames[i].Busy))
	}
	return cores
}

// paintLane paints run p's per-core load over the window from..to seconds
// into dst, a column of dst per slice of time: the subject's own load when
// it was measured, the whole machine's in files made before. Time the run
// does not cover stays clear, so a shorter run ends where it ended. cols is
// scratch space, returned for reuse.
func paintLane(pr *heatmap.Painter, dst *image.RGBA, p *profile.Profile, from, to float64, cols [][]float64) [][]float64 {
	clear(dst.Pix)
	w, n := dst.Rect.Dx(), len(p.Frames)
	if n == 0 || !(to > from) {
		return cols
	}
	subject := runtext.SubjectMeasured(p)
	sample := func(i int) []float64 {
		if subject {
			return p.Frames[i].SubjectBusy
		}
		return p.Frames[i].Busy
	}
	// The first sample covers an interval before it; without a known
	// interval, from the start of the recording.
	start := p.Frames[0].T - p.Spec.Interval.D().Seconds()
	if !(start < p.Frames[0].T) {
		start = 0
	}
	// frameAt is the frame whose interval holds time t: the first ending at or after it.
	frameAt := func(t float64) int { return sort.Search(n, func(i int) bool { return p.Frames[i].T >= t }) }
	x0, x1 := -1, 0
	cols = cols[:0]
	for x := range w {
		t := from + (float64(x)+0.5)/float64(w)*(to-from)
		if t < start {
			continue
		}
		i := frameAt(t)
		if i == n {
			break
		}
		if x0 < 0 {
			x0 = x
		}
		x1 = x + 1
		cols = append(cols, sample(i))
	}
	if x0 < 0 {
		return cols
	}
	// Zoomed out past a sample a pixel, hand the painter every sample, so
	// it shows each pixel's busiest and a short burst never disappears.
	first, last := frameAt(from+(float64(x0)+0.5)/float64(w)*(to-from)), frameAt(from+(float64(x1)-0.5)/float64(w)*(to-from))
	if last-first+1 > x1-x0 {
		cols = cols[:0]
		for i := first; i <= min(last, n-1); i++ {
			cols = append(cols, sample(i))
		}
	}
	pr.Heatmap(dst, image.Rect(x0, 0, x1, dst.Rect.Dy()), cols, false)
	return cols
}
