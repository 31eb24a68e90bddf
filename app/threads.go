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
)

// threadsView is the Threads tab: the lanes and their colour legend. It
// takes samples all the time but draws only while its tab is shown.
type threadsView struct {
	threadLanes *ThreadLanes
	legend      *fyne.Container
	content     fyne.CanvasObject
	cores       int
	visible     bool
}

func newThreadsView() *threadsView {
	v := &threadsView{threadLanes: NewThreadLanes(), legend: container.NewHBox()}
	note := widget.NewLabel("One lane per thread (pid/tid while running, process and tid after), coloured by the core it last ran on; grey bars under a lane are its tasks.")
	note.Wrapping = fyne.TextWrapWord
	v.content = container.NewBorder(container.NewVBox(note, container.NewHScroll(v.legend)), nil, nil, nil, v.threadLanes)
	return v
}

// begin clears the lanes for a live run that started at t0.
func (v *threadsView) begin(t0 time.Time, interval float64) {
	v.threadLanes.Reset(t0, interval, liveColumns)
}

func (v *threadsView) add(f *profile.Frame) {
	v.threadLanes.Add(f.T, f.ThreadSamples, f.Events)
}

// setVisible says whether the tab is shown; showing it draws what came
// while it was hidden.
func (v *threadsView) setVisible(visible bool) {
	v.visible = visible
	v.refresh()
}

func (v *threadsView) refresh() {
	if !v.visible {
		return
	}
	v.threadLanes.Refresh()
	v.updateLegend()
}

func (v *threadsView) show(p *profile.Profile) {
	v.threadLanes.SetProfile(p)
	v.refresh()
}

// updateLegend names the colour of each core seen so far.
func (v *threadsView) updateLegend() {
	n := min(v.threadLanes.Cores(), len(lanes.CorePalette))
	if n == v.cores {
		return
	}
	v.cores = n
	var items []fyne.CanvasObject
	for c := range n {
		sw := canvas.NewRectangle(lanes.CorePalette[c])
		sw.SetMinSize(fyne.NewSize(14, 14))
		name := fmt.Sprintf("core %d", c)
		if v.threadLanes.Cores() > len(lanes.CorePalette) {
			name = fmt.Sprintf("cores %d+%dk", c, len(lanes.CorePalette))
		}
		items = append(items, container.NewCenter(sw), widget.NewLabel(name))
	}
	v.legend.Objects = items
	v.legend.Refresh()
}
