package app

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"corescope/lanes"
	"corescope/profile"
	"corescope/runtext"
)

// What the Threads tab says of its lanes, exact or not.
const (
	exactLanesText  = "One lane per thread, grouped by process: each bar is a time the thread was on a core, coloured by the core (exact, from the kernel's switch records); fainter means on a core for only part of that pixel's time. Hatched in a core's colour, it waited for a core; a thin grey line, it was blocked (darker: a lock, lighter: I/O, a child, a sleep); blank, it was idle or not yet known. Grey bars under a lane are its tasks."
	sampleLanesText = "One lane per thread (pid/tid while running, process and tid after), grouped by process, coloured by the core it last ran on at each sample; hatched where a sample found it waiting for a core, a thin grey line where blocked. Grey bars under a lane are its tasks."
)

// threadsView is the Threads tab: the lanes, their colour legend and the
// zoom controls. It takes samples all the time but draws
// only while its tab is shown.
type threadsView struct {
	lanes   *threadLanes
	legend  *fyne.Container
	about   *widget.Label // what the lanes show
	note    *widget.Label // approximate, and why
	zoomRow *fyne.Container
	content fyne.CanvasObject
	reason  string // the profile's attribution note
	cores   int
	visible bool
}

func newThreadsView() *threadsView {
	v := &threadsView{lanes: newThreadLanes(), legend: container.NewHBox(),
		about: widget.NewLabel(sampleLanesText), note: widget.NewLabel("")}
	v.about.Wrapping, v.note.Wrapping = fyne.TextWrapWord, fyne.TextWrapWord
	v.note.Importance = widget.WarningImportance
	v.note.Hide()
	hint := widget.NewLabel("Zoom: mouse wheel or + and -  ·  pan: drag or ← →  ·  0 fits (click the lanes first for the keys)  ·  point at a lane for its thread, core and task")
	hint.Importance = widget.LowImportance
	hint.Wrapping = fyne.TextWrapWord // a window 800 wide must not grow for it
	v.zoomRow = container.NewBorder(nil, nil, widget.NewButton("Fit", v.lanes.Fit), nil, hint)
	v.lanes.onLanes = func() {
		if v.visible {
			v.describe()
		}
	}
	v.zoomRow.Hide()
	top := container.NewVBox(v.note, v.about, container.NewHScroll(v.legend), v.zoomRow)
	v.content = container.NewBorder(top, nil, nil, nil, v.lanes)
	return v
}

// begin clears the lanes for a live run that started at t0.
func (v *threadsView) begin(t0 time.Time, interval float64) {
	v.reason = ""
	v.lanes.Reset(t0, interval, liveColumns)
	v.lanes.SetEmptyText(noSamplesYet)
}

func (v *threadsView) add(f *profile.Frame) {
	v.lanes.Add(f.T, f.ThreadSamples, f.Events)
	v.lanes.AddSlices(f.Slices)
	v.lanes.Name(f.ThreadNames)
}

func (v *threadsView) refresh() {
	if !v.visible {
		return
	}
	v.lanes.Refresh()
	v.updateLegend()
	v.describe()
	if has := v.lanes.Len() > 0; v.zoomRow.Visible() != has {
		v.zoomRow.Hidden = !has
		v.zoomRow.Refresh()
	}
}

// describe says what the lanes show: exact slices or samples, what the
// fold's lane and a lane of the threads that do not fit merge, and, for
// samples, why they are approximate. The lanes call it when the lanes
// shown change (new threads, a window resized), so it is never stale.
func (v *threadsView) describe() {
	l := v.lanes
	exact := l.Exact()
	about, note := sampleLanesText, ""
	if exact {
		about = exactLanesText
	}
	if f := l.Folded(); !f.Empty() {
		about += fmt.Sprintf(" The last lane merges %s (%s).", f.Title(), f.Detail())
	}
	if n := l.Overflow(); n > 0 {
		about += fmt.Sprintf(" Only %d of %d lanes fit: the last one shown merges %d threads; a taller window shows more.", l.Len(), l.Total(), n)
	}
	if !exact && l.Len() > 0 {
		note = attributionText(profile.AttributionApproximate, v.reason, true)
	}
	if v.about.Text != about {
		v.about.SetText(about)
	}
	showNote(v.note, note)
}

func (v *threadsView) show(p *profile.Profile) {
	v.lanes.SetProfile(p)
	empty := noSamplesYet
	if reason := runtext.NoThreads(p); reason != "" {
		empty = "No thread lanes: " + reason + "."
	}
	v.lanes.SetEmptyText(empty)
	v.reason = p.Summary.AttributionNote
	v.refresh()
}

// updateLegend names the colour of each core seen so far.
func (v *threadsView) updateLegend() {
	n := min(v.lanes.Cores(), len(lanes.CorePalette))
	if n == v.cores {
		return
	}
	v.cores = n
	var items []fyne.CanvasObject
	for c := range n {
		sw := canvas.NewRectangle(lanes.CorePalette[c])
		sw.SetMinSize(fyne.NewSize(14, 14))
		name := fmt.Sprintf("core %d", c)
		if v.lanes.Cores() > len(lanes.CorePalette) {
			name = fmt.Sprintf("cores %d+%dk", c, len(lanes.CorePalette))
		}
		items = append(items, container.NewCenter(sw), widget.NewLabel(name))
	}
	v.legend.Objects = items
	v.legend.Refresh()
}
