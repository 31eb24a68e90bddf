package lanes

import (
	"slices"
	"testing"
	"time"

	"corescope/profile"
	"corescope/runners"
)

// TestForgetOldTasks checks that a scrolling live view keeps only
// the tasks it can still show, including one that started long ago and is
// still running.
func TestForgetOldTasks(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(s float64) int64 { return t0.Add(time.Duration(s * float64(time.Second))).UnixNano() }
	l := New()
	l.Reset(t0, 0.1, 10)
	long := runners.Event{Ev: runners.EvTaskStart, Task: 0, TID: 1, TNs: at(0)}
	l.Add(0.1, []profile.ThreadSample{{PID: 1, TID: 1, CPU: 0.1}}, []runners.Event{long})
	for i := 1; i < 100; i++ {
		t := float64(i+1) * 0.1
		l.Add(t, []profile.ThreadSample{{PID: 1, TID: 2, CPU: 0.1}}, []runners.Event{
			{Ev: runners.EvTaskStart, Task: i, TID: 2, TNs: at(t - 0.1)},
			{Ev: runners.EvTaskEnd, Task: i, TID: 2, TNs: at(t)},
			{Ev: runners.EvStats, TNs: at(t)},
		})
	}
	if n := len(l.events); n > 2*11+1 {
		t.Errorf("events kept after 100 tasks in a 10-sample view = %d; want at most %d", n, 2*11+1)
	}
	if !slices.Contains(l.events, long) {
		t.Error("the start of a task still running was dropped; want it kept")
	}
}
