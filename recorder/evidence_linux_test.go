package recorder

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"corescope/profile"
	"corescope/spec"
)

// python is Debian's interpreter, which the evidence tests' subjects run.
const python = "/usr/bin/python3"

// pythonSpec is a command spec that runs script in python, or skips the
// test where there is none.
func pythonSpec(t *testing.T, script string) spec.Spec {
	t.Helper()
	if _, err := os.Stat(python); err != nil {
		t.Skipf("no Python to run the subject: %v", err)
	}
	return resolved(spec.Spec{Backend: spec.BackendCommand, Command: []string{python, "-c", script}})
}

// record records s with opt and fails the test on an error.
func record(t *testing.T, s spec.Spec, opt Options) *profile.Profile {
	t.Helper()
	p, err := Record(context.Background(), s, opt)
	if err != nil {
		t.Fatalf("Record(%v) = %v", s.Command, err)
	}
	return p
}

// gilBound is a CPython subject whose 3 threads compute in Python, so they
// take turns holding the GIL, every millisecond: the waiters block in a
// futex, and the holder is preempted when one that woke gets its core.
const gilBound = `
import sys, threading
sys.setswitchinterval(0.001)
def spin():
    x = 0
    for i in range(2_000_000):
        x += i
ts = [threading.Thread(target=spin) for _ in range(3)]
for t in ts: t.start()
for t in ts: t.join()
`

// TestSlicesSayHowTheyEnded records GIL-bound threads on the exact path:
// each slice says how it ended, and the run has slices that blocked (a
// thread waiting for the GIL), slices that were preempted (still
// runnable) and slices that ended with their thread.
func TestSlicesSayHowTheyEnded(t *testing.T) {
	p := record(t, pythonSpec(t, gilBound), quickEdges)
	requireExact(t, p)
	ends := map[string]int{}
	for _, s := range p.Slices {
		ends[s.Ended]++
	}
	t.Logf("%d slices: %d blocked, %d preempted, %d exited, %d unknown", len(p.Slices),
		ends[profile.SliceBlocked], ends[profile.SlicePreempted], ends[profile.SliceExited], ends[""])
	if ends[""] > 0 {
		t.Errorf("%d slices do not say how they ended; want every one to", ends[""])
	}
	for _, end := range []string{profile.SliceBlocked, profile.SlicePreempted, profile.SliceExited} {
		if ends[end] == 0 {
			t.Errorf("no slice ended %q; want some (ends: %v)", end, ends)
		}
	}
}

// bothPaths runs test on the exact path, where perf allows it, and on the
// approximate one, made so by a perf open that fails.
func bothPaths(t *testing.T, test func(t *testing.T, opt Options)) {
	refused := quickEdges
	refused.openExact = func(int, int, time.Time) (*exactAttribution, error) {
		return nil, errors.New("perf events refused (injected by the test)")
	}
	t.Run("exact", func(t *testing.T) { test(t, quickEdges) })
	t.Run("approximate", func(t *testing.T) { test(t, refused) })
}

// lockedOut is a CPython subject whose second thread blocks on a lock the
// main thread holds, while the main thread computes: the waiter sleeps in
// a futex, and does not hold the GIL.
const lockedOut = `
import threading
lock = threading.Lock()
lock.acquire()
threading.Thread(target=lock.acquire, daemon=True).start()
x = 0
for i in range(12_000_000):
    x += i
`

// TestThreadSamplesTellStates records a thread blocked on a lock beside a
// busy one: the blocked thread is sampled, though it uses no CPU, asleep
// in futex on a lock's address, and the busy one running.
func TestThreadSamplesTellStates(t *testing.T) {
	bothPaths(t, func(t *testing.T, opt Options) {
		p := record(t, pythonSpec(t, lockedOut), opt)
		if opt.openExact == nil {
			requireExact(t, p)
		}
		type seen struct{ running, blocked, idleBlocked int }
		threads := map[int]*seen{}
		locks := map[string]bool{}
		for _, f := range p.Frames {
			for _, s := range f.ThreadSamples {
				th := threads[s.TID]
				if th == nil {
					th = &seen{}
					threads[s.TID] = th
				}
				switch {
				case s.State == profile.StateRunning && s.CPU > 0:
					th.running++
				case s.State == profile.StateBlocked && s.Wait == "futex" && strings.HasPrefix(s.Lock, "0x"):
					th.blocked++
					locks[s.Lock] = true
					if s.CPU == 0 {
						th.idleBlocked++
					}
				}
				if s.State != profile.StateBlocked && (s.Wait != "" || s.Lock != "") {
					t.Errorf("frame %.2f s, thread %d: state %q, wait %q, lock %q; want a wait only for a blocked thread", f.T, s.TID, s.State, s.Wait, s.Lock)
				}
			}
		}
		var busy, waiter int
		for tid, th := range threads {
			t.Logf("thread %d: %d samples running, %d blocked in futex (%d of them using no CPU)", tid, th.running, th.blocked, th.idleBlocked)
			if th.running >= 2 && th.blocked == 0 {
				busy++
			}
			if th.blocked >= 2 && th.idleBlocked >= 1 && th.running == 0 {
				waiter++
			}
		}
		if busy != 1 || waiter != 1 || len(locks) != 1 {
			t.Errorf("%d busy threads sampled running, %d sampled blocked in futex on %d lock addresses %v; want 1, 1 and 1", busy, waiter, len(locks), locks)
		}
	})
}
