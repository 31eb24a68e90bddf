package app

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"corescope/lanes"
)

var _ fyne.Widget = (*ThreadLanes)(nil)

// ThreadLanes shows lanes.Lanes: one lane per subject thread, named down
// the side, over a time axis.
type ThreadLanes struct {
	widget.BaseWidget
	*lanes.Lanes
}

// NewThreadLanes returns empty lanes.
func NewThreadLanes() *ThreadLanes {
	l := &ThreadLanes{Lanes: lanes.New()}
	l.ExtendBaseWidget(l)
	return l
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
	area.Height = min(area.Height, float32(max(r.l.Len(), 1))*24)
	for _, o := range []fyne.CanvasObject{r.bg, r.img} {
		o.Move(fyne.NewPos(gutter, 0))
		o.Resize(area)
	}
	r.empty.Move(fyne.NewPos(gutter+8, 8))
	r.empty.Resize(r.empty.MinSize())
	r.labels.place(r.l, gutter, 0, area.Height)
	from, length := r.l.Window()
	r.axis.place(r.l, from, length, gutter, area.Width, area.Height+2)
}

func (r *lanesRenderer) Refresh() {
	l := r.l
	if r.lanes != l.Len() || r.gen != l.Generation() || r.objs == nil {
		r.lanes, r.gen = l.Len(), l.Generation()
		r.labels.set(l.Names())
		r.objs = append([]fyne.CanvasObject{r.bg, r.img, r.empty}, r.labels.objects()...)
		r.objs = append(r.objs, r.axis.objects()...)
	}
	w, h := max(l.Columns(), 1), max(l.Len()*lanes.Rows, 1)
	if r.pix.Rect.Dx() != w || r.pix.Rect.Dy() != h {
		r.pix = image.NewRGBA(image.Rect(0, 0, w, h))
		r.img.Image = r.pix
	}
	l.Paint(r.pix)
	r.bg.FillColor = themeColor(l, theme.ColorNameInputBackground)
	r.empty.Color, r.empty.TextSize = themeColor(l, theme.ColorNamePlaceHolder), captionSize(l)
	r.empty.Hidden = l.Len() > 0
	r.bg.Refresh()
	r.empty.Refresh()
	r.Layout(r.size)
	canvas.Refresh(r.img)
}
