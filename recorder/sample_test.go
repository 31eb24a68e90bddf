package recorder

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"corescope/levels"
	"corescope/profile"
	"corescope/spec"
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
	r.spec.Interval = spec.Duration(interval)
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

// TestVanishedThreadsKeepTheirLastStretch replays what /proc shows of a
// pool worker that exited but is not yet reaped: its process counter holds
// every thread's time, its task list the leader alone. The CPU the listed
// threads do not hold goes to the threads that vanished, on their last
// cores, in proportion to their CPU then; a process whose threads all stay
// listed gets nothing, whatever its counter's rounding says.
func TestVanishedThreadsKeepTheirLastStretch(t *testing.T) {
	prev := []profile.ThreadSample{
		{PID: 10, TID: 10, CPU: 0, Core: 0},
		{PID: 10, TID: 11, CPU: 0.06, Core: 0},
		{PID: 10, TID: 12, CPU: 0.02, Core: 1},
		{PID: 20, TID: 21, CPU: 0.05, Core: 1},
	}
	now := []profile.ThreadSample{
		{PID: 10, TID: 10, CPU: 0, Core: 0}, // the zombie's leader
		{PID: 20, TID: 21, CPU: 0.05, Core: 1},
	}
	procCPU := map[int]float64{10: 0.08, 20: 0.06}
	got := creditVanished(slices.Clone(now), procCPU, prev)
	want := append(slices.Clone(now),
		profile.ThreadSample{PID: 10, TID: 11, CPU: 0.06, Core: 0},
		profile.ThreadSample{PID: 10, TID: 12, CPU: 0.02, Core: 1})
	if !slices.Equal(got, want) {
		t.Errorf("creditVanished() = %+v; want %+v", got, want)
	}

	// Threads that did not run then share what is left equally.
	idle := []profile.ThreadSample{{PID: 10, TID: 11, Core: 0}, {PID: 10, TID: 12, Core: 1}}
	got = creditVanished(nil, map[int]float64{10: 0.1}, idle)
	if len(got) != 2 || got[0].CPU != 0.05 || got[1].CPU != 0.05 {
		t.Errorf("creditVanished() over idle threads = %+v; want 0.05 s each", got)
	}
}
