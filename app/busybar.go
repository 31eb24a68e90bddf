package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// busyBar says a command is running, whose progress corescope cannot know.
// It replaces Fyne's ProgressBarInfinite, which animates at 60 frames a
// second: every frame repaints the whole window, which cost most of a core
// with software OpenGL. This bar moves one step each time Start is called,
// and showProgress calls it on every redraw of a run, so it moves only when
// the window repaints anyway.
type busyBar struct {
	widget.BaseWidget
	step int
}

var _ fyne.Widget = (*busyBar)(nil)

// busySteps is how many steps the block takes across the bar and back.
const busySteps = 20

func newBusyBar() *busyBar {
	b := &busyBar{}
	b.ExtendBaseWidget(b)
	return b
}

// Start moves the block one step.
func (b *busyBar) Start() {
	b.step++
	b.Refresh()
}

// Stop puts the block back at the start for the next run.
func (b *busyBar) Stop() { b.step = 0 }

func (b *busyBar) MinSize() fyne.Size {
	return widget.NewProgressBar().MinSize()
}

func (b *busyBar) CreateRenderer() fyne.WidgetRenderer {
	r := &busyRenderer{b: b, bg: canvas.NewRectangle(nil), block: canvas.NewRectangle(nil)}
	r.Refresh()
	return r
}

type busyRenderer struct {
	b         *busyBar
	bg, block *canvas.Rectangle
}

func (r *busyRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	w := size.Width / 5
	phase := r.b.step % (2 * busySteps)
	if phase > busySteps {
		phase = 2*busySteps - phase // on the way back
	}
	r.block.Move(fyne.NewPos((size.Width-w)*float32(phase)/busySteps, 0))
	r.block.Resize(fyne.NewSize(w, size.Height))
}

func (r *busyRenderer) MinSize() fyne.Size { return r.b.MinSize() }

func (r *busyRenderer) Refresh() {
	th := r.b.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.bg.FillColor = th.Color(theme.ColorNameInputBackground, v)
	r.bg.CornerRadius = th.Size(theme.SizeNameInputRadius)
	r.block.FillColor = th.Color(theme.ColorNamePrimary, v)
	r.block.CornerRadius = r.bg.CornerRadius
	r.Layout(r.b.Size())
	canvas.Refresh(r.b)
}

func (r *busyRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.block} }

func (r *busyRenderer) Destroy() {}
