package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var (
	_ fyne.Widget        = (*runRow)(nil)
	_ fyne.Tappable      = (*runRow)(nil)
	_ desktop.Hoverable  = (*runRow)(nil)
	_ desktop.Cursorable = (*runRow)(nil)
)

// runRow is the background of one run's row in the summary table, under
// its cells: the wall-time and speedup bars in their columns, highlighted
// while it is the run shown in Live and Threads or under the pointer, and
// tapping it shows that run.
type runRow struct {
	widget.BaseWidget
	bars           [2]rowBar // wall time, speedup: see barColumns
	shown, hovered bool
	onTap          func()
}

// rowBar is a bar frac of the width of the column from x, w units wide.
type rowBar struct {
	frac float64
	x, w float32
}

func newRunRow(onTap func()) *runRow {
	r := &runRow{onTap: onTap}
	r.ExtendBaseWidget(r)
	return r
}

func (r *runRow) Tapped(*fyne.PointEvent) { r.onTap() }

func (r *runRow) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (r *runRow) MouseIn(*desktop.MouseEvent) { r.hover(true) }

func (r *runRow) MouseMoved(*desktop.MouseEvent) {}

func (r *runRow) MouseOut() { r.hover(false) }

func (r *runRow) hover(on bool) {
	if r.hovered != on {
		r.hovered = on
		r.Refresh()
	}
}

func (r *runRow) CreateRenderer() fyne.WidgetRenderer {
	rr := &runRowRenderer{row: r, bg: canvas.NewRectangle(color.Transparent)}
	for i := range rr.bars {
		rr.bars[i] = canvas.NewRectangle(color.Transparent)
	}
	rr.objs = []fyne.CanvasObject{rr.bg, rr.bars[0], rr.bars[1]}
	rr.Refresh()
	return rr
}

type runRowRenderer struct {
	row  *runRow
	bg   *canvas.Rectangle
	bars [2]*canvas.Rectangle
	objs []fyne.CanvasObject
	size fyne.Size
}

func (rr *runRowRenderer) Destroy() {}

func (rr *runRowRenderer) MinSize() fyne.Size { return fyne.Size{} }

func (rr *runRowRenderer) Objects() []fyne.CanvasObject { return rr.objs }

// Layout draws each bar from its column's left edge, inset so it reads as
// a bar behind the figure, not a cell's fill.
func (rr *runRowRenderer) Layout(size fyne.Size) {
	rr.size = size
	rr.bg.Resize(size)
	inset := theme.Padding()
	for i, b := range rr.bars {
		bar := rr.row.bars[i]
		b.Move(fyne.NewPos(bar.x+inset, inset))
		b.Resize(fyne.NewSize(float32(bar.frac)*max(bar.w-2*inset, 0), max(size.Height-2*inset, 0)))
	}
}

func (rr *runRowRenderer) Refresh() {
	r := rr.row
	bg := color.Color(color.Transparent)
	switch {
	case r.shown:
		bg = themeColor(r, theme.ColorNameSelection)
	case r.hovered:
		bg = themeColor(r, theme.ColorNameHover)
	}
	rr.bg.FillColor = bg
	primary := themeColor(r, theme.ColorNamePrimary)
	cr, cg, cb, _ := primary.RGBA()
	for _, b := range rr.bars {
		b.FillColor = color.NRGBA{R: uint8(cr >> 8), G: uint8(cg >> 8), B: uint8(cb >> 8), A: 0x70}
	}
	rr.Layout(rr.size)
	canvas.Refresh(r)
}
