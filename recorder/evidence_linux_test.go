package recorder

import (
	"context"
	"os"
	"testing"

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

// record records s with quick edges and fails the test on an error.
func record(t *testing.T, s spec.Spec) *profile.Profile {
	t.Helper()
	p, err := Record(context.Background(), s, quickEdges)
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
	p := record(t, pythonSpec(t, gilBound))
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
