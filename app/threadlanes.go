package app

import (
	"fmt"
	"image"
	"os"
	"runtime/debug"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"corescope/lanes"
	"corescope/profile"
	"corescope/runtext"
)

var (
	_ fyne.Widget       = (*threadLanes)(nil)
	_ fyne.Scrollable   = (*threadLanes)(nil)
	_ fyne.Draggable    = (*threadLanes)(nil)
	_ fyne.Focusable    = (*threadLanes)(nil)
	_ fyne.Tappable     = (*threadLanes)(nil)
	_ desktop.Hoverable = (*threadLanes)(nil)
)

// threadLanes shows lanes.Lanes: one lane per subject thread, named down
// the side, over a time axis. The user zooms with the mouse wheel (around
// the pointer) or + and -, pans by dragging or with the arrow keys, and 0
// fits the whole run (see timeGestures), exact slices down to a
// millisecond, sampled lanes to two samples; each step repaints once,
// nothing animates. Hovering a lane shows its thread, the time, its core
// and its task there.
type threadLanes struct {
	widget.BaseWidget
	*lanes.Lanes
	timeGestures
	hoverReadout
	view  timeView
	areaH float32 // the lanes' height, from the last layout

	// emptyText is what the lanes say while they have none.
	emptyText string
	// onLanes is called when the lanes shown change: new threads, a
	// height that fits more or fewer (the view says what the last merges).
	onLanes func()
}

// noSamplesYet is what empty lanes say during a run.
const noSamplesYet = "No thread samples yet"

// SetEmptyText sets what the lanes say while they have none: why a run has
// no thread lanes; call Refresh to show it.
func (l *threadLanes) SetEmptyText(s string) { l.emptyText = s }

// newThreadLanes returns empty lanes.
func newThreadLanes() *threadLanes {
	l := &threadLanes{Lanes: lanes.New(), emptyText: noSamplesYet}
	l.timeGestures = timeGestures{view: &l.view, self: l, changed: l.Refresh}
	l.ExtendBaseWidget(l)
	return l
}

// Reset empties the lanes for a live run and fits the view.
func (l *threadLanes) Reset(t0 time.Time, interval float64, capacity int) {
	l.Lanes.Reset(t0, interval, capacity)
	l.view.Fit()
}

// SetProfile shows a recorded run, fitted.
func (l *threadLanes) SetProfile(p *profile.Profile) {
	l.Lanes.SetProfile(p)
	l.view.Fit()
}

// Window is the time shown, in seconds of the run: the view, told first
// what the lanes cover now and how far they zoom.
func (l *threadLanes) Window() (from, to float64) {
	from, length := l.Extent()
	return l.view.WindowOver(from, from+length, l.MinWindow())
}

// readout words what the lanes show at pos: "" outside them.
func (l *threadLanes) readout(pos fyne.Position) string {
	x := pos.X - l.x0
	if l.Len() == 0 || x < 0 || x >= l.width || pos.Y < 0 || pos.Y >= l.areaH {
		return ""
	}
	from, to := l.view.Window()
	px := (to - from) / float64(l.width) // a unit's time: the painted pixel, near enough
	t := from + float64(x)*px
	var h lanes.Hit
	ok := false
	if err := recovered("The lane under the pointer could not be read", func() { h, ok = l.At(int(pos.Y/l.areaH*float32(l.Len())), t, t+px) }); err != nil {
		return err.Error()
	}
	if !ok {
		return ""
	}
	return laneText(h, t+px/2)
}

// laneText words a lane's hit at time t: the thread, the time, the core or
// what the thread did off a core, and the task. On the fold's lane the thread is the one on a core there, or
// the fold itself where none was.
func laneText(h lanes.Hit, t float64) string {
	who := fmt.Sprintf("pid %d tid %d", h.PID, h.TID)
	if h.Process != "" {
		who = fmt.Sprintf("%s (pid %d) tid %d", h.Process, h.PID, h.TID)
	}
	if h.Thread != "" && h.Thread != h.Process {
		who += " " + h.Thread
	}
	switch {
	case h.Fold != "" && h.Core < 0:
		who = h.Fold
	case h.Fold != "":
		who += ", one of " + h.Fold
	}
	on := runtext.OffCore(h.State, h.Kind, h.Wait)
	if h.Core >= 0 {
		on = fmt.Sprintf("core %d (%s)", h.Core, spanText(h.From, h.To))
	}
	task := "no task"
	if h.InTask {
		task = fmt.Sprintf("task %d", h.Task)
	}
	return fmt.Sprintf("%s\n%s · %s · %s", who, timeText(t), on, task)
}

func (l *threadLanes) CreateRenderer() fyne.WidgetRenderer {
	l.ExtendBaseWidget(l)
	r := &lanesRenderer{l: l, pix: image.NewRGBA(image.Rect(0, 0, 1, 1)), axis: newTimeAxis(12), labels: rowLabels{keepLast: true}}
	r.img = canvas.NewImageFromImage(r.pix)
	r.img.ScaleMode = canvas.ImageScalePixels
	r.img.FillMode = canvas.ImageFillStretch
	r.bg = canvas.NewRectangle(nil)
	r.empty = canvas.NewText(l.emptyText, nil)
	l.hoverReadout.init(l, l.readout)
	r.Refresh()
	return r
}

type lanesRenderer struct {
	l      *threadLanes
	bg     *canvas.Rectangle
	img    *canvas.Image
	pix    *image.RGBA
	empty  *canvas.Text
	labels rowLabels
	axis   *timeAxis
	lanes  int // the lanes and generation the labels were made for
	gen    int
	size   fyne.Size
	area   fyne.Size // where the lanes are drawn
	objs   []fyne.CanvasObject
}

func (r *lanesRenderer) Destroy() {}

func (r *lanesRenderer) MinSize() fyne.Size { return fyne.NewSize(200, 80) }

func (r *lanesRenderer) Objects() []fyne.CanvasObject { return r.objs }

// Layout places the lanes and repaints them when their pixel size changed.
func (r *lanesRenderer) Layout(size fyne.Size) {
	r.place(size)
	if r.resize() {
		r.paint()
	}
}

func (r *lanesRenderer) place(size fyne.Size) {
	r.size = size
	axisH := fyne.MeasureText("0 s", captionSize(r.l), fyne.TextStyle{}).Height
	// Lanes stay at most 24 units high, so a few threads do not fill the tab with stripes.
	height := min(max(size.Height-axisH-2, 1), float32(max(r.l.Total(), 1))*24)
	// As many lanes as get their Rows pixel rows: the last merges the rest,
	// so the picture, its labels and a paint cost what the screen shows.
	r.l.SetMaxLanes(max(pixelWidth(r.l, height)/lanes.Rows, 1))
	r.relabel()
	gutter := r.labels.width(r.l) + 6
	r.area = fyne.NewSize(max(size.Width-gutter, 1), height)
	r.l.x0, r.l.width, r.l.areaH = gutter, r.area.Width, r.area.Height
	for _, o := range []fyne.CanvasObject{r.bg, r.img} {
		o.Move(fyne.NewPos(gutter, 0))
		o.Resize(r.area)
	}
	r.empty.Move(fyne.NewPos(gutter+8, 8))
	r.empty.Resize(r.empty.MinSize())
	r.labels.place(r.l, gutter, 0, r.area.Height)
	from, to := r.l.Window()
	r.axis.place(r.l, from, to-from, gutter, r.area.Width, r.area.Height+2)
	r.l.hoverReadout.fit(size)
}

// relabel names the lanes shown, when they or their names changed, and
// tells the view (see threadLanes.onLanes).
func (r *lanesRenderer) relabel() {
	l := r.l
	if r.lanes == l.Len() && r.gen == l.Generation() && r.objs != nil {
		return
	}
	r.lanes, r.gen = l.Len(), l.Generation()
	r.labels.set(l.Names())
	r.objs = append([]fyne.CanvasObject{r.bg, r.img, r.empty}, r.labels.objects()...)
	r.objs = append(r.objs, r.axis.objects()...)
	r.objs = append(r.objs, l.hoverReadout.objects()...)
	if l.onLanes != nil {
		l.onLanes()
	}
}

// resize sizes the image to the pixel width the lanes cover on screen,
// whatever the zoom. It reports whether the image changed.
func (r *lanesRenderer) resize() bool {
	w, h := max(pixelWidth(r.l, r.area.Width), 1), max(r.l.Len()*lanes.Rows, 1)
	if r.pix.Rect.Dx() == w && r.pix.Rect.Dy() == h {
		return false
	}
	r.pix = image.NewRGBA(image.Rect(0, 0, w, h))
	r.img.Image = r.pix
	return true
}

// paint draws the lanes over the view's window, or says why it could not:
// what a subject sent or a file held must not take the window and its
// session down with it (see recovered).
func (r *lanesRenderer) paint() {
	l := r.l
	from, to := l.Window()
	err := recovered("The thread lanes could not be drawn", func() { l.Paint(r.pix, from, to) })
	r.empty.Text, r.empty.Hidden = l.emptyText, l.Len() > 0
	if err != nil {
		clear(r.pix.Pix)
		r.empty.Text, r.empty.Hidden = err.Error(), false
	}
	r.empty.Resize(r.empty.MinSize())
	r.empty.Refresh()
	canvas.Refresh(r.img)
}

// recovered runs f, a view's work on data it did not make, and turns a
// panic in it into an error that says it failed and why, with the stack
// on stderr for a bug report. The lanes' paint and readout only read what
// they were given and redo their scratch each time, so the view can go on
// after one failed.
func recovered(failed string, f func()) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%s: %v", failed, v)
			fmt.Fprintf(os.Stderr, "corescope: %v\n%s", err, debug.Stack())
		}
	}()
	f()
	return nil
}

func (r *lanesRenderer) Refresh() {
	l := r.l
	r.bg.FillColor = themeColor(l, theme.ColorNameInputBackground)
	r.empty.Color, r.empty.TextSize = themeColor(l, theme.ColorNamePlaceHolder), captionSize(l)
	r.bg.Refresh()
	r.place(r.size)
	r.resize()
	r.paint()
	l.again() // new lanes, or a zoom, under a still pointer
}
