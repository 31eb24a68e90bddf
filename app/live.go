package app

import (
	"fmt"
	"image"
	"image/color"
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"corescope/heatmap"
	"corescope/levels"
	"corescope/profile"
	"corescope/report"
	"corescope/spec"
)

// liveColumns is how many samples the live heatmap's axis grows to before
// it scrolls: a minute at the default 100 ms interval. It keeps them all.
const liveColumns = 600

// Sort orders of the heatmap, as the toggle names them.
const (
	orderByCore = "By core"
	orderSorted = "Sorted"
)

// liveView is the Live tab: the heatmap with its strip, the per-core bars
// and a line of live figures.
type liveView struct {
	heat    *heatmapWidget
	bars    *coreBars
	figures *widget.Label
	order   *choice
	byNode  *choice       // a cluster's rows: by node or every core; hidden for one machine
	now     *widget.Label // the bars' heading: a bar a core, or a node
	whole   *check
	note    *widget.Label // the attribution, when not exact
	legend  stripLegend
	content fyne.CanvasObject

	interval float64 // seconds between samples of the shown run
	prevT    float64
	last     *profile.Frame
	text     string // the figures to show at the next refresh

	// What the note says of the run shown: its attribution ("" while a live
	// run has not told) and the reason for it.
	attribution, reason string
	visible             bool // whether the tab is shown; hidden, it does not draw

	// A frame's rows as fractions for the bars, which copy them, and the
	// bars' names when they stand for nodes.
	busy, subject []float64
	names         []string
}

// newLiveView builds the tab; onChange is called with the sort order
// whenever the user changes how the heatmap is shown, so the window can
// keep the choices.
func newLiveView(onChange func(sorted bool)) *liveView {
	v := &liveView{
		heat:     newHeatmapWidget(runtime.NumCPU(), liveColumns, spec.DefaultInterval.Seconds()),
		bars:     newCoreBars(),
		figures:  widget.NewLabel("Press Run (Ctrl+R) to watch the cores."),
		note:     widget.NewLabel(""),
		interval: spec.DefaultInterval.Seconds(),
	}
	v.heat.ResetLive(runtime.NumCPU(), liveColumns, v.interval)
	v.figures.Wrapping = fyne.TextWrapWord
	v.note.Wrapping = fyne.TextWrapWord
	v.note.Importance = widget.WarningImportance
	v.note.Hide()
	changed := func() {
		if onChange != nil {
			onChange(v.order.Selected == orderSorted)
		}
	}
	v.order = newChoice([]string{orderByCore, orderSorted}, nil)
	v.order.SetSelected(orderByCore)
	v.order.OnChanged = func(s string) {
		v.heat.SetSorted(s == orderSorted)
		changed()
	}
	v.byNode = newNodesChoice(v.heat)
	v.whole = newCheck("Whole machine", func(on bool) {
		v.heat.SetWholeMachine(on)
		changed()
	})

	legend := image.NewRGBA(image.Rect(0, 0, 128, 1))
	heatmap.Legend(legend, legend.Rect)
	scale := canvas.NewImageFromImage(legend)
	scale.ScaleMode = canvas.ImageScalePixels
	scale.FillMode = canvas.ImageFillStretch
	scale.SetMinSize(fyne.NewSize(80, 12))
	legendRow := container.NewHBox(v.order, v.byNode, v.whole, layout.NewSpacer(),
		widget.NewLabel("0%"), container.NewCenter(scale), widget.NewLabel("100%"))

	v.now = widget.NewLabelWithStyle("Now", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	bars := container.NewBorder(v.now, nil, nil, nil, v.bars)
	split := container.NewHSplit(v.heat, bars)
	split.Offset = 0.8
	v.legend = newStripLegend()
	// Fit beside the strip's legend: the top row is full at 800 wide.
	fit := widget.NewButton("Fit", v.heat.Fit)
	stripRow := container.NewBorder(nil, nil, nil, fit, v.legend.row)
	v.content = container.NewBorder(legendRow, container.NewVBox(stripRow, v.note, v.figures), nil, nil, split)
	return v
}

// stripLegend names the layers of the busy-cores strip and the bars.
type stripLegend struct {
	row            *fyne.Container
	subject        *widget.Label
	others, swatch fyne.CanvasObject
}

func newStripLegend() stripLegend {
	swatch := func(c color.Color) fyne.CanvasObject {
		r := canvas.NewRectangle(c)
		r.SetMinSize(fyne.NewSize(14, 14))
		return container.NewCenter(r)
	}
	l := stripLegend{subject: widget.NewLabel("the subject"), swatch: swatch(heatmap.OthersColor())}
	l.others = widget.NewLabel("other programs")
	l.row = container.NewHBox(widget.NewLabel("Strip and bars:"), swatch(heatmap.StripColor()), l.subject, l.swatch, l.others)
	return l
}

// set names the strip's one layer "the whole machine" when the subject's
// load was not measured, its two layers otherwise.
func (l stripLegend) set(known bool) {
	text := "the subject"
	if !known {
		text = "the whole machine"
	}
	if l.subject.Text != text {
		l.subject.SetText(text)
	}
	for _, o := range []fyne.CanvasObject{l.swatch, l.others} {
		if o.Visible() != known {
			if known {
				o.Show()
			} else {
				o.Hide()
			}
		}
	}
}

// begin clears the view for a new run of spec.
func (v *liveView) begin(s spec.Spec) {
	v.interval = s.Interval.D().Seconds()
	v.prevT, v.last = 0, nil
	v.attribution, v.reason = "", ""
	v.heat.ResetLive(runtime.NumCPU(), liveColumns, v.interval)
	v.heat.SetNodes(nil, 0)
	v.text = fmt.Sprintf("Running %s...", s.Label())
}

// failed replaces the running line of a run that ended with no profile to
// show (its command was not found, it could not start).
func (v *liveView) failed(err error) { v.text = "The run failed: " + err.Error() }

// add takes one live frame; refresh shows it.
func (v *liveView) add(f *profile.Frame) {
	if len(f.Busy) != v.heat.Cores() {
		v.heat.ResetLive(len(f.Busy), liveColumns, v.interval)
		v.heat.SetNodes(nil, 0)
	}
	v.push(f)
	dt := f.T - v.prevT
	if v.last == nil || !(dt > 0) {
		dt = v.interval
	}
	v.prevT, v.last = f.T, f
	if f.Attribution != "" {
		v.attribution = f.Attribution
	}
	self := fmt.Sprintf("corescope itself: %.1f%% of one core", 100*f.SelfCPU/dt)
	if v.heat.Grouped() && len(f.SubjectBusy) == 0 {
		v.text = watchText(f, len(v.heat.tl.nodes.Groups()), self)
		return
	}
	if len(f.SubjectBusy) == 0 {
		v.text = fmt.Sprintf("Subject: %.2f cores used   ·   Machine: %.2f of %d cores busy   ·   %s",
			f.SubjectCPU/dt, f.BusyCores(), len(f.Busy), self)
		return
	}
	v.text = fmt.Sprintf("Subject: %.2f cores   ·   Other programs: %.2f cores   ·   Machine: %.2f of %d cores busy   ·   %s",
		f.SubjectCores(), f.OthersCores(), f.BusyCores(), len(f.Busy), self)
}

// push adds frame f to the heatmap, which copies its rows.
func (v *liveView) push(f *profile.Frame) {
	var subject levels.Row
	if len(f.SubjectBusy) > 0 {
		subject = f.SubjectBusy
	}
	v.heat.Push(f.T, f.Busy, subject)
}

// fractions is f's per-core machine and subject load (nil when it was not
// measured) as fractions, valid until the next call.
func (v *liveView) fractions(f *profile.Frame) (machine, subject []float64) {
	if v.heat.Grouped() {
		return v.nodeFractions(f)
	}
	v.busy = f.Busy.Fractions(v.busy)
	if len(f.SubjectBusy) == 0 {
		return v.busy, nil
	}
	v.subject = f.SubjectBusy.Fractions(v.subject)
	return v.busy, v.subject
}

// refresh redraws after a batch of add or a show.
func (v *liveView) refresh() {
	if !v.visible {
		return
	}
	known := v.heat.SubjectKnown()
	v.heat.Refresh()
	v.showNodesChoice()
	if v.last != nil {
		v.bars.setNames(v.barNames())
		v.bars.set(v.fractions(v.last))
	}
	v.legend.set(known)
	note := attributionText(v.attribution, v.reason, known)
	if v.last == nil || v.heat.Grouped() && !known {
		note = "" // nothing drawn yet, or a watch of nodes: no subject to attribute
	}
	showNote(v.note, note)
	if known == v.whole.Disabled() { // nothing to toggle without the subject's load
		if known {
			v.whole.Enable()
		} else {
			v.whole.Disable()
		}
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
	v.heat.Reset(cores, len(p.Frames), v.interval) // the whole run fills the width
	v.heat.SetNodes(report.NodeGroups(p), len(p.Frames))
	for i := range p.Frames {
		v.push(&p.Frames[i])
	}
	v.last = nil
	if n := len(p.Frames); n > 0 {
		v.last = &p.Frames[n-1]
	}
	s := p.Summary
	v.attribution, v.reason = s.Attribution, s.AttributionNote
	v.text = fmt.Sprintf("%s: %.2f s wall, %.2f CPU s (%.2f cores used), %d context switches, other programs %.2f cores, machine %.2f busy cores (peak %.2f), corescope itself %.1f%% of one core",
		p.Label, s.WallS, s.CPUS, s.CoresUsed, s.CtxSwitches, s.OthersBusyCores, s.MachineBusyCores, s.PeakBusyCores, 100*s.SelfCores)
	if p.Watched() {
		v.text = fmt.Sprintf("%s: %.2f s · %s · corescope itself %.1f%% of one core", p.Label, s.WallS, s.Verdict, 100*s.SelfCores)
	}
	if p.Failed() {
		v.text += " — " + p.Error
	}
	v.refresh()
}
