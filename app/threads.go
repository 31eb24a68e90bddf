package app

import (
	"cmp"
	"fmt"
	"image"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"corescope/profile"
	"corescope/runners"
)

// corePalette colours a thread sample by the core it last ran on
// (Okabe-Ito and Tableau hues, told apart with most colour blindness).
var corePalette = [...]color.RGBA{
	{0x00, 0x72, 0xb2, 0xff}, {0xe6, 0x9f, 0x00, 0xff}, {0x00, 0x9e, 0x73, 0xff}, {0xcc, 0x79, 0xa7, 0xff},
	{0x56, 0xb4, 0xe9, 0xff}, {0xd5, 0x5e, 0x00, 0xff}, {0xf0, 0xe4, 0x42, 0xff}, {0x8c, 0x56, 0x4b, 0xff},
	{0x7f, 0x7f, 0xff, 0xff}, {0x9a, 0xcd, 0x32, 0xff},
}

// Task spans alternate between two greys so back-to-back tasks stay apart.
var spanColors = [2]color.RGBA{{0xc8, 0xc8, 0xc8, 0xff}, {0x80, 0x80, 0x80, 0xff}}

// laneRows is the pixel rows of one lane: the core colour, then the task span.
const laneRows, coreRows = 4, 3

var _ fyne.Widget = (*ThreadLanes)(nil)

// ThreadLanes draws one lane per subject thread: each sample coloured by the
// core the thread last ran on (idle samples are left blank), and under it
// the spans of the tasks the thread ran.
type ThreadLanes struct {
	widget.BaseWidget

	t0       time.Time // wall clock of time 0
	interval float64
	capacity int // most samples kept; 0 = all
	cols     []threadCol
	events   []runners.Event
	lanes    []laneKey
	lane     map[int]int    // tid -> lane
	names    map[int]string // tid -> process name, known once a run ended
	gen      int            // counts Reset calls, so the renderer renames its lanes

	scratch map[int]runners.Event // reused by paint and dropTasksBefore, by task
}

type threadCol struct {
	t       float64
	samples []profile.ThreadSample
}

type laneKey struct{ pid, tid int }

// NewThreadLanes returns empty lanes.
func NewThreadLanes() *ThreadLanes {
	l := &ThreadLanes{lane: map[int]int{}, names: map[int]string{}, scratch: map[int]runners.Event{}}
	l.ExtendBaseWidget(l)
	return l
}

// Reset empties the lanes for a run that started at t0 and is sampled every
// interval seconds, keeping the last capacity samples (0 = all).
func (l *ThreadLanes) Reset(t0 time.Time, interval float64, capacity int) {
	l.t0, l.interval, l.capacity = t0, interval, capacity
	l.cols, l.events, l.lanes = l.cols[:0], l.events[:0], l.lanes[:0]
	clear(l.lane)
	clear(l.names)
	l.gen++
}

// Add takes one frame's thread samples and events (copied); call Refresh to show them.
func (l *ThreadLanes) Add(t float64, samples []profile.ThreadSample, events []runners.Event) {
	for _, s := range samples {
		if _, ok := l.lane[s.TID]; !ok {
			l.lane[s.TID] = len(l.lanes)
			l.lanes = append(l.lanes, laneKey{s.PID, s.TID})
		}
	}
	l.cols = append(l.cols, threadCol{t: t, samples: append([]profile.ThreadSample(nil), samples...)})
	for _, e := range events {
		if e.Ev == runners.EvTaskStart || e.Ev == runners.EvTaskEnd {
			l.events = append(l.events, e)
		}
	}
	if l.capacity > 0 && len(l.cols) > l.capacity {
		drop := len(l.cols) - l.capacity
		l.cols = append(l.cols[:0], l.cols[drop:]...)
		from, _ := l.window()
		l.dropTasksBefore(from)
	}
}

// dropTasksBefore forgets the tasks that ended before from, start and end,
// so the events stay bounded and an old start is never taken for a task
// still running.
func (l *ThreadLanes) dropTasksBefore(from float64) {
	clear(l.scratch)
	for _, e := range l.events {
		if e.Ev == runners.EvTaskEnd && l.eventT(e) < from {
			l.scratch[e.Task] = runners.Event{}
		}
	}
	if len(l.scratch) == 0 {
		return
	}
	keep := l.events[:0]
	for _, e := range l.events {
		if _, ended := l.scratch[e.Task]; !ended {
			keep = append(keep, e)
		}
	}
	l.events = keep
}

// SetProfile takes a whole recorded run, whose lanes are named after their
// processes; call Refresh to show it.
func (l *ThreadLanes) SetProfile(p *profile.Profile) {
	l.Reset(p.Started, p.Spec.WithDefaults().Interval.D().Seconds(), 0)
	for i := range p.Frames {
		l.Add(p.Frames[i].T, p.Frames[i].ThreadSamples, nil)
	}
	l.events = append(l.events, p.Events...)
	for _, th := range p.Threads {
		l.names[th.TID] = cmp.Or(th.Process, th.Name)
	}
}

// laneName names a lane: process and thread id once known, pid/tid live.
func (l *ThreadLanes) laneName(k laneKey) string {
	if name := l.names[k.tid]; name != "" {
		return fmt.Sprintf("%s %d", name, k.tid)
	}
	return fmt.Sprintf("%d/%d", k.pid, k.tid)
}

// window is the time the lanes cover.
func (l *ThreadLanes) window() (from, length float64) {
	if len(l.cols) == 0 {
		return 0, l.interval
	}
	from = l.cols[0].t - l.interval
	return from, l.cols[len(l.cols)-1].t - from
}

func (l *ThreadLanes) eventT(e runners.Event) float64 {
	return float64(e.TNs-l.t0.UnixNano()) / 1e9
}

// cores is how many distinct cores the samples mention (max core + 1).
func (l *ThreadLanes) cores() int {
	n := 0
	for _, c := range l.cols {
		for _, s := range c.samples {
			n = max(n, s.Core+1)
		}
	}
	return n
}

// paint draws the lanes into dst, which must be len(cols) x lanes*laneRows.
func (l *ThreadLanes) paint(dst *image.RGBA) {
	clear(dst.Pix)
	for x, c := range l.cols {
		for _, s := range c.samples {
			if !(s.CPU > 0) || s.Core < 0 {
				continue // idle: blank
			}
			y0 := l.lane[s.TID] * laneRows
			for y := y0; y < y0+coreRows; y++ {
				dst.SetRGBA(x, y, corePalette[s.Core%len(corePalette)])
			}
		}
	}
	from, length := l.window()
	w := dst.Rect.Dx()
	drawSpan := func(start runners.Event, t1 float64) {
		lane, ok := l.lane[start.TID]
		if !ok || !(length > 0) {
			return
		}
		x0 := max(int((l.eventT(start)-from)/length*float64(w)), 0)
		x1 := min(int((t1-from)/length*float64(w)), w-1)
		if x1 < x0 {
			return
		}
		c := spanColors[start.Task%2]
		row := dst.Pix[dst.PixOffset(x0, lane*laneRows+coreRows):]
		for i := range x1 - x0 + 1 {
			px := row[4*i : 4*i+4 : 4*i+4]
			px[0], px[1], px[2], px[3] = c.R, c.G, c.B, c.A
		}
	}
	started := l.scratch
	clear(started)
	for _, e := range l.events {
		switch e.Ev {
		case runners.EvTaskStart:
			started[e.Task] = e
		case runners.EvTaskEnd:
			if s, ok := started[e.Task]; ok {
				drawSpan(s, l.eventT(e))
				delete(started, e.Task)
			}
		}
	}
	for _, s := range started { // still running
		drawSpan(s, from+length)
	}
}

func (l *ThreadLanes) CreateRenderer() fyne.WidgetRenderer {
	l.ExtendBaseWidget(l)
	r := &lanesRenderer{l: l, pix: image.NewRGBA(image.Rect(0, 0, 1, 1)), axis: newTimeAxis(12)}
	r.img = canvas.NewImageFromImage(r.pix)
	r.img.ScaleMode = canvas.ImageScalePixels
	r.img.FillMode = canvas.ImageFillStretch
	r.bg = canvas.NewRectangle(nil)
	r.empty = canvas.NewText("No thread samples yet (they need Linux /proc)", nil)
	r.Refresh()
	return r
}

type lanesRenderer struct {
	l      *ThreadLanes
	bg     *canvas.Rectangle
	img    *canvas.Image
	pix    *image.RGBA
	empty  *canvas.Text
	labels rowLabels
	axis   *timeAxis
	lanes  int // the lanes and generation the labels were made for
	gen    int
	size   fyne.Size
	objs   []fyne.CanvasObject
}

func (r *lanesRenderer) Destroy() {}

func (r *lanesRenderer) MinSize() fyne.Size { return fyne.NewSize(200, 80) }

func (r *lanesRenderer) Objects() []fyne.CanvasObject { return r.objs }

func (r *lanesRenderer) Layout(size fyne.Size) {
	r.size = size
	gutter := r.labels.width(r.l) + 6
	axisH := fyne.MeasureText("0 s", captionSize(r.l), fyne.TextStyle{}).Height
	area := fyne.NewSize(max(size.Width-gutter, 1), max(size.Height-axisH-2, 1))
	// Lanes stay at most 24 units high, so a few threads do not fill the tab with stripes.
	area.Height = min(area.Height, float32(max(len(r.l.lanes), 1))*24)
	for _, o := range []fyne.CanvasObject{r.bg, r.img} {
		o.Move(fyne.NewPos(gutter, 0))
		o.Resize(area)
	}
	r.empty.Move(fyne.NewPos(gutter+8, 8))
	r.empty.Resize(r.empty.MinSize())
	r.labels.place(r.l, gutter, 0, area.Height)
	from, length := r.l.window()
	r.axis.place(r.l, from, length, gutter, area.Width, area.Height+2)
}

func (r *lanesRenderer) Refresh() {
	l := r.l
	if r.lanes != len(l.lanes) || r.gen != l.gen || r.objs == nil {
		r.lanes, r.gen = len(l.lanes), l.gen
		texts := make([]string, len(l.lanes))
		for i, k := range l.lanes {
			texts[i] = l.laneName(k)
		}
		r.labels.set(texts)
		r.objs = append([]fyne.CanvasObject{r.bg, r.img, r.empty}, r.labels.objects()...)
		r.objs = append(r.objs, r.axis.objects()...)
	}
	w, h := max(len(l.cols), 1), max(len(l.lanes)*laneRows, 1)
	if r.pix.Rect.Dx() != w || r.pix.Rect.Dy() != h {
		r.pix = image.NewRGBA(image.Rect(0, 0, w, h))
		r.img.Image = r.pix
	}
	l.paint(r.pix)
	r.bg.FillColor = themeColor(l, theme.ColorNameInputBackground)
	r.empty.Color, r.empty.TextSize = themeColor(l, theme.ColorNamePlaceHolder), captionSize(l)
	r.empty.Hidden = len(l.lanes) > 0
	r.bg.Refresh()
	r.empty.Refresh()
	r.Layout(r.size)
	canvas.Refresh(r.img)
}

// threadsView is the Threads tab: the lanes and their colour legend. It
// takes samples all the time but draws only while its tab is shown.
type threadsView struct {
	lanes   *ThreadLanes
	legend  *fyne.Container
	content fyne.CanvasObject
	cores   int
	visible bool
}

func newThreadsView() *threadsView {
	v := &threadsView{lanes: NewThreadLanes(), legend: container.NewHBox()}
	note := widget.NewLabel("One lane per thread (pid/tid while running, process and tid after), coloured by the core it last ran on; grey bars under a lane are its tasks.")
	note.Wrapping = fyne.TextWrapWord
	v.content = container.NewBorder(container.NewVBox(note, container.NewHScroll(v.legend)), nil, nil, nil, v.lanes)
	return v
}

// begin clears the lanes for a live run that started at t0.
func (v *threadsView) begin(t0 time.Time, interval float64) {
	v.lanes.Reset(t0, interval, liveColumns)
}

func (v *threadsView) add(f *profile.Frame) {
	v.lanes.Add(f.T, f.ThreadSamples, f.Events)
}

// setVisible says whether the tab is shown; showing it draws what came
// while it was hidden.
func (v *threadsView) setVisible(visible bool) {
	v.visible = visible
	v.refresh()
}

func (v *threadsView) refresh() {
	if !v.visible {
		return
	}
	v.lanes.Refresh()
	v.updateLegend()
}

func (v *threadsView) show(p *profile.Profile) {
	v.lanes.SetProfile(p)
	v.refresh()
}

// updateLegend names the colour of each core seen so far.
func (v *threadsView) updateLegend() {
	n := min(v.lanes.cores(), len(corePalette))
	if n == v.cores {
		return
	}
	v.cores = n
	var items []fyne.CanvasObject
	for c := range n {
		sw := canvas.NewRectangle(corePalette[c])
		sw.SetMinSize(fyne.NewSize(14, 14))
		name := fmt.Sprintf("core %d", c)
		if v.lanes.cores() > len(corePalette) {
			name = fmt.Sprintf("cores %d+%dk", c, len(corePalette))
		}
		items = append(items, container.NewCenter(sw), widget.NewLabel(name))
	}
	v.legend.Objects = items
	v.legend.Refresh()
}
