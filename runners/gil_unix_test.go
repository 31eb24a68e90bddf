//go:build unix

package runners

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"corescope/spec"
)

// cpuTime is the process's user and system CPU time so far.
func cpuTime(t *testing.T) time.Duration {
	t.Helper()
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		t.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestGILWaitersDoNotSpin(t *testing.T) {
	const waiters = 4
	g := NewGIL(spec.DefaultSwitch)
	g.Acquire() // held by this goroutine, which now sleeps
	var (
		wg      sync.WaitGroup
		blocked atomic.Int32
	)
	for range waiters {
		wg.Go(func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			blocked.Add(1)
			g.Acquire()
			g.Release()
		})
	}
	waitFor(time.Second, func() bool { return blocked.Load() == waiters })
	time.Sleep(20 * time.Millisecond) // let them reach the wait
	const window = 300 * time.Millisecond
	before := cpuTime(t)
	time.Sleep(window)
	used := cpuTime(t) - before
	g.Release()
	wg.Wait()
	// Spinning waiters would burn a whole core or more over the window.
	if used > window/10 {
		t.Errorf("the process used %v of CPU in %v while %d threads waited for the GIL; want about 0", used, window, waiters)
	}
	if w := g.Stats().Wait; w < waiters*window {
		t.Errorf("Stats().Wait = %v; want at least %v (%d waiters for %v)", w, waiters*window, waiters, window)
	}
}

// BenchmarkGILHandoff measures a forced hand-over between two OS threads:
// each op is a round trip, A to B and back.
