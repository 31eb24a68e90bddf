package app

import (
	"fmt"
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"corescope/heatmap"
	"corescope/profile"
	"corescope/runtext"
)

// compareView is the Compare tab: every run of the session on one time
// scale, the summary table and each run's verdict.
type compareView struct {
	rows     *fyne.Container // label, heatmap per run, then the ruler
	ruler    *timeRuler
	table    *fyne.Container
	verdicts *fyne.Container
	count    *widget.Label
	clearBtn *widget.Button
	content  fyne.CanvasObject
	painter  heatmap.Painter
}

// tableColumns are the summary figures after each run's name, few enough
// that the table fits beside the controls in an 800-pixel window.
var tableColumns = []runtext.Column{runtext.ColWall, runtext.ColSpeedup, runtext.ColCoresUsed, runtext.ColCPU,
	runtext.ColThreads, runtext.ColProcs, runtext.ColCtxSwitches}

// tableHeader heads the summary table: the runs' names, then tableColumns.
var tableHeader = append([]string{"run"}, runtext.Heads(tableColumns)...)

func newCompareView(onClear func()) *compareView {
	v := &compareView{
		rows:     container.New(&timeScaleLayout{}),
		table:    container.New(&tableLayout{cols: len(tableHeader)}),
		verdicts: container.NewVBox(),
		count:    widget.NewLabel(""),
		ruler:    newTimeRuler(),
	}
	v.clearBtn = widget.NewButton("Clear runs", onClear)
	top := container.NewHBox(v.count, layout.NewSpacer(), v.clearBtn)
	body := container.NewVBox(v.rows, widget.NewSeparator(), v.table, widget.NewSeparator(), v.verdicts)
	v.content = container.NewBorder(top, nil, nil, nil, container.NewVScroll(body))
	v.set(nil)
	return v
}

// set shows runs.
func (v *compareView) set(runs []*profile.Profile) {
	switch len(runs) {
	case 0:
		v.clearBtn.Disable()
		v.count.SetText("No runs yet: run a model, or choose Compare all.")
	case 1:
		v.clearBtn.Enable()
		v.count.SetText("1 run")
	default:
		v.clearBtn.Enable()
		v.count.SetText(fmt.Sprintf("%d runs on one time scale", len(runs)))
	}
	l := v.rows.Layout.(*timeScaleLayout)
	l.spans = l.spans[:0]
	var rows, cells, verdicts []fyne.CanvasObject
	cells = append(cells, cell(tableHeader[0], true, false))
	for i, c := range tableColumns {
		cells = append(cells, cell(tableHeader[i+1], true, c.Number()))
	}
	for _, p := range runs {
		name := runName(p)
		rows = append(rows, widget.NewLabel(name), v.picture(p))
		l.spans = append(l.spans, duration(p))

		cells = append(cells, cell(name, false, false))
		for _, c := range tableColumns {
			cells = append(cells, cell(c.Cell(p), false, c.Number()))
		}
		vl := widget.NewLabel(runtext.Label(p) + ": " + runtext.Verdict(p))
		vl.Wrapping = fyne.TextWrapWord
		verdicts = append(verdicts, vl)
	}
	v.ruler.span = 0
	for _, s := range l.spans {
		v.ruler.span = max(v.ruler.span, s)
	}
	if len(runs) > 0 {
		rows = append(rows, v.ruler)
	}
	v.rows.Objects, v.table.Objects, v.verdicts.Objects = rows, cells, verdicts
	v.ruler.Refresh()
	v.rows.Refresh()
	v.table.Refresh()
	v.verdicts.Refresh()
}

// cell is one compact cell of the summary table; numbers are right-aligned.
func cell(text string, header, number bool) *widget.Label {
	align := fyne.TextAlignLeading
	if number {
		align = fyne.TextAlignTrailing
	}
	l := widget.NewLabelWithStyle(text, align, fyne.TextStyle{Bold: header})
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// tableLayout lays out cells row by row in cols columns, each column as
// wide as its widest cell plus an equal share of the spare width.
type tableLayout struct {
	cols   int
	widths []float32 // scratch: column widths
}

func (l *tableLayout) measure(objs []fyne.CanvasObject) (width, rowH float32) {
	l.widths = append(l.widths[:0], make([]float32, l.cols)...)
	for i, o := range objs {
		m := o.MinSize()
		l.widths[i%l.cols] = max(l.widths[i%l.cols], m.Width)
		rowH = max(rowH, m.Height)
	}
	for _, w := range l.widths {
		width += w
	}
	return width, rowH
}

func (l *tableLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w, rowH := l.measure(objs)
	rows := (len(objs) + l.cols - 1) / l.cols
	return fyne.NewSize(w, float32(rows)*rowH)
}

func (l *tableLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w, rowH := l.measure(objs)
	spare := max(0, size.Width-w) / float32(l.cols)
	x := float32(0)
	for i, o := range objs {
		col := i % l.cols
		if col == 0 {
			x = 0
		}
		o.Move(fyne.NewPos(x, float32(i/l.cols)*rowH))
		o.Resize(fyne.NewSize(l.widths[col]+spare, rowH))
		x += l.widths[col] + spare
	}
}

// runName is a run's label, marked when it did not finish well.
func runName(p *profile.Profile) string { return runtext.Mark(runtext.Label(p), p) }

// duration is how long a run's frames cover.
func duration(p *profile.Profile) float64 {
	if len(p.Frames) == 0 {
		return 0
	}
	return p.Frames[len(p.Frames)-1].T
}

// picture is a small heatmap of the whole run: the subject's per-core load
// when it was measured, the whole machine's in files made before.
func (v *compareView) picture(p *profile.Profile) fyne.CanvasObject {
	subject := runtext.SubjectMeasured(p)
	cols := make([][]float64, len(p.Frames))
	cores := 1
	for i := range p.Frames {
		cols[i] = p.Frames[i].Busy
		if subject {
			cols[i] = p.Frames[i].SubjectBusy
		}
		cores = max(cores, len(p.Frames[i].Busy))
	}
	dst := image.NewRGBA(image.Rect(0, 0, max(len(cols), 1), cores))
	v.painter.Heatmap(dst, dst.Rect, cols, false)
	img := canvas.NewImageFromImage(dst)
	img.ScaleMode = canvas.ImageScalePixels
	img.FillMode = canvas.ImageFillStretch
	return img
}

// timeScaleLayout lays out (label, picture) pairs one under the other with
// each picture as wide as its run is long, so the runs share a time scale,
// and under them the time ruler of the longest run (the last object).
type timeScaleLayout struct {
	spans []float64
}

const compareRowHeight = 40

// pairs is how many (label, picture) pairs objs hold.
func (l *timeScaleLayout) pairs(objs []fyne.CanvasObject) int { return min(len(l.spans), len(objs)/2) }

func (l *timeScaleLayout) label(objs []fyne.CanvasObject) float32 {
	w := float32(0)
	for i := range l.pairs(objs) {
		w = max(w, objs[2*i].MinSize().Width)
	}
	return w
}

func (l *timeScaleLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	n := l.pairs(objs)
	h := float32(n) * (compareRowHeight + 4)
	if len(objs) > 2*n && n > 0 {
		h += objs[2*n].MinSize().Height
	}
	return fyne.NewSize(l.label(objs)+100, h)
}

func (l *timeScaleLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	labelW := l.label(objs)
	axis := 0.0
	for _, s := range l.spans {
		axis = max(axis, s)
	}
	full := int(size.Width - labelW)
	n := l.pairs(objs)
	for i := range n {
		label, picture := objs[2*i], objs[2*i+1]
		y := float32(i) * (compareRowHeight + 4)
		label.Move(fyne.NewPos(0, y+(compareRowHeight-label.MinSize().Height)/2))
		label.Resize(fyne.NewSize(labelW, label.MinSize().Height))
		picture.Move(fyne.NewPos(labelW, y))
		picture.Resize(fyne.NewSize(float32(heatmap.Width(full, l.spans[i], axis)), compareRowHeight))
	}
	if len(objs) > 2*n {
		ruler := objs[2*n]
		ruler.Move(fyne.NewPos(labelW, float32(n)*(compareRowHeight+4)))
		ruler.Resize(fyne.NewSize(float32(full), ruler.MinSize().Height))
	}
}

var _ fyne.Widget = (*timeRuler)(nil)

// timeRuler is a time axis on its own: ticks from 0 to span seconds across
// its width.
type timeRuler struct {
	widget.BaseWidget
	span float64
}

func newTimeRuler() *timeRuler {
	r := &timeRuler{}
	r.ExtendBaseWidget(r)
	return r
}

func (r *timeRuler) CreateRenderer() fyne.WidgetRenderer {
	return &rulerRenderer{r: r, axis: newTimeAxis(12)}
}

type rulerRenderer struct {
	r    *timeRuler
	axis *timeAxis
	size fyne.Size
}

func (rr *rulerRenderer) Destroy() {}

func (rr *rulerRenderer) Layout(size fyne.Size) {
	rr.size = size
	rr.axis.place(rr.r, 0, rr.r.span, 0, size.Width, 0)
}

func (rr *rulerRenderer) MinSize() fyne.Size {
	return fyne.NewSize(100, fyne.MeasureText("0 s", captionSize(rr.r), fyne.TextStyle{}).Height)
}

func (rr *rulerRenderer) Objects() []fyne.CanvasObject { return rr.axis.objects() }

func (rr *rulerRenderer) Refresh() { rr.Layout(rr.size) }
