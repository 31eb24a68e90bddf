package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"corescope/profile"
	"corescope/runtext"
)

// compareView is the Compare tab: one group of the session's runs (a
// comparison, the single runs, the commands, a file; the selector reaches
// the others) on one time scale that zooms and pans as one, the summary
// table with the wall-time and speedup bars, a row for each run's repeats
// (runtext.Rows) and the baseline its speedups are measured against, and
// each run's verdict and why. The lanes show the run that stands for each
// row. Tapping a row or lane shows that run in Live and Threads.
type compareView struct {
	group    *widget.Select // which group is shown
	baseline *widget.Select // what its speedups are measured against (compare_repeats.go)
	// baselineRow holds the baseline picker and its label.
	baselineRow *fyne.Container
	count       *widget.Label
	fitBtn      *widget.Button
	clearBtn    *widget.Button
	lanes       *runLanes
	table       *fyne.Container // a row background a run (under its cells), then the cells
	verdicts    *fyne.Container
	scroll      *container.Scroll // lanes, table and verdicts
	content     fyne.CanvasObject

	runs     []*profile.Profile // the run that stands for each row
	shown    *profile.Profile
	choosing bool // the selectors are being set, not chosen from
	onSelect func(*profile.Profile)
	onGroup  func(i int)
	// onBaseline is called with the label the user picked as the baseline.
	onBaseline func(label string)
}

// tableColumns are the summary figures after each run's name, few enough
// that the table fits beside the controls in an 800-pixel window with the
// repeats' spreads: the speedup of the work after start-up is in each
// run's notes (rowNotes); CPU seconds and context switches are in Live's
// figures of the run.
var tableColumns = []runtext.Column{runtext.ColWall, runtext.ColStartup, runtext.ColSpeedup,
	runtext.ColCoresUsed, runtext.ColThreads, runtext.ColProcs}

// tableHeader heads the summary table: the runs' names, then tableColumns.
var tableHeader = append([]string{"run"}, runtext.Heads(tableColumns)...)

// barColumns are the table columns that hold bars: wall time and speedup,
// in the order of a runRow's bars.
var barColumns = []int{1, 3}

func newCompareView(onClear func()) *compareView {
	v := &compareView{
		table:    container.New(&tableLayout{cols: len(tableHeader), wide: barColumns}),
		verdicts: container.NewVBox(),
		count:    widget.NewLabel(""),
		lanes:    newRunLanes(),
	}
	v.group = widget.NewSelect(nil, func(string) {
		if !v.choosing && v.onGroup != nil {
			v.onGroup(v.group.SelectedIndex())
		}
	})
	v.group.PlaceHolder = "No runs yet"
	// Wide enough for "Comparison 12 (5 runs, mixed)".
	groupWidth := canvas.NewRectangle(nil)
	groupWidth.SetMinSize(fyne.NewSize(230, 0))
	v.lanes.onSelect = v.selected
	v.fitBtn = widget.NewButton("Fit", v.lanes.Fit)
	v.clearBtn = widget.NewButton("Clear runs", onClear)
	hint := widget.NewLabel("wheel: zoom · drag: pan · tap a run to show it in Live and Threads")
	hint.Importance = widget.LowImportance
	hint.Truncation = fyne.TextTruncateEllipsis
	top := container.NewVBox(container.NewBorder(nil, nil, container.NewHBox(container.NewStack(groupWidth, v.group), v.count),
		container.NewHBox(v.fitBtn, v.clearBtn), hint), v.baselinePicker())
	body := container.NewVBox(v.lanes, widget.NewSeparator(), v.table, widget.NewSeparator(), v.verdicts)
	v.scroll = container.NewVScroll(body)
	v.content = container.NewBorder(top, nil, nil, nil, v.scroll)
	v.set(nil)
	return v
}

// selected tells the window the user picked run p.
func (v *compareView) selected(p *profile.Profile) {
	if v.onSelect != nil {
		v.onSelect(p)
	}
}

// setGroups lists the session's groups in the selector, chosen selected;
// enabled says whether the user may pick another now.
func (v *compareView) setGroups(names []string, chosen int, enabled bool) {
	v.choosing = true
	defer func() { v.choosing = false }()
	v.group.Options = names
	if chosen < 0 {
		v.group.ClearSelected()
	} else {
		v.group.SetSelectedIndex(chosen)
	}
	setEnabled(v.group, enabled)
	v.group.Refresh()
}

// set shows runs, a row for each group of repeats.
func (v *compareView) set(runs []*profile.Profile) {
	rows := runtext.Rows(runs)
	v.runs = runtext.Shown(rows)
	// The selector counts the runs; an empty session says how to get some.
	empty := ""
	if len(runs) == 0 {
		empty = "No runs yet: run a model, or choose Compare all."
	}
	showNote(v.count, empty)
	v.lanes.set(v.runs, v.shown)

	var bgs, cells, verdicts []fyne.CanvasObject
	cells = append(cells, cell(tableHeader[0], true, false))
	for i, c := range tableColumns {
		cells = append(cells, cell(tableHeader[i+1], true, c.Number()))
	}
	longest, fastest := 0.0, 0.0
	for _, r := range rows {
		longest = max(longest, r.Wall())
		if r.Run.Summary.Speedup != nil {
			fastest = max(fastest, *r.Run.Summary.Speedup)
		}
	}
	names := runNames(v.runs)
	for i, r := range rows {
		p := r.Run
		row := newRunRow(func() { v.selected(p) })
		row.bars[0].frac = fraction(r.Wall(), longest)
		if p.Summary.Speedup != nil {
			row.bars[1].frac = fraction(*p.Summary.Speedup, fastest)
		}
		row.shown = p == v.shown
		bgs = append(bgs, row)
		cells = append(cells, cell(names[i], false, false))
		for _, c := range tableColumns {
			cells = append(cells, cell(spreadUnder(c.RowCell(r)), false, c.Number()))
		}
		verdicts = append(verdicts, verdictText(names[i], r))
	}
	v.table.Layout.(*tableLayout).rows = len(bgs)
	v.table.Objects, v.verdicts.Objects = append(bgs, cells...), verdicts
	v.table.Refresh()
	v.verdicts.Refresh()
}

// show marks p as the run Live and Threads show.
func (v *compareView) show(p *profile.Profile) {
	v.shown = p
	for i, o := range v.table.Objects[:v.table.Layout.(*tableLayout).rows] {
		row := o.(*runRow)
		if shown := v.runs[i] == p; row.shown != shown {
			row.shown = shown
			row.Refresh()
		}
	}
	v.lanes.shown = p
	v.lanes.Refresh()
}

// fraction is v of most, 0 when most is not positive.
func fraction(v, most float64) float64 {
	if !(most > 0) {
		return 0
	}
	return max(0, min(v/most, 1))
}

// verdictText is a row's verdict and why, after its name and, where the
// name does not say it, its model as the table would show it ("threads, 5
// workers, switch 5ms", a command in full): the table leaves that column
// out to fit an 800-pixel window. With repeats, which run it is and what
// made the figures unreliable come first (rowNotes).
func verdictText(name string, r runtext.Row) *widget.RichText {
	p := r.Run
	style := func(bold bool) widget.RichTextStyle {
		return widget.RichTextStyle{Inline: true, SizeName: theme.SizeNameCaptionText, TextStyle: fyne.TextStyle{Bold: bold}}
	}
	model := ""
	if m := runtext.Model(p.Spec); !p.Watched() && m != name {
		model = " (" + m + ")"
	}
	rt := widget.NewRichText(
		&widget.TextSegment{Text: name, Style: style(true)},
		&widget.TextSegment{Text: model + ": " + withNotes(rowNotes(r), p), Style: style(false)},
	)
	rt.Wrapping = fyne.TextWrapWord
	return rt
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
// wide as its widest cell (the wide ones at least barWidth, for their
// bars) plus an equal share of the spare width, each row as tall as its
// tallest cell (a heading or a spread may take two lines). The first rows
// objects are the data rows' backgrounds (runRow), laid under the cells of
// their row and told where the columns are.
type tableLayout struct {
	cols   int
	wide   []int // columns that hold bars
	rows   int
	widths []float32 // scratch: column widths
	xs     []float32 // scratch: where each column starts
	ys     []float32 // scratch: where each row starts, and the bottom last
}

// barWidth is the least width of a column with bars.
const barWidth = 60

// measure sizes the columns (widths) and rows (ys) and returns the width.
func (l *tableLayout) measure(objs []fyne.CanvasObject) (width float32) {
	l.widths = append(l.widths[:0], make([]float32, l.cols)...)
	for _, c := range l.wide {
		l.widths[c] = barWidth
	}
	cells := objs[min(l.rows, len(objs)):]
	rows := (len(cells) + l.cols - 1) / l.cols
	l.ys = append(l.ys[:0], make([]float32, rows+1)...)
	for i, o := range cells {
		m := o.MinSize()
		l.widths[i%l.cols] = max(l.widths[i%l.cols], m.Width)
		l.ys[i/l.cols+1] = max(l.ys[i/l.cols+1], m.Height) // the row's height, summed below
	}
	for r := 1; r <= rows; r++ {
		l.ys[r] += l.ys[r-1]
	}
	for _, w := range l.widths {
		width += w
	}
	return width
}

func (l *tableLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w := l.measure(objs)
	return fyne.NewSize(w, l.ys[len(l.ys)-1])
}

func (l *tableLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := l.measure(objs)
	spare := max(0, size.Width-w) / float32(l.cols)
	l.xs = append(l.xs[:0], make([]float32, l.cols)...)
	for col := 1; col < l.cols; col++ {
		l.xs[col] = l.xs[col-1] + l.widths[col-1] + spare
	}
	bgs := objs[:min(l.rows, len(objs))]
	for i, o := range objs[len(bgs):] {
		col, row := i%l.cols, i/l.cols
		o.Move(fyne.NewPos(l.xs[col], l.ys[row]))
		o.Resize(fyne.NewSize(l.widths[col]+spare, l.ys[row+1]-l.ys[row]))
	}
	for i, b := range bgs {
		r := b.(*runRow)
		for j, col := range l.wide {
			r.bars[j].x, r.bars[j].w = l.xs[col], l.widths[col]+spare
		}
		if i+2 < len(l.ys) { // row i+1: the heading is row 0
			r.Move(fyne.NewPos(0, l.ys[i+1]))
			r.Resize(fyne.NewSize(size.Width, l.ys[i+2]-l.ys[i+1]))
		}
		r.Refresh()
	}
}

// runName is a run's label, marked when it did not finish well.
func runName(p *profile.Profile) string { return runtext.Mark(runtext.Label(p), p) }

// runNames are the names of runs shown together: each unique (runtext.Names),
// marked as runName marks them.
func runNames(ps []*profile.Profile) []string {
	names := runtext.Names(ps)
	for i, p := range ps {
		names[i] = runtext.Mark(names[i], p)
	}
	return names
}

// duration is how long a run's frames cover.
func duration(p *profile.Profile) float64 {
	if len(p.Frames) == 0 {
		return 0
	}
	return p.Frames[len(p.Frames)-1].T
}
