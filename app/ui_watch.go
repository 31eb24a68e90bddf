package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"corescope/profile"
	"corescope/recorder"
	"corescope/report"
	"corescope/spec"
)

// watch starts watching the nodes the Cluster source names: no subject,
// until Stop (or Escape) or the duration asked; the frames fill the live
// views as a recording's do, and the watch joins the single runs, frames
// kept, when it ends.
func (u *UI) watch() {
	opt, err := u.ctl.cluster.options()
	if err != nil {
		u.setStatus(err.Error())
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := spec.Spec{Interval: spec.Duration(opt.Interval), Name: "watch"}
	j := &job{specs: []spec.Spec{s}, group: u.groupFor([]spec.Spec{s}), cancel: cancel, started: time.Now(), index: -1, out: newOutputQueue(),
		watching: len(opt.Addresses)}
	u.start(ctx, j, func(ctx context.Context, j *job, done chan<- struct{}) { u.recordWatch(ctx, j, opt, done) })
}

// recordWatch runs recorder.Watch on its own goroutine and hands its frames,
// each with the nodes' layout and who gave no figure, to the job's feed.
func (u *UI) recordWatch(ctx context.Context, j *job, opt recorder.WatchOptions, done chan<- struct{}) {
	defer close(done)
	defer j.cancel()
	j.feed.add(update{kind: runBegan, spec: j.specs[0], start: time.Now()})
	var frame profile.Frame
	opt.OnFrame = func(f profile.Frame) { frame = f }
	opt.OnNodes = func(nodes []profile.Node, errs []error) {
		up := update{kind: frameArrived, frame: frame, nodes: slices.Clone(nodes)}
		for k, err := range errs {
			if err != nil && k < len(nodes) {
				why := err.Error()
				if !strings.Contains(why, nodes[k].Name) {
					why = nodes[k].Name + ": " + why
				}
				up.missing = append(up.missing, why)
			}
		}
		j.feed.add(up)
	}
	p, err := recorder.Watch(ctx, opt)
	j.feed.add(update{kind: runEnded, profile: p, err: err})
}

// watched takes what a cluster's frame says of its nodes, on the UI
// goroutine: the Live heatmap groups the frame's cores by node from the
// first frame on, and the status line names the nodes that gave no figure
// this tick, or is cleared once all answer again.
func (u *UI) watched(j *job, up *update) {
	if up.nodes == nil {
		return
	}
	if !u.live.heat.Grouped() || u.live.heat.Cores() != len(up.frame.Busy) {
		u.live.heat.ResetLive(len(up.frame.Busy), liveColumns, j.spec.Interval.D().Seconds())
		u.live.heat.SetNodes(report.NodeGroups(&profile.Profile{Nodes: up.nodes}), 0)
	}
	status := ""
	if len(up.missing) > 0 {
		status = "No figures this tick from " + strings.Join(up.missing, "; ")
	}
	if status != u.status.Text && (status != "" || strings.HasPrefix(u.status.Text, "No figures this tick")) {
		u.setStatus(status)
	}
}
