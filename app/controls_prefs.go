package app

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"corescope/runners"
	"corescope/spec"
)

// Preference keys: the last choices, restored at the next launch.
const (
	prefBackend  = "backend"
	prefCommand  = "command"
	prefLatency  = "latency"
	prefSwitch   = "switch_interval"
	prefWorkload = "workload"
	prefModel    = "model"
	prefTasks    = "tasks"
	prefWorkers  = "workers"
	prefSize     = "size"
	prefRate     = "sample_rate"
	prefSorted   = "sorted"
	prefWhole    = "whole_machine"
	prefPython   = "python"
	prefStart    = "start_method"
	prefRepeat   = "repeat"
	// The Cluster source's nodes (one a line), interval and duration.
	prefNodes        = "cluster_nodes"
	prefNodeInterval = "cluster_interval"
	prefNodeDuration = "cluster_duration"
)

// loadPrefs puts the saved choices into the controls.
func loadPrefs(p fyne.Preferences, c *controls, live *liveView) {
	for key, s := range c.prefSelects() {
		if v := p.String(key); slices.Index(s.Options, v) >= 0 {
			s.SetSelected(v)
		}
	}
	for key, e := range c.prefFields() {
		e.SetText(p.StringWithFallback(key, e.Text))
	}
	if p.Bool(prefSorted) {
		live.order.SetSelected(orderSorted)
	}
	live.whole.SetChecked(p.Bool(prefWhole))
}

// savePrefs stores the current choices.
func savePrefs(p fyne.Preferences, c *controls, live *liveView) {
	for key, s := range c.prefSelects() {
		p.SetString(key, s.Selected)
	}
	for key, e := range c.prefFields() {
		p.SetString(key, e.Text)
	}
	p.SetBool(prefSorted, live.order.Selected == orderSorted)
	p.SetBool(prefWhole, live.whole.Checked)
}

// prefSelects and prefFields are every control, by preference key: all
// are kept, so what a person set up is there at the next launch.
func (c *controls) prefSelects() map[string]*widget.Select {
	return map[string]*widget.Select{prefBackend: c.backend, prefWorkload: c.workload, prefModel: c.model, prefRate: c.rate,
		prefStart: c.start}
}

func (c *controls) prefFields() map[string]*field {
	return map[string]*field{prefCommand: c.command, prefTasks: c.tasks, prefWorkers: c.workers,
		prefLatency: c.latency, prefSwitch: c.switches, prefSize: c.size, prefPython: c.python, prefRepeat: c.repeat,
		prefNodes: c.cluster.nodes, prefNodeInterval: c.cluster.interval, prefNodeDuration: c.cluster.duration}
}

// demoInput is the small CPU-bound comparison of every model the demo runs.
var demoInput = runners.Input{Workload: string(spec.CPU), Models: runners.AllModels, Tasks: "10", Size: "0.5",
	Interval: spec.DefaultInterval.String()}
