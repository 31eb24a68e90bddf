package recorder

import (
	"context"

	"corescope/levels"
	"corescope/nodes"
	"corescope/profile"
	"corescope/spec"
)

// FromHistory is the profile of nodes' past per-core load read from a
// Prometheus server (nodes.QueryHistory): one frame a step, each holding
// every core of every node (instance), Missing where the server has no
// figure, and the summary Watch gives. A frame's time is the end of its step,
// so frames of a watch and of the server's history of the same seconds sit at
// the same Started + T. Like a watch's, the profile is concluded (named and
// worded) by runtext.Conclude.
func FromHistory(ctx context.Context, h *nodes.History, m *profile.Machine) *profile.Profile {
	step := h.Query.Step
	if m == nil {
		local := ThisMachine(ctx)
		m = &local
	}
	p := &profile.Profile{
		Spec:     spec.Spec{Interval: spec.Duration(step)},
		Started:  h.Query.From.Add(-step),
		Machine:  *m,
		ExitCode: -1,
	}
	c := &cluster{errs: make([]error, len(h.Nodes)), late: make([]bool, len(h.Nodes))}
	c.place(h.Nodes, 0)
	first := c.cores()
	// One array holds every frame's row, as History does.
	rows := make(levels.Row, first*len(h.Ticks))
	p.Frames = make([]profile.Frame, len(h.Ticks))
	for k, t := range h.Ticks {
		f := &p.Frames[k]
		f.T = profile.Round(t.Time.Sub(p.Started).Seconds(), 1e3)
		f.Busy, rows = rows[:first:first], rows[first:]
		c.fill(f.Busy, t)
	}
	p.Nodes = c.layout
	summarizeWatch(p)
	return p
}
