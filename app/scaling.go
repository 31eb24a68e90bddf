package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"corescope/profile"
	"corescope/runtext"
	"corescope/scaling"
)

// noSweepText is what the Scaling tab says of a group without a sweep.
const noSweepText = "No sweep of worker counts in this group. Run > Scale sweep runs the model chosen at 1, 2, 4... workers " +
	"(a command: put {workers} where its count goes), then shows here how its speed grows with them, the laws fitted and what more cores would give; " +
	"corescope scale does the same from the command line, and its --json file opens here."

// scalingView is the Scaling tab: each sweep of worker counts in the
// group the Compare tab shows, as a chart of speedup against workers (the
// ideal, the measured points, the fitted laws and their projection), a row
// a worker count, the fit and why the curve bends. Tapping a point shows
// its run in Live and Threads.
type scalingView struct {
	box      *fyne.Container
	content  fyne.CanvasObject
	onSelect func(*profile.Profile)
}

func newScalingView() *scalingView {
	v := &scalingView{box: container.NewVBox()}
	hint := widget.NewLabel("tap a point to show its run in Live and Threads · hollow: not fitted · dashed: projected past the cores")
	hint.Importance = widget.LowImportance
	hint.Truncation = fyne.TextTruncateEllipsis
	v.content = container.NewBorder(hint, nil, nil, nil, container.NewVScroll(v.box))
	v.set(nil)
	return v
}

// set shows the sweeps among runs.
func (v *scalingView) set(runs []*profile.Profile) {
	var objs []fyne.CanvasObject
	for _, sw := range scaling.Sweeps(runs) {
		objs = append(objs, v.section(sw)...)
	}
	if len(objs) == 0 {
		objs = []fyne.CanvasObject{wrapped(noSweepText)}
	}
	v.box.Objects = objs
	v.box.Refresh()
}

// section is one sweep's title, chart, table and texts.
func (v *scalingView) section(sw *scaling.Sweep) []fyne.CanvasObject {
	title := widget.NewLabelWithStyle(runtext.ScaleTitle(sw), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	chart := newScaleChart(sw, func(i int) {
		if p := sw.Run(i); p != nil && v.onSelect != nil {
			v.onSelect(p)
		}
	})
	table := container.NewGridWithColumns(len(runtext.ScaleHeads))
	for i, h := range runtext.ScaleHeads {
		table.Add(cell(h, true, i > 0 && i < 6))
	}
	for _, pt := range sw.Points {
		for i, c := range runtext.ScaleCells(pt) {
			table.Add(cell(c, false, i > 0 && i < 6))
		}
	}
	objs := []fyne.CanvasObject{title, chart, table, wrapped(runtext.FitLine(sw))}
	if note := runtext.FitNote(sw); note != "" {
		objs = append(objs, wrapped(note))
	}
	if bends := runtext.Bends(sw); bends != "" {
		objs = append(objs, wrapped("Why it bends: "+bends))
	}
	return append(objs, widget.NewSeparator())
}

// wrapped is a caption-sized text that wraps at words.
func wrapped(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = theme.SizeNameCaptionText
	return l
}
