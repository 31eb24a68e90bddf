package app

import (
	"corescope/heatmap"
	"corescope/levels"
)

// timeline is what the Live heatmap draws from: every sample of the run in
// a heatmap.Series, which draws any stretch of it at the cost of the
// pixels, and the stretch the picture fits: a recorded run whole; a live
// run's newest span seconds, its axis growing from minSpan in round steps
// until then.
type timeline struct {
	series heatmap.Series
	// nodes is each node's mean load when the run's cores are a cluster's
	// (see group); it has no groups otherwise.
	nodes    heatmap.Nodes
	interval float64 // seconds between samples, for the zoom limit and the image's width
	// span > 0 is a live view's longest window, which then scrolls; 0
	// fits the whole run.
	span    float64
	minSpan float64
}

// reset empties the timeline for cores and a run sampled every interval
// seconds; expect is how many samples are coming, when known (a recorded
// run). span and minSpan are as the fields say.
func (tl *timeline) reset(cores int, interval float64, expect int, span, minSpan float64) {
	tl.series.Reset(cores, interval, expect)
	tl.nodes.Reset(nil, interval, expect)
	tl.interval, tl.span, tl.minSpan = interval, span, minSpan
}

// window is the time the full width of the picture covers: the whole run,
// or, live, the newest samples (at least minSpan) rounded up to a round
// span, at most span, so a short run fills the width rather than a sliver
// of a minute, and a long one scrolls.
func (tl *timeline) window() (from, length float64) {
	first, last := tl.series.Extent()
	held := last - first
	if tl.span <= 0 {
		if tl.series.Len() == 0 {
			return 0, tl.interval
		}
		return first, held
	}
	length = min(tl.span, niceCeil(max(held, tl.minSpan)))
	if held > length {
		return last - length, length
	}
	return first, length
}

// samples is about how many samples a window of length seconds holds.
func (tl *timeline) samples(length float64) int {
	if !(tl.interval > 0) {
		return tl.series.Len()
	}
	return int(length/tl.interval + 0.5)
}

// group makes the timeline a cluster's, its cores grouped by node as
// groups say (nil: one machine); call it after reset, before the samples.
func (tl *timeline) group(groups []heatmap.Group, expect int) {
	tl.nodes.Reset(groups, tl.interval, expect)
}

// grouped reports whether the timeline's cores are grouped by node.
func (tl *timeline) grouped() bool { return len(tl.nodes.Groups()) > 0 }

// push adds a sample of every core to the series and, grouped, to the
// nodes' means.
func (tl *timeline) push(t float64, machine, subject levels.Row) {
	tl.series.Append(t, machine, subject)
	if tl.grouped() {
		tl.nodes.Append(t, machine, subject)
	}
}
