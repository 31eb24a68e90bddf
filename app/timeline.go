package app

import "corescope/heatmap"

// timeline is what the Live heatmap draws from: every sample of the run in
// a heatmap.Series, which draws any stretch of it at the cost of the
// pixels, and the stretch the picture fits: a recorded run whole; a live
// run's newest span seconds, its axis growing from minSpan in round steps
// until then.
type timeline struct {
	series   heatmap.Series
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
