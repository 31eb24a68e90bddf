package profile

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"corescope/levels"
	"corescope/runners"
)

// TestTickAfterALateOneMakesNoFrame replays what a busy machine does to a
// 100 ms ticker: a tick comes late, and the next one, on time, follows it
// within milliseconds. /proc/stat counts in 10 ms ticks, so such a frame
// may see no tick at all and read as an idle column and a dip to 0 (issue
// 8). No frame is shorter than half the interval, and the frame after the
// skipped tick covers its time at the load the counters say.
func TestTickAfterALateOneMakesNoFrame(t *testing.T) {
	const interval = 100 * time.Millisecond
	fix := newStatFixture(t, 2)
	r := fixtureRecorder(t)
	r.spec.Interval = runners.Duration(interval)
	t0 := time.Unix(1000, 0)
	r.prof.Started = t0
	load := func(core int) float64 { return 1 - 0.5*float64(core) } // 1 and 0.5
	ctx := context.Background()
	r.sampleAt(ctx, 0, t0) // the baseline: no frame

	var said []float64
	for _, tick := range []struct {
		at    time.Duration // when the tick came, from t0
		ticks int           // the 10 ms counter ticks since the previous one
	}{
		{100 * time.Millisecond, 10},
		{298 * time.Millisecond, 20}, // the 200 ms tick, 98 ms late
		{300 * time.Millisecond, 0},  // 2 ms later: the counters did not move
		{347 * time.Millisecond, 4},  // 49 ms after the late tick: still too short
		{400 * time.Millisecond, 6},
		{500 * time.Millisecond, 10},
	} {
		if tick.ticks > 0 {
			said = fix.advance(t, load, tick.ticks, said)
		}
		r.sampleAt(ctx, 0, t0.Add(tick.at))
	}

	var times []float64
	for _, f := range r.prof.Frames {
		times = append(times, f.T)
	}
	if want := []float64{0.1, 0.298, 0.4, 0.5}; !slices.Equal(times, want) {
		t.Errorf("frames at %v s; want %v: none within %v of the one before", times, want, interval/2)
	}
	for i, f := range r.prof.Frames {
		for core := range 2 {
			if got := f.Busy.At(core); math.Abs(got-load(core)) > levels.MaxError {
				t.Errorf("frame at %v s, core %d: busy %.3f; want %.3f, the counters' load, not a dip", f.T, core, got, load(core))
			}
		}
		if i > 0 && f.T-r.prof.Frames[i-1].T < (interval/2).Seconds() {
			t.Errorf("frame at %v s is %.3f s long; want at least %v", f.T, f.T-r.prof.Frames[i-1].T, interval/2)
		}
	}
}
