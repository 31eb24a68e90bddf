package app

import (
	"image"
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"corescope/heatmap"
)

var _ fyne.Widget = (*Heatmap)(nil)

// Heatmap shows cores x time as it is sampled: one row per core, one column
// per sample, newest at the right once the window is full, with the
// total-busy-cores strip under it and a time axis in seconds. Its rows show
// the subject's own load, or the whole machine's when asked or when the
// subject's was not measured; the strip stacks the subject under the other
// programs. It keeps a bounded ring of samples; its pixels go into one
// reused *image.RGBA.
type Heatmap struct {
	widget.BaseWidget

	ring   ring
	sorted bool
	whole  bool // show the whole machine's load rather than the subject's
}

// Heatmap geometry in device-independent units.
const (
	stripHeight = 32
	stripRows   = 32 // pixel rows of the strip image
	axisGap     = 2
)

// liveMinSpan is the shortest time axis of a live heatmap, in seconds.
const liveMinSpan = 5

// NewHeatmap returns an empty heatmap sized for cores and capacity samples.
func NewHeatmap(cores, capacity int, interval float64) *Heatmap {
	h := &Heatmap{}
	h.ring.reset(cores, capacity, interval, 0)
	h.ExtendBaseWidget(h)
	return h
}

// Reset empties the heatmap and sizes it for cores and capacity samples of
// interval seconds each, capacity samples filling the width: give it a
// recorded run's length to fit the whole run. Call Refresh to show it.
func (h *Heatmap) Reset(cores, capacity int, interval float64) {
	h.ring.reset(cores, capacity, interval, 0)
}

// ResetLive is Reset for a run being recorded: the time axis starts at
// liveMinSpan seconds and grows with the run in round steps, filling the
// width, until capacity samples are held; then it scrolls.
func (h *Heatmap) ResetLive(cores, capacity int, interval float64) {
	h.ring.reset(cores, capacity, interval, liveMinSpan)
}

// Cores is the number of rows.
func (h *Heatmap) Cores() int { return h.ring.cores }

// Push adds the sample of the interval that ended at t seconds: the
// machine's busy fraction of each core and the subject's (nil when not
// measured). It does not redraw: push a batch, then call Refresh once.
func (h *Heatmap) Push(t float64, machine, subject []float64) { h.ring.push(t, machine, subject) }

// Fit makes the samples pushed since Reset fill the width, however many
// short frames were merged.
func (h *Heatmap) Fit() { h.ring.fit() }

// SubjectKnown reports whether any sample held the subject's own load.
func (h *Heatmap) SubjectKnown() bool { return h.ring.subjectKnown }

// SetWholeMachine switches the rows between the subject's load and the
// whole machine's.
func (h *Heatmap) SetWholeMachine(whole bool) {
	if h.whole == whole {
		return
	}
	h.whole = whole
	h.Refresh()
}

// SetSorted switches between rows by core id and rows sorted by load.
func (h *Heatmap) SetSorted(sorted bool) {
	if h.sorted == sorted {
		return
	}
	h.sorted = sorted
	h.Refresh()
}

// CreateRenderer implements fyne.Widget.
func (h *Heatmap) CreateRenderer() fyne.WidgetRenderer {
	h.ExtendBaseWidget(h)
	r := &heatmapRenderer{
		h:      h,
		bg:     canvas.NewRectangle(themeColor(h, theme.ColorNameInputBackground)),
		stripB: canvas.NewRectangle(themeColor(h, theme.ColorNameInputBackground)),
		axis:   newTimeAxis(12),
		top:    canvas.NewText("", themeColor(h, theme.ColorNameForeground)),
		one:    canvas.NewText("1", themeColor(h, theme.ColorNameForeground)),
	}
	r.pix = image.NewRGBA(image.Rect(0, 0, 1, 1))
	r.stripPix = image.NewRGBA(image.Rect(0, 0, 1, stripRows))
	r.img = canvas.NewImageFromImage(r.pix)
	r.strip = canvas.NewImageFromImage(r.stripPix)
	for _, img := range []*canvas.Image{r.img, r.strip} {
		img.ScaleMode = canvas.ImageScalePixels
		img.FillMode = canvas.ImageFillStretch
	}
	r.Refresh()
	return r
}

// heatmapRenderer owns the pixels and the labels of a Heatmap.
type heatmapRenderer struct {
	h *Heatmap

	bg, stripB    *canvas.Rectangle
	img, strip    *canvas.Image
	pix, stripPix *image.RGBA
	painter       heatmap.Painter

	labels   rowLabels
	axis     *timeAxis
	top, one *canvas.Text // strip marks: all cores and 1 core

	// cached state: what the labels and images were made for
	cores  int
	sorted bool
	fg     color.Color
	size   fyne.Size
	objs   []fyne.CanvasObject
}

func (r *heatmapRenderer) Destroy() {}

func (r *heatmapRenderer) MinSize() fyne.Size {
	text := fyne.MeasureText("00 s", captionSize(r.h), fyne.TextStyle{})
	return fyne.NewSize(r.gutter()+120, 40+axisGap+stripHeight+axisGap+text.Height)
}

func (r *heatmapRenderer) Objects() []fyne.CanvasObject { return r.objs }

// gutter is the width of the core labels column.
func (r *heatmapRenderer) gutter() float32 {
	return max(r.labels.width(r.h), fyne.MeasureText("00", captionSize(r.h), fyne.TextStyle{}).Width) + 4
}

// areas returns where the heatmap and the strip go.
func (r *heatmapRenderer) areas(size fyne.Size) (heat, strip fyne.Size, x0, stripY, axisY float32) {
	x0 = r.gutter()
	text := fyne.MeasureText("0 s", captionSize(r.h), fyne.TextStyle{})
	w := max(size.Width-x0, 1)
	hh := max(size.Height-stripHeight-2*axisGap-text.Height, 1)
	return fyne.NewSize(w, hh), fyne.NewSize(w, stripHeight), x0, hh + axisGap, hh + axisGap + stripHeight + axisGap
}

func (r *heatmapRenderer) Layout(size fyne.Size) {
	r.size = size
	heat, strip, x0, stripY, axisY := r.areas(size)
	r.bg.Move(fyne.NewPos(x0, 0))
	r.bg.Resize(heat)
	r.img.Move(fyne.NewPos(x0, 0))
	r.img.Resize(heat)
	r.stripB.Move(fyne.NewPos(x0, stripY))
	r.stripB.Resize(strip)
	r.strip.Move(fyne.NewPos(x0, stripY))
	r.strip.Resize(strip)
	r.labels.place(r.h, x0, 0, heat.Height)

	size14, fg := captionSize(r.h), themeColor(r.h, theme.ColorNameForeground)
	for _, t := range []*canvas.Text{r.top, r.one} {
		t.TextSize, t.Color = size14, fg
		t.Resize(t.MinSize())
	}
	r.top.Move(fyne.NewPos(x0-r.top.MinSize().Width-2, stripY))
	oneY := stripY + stripHeight*(1-1/float32(max(r.cores, 1))) - r.one.MinSize().Height/2
	r.one.Move(fyne.NewPos(x0-r.one.MinSize().Width-2, min(oneY, stripY+stripHeight-r.one.MinSize().Height)))
	r.one.Hidden = r.cores <= 2 // too close to the all-cores mark to label both

	from, length := r.h.ring.window()
	r.axis.place(r.h, from, length, x0, heat.Width, axisY)

	if r.resize(heat) {
		r.paint()
	}
}

// resize sizes the images to the pixels they cover on screen (at most one
// pixel per sample and per core; the GPU scales up from there). It reports
// whether the images changed.
func (r *heatmapRenderer) resize(heat fyne.Size) bool {
	scale := float32(1)
	if c := fyne.CurrentApp().Driver().CanvasForObject(r.h); c != nil {
		scale = c.Scale()
	}
	w := max(1, min(r.h.ring.capacity, int(heat.Width*scale)))
	h := max(1, min(r.h.ring.cores, int(heat.Height*scale)))
	if r.pix.Rect.Dx() == w && r.pix.Rect.Dy() == h {
		return false
	}
	r.pix = image.NewRGBA(image.Rect(0, 0, w, h))
	r.stripPix = image.NewRGBA(image.Rect(0, 0, w, stripRows))
	r.img.Image, r.strip.Image = r.pix, r.stripPix
	return true
}

// draw paints the ring into the images: the samples fill the left part of
// the width in proportion to how much of the time axis they cover; the rest
// stays transparent so "not sampled yet" never reads as "idle".
func (r *heatmapRenderer) draw() {
	ring := &r.h.ring
	_, length := ring.window()
	w := heatmap.Width(r.pix.Rect.Dx(), ring.held(), length)
	if w > 0 {
		machine := ring.cols(layerMachine)
		rows, under, over := machine, machine, [][]float64(nil)
		if ring.subjectKnown {
			subject := ring.cols(layerSubject)
			under, over = subject, machine
			if !r.h.whole {
				rows = subject
			}
		}
		r.painter.Heatmap(r.pix, image.Rect(0, 0, w, r.pix.Rect.Dy()), rows, r.h.sorted)
		r.painter.StackedStrip(r.stripPix, image.Rect(0, 0, w, stripRows), under, over, ring.cores)
	}
	clearRight(r.pix, w)
	clearRight(r.stripPix, w)
}

// clearRight makes every pixel from column x on transparent.
func clearRight(img *image.RGBA, x int) {
	for y := range img.Rect.Dy() {
		o := img.PixOffset(x, y)
		clear(img.Pix[o : img.PixOffset(0, y)+img.Stride])
	}
}

// Refresh repaints the samples and moves the time axis; the labels and
// their layout are redone only when the rows or the theme changed, as a
// live heatmap is refreshed ten times a second.
func (r *heatmapRenderer) Refresh() {
	fg := themeColor(r.h, theme.ColorNameForeground)
	relayout := r.fg != fg
	if r.cores != r.h.ring.cores || r.sorted != r.h.sorted || r.objs == nil {
		r.cores, r.sorted = r.h.ring.cores, r.h.sorted
		texts := make([]string, r.cores)
		for i := range texts {
			texts[i] = strconv.Itoa(i)
			if r.sorted {
				texts[i] = "#" + strconv.Itoa(i+1) // a rank, 1 = busiest, not a core
			}
		}
		r.labels.set(texts)
		r.top.Text = strconv.Itoa(r.cores)
		r.objs = append([]fyne.CanvasObject{r.bg, r.img, r.stripB, r.strip, r.top, r.one}, r.labels.objects()...)
		r.objs = append(r.objs, r.axis.objects()...)
		relayout = true
	}
	if relayout {
		r.fg = fg
		bg := themeColor(r.h, theme.ColorNameInputBackground)
		r.bg.FillColor, r.stripB.FillColor = bg, bg
		r.bg.Refresh()
		r.stripB.Refresh()
		if !r.size.IsZero() {
			r.Layout(r.size) // places labels and ticks; resizes the images if needed
		}
	} else if !r.size.IsZero() {
		heat, _, x0, _, axisY := r.areas(r.size)
		from, length := r.h.ring.window()
		r.axis.place(r.h, from, length, x0, heat.Width, axisY)
	}
	r.paint()
}

// paint draws the samples and shows the new pixels.
func (r *heatmapRenderer) paint() {
	r.draw()
	canvas.Refresh(r.img)
	canvas.Refresh(r.strip)
}
