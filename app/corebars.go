package app

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"corescope/heatmap"
)

var _ fyne.Widget = (*coreBars)(nil)

// coreBars shows each core's current busy fraction: a bar and its value per
// row for a few cores, a grid of small vertical bars for many. With the
// subject's share known, the machine's bar is grey (other programs) and the
// subject's part of it is drawn inside in the heat colour, and the value is
// the subject's.
type coreBars struct {
	widget.BaseWidget
	busy    []float64 // the whole machine
	subject []float64 // the subject's share; empty when not measured
	// names label the bars (a cluster's nodes); without them each bar is
	// labelled with its core number.
	names []string
}

// barsWithText is the most cores that get a row with a value each.
const barsWithText = 16

func newCoreBars() *coreBars {
	b := &coreBars{}
	b.ExtendBaseWidget(b)
	return b
}

// set shows the machine's busy fractions and the subject's (nil when not
// measured), both copied, and redraws.
func (b *coreBars) set(busy, subject []float64) {
	b.busy = append(b.busy[:0], busy...)
	b.subject = append(b.subject[:0], subject...)
	b.Refresh()
}

// setNames labels the bars with names (nil: core numbers) from the next
// redraw on.
func (b *coreBars) setNames(names []string) {
	if !slices.Equal(b.names, names) {
		b.names = slices.Clone(names)
	}
}

// label is bar i's label.
func (b *coreBars) label(i int) string {
	if i < len(b.names) {
		return b.names[i]
	}
	return fmt.Sprint(i)
}

func (b *coreBars) CreateRenderer() fyne.WidgetRenderer {
	r := &barsRenderer{b: b}
	r.Refresh()
	return r
}

type barsRenderer struct {
	b      *coreBars
	tracks []*canvas.Rectangle
	fills  []*canvas.Rectangle // the machine's load
	shares []*canvas.Rectangle // the subject's part of it
	labels []*canvas.Text
	values []*canvas.Text
	objs   []fyne.CanvasObject
	size   fyne.Size
}

func (r *barsRenderer) Destroy() {}

func (r *barsRenderer) MinSize() fyne.Size { return fyne.NewSize(100, 60) }

func (r *barsRenderer) Objects() []fyne.CanvasObject { return r.objs }

// grid is how many columns and rows the cells of n cores take in size:
// roughly square cells.
func grid(n int, size fyne.Size) (cols, rows int) {
	if n <= barsWithText {
		return 1, max(n, 1)
	}
	for cols = 1; ; cols++ {
		rows = (n + cols - 1) / cols
		if 2*size.Height/float32(rows) >= size.Width/float32(cols) || cols >= n {
			return cols, rows
		}
	}
}

func (r *barsRenderer) Layout(size fyne.Size) {
	r.size = size
	n := len(r.tracks)
	if n == 0 {
		return
	}
	cols, rows := grid(n, size)
	cw, ch := size.Width/float32(cols), size.Height/float32(rows)
	text := n <= barsWithText
	labelW, valueW := float32(0), float32(0)
	if text {
		ts := captionSize(r.b)
		for i := range n {
			labelW = max(labelW, fyne.MeasureText(r.b.label(i), ts, fyne.TextStyle{}).Width+6)
		}
		valueW = fyne.MeasureText("100%", ts, fyne.TextStyle{}).Width + 6
		ch = min(ch, 28)
	}
	gap := min(2, ch/4)
	for i := range n {
		x, y := float32(i%cols)*cw, float32(i/cols)*ch
		r.labels[i].Hidden, r.values[i].Hidden = !text, !text
		v := float32(heatmap.Clamp01(r.value(r.b.busy, i)))
		sv := min(float32(heatmap.Clamp01(r.value(r.b.subject, i))), v)
		track := fyne.NewSize(max(cw-labelW-valueW-gap, 1), max(ch-2*gap, 1))
		r.tracks[i].Move(fyne.NewPos(x+labelW, y+gap))
		r.tracks[i].Resize(track)
		if text {
			r.fills[i].Move(fyne.NewPos(x+labelW, y+gap))
			r.fills[i].Resize(fyne.NewSize(track.Width*v, track.Height))
			r.shares[i].Move(fyne.NewPos(x+labelW, y+gap))
			r.shares[i].Resize(fyne.NewSize(track.Width*sv, track.Height))
			for _, t := range []*canvas.Text{r.labels[i], r.values[i]} {
				t.TextSize = captionSize(r.b)
				t.Resize(t.MinSize())
			}
			r.labels[i].Move(fyne.NewPos(x+labelW-r.labels[i].MinSize().Width-4, y+(ch-r.labels[i].MinSize().Height)/2))
			r.values[i].Move(fyne.NewPos(x+cw-valueW+4, y+(ch-r.values[i].MinSize().Height)/2))
			continue
		}
		// Many cores: vertical bars growing up from the bottom of each cell.
		r.fills[i].Move(fyne.NewPos(x+labelW, y+gap+track.Height*(1-v)))
		r.fills[i].Resize(fyne.NewSize(track.Width, track.Height*v))
		r.shares[i].Move(fyne.NewPos(x+labelW, y+gap+track.Height*(1-sv)))
		r.shares[i].Resize(fyne.NewSize(track.Width, track.Height*sv))
	}
}

// value is core i's value in vs, 0 when missing.
func (r *barsRenderer) value(vs []float64, i int) float64 {
	if i < len(vs) {
		return vs[i]
	}
	return 0
}

func (r *barsRenderer) Refresh() {
	n := len(r.b.busy)
	if n != len(r.tracks) {
		r.tracks, r.fills, r.shares, r.labels, r.values = r.tracks[:0], r.fills[:0], r.shares[:0], r.labels[:0], r.values[:0]
		r.objs = r.objs[:0]
		for i := range n {
			r.tracks = append(r.tracks, canvas.NewRectangle(nil))
			r.fills = append(r.fills, canvas.NewRectangle(nil))
			r.shares = append(r.shares, canvas.NewRectangle(nil))
			r.labels = append(r.labels, canvas.NewText("", nil))
			r.values = append(r.values, canvas.NewText("", nil))
			r.objs = append(r.objs, r.tracks[i], r.fills[i], r.shares[i], r.labels[i], r.values[i])
		}
	}
	// Only what changed is refreshed: with many cores this runs ten times a
	// second over hundreds of bars, whose texts are hidden.
	text := n <= barsWithText
	track, fg := themeColor(r.b, theme.ColorNameInputBackground), themeColor(r.b, theme.ColorNameForeground)
	// A node that gave no figure gets a track of its own colour rather than
	// an empty one, which would read as idle where bars carry no text.
	noFigure := themeColor(r.b, theme.ColorNameDisabled)
	known := len(r.b.subject) > 0
	for i := range n {
		v := r.value(r.b.busy, i)
		if math.IsNaN(v) {
			setAndRefresh(r.tracks[i], &r.tracks[i].FillColor, noFigure)
		} else {
			setAndRefresh(r.tracks[i], &r.tracks[i].FillColor, track)
		}
		// The bar's colour is the heatmap's, floored so an idle bar still
		// shows; with the subject known, the machine's bar is the strip's
		// grey of other programs and the subject's part takes the colour.
		fill := color.Color(heatmap.Color(max(v, 0.15)))
		if known {
			v = r.value(r.b.subject, i)
			fill = heatmap.OthersColor()
		}
		setAndRefresh(r.fills[i], &r.fills[i].FillColor, fill)
		setAndRefresh(r.shares[i], &r.shares[i].FillColor, color.Color(heatmap.Color(max(v, 0.15))))
		r.shares[i].Hidden = !known
		if text {
			setAndRefresh(r.labels[i], &r.labels[i].Color, fg)
			setAndRefresh(r.labels[i], &r.labels[i].Text, r.b.label(i))
			r.values[i].Color = fg
			r.values[i].Text = fmt.Sprintf("%3.0f%%", 100*heatmap.Clamp01(v))
			if math.IsNaN(v) { // a node that gave no figure: not idle
				r.values[i].Text = "  —"
			}
			r.values[i].Refresh()
		}
	}
	r.Layout(r.size)
}

// setAndRefresh sets *field to v and redraws o if that changed it.
func setAndRefresh[T comparable](o fyne.CanvasObject, field *T, v T) {
	if *field != v {
		*field = v
		o.Refresh()
	}
}
