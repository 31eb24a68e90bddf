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
	// sample appends sample i's row as fractions to cols, reusing the
	// fractions of an earlier paint where cols has them.
	sample := func(i int) {
		row := p.Frames[i].Busy
		if subject {
			row = p.Frames[i].SubjectBusy
		}
		var reused []float64
		if len(cols) < cap(cols) {
			reused = cols[:len(cols)+1][len(cols)]
		}
		cols = append(cols, row.Fractions(reused))
	}
	// at is the time at the middle of pixel column x.
	at := func(x int) float64 { return from + (float64(x)+0.5)/float64(w)*(to-from) }
	x0, x1 := -1, 0
	cols = cols[:0]
	for x := range w {
		i, ok := sampleAt(p, at(x))
		if !ok {
			continue
		}
		if x0 < 0 {
			x0 = x
		}
		x1 = x + 1
		sample(i)
	}
	if x0 < 0 {
		return cols
	}
	// Zoomed out past a sample a pixel, hand the painter every sample, so
	// it shows each pixel's busiest and a short burst never disappears.
	first, _ := sampleAt(p, at(x0))
	last, _ := sampleAt(p, at(x1-1))
	if last-first+1 > x1-x0 {
		cols = cols[:0]
		for i := first; i <= min(last, n-1); i++ {
			sample(i)
		}
	}
	pr.Heatmap(dst, image.Rect(x0, 0, x1, dst.Rect.Dy()), cols, false)
	return cols
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
