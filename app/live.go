package app

import (
	"fmt"
	"image"
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"corescope/heatmap"
	"corescope/profile"
	"corescope/runners"
)

// liveColumns is how many samples the live heatmap keeps: a minute at the
// default 100 ms interval.
const liveColumns = 600

// Sort orders of the heatmap, as the toggle names them.
const (
	orderByCore = "By core"
	orderSorted = "Sorted"
)

// liveView is the Live tab: the heatmap with its strip, the per-core bars
// and a line of live figures.
type liveView struct {
	heat    *Heatmap
	bars    *coreBars
	figures *widget.Label
	order   *widget.RadioGroup
	content fyne.CanvasObject

	interval float64 // seconds between samples of the shown run
	prevT    float64
	last     *profile.Frame
	text     string // the figures to show at the next refresh
	visible  bool   // whether the tab is shown; hidden, it does not draw
}

func newLiveView(onSort func(sorted bool)) *liveView {
	v := &liveView{
		heat:     NewHeatmap(runtime.NumCPU(), liveColumns, runners.DefaultInterval.Seconds()),
		bars:     newCoreBars(),
		figures:  widget.NewLabel("Press Run (Ctrl+R) to watch the cores."),
		interval: runners.DefaultInterval.Seconds(),
	}
	v.heat.ResetLive(runtime.NumCPU(), liveColumns, v.interval)
	v.figures.Wrapping = fyne.TextWrapWord
	v.order = widget.NewRadioGroup([]string{orderByCore, orderSorted}, nil)
	v.order.Horizontal = true
	v.order.Required = true
	v.order.SetSelected(orderByCore)
	v.order.OnChanged = func(s string) {
		v.heat.SetSorted(s == orderSorted)
		if onSort != nil {
			onSort(s == orderSorted)
		}
	}

	legend := image.NewRGBA(image.Rect(0, 0, 128, 1))
	heatmap.Legend(legend, legend.Rect)
	scale := canvas.NewImageFromImage(legend)
	scale.ScaleMode = canvas.ImageScalePixels
	scale.FillMode = canvas.ImageFillStretch
	scale.SetMinSize(fyne.NewSize(120, 12))
	legendRow := container.NewHBox(widget.NewLabel("Rows:"), v.order, layout.NewSpacer(),
		widget.NewLabel("0%"), container.NewCenter(scale), widget.NewLabel("100%"))

	bars := container.NewBorder(widget.NewLabelWithStyle("Now", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, v.bars)
	split := container.NewHSplit(v.heat, bars)
	split.Offset = 0.8
	v.content = container.NewBorder(legendRow, v.figures, nil, nil, split)
	return v
}

// begin clears the view for a new run of spec.
func (v *liveView) begin(spec runners.Spec) {
	v.interval = spec.Interval.D().Seconds()
	v.prevT, v.last = 0, nil
	v.heat.ResetLive(runtime.NumCPU(), liveColumns, v.interval)
	v.text = fmt.Sprintf("Running %s...", spec.Label())
}

// add takes one live frame; refresh shows it.
func (v *liveView) add(f *profile.Frame) {
	if len(f.Busy) != v.heat.Cores() {
		v.heat.ResetLive(len(f.Busy), liveColumns, v.interval)
	}
	v.heat.Push(f.T, f.Busy)
	dt := f.T - v.prevT
	if v.last == nil || !(dt > 0) {
		dt = v.interval
	}
	v.prevT, v.last = f.T, f
	v.text = fmt.Sprintf("Subject: %.2f cores used   ·   Machine: %.2f of %d cores busy   ·   corescope itself: %.1f%% of one core",
		f.SubjectCPU/dt, f.BusyCores(), len(f.Busy), 100*f.SelfCPU/dt)
}

// setVisible says whether the tab is shown; showing it draws what came
// while it was hidden.
func (v *liveView) setVisible(visible bool) {
	v.visible = visible
	v.refresh()
}

// refresh redraws after a batch of add or a show.
func (v *liveView) refresh() {
	if !v.visible {
		return
	}
	v.heat.Refresh()
	if v.last != nil {
		v.bars.set(v.last.Busy)
	}
	if v.text != "" {
		v.figures.SetText(v.text)
	}
}

// show puts a whole recorded run in the view.
func (v *liveView) show(p *profile.Profile) {
	v.interval = p.Spec.Interval.D().Seconds()
	cores := max(p.Machine.LogicalCores, 1)
	if len(p.Frames) > 0 {
		cores = len(p.Frames[0].Busy)
	}
	v.heat.Reset(cores, max(len(p.Frames), 1), v.interval) // the whole run fills the width
	for i := range p.Frames {
		v.heat.Push(p.Frames[i].T, p.Frames[i].Busy)
	}
	v.last = nil
	if n := len(p.Frames); n > 0 {
		v.last = &p.Frames[n-1]
	}
	s := p.Summary
	v.text = fmt.Sprintf("%s: %.2f s wall, %.2f cores used, machine %.2f busy cores (peak %.2f), corescope itself %.1f%% of one core",
		p.Label, s.WallS, s.CoresUsed, s.MachineBusyCores, s.PeakBusyCores, 100*s.SelfCores)
	if p.Failed() {
		v.text += " — " + p.Error
	}
	v.refresh()
}
