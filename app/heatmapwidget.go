package app

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"corescope/heatmap"
	"corescope/levels"
)

var (
	_ fyne.Widget       = (*heatmapWidget)(nil)
	_ fyne.Scrollable   = (*heatmapWidget)(nil)
	_ fyne.Draggable    = (*heatmapWidget)(nil)
	_ fyne.Focusable    = (*heatmapWidget)(nil)
	_ desktop.Hoverable = (*heatmapWidget)(nil)
)

// heatmapWidget shows cores x time as it is sampled: one row per core (a
// cluster's grouped by node, or one row a node when collapsed), each pixel
// column the busiest of the samples in its time, with the total-busy-cores
// strip under it and a time axis in seconds. Its rows show
// the subject's own load, or the whole machine's when asked or when the
// subject's was not measured; the strip stacks the subject under the other
// programs. It keeps every sample in a heatmap.Series, so a picture costs
// its pixels however long the run; its pixels go into one reused
// *image.RGBA.
//
// The time axis zooms and pans (see timeGestures) down to two samples; a
// live run's view follows the newest samples until the user zooms, and
// again after Fit. Hovering a cell or the strip shows its time and loads.
type heatmapWidget struct {
	widget.BaseWidget
	timeGestures
	hoverReadout

	tl     timeline
	sorted bool
	whole  bool // show the whole machine's load rather than the subject's
	view   timeView
	// Where the cells and the strip are, and the picture's pixel columns,
	// from the last layout.
	heatH, stripY float32
	cols, rows    int
	span          heatmap.Span // what the readout read, reused
	nodes         nodeView     // a cluster's grouping, collapsing and names
}

// The heatmap widget's geometry in device-independent units.
const (
	stripHeight = 32
	stripRows   = 32 // pixel rows of the strip image
	axisGap     = 2
)

// liveMinSpan is the shortest time axis of a live heatmap, in seconds.
const liveMinSpan = 5

// newHeatmapWidget returns an empty heatmap of a recorded run of cores cores and
// samples samples, interval seconds apart (see Reset).
func newHeatmapWidget(cores, samples int, interval float64) *heatmapWidget {
	h := &heatmapWidget{}
	h.timeGestures = timeGestures{view: &h.view, self: h, changed: h.Refresh}
	h.tl.reset(cores, interval, samples, 0, 0)
	h.ExtendBaseWidget(h)
	return h
}

// Reset empties the heatmap for a recorded run of cores cores and samples
// samples, interval seconds apart, which then fills the width whole
// (samples sizes the storage once; more may come). Call Refresh to show it.
func (h *heatmapWidget) Reset(cores, samples int, interval float64) {
	h.tl.reset(cores, interval, samples, 0, 0)
	h.view.Fit()
}

// ResetLive is Reset for a run being recorded: the time axis starts at
// liveMinSpan seconds and grows with the run in round steps, filling the
// width, until it shows columns samples; then it scrolls. Every sample is
// kept, so zooming never loses any.
func (h *heatmapWidget) ResetLive(cores, columns int, interval float64) {
	h.tl.reset(cores, interval, 0, float64(columns)*interval, liveMinSpan)
	h.view.Fit()
}

// Cores is the number of rows.
func (h *heatmapWidget) Cores() int { return h.tl.series.Cores() }

// Push adds the sample of the interval that ended at t seconds: the
// machine's load of each core and the subject's (nil when not measured).
// It does not redraw: push a batch, then call Refresh once.
func (h *heatmapWidget) Push(t float64, machine, subject levels.Row) {
	h.tl.push(t, machine, subject)
}

// window is the time the picture shows. Fitted, that is the timeline's
// window (a live run's growing axis, or the whole run), which is also as
// far as the view zooms out; zoomed, the view stays within it.
func (h *heatmapWidget) window() (from, to float64) {
	from, length := h.tl.window()
	return h.view.WindowOver(from, from+length, 2*h.tl.interval)
}

// readout words the cell or the strip column under pos as the picture
// shows it: its time, the core (or its rank, sorted), the subject's load
// and the machine's, or the busy cores; the busiest loads and the mean busy
// cores where the pixel holds several samples; "" where there is none.
func (h *heatmapWidget) readout(pos fyne.Position) string {
	s := &h.tl.series
	x := pos.X - h.x0
	if h.width <= 0 || x < 0 || x >= h.width || h.cols <= 0 {
		return ""
	}
	if h.tl.grouped() && pos.Y >= 0 && pos.Y < h.heatH {
		return h.nodeReadout(pos)
	}
	from, to := h.window()
	w := float64(h.cols)
	col := math.Floor(float64(x/h.width) * w) // the picture's pixel column, as the painter maps it
	sp := &h.span
	s.Span(sp, from+(to-from)*col/w, from+(to-from)*(col+1)/w, h.sorted)
	if sp.Samples == 0 {
		return ""
	}
	when, busiest, mean := spanText(sp.From, sp.To), "", ""
	if sp.Samples > 1 {
		when += fmt.Sprintf(" · %d samples", sp.Samples)
		busiest, mean = "busiest: ", "mean: "
	}
	machine, subject := sp.Busiest[heatmap.Machine], sp.Busiest[heatmap.Subject]
	cores := s.Cores()
	switch {
	case pos.Y >= 0 && pos.Y < h.heatH && cores > 0 && h.rows > 0:
		// The cores of the picture's pixel row, as the painter maps them.
		c0, c1 := heatmap.RowCores(min(int(pos.Y/h.heatH*float32(h.rows)), h.rows-1), h.rows, cores)
		where := fmt.Sprintf("core %d", c0)
		switch {
		case c1-c0 > 1 && h.sorted:
			where = fmt.Sprintf("#%d–#%d busiest cores", c0+1, c1)
		case c1-c0 > 1:
			where = fmt.Sprintf("cores %d–%d", c0, c1-1)
		case h.sorted:
			where = fmt.Sprintf("#%d busiest core", c0+1)
		}
		if c1-c0 > 1 {
			busiest = "busiest: "
		}
		if subject == nil {
			return fmt.Sprintf("%s · %s\n%smachine %s", when, where, busiest, percent(highest(machine, c0, c1)))
		}
		return fmt.Sprintf("%s · %s\n%ssubject %s · machine %s", when, where, busiest, percent(highest(subject, c0, c1)), percent(highest(machine, c0, c1)))
	case pos.Y >= h.stripY && pos.Y < h.stripY+stripHeight:
		all := sp.Busy[heatmap.Machine]
		if subject == nil {
			return fmt.Sprintf("%s\n%smachine %s of %d cores busy", when, mean, coresText(all), cores)
		}
		own := sp.Busy[heatmap.Subject]
		return fmt.Sprintf("%s\n%ssubject %s cores · other programs %s cores", when, mean, coresText(own), coresText(max(all-own, 0)))
	}
	return ""
}

// highest is the highest measured load of cores [c0, c1) of r, NaN when
// none was measured: what a pixel row of several cores shows.
func highest(r levels.Row, c0, c1 int) float64 {
	top := math.NaN()
	for c := c0; c < c1; c++ {
		if v := r.At(c); !math.IsNaN(v) && (math.IsNaN(top) || v > top) {
			top = v
		}
	}
	return top
}

// percent words a load, or says it was not measured.
func percent(v float64) string {
	if math.IsNaN(v) {
		return "not measured"
	}
	return fmt.Sprintf("%.0f%%", 100*v)
}

// coresText words busy cores, or says they were not measured.
func coresText(v float64) string {
	if math.IsNaN(v) {
		return "not measured"
	}
	return fmt.Sprintf("%.2f", v)
}

// SubjectKnown reports whether any sample held the subject's own load.
func (h *heatmapWidget) SubjectKnown() bool { return h.tl.series.SubjectKnown() }

// SetWholeMachine switches the rows between the subject's load and the
// whole machine's.
func (h *heatmapWidget) SetWholeMachine(whole bool) {
	if h.whole == whole {
		return
	}
	h.whole = whole
	h.Refresh()
}

// SetSorted switches between rows by core id and rows sorted by load.
func (h *heatmapWidget) SetSorted(sorted bool) {
	if h.sorted == sorted {
		return
	}
	h.sorted = sorted
	h.Refresh()
}

// CreateRenderer implements fyne.Widget.
func (h *heatmapWidget) CreateRenderer() fyne.WidgetRenderer {
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
	h.hoverReadout.init(h, h.readout)
	r.img = canvas.NewImageFromImage(r.pix)
	r.strip = canvas.NewImageFromImage(r.stripPix)
	for _, img := range []*canvas.Image{r.img, r.strip} {
		img.ScaleMode = canvas.ImageScalePixels
		img.FillMode = canvas.ImageFillStretch
	}
	r.Refresh()
	return r
}

// heatmapRenderer owns the pixels and the labels of a heatmapWidget.
type heatmapRenderer struct {
	h *heatmapWidget

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
	if !r.h.tl.grouped() {
		r.labels.place(r.h, x0, 0, heat.Height)
	}

	size14, fg := captionSize(r.h), themeColor(r.h, theme.ColorNameForeground)
	for _, t := range []*canvas.Text{r.top, r.one} {
		t.TextSize, t.Color = size14, fg
		t.Resize(t.MinSize())
	}
	r.top.Move(fyne.NewPos(x0-r.top.MinSize().Width-2, stripY))
	oneY := stripY + stripHeight*(1-1/float32(max(r.cores, 1))) - r.one.MinSize().Height/2
	r.one.Move(fyne.NewPos(x0-r.one.MinSize().Width-2, min(oneY, stripY+stripHeight-r.one.MinSize().Height)))
	r.one.Hidden = r.cores <= 2 // too close to the all-cores mark to label both

	r.h.x0, r.h.width, r.h.heatH, r.h.stripY = x0, heat.Width, heat.Height, stripY
	r.h.hoverReadout.fit(size)
	from, to := r.h.window()
	r.axis.place(r.h, from, to-from, x0, heat.Width, axisY)

	if r.resize(heat) {
		r.paint()
	}
}

// resize sizes the images to the pixels they cover on screen (at most one
// pixel per core, and per sample unless zoomed, so a sample's edge can fall
// within it; the GPU scales up from there). It reports whether the images
// changed.
func (r *heatmapRenderer) resize(heat fyne.Size) bool {
	w := max(1, pixelWidth(r.h, heat.Width))
	if !r.h.view.Zoomed() {
		_, length := r.h.tl.window()
		w = max(1, min(w, r.h.tl.samples(length)))
	}
	h := max(1, min(r.h.Cores(), pixelWidth(r.h, heat.Height)))
	if r.h.tl.grouped() { // every pixel row, so each node's rows are exact
		h = max(1, pixelWidth(r.h, heat.Height))
	}
	r.h.cols, r.h.rows = w, h
	if r.pix.Rect.Dx() == w && r.pix.Rect.Dy() == h {
		return false
	}
	r.pix = image.NewRGBA(image.Rect(0, 0, w, h))
	r.stripPix = image.NewRGBA(image.Rect(0, 0, w, stripRows))
	r.img.Image, r.strip.Image = r.pix, r.stripPix
	return true
}

// draw paints the time in view into the images, each sample where its
// time falls; what is not sampled yet stays transparent so it never reads
// as "idle". The series reads about a column per pixel, so a zoomed view,
// or an hour, costs no more than a minute.
func (r *heatmapRenderer) draw() {
	s := &r.h.tl.series
	from, to := r.h.window()
	layer := heatmap.Machine
	if s.SubjectKnown() && !r.h.whole {
		layer = heatmap.Subject
	}
	if r.h.tl.grouped() {
		r.h.arrangeNodes(r.pix.Rect.Dy())
		r.painter.Grouped(r.pix, r.pix.Rect, s, &r.h.tl.nodes, layer, from, to, r.h.sorted, r.h.nodes.bands)
	} else {
		r.painter.Heatmap(r.pix, r.pix.Rect, s, layer, from, to, r.h.sorted)
	}
	r.painter.Strip(r.stripPix, r.stripPix.Rect, s, from, to, s.Cores())
}

// Refresh repaints the samples and moves the time axis; the labels and
// their layout are redone only when the rows or the theme changed, as a
// live heatmap is refreshed ten times a second.
func (r *heatmapRenderer) Refresh() {
	fg := themeColor(r.h, theme.ColorNameForeground)
	relayout := r.fg != fg
	if r.cores != r.h.Cores() || r.sorted != r.h.sorted || r.objs == nil || r.h.nodes.renamed {
		r.cores, r.sorted, r.h.nodes.renamed = r.h.Cores(), r.h.sorted, false
		texts := make([]string, r.cores)
		for i := range texts {
			texts[i] = strconv.Itoa(i)
			if r.sorted {
				texts[i] = "#" + strconv.Itoa(i+1) // a rank, 1 = busiest, not a core
			}
		}
		if r.h.tl.grouped() {
			texts = groupNames(nil, &r.h.tl)
		}
		r.labels.set(texts)
		r.top.Text = strconv.Itoa(r.cores)
		r.objs = append([]fyne.CanvasObject{r.bg, r.img, r.stripB, r.strip, r.top, r.one}, r.labels.objects()...)
		r.objs = append(r.objs, r.axis.objects()...)
		r.objs = append(r.objs, r.h.hoverReadout.objects()...)
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
		from, to := r.h.window()
		r.axis.place(r.h, from, to-from, x0, heat.Width, axisY)
		r.resize(heat) // zooming in or fitting changes the image's width
	}
	r.paint()
	r.h.again() // new samples, or a zoom, under a still pointer
}

// paint draws the samples and shows the new pixels.
func (r *heatmapRenderer) paint() {
	r.draw()
	if r.h.tl.grouped() {
		r.h.nodes.place(r.h, &r.labels, r.gutter())
	}
	canvas.Refresh(r.img)
	canvas.Refresh(r.strip)
}
