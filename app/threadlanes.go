package app

import (
	"image"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"corescope/lanes"
)

var (
	_ fyne.Widget     = (*ThreadLanes)(nil)
	_ fyne.Scrollable = (*ThreadLanes)(nil)
	_ fyne.Draggable  = (*ThreadLanes)(nil)
	_ fyne.Focusable  = (*ThreadLanes)(nil)
	_ fyne.Tappable   = (*ThreadLanes)(nil)
)

// ThreadLanes shows lanes.Lanes: one lane per subject thread, named down
// the side, over a time axis. With exact slices the user zooms with the
// mouse wheel (around the pointer) or + and -, pans by dragging or with the
// arrow keys, and 0 fits the whole run; each step repaints once, nothing
// animates.
type ThreadLanes struct {
	widget.BaseWidget
	*lanes.Lanes

	// Where the lanes are drawn, from the last layout, so a pointer's x
	// maps to a time.
	areaX, areaW float32
}

// NewThreadLanes returns empty lanes.
func NewThreadLanes() *ThreadLanes {
	l := &ThreadLanes{Lanes: lanes.New()}
	l.ExtendBaseWidget(l)
	return l
}

// Zoom steps: a wheel notch (25 units of scroll on Linux) zooms by about
// 1.4x, a key press by 2x, an arrow key pans by a tenth of the view.
const (
	scrollPerDoubling = 50
	keyZoom           = 2
	keyPan            = 0.1
)

// Scrolled zooms around the pointer.
func (l *ThreadLanes) Scrolled(ev *fyne.ScrollEvent) {
	at := 0.5
	if l.areaW > 0 {
		at = float64((ev.Position.X - l.areaX) / l.areaW)
	}
	l.zoom(math.Exp2(-float64(ev.Scrolled.DY)/scrollPerDoubling), at)
}

// Dragged pans with the pointer: the time under it stays under it.
func (l *ThreadLanes) Dragged(ev *fyne.DragEvent) {
	if l.areaW > 0 {
		l.pan(-float64(ev.Dragged.DX / l.areaW))
	}
}

func (l *ThreadLanes) DragEnd() {}

// Tapped takes the keyboard focus, for the zoom and pan keys.
func (l *ThreadLanes) Tapped(*fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(l); c != nil {
		c.Focus(l)
	}
}

// FocusGained and FocusLost draw nothing: no cursor, no animation.
func (l *ThreadLanes) FocusGained() {}
func (l *ThreadLanes) FocusLost()   {}

// TypedRune zooms around the centre with + and -; 0 fits the run.
func (l *ThreadLanes) TypedRune(r rune) {
	switch r {
	case '+', '=':
		l.zoom(1.0/keyZoom, 0.5)
	case '-', '_':
		l.zoom(keyZoom, 0.5)
	case '0':
		l.FitRun()
	}
}

// TypedKey pans with the arrow keys; Home fits the run.
func (l *ThreadLanes) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyLeft:
		l.pan(-keyPan)
	case fyne.KeyRight:
		l.pan(keyPan)
	case fyne.KeyHome:
		l.FitRun()
	}
}

// FitRun shows the whole run again.
func (l *ThreadLanes) FitRun() {
	l.Fit()
	l.Refresh()
}

func (l *ThreadLanes) zoom(factor, at float64) {
	if l.Exact() {
		l.Zoom(factor, at)
		l.Refresh()
	}
}

func (l *ThreadLanes) pan(by float64) {
	if l.Exact() {
		l.Pan(by)
		l.Refresh()
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
	gutter := r.labels.width(r.l) + 6
	axisH := fyne.MeasureText("0 s", captionSize(r.l), fyne.TextStyle{}).Height
	r.area = fyne.NewSize(max(size.Width-gutter, 1), max(size.Height-axisH-2, 1))
	// Lanes stay at most 24 units high, so a few threads do not fill the tab with stripes.
	r.area.Height = min(r.area.Height, float32(max(r.l.Len(), 1))*24)
	r.l.areaX, r.l.areaW = gutter, r.area.Width
	for _, o := range []fyne.CanvasObject{r.bg, r.img} {
		o.Move(fyne.NewPos(gutter, 0))
		o.Resize(r.area)
	}
	r.empty.Move(fyne.NewPos(gutter+8, 8))
	r.empty.Resize(r.empty.MinSize())
	r.labels.place(r.l, gutter, 0, r.area.Height)
	from, length := r.l.Window()
	r.axis.place(r.l, from, length, gutter, r.area.Width, r.area.Height+2)
}

// resize sizes the image: exact lanes are painted at the pixel width they
// cover on screen, whatever the zoom; sampled ones get a column a sample.
// It reports whether the image changed.
func (r *lanesRenderer) resize() bool {
	w := r.l.Columns()
	if r.l.Exact() {
		scale := float32(1)
		if c := fyne.CurrentApp().Driver().CanvasForObject(r.l); c != nil {
			scale = c.Scale()
		}
		w = int(r.area.Width * scale)
	}
	w, h := max(w, 1), max(r.l.Len()*lanes.Rows, 1)
	if r.pix.Rect.Dx() == w && r.pix.Rect.Dy() == h {
		return false
	}
	r.pix = image.NewRGBA(image.Rect(0, 0, w, h))
	r.img.Image = r.pix
	return true
}

func (r *lanesRenderer) paint() {
	r.l.Paint(r.pix)
	canvas.Refresh(r.img)
}

func (r *lanesRenderer) Refresh() {
	l := r.l
	if r.lanes != l.Len() || r.gen != l.Generation() || r.objs == nil {
		r.lanes, r.gen = l.Len(), l.Generation()
		r.labels.set(l.Names())
		r.objs = append([]fyne.CanvasObject{r.bg, r.img, r.empty}, r.labels.objects()...)
		r.objs = append(r.objs, r.axis.objects()...)
	}
	r.bg.FillColor = themeColor(l, theme.ColorNameInputBackground)
	r.empty.Color, r.empty.TextSize = themeColor(l, theme.ColorNamePlaceHolder), captionSize(l)
	r.empty.Hidden = l.Len() > 0
	r.bg.Refresh()
	r.empty.Refresh()
	r.place(r.size)
	r.resize()
	r.paint()
}
