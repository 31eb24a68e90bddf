package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"corescope/runners"
)

// Preference keys: the last choices, restored at the next launch.
const (
	prefWorkload = "workload"
	prefModel    = "model"
	prefTasks    = "tasks"
	prefWorkers  = "workers"
	prefSize     = "size"
	prefRate     = "sample_rate"
	prefSorted   = "sorted"
	prefWhole    = "whole_machine"
)

// loadPrefs puts the saved choices into the controls.
func loadPrefs(p fyne.Preferences, c *controls, live *liveView) {
	for key, s := range map[string]*widget.Select{prefWorkload: c.workload, prefModel: c.model, prefRate: c.rate} {
		if v := p.String(key); indexOf(s.Options, v) >= 0 {
			s.SetSelected(v)
		}
	}
	c.tasks.SetText(p.StringWithFallback(prefTasks, c.tasks.Text))
	c.workers.SetText(p.StringWithFallback(prefWorkers, c.workers.Text))
	c.size.SetText(p.StringWithFallback(prefSize, c.size.Text))
	if p.Bool(prefSorted) {
		live.order.SetSelected(orderSorted)
	}
	live.whole.SetChecked(p.Bool(prefWhole))
}

// savePrefs stores the current choices.
func savePrefs(p fyne.Preferences, c *controls, live *liveView) {
	p.SetString(prefWorkload, c.workload.Selected)
	p.SetString(prefModel, c.model.Selected)
	p.SetString(prefRate, c.rate.Selected)
	p.SetString(prefTasks, c.tasks.Text)
	p.SetString(prefWorkers, c.workers.Text)
	p.SetString(prefSize, c.size.Text)
	p.SetBool(prefSorted, live.order.Selected == orderSorted)
	p.SetBool(prefWhole, live.whole.Checked)
}

// demoInput is the small CPU-bound comparison of every model the demo runs.
var demoInput = runners.Input{Workload: string(runners.CPU), Models: runners.AllModels, Tasks: "10", Size: "0.5",
	Interval: runners.DefaultInterval.String()}
