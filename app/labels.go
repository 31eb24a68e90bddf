package app

import (
	"image/color"
	"math"
	"strconv"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"

	"corescope/heatmap"
)

// themeColor is a colour of the current theme for a widget.
func themeColor(w fyne.Widget, name fyne.ThemeColorName) color.Color {
	return theme.ColorForWidget(name, w)
}

// captionSize is the text size of axis labels.
func captionSize(w fyne.Widget) float32 {
	return theme.SizeForWidget(theme.SizeNameCaptionText, w)
}

// labelStep is how many rows one label covers so that labels of height
// labelH never overlap rows of height rowH: 1, 2, 4, 8 ...
func labelStep(rowH, labelH float32) int {
	step := 1
	for rowH > 0 && float32(step)*rowH < labelH {
		step *= 2
	}
	return step
}

// niceCeil is the smallest round span of at least v: 1, 1.5, 2, 3, 5 or
// 7.5 times a power of ten, so a growing axis rescales in steps of at most
// 1.5x and the data always fills two thirds of it.
func niceCeil(v float64) float64 {
	if !(v > 0) {
		return 0
	}
	mag := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 1.5, 2, 3, 5, 7.5} {
		if m*mag >= v*(1-1e-9) {
			return m * mag
		}
	}
	return 10 * mag
}

// formatSeconds writes a tick value such as "12 s" or "0.5 s", rounded to
// decimals places so float noise never shows.
func formatSeconds(t float64, decimals int) string {
	p := math.Pow(10, float64(decimals))
	return strconv.FormatFloat(math.Round(t*p)/p, 'f', -1, 64) + " s"
}

// decimals is how many decimal places tick values step apart need.
func decimals(step float64) int {
	if !(step > 0) {
		return 0
	}
	return max(0, int(math.Ceil(-math.Log10(step)-1e-9)))
}

// timeAxis is a row of tick labels under a picture of a time window. Its
// labels are reused; a label's text changes only when its value does.
type timeAxis struct {
	ticks  []*canvas.Text
	values []float64
}

func newTimeAxis(n int) *timeAxis {
	a := &timeAxis{ticks: make([]*canvas.Text, n), values: make([]float64, n)}
	for i := range a.ticks {
		a.ticks[i] = canvas.NewText("", color.Black)
		a.values[i] = math.NaN()
	}
	return a
}

func (a *timeAxis) objects() []fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, len(a.ticks))
	for i, t := range a.ticks {
		objs[i] = t
	}
	return objs
}

// place puts the ticks of the window [from, from+length] seconds under the
// span x0..x0+width at height y.
func (a *timeAxis) place(w fyne.Widget, from, length float64, x0, width, y float32) {
	size, fg := captionSize(w), themeColor(w, theme.ColorNameForeground)
	// Ticks at least 1.5 labels apart: a label at either end is pulled
	// inside by up to half its width and must still clear its neighbour.
	// The widest label is measured as digits of its length, which change
	// rarely, so a scrolling axis does not shape a new string every redraw.
	// Labels get the places of the finest step the ticks could take, so a
	// view zoomed to a millisecond still tells its ticks apart.
	places := decimals(heatmap.NiceStep(length, len(a.ticks)-1))
	widest := strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return '8'
		}
		return r
	}, strconv.FormatFloat(from+length, 'f', places, 64)+" s")
	label := max(fyne.MeasureText(widest, size, fyne.TextStyle{}).Width,
		fyne.MeasureText(formatSeconds(0.25, 2), size, fyne.TextStyle{}).Width)
	step := heatmap.NiceStep(length, min(len(a.ticks)-1, int(width/(1.5*label+theme.Padding()))))
	i := 0
	if step > 0 {
		for v := math.Ceil(from/step) * step; v <= from+length+1e-9 && i < len(a.ticks); v += step {
			t := a.ticks[i]
			if a.values[i] != v {
				a.values[i] = v
				t.Text = formatSeconds(v, places)
			}
			t.TextSize, t.Color = size, fg
			ts := t.MinSize()
			x := x0 + float32((v-from)/length)*width - ts.Width/2
			t.Move(fyne.NewPos(max(x0, min(x, x0+width-ts.Width)), y))
			t.Resize(ts)
			t.Hidden = false
			t.Refresh()
			i++
		}
	}
	for ; i < len(a.ticks); i++ {
		a.ticks[i].Hidden = true
	}
}

// rowLabels are labels beside the rows of a picture, thinned so they never
// overlap: with many rows only every 2nd, 4th ... row is named.
type rowLabels struct {
	texts []*canvas.Text
	// keepLast names the last row whatever the thinning, in place of a
	// label it would overlap: it may merge the rows that do not fit.
	keepLast bool

	widest     float32 // width of the widest label at text size widestSize
	widestSize float32 // 0 until measured
}

// set gives the labels these texts, reusing the label objects.
func (l *rowLabels) set(texts []string) {
	l.widestSize = 0
	for len(l.texts) < len(texts) {
		l.texts = append(l.texts, canvas.NewText("", color.Black))
	}
	l.texts = l.texts[:len(texts)]
	for i, s := range texts {
		l.texts[i].Text = s
	}
}

func (l *rowLabels) objects() []fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, len(l.texts))
	for i, t := range l.texts {
		objs[i] = t
	}
	return objs
}

// width is the widest label's width, measured once per set of texts and
// text size: layouts ask for it on every redraw.
func (l *rowLabels) width(w fyne.Widget) float32 {
	size := captionSize(w)
	if l.widestSize != size {
		l.widest, l.widestSize = 0, size
		for _, t := range l.texts {
			l.widest = max(l.widest, fyne.MeasureText(t.Text, size, t.TextStyle).Width)
		}
	}
	return l.widest
}

// place right-aligns the labels in the gutter 0..gutter beside rows that
// fill y0..y0+height, one row per label.
func (l *rowLabels) place(w fyne.Widget, gutter, y0, height float32) {
	n := len(l.texts)
	if n == 0 {
		return
	}
	size, fg := captionSize(w), themeColor(w, theme.ColorNameForeground)
	rowH := height / float32(n)
	labelH := fyne.MeasureText("0", size, fyne.TextStyle{}).Height
	step := labelStep(rowH, labelH)
	last := n - 1
	for i, t := range l.texts {
		t.TextSize, t.Color = size, fg
		t.Hidden = i%step != 0
		if l.keepLast { // the last row is named, and no label too close above it
			t.Hidden = i != last && (t.Hidden || float32(last-i)*rowH < labelH)
		}
		if t.Hidden {
			continue
		}
		ts := t.MinSize()
		y := y0 + (float32(i)+0.5)*rowH - ts.Height/2
		t.Move(fyne.NewPos(gutter-ts.Width-2, max(y0, min(y, y0+height-ts.Height))))
		t.Resize(ts)
		t.Refresh()
	}
}
