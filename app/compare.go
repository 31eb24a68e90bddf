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
// comparison, the single runs, a file; the selector reaches the others) on
// one time scale that zooms and pans as one, the summary table with the
// wall-time and speedup bars, and each run's verdict and why. Tapping a
// run's row or lane shows it in Live and Threads.
type compareView struct {
	group    *widget.Select // which group is shown
	count    *widget.Label
	fitBtn   *widget.Button
	clearBtn *widget.Button
	lanes    *runLanes
	table    *fyne.Container // a row background a run (under its cells), then the cells
	verdicts *fyne.Container
	scroll   *container.Scroll // lanes, table and verdicts
	content  fyne.CanvasObject

	runs     []*profile.Profile
	shown    *profile.Profile
	choosing bool // the selector is being set, not chosen from
	onSelect func(*profile.Profile)
	onGroup  func(i int)
}

// tableColumns are the summary figures after each run's name, few enough
// that the table fits beside the controls in an 800-pixel window.
var tableColumns = []runtext.Column{runtext.ColWall, runtext.ColSpeedup, runtext.ColCoresUsed, runtext.ColCPU,
	runtext.ColThreads, runtext.ColProcs, runtext.ColCtxSwitches}

// tableHeader heads the summary table: the runs' names, then tableColumns.
var tableHeader = append([]string{"run"}, runtext.Heads(tableColumns)...)

// barColumns are the table columns that hold bars: wall time and speedup,
// in the order of a runRow's bars.
var barColumns = []int{1, 2}

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
	top := container.NewBorder(nil, nil, container.NewHBox(container.NewStack(groupWidth, v.group), v.count), container.NewHBox(v.fitBtn, v.clearBtn), hint)
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

// set shows runs.
func (v *compareView) set(runs []*profile.Profile) {
	v.runs = runs
	// The selector counts the runs; an empty session says how to get some.
	empty := ""
	if len(runs) == 0 {
		empty = "No runs yet: run a model, or choose Compare all."
	}
	showNote(v.count, empty)
	v.lanes.set(runs, v.shown)

	var rows, cells, verdicts []fyne.CanvasObject
	cells = append(cells, cell(tableHeader[0], true, false))
	for i, c := range tableColumns {
		cells = append(cells, cell(tableHeader[i+1], true, c.Number()))
	}
	longest, fastest := 0.0, 0.0
	for _, p := range runs {
		longest = max(longest, p.Summary.WallS)
		if p.Summary.Speedup != nil {
			fastest = max(fastest, *p.Summary.Speedup)
		}
	}
	names := runNames(runs)
	for i, p := range runs {
		row := newRunRow(func() { v.selected(p) })
		row.bars[0].frac = fraction(p.Summary.WallS, longest)
		if p.Summary.Speedup != nil {
			row.bars[1].frac = fraction(*p.Summary.Speedup, fastest)
		}
		row.shown = p == v.shown
		rows = append(rows, row)
		cells = append(cells, cell(names[i], false, false))
		for _, c := range tableColumns {
			cells = append(cells, cell(c.Cell(p), false, c.Number()))
		}
		verdicts = append(verdicts, verdictText(names[i], p))
	}
	v.table.Layout.(*tableLayout).rows = len(rows)
	v.table.Objects, v.verdicts.Objects = append(rows, cells...), verdicts
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

// verdictText is a run's verdict and why, after its name and, where the
// name does not say it, its model as the table would show it ("threads, 5
// workers, switch 5ms", a command in full): the table leaves that column
// out to fit an 800-pixel window.
func verdictText(name string, p *profile.Profile) *widget.RichText {
	style := func(bold bool) widget.RichTextStyle {
		return widget.RichTextStyle{Inline: true, SizeName: theme.SizeNameCaptionText, TextStyle: fyne.TextStyle{Bold: bold}}
	}
	model := ""
	if m := runtext.Model(p.Spec); !p.Watched() && m != name {
		model = " (" + m + ")"
	}
	rt := widget.NewRichText(
		&widget.TextSegment{Text: name, Style: style(true)},
		&widget.TextSegment{Text: model + ": " + runtext.OutcomeAndWhy(p), Style: style(false)},
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
// bars) plus an equal share of the spare width. The first rows objects are
// the data rows' backgrounds (runRow), laid under the cells of their row
// and told where the columns are.
type tableLayout struct {
	cols   int
	wide   []int // columns that hold bars
	rows   int
	widths []float32 // scratch: column widths
	xs     []float32 // scratch: where each column starts
}

// barWidth is the least width of a column with bars.
const barWidth = 60

func (l *tableLayout) measure(objs []fyne.CanvasObject) (width, rowH float32) {
	l.widths = append(l.widths[:0], make([]float32, l.cols)...)
	for _, c := range l.wide {
		l.widths[c] = barWidth
	}
	for i, o := range objs[min(l.rows, len(objs)):] {
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
	rows := (len(objs) - min(l.rows, len(objs)) + l.cols - 1) / l.cols
	return fyne.NewSize(w, float32(rows)*rowH)
}

func (l *tableLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w, rowH := l.measure(objs)
	spare := max(0, size.Width-w) / float32(l.cols)
	l.xs = append(l.xs[:0], make([]float32, l.cols)...)
	for col := 1; col < l.cols; col++ {
		l.xs[col] = l.xs[col-1] + l.widths[col-1] + spare
	}
	bgs := objs[:min(l.rows, len(objs))]
	for i, o := range objs[len(bgs):] {
		col := i % l.cols
		o.Move(fyne.NewPos(l.xs[col], float32(i/l.cols)*rowH))
		o.Resize(fyne.NewSize(l.widths[col]+spare, rowH))
	}
	for i, b := range bgs {
		r := b.(*runRow)
		for j, col := range l.wide {
			r.bars[j].x, r.bars[j].w = l.xs[col], l.widths[col]+spare
		}
		r.Move(fyne.NewPos(0, float32(i+1)*rowH))
		r.Resize(fyne.NewSize(size.Width, rowH))
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
