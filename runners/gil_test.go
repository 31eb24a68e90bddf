package runners

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// waitFor polls cond until it holds or d passes, and reports whether it held.
func waitFor(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

func TestGILHandoff(t *testing.T) {
	g := NewGIL(time.Hour) // no drop requests: only Release hands over
	g.Acquire()
	var got atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		g.Acquire()
		got.Store(true)
		g.Release()
	}()
	time.Sleep(30 * time.Millisecond)
	if got.Load() {
		t.Fatal("a waiter took the GIL while another thread held it")
	}
	g.Release()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the waiter did not get the GIL after Release")
	}
	g.Acquire() // free again: must not block
	g.Release()
}

func TestGILDropsOnlyWhenSomeoneWaits(t *testing.T) {
	const interval = 2 * time.Millisecond
	g := NewGIL(interval)
	g.Acquire()
	for end := time.Now().Add(10 * interval); time.Now().Before(end); {
		if g.Yield() {
			t.Fatal("Yield() = true with no waiter; want false")
		}
	}
	if s := g.Stats().Switches; s != 0 {
		t.Fatalf("Switches = %d with no waiter; want 0", s)
	}

	var waiterRan atomic.Bool
	waiting := time.Now()
	go func() {
		g.Acquire()
		waiterRan.Store(true)
		g.Release()
	}()
	for !g.Yield() {
		if time.Since(waiting) > 5*time.Second {
			t.Fatal("the holder was never asked to let go of the GIL although a thread waited")
		}
	}
	if d := time.Since(waiting); d < interval {
		t.Errorf("the holder was asked to let go after %v; want at least the switch interval %v", d, interval)
	}
	if !waiterRan.Load() {
		t.Error("Yield() = true but the waiter had not run: the dropper took the GIL back first")
	}
	if s := g.Stats().Switches; s != 1 {
		t.Errorf("Switches = %d after one forced drop; want 1", s)
	}
	g.Release()
}

func TestGILFairness(t *testing.T) {
	const threads = 4
	g := NewGIL(time.Millisecond)
	var (
		progress [threads]atomic.Int64
		inside   atomic.Int32
		overlap  atomic.Bool
		stop     atomic.Bool
		wg       sync.WaitGroup
	)
	for i := range threads {
		wg.Go(func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			g.Acquire()
			defer g.Release()
			for !stop.Load() {
				if inside.Add(1) != 1 {
					overlap.Store(true)
				}
				compute(uint64(i+1), 4*checkEvery, nil)
				inside.Add(-1)
				progress[i].Add(1)
				g.Yield()
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	if overlap.Load() {
		t.Error("two threads ran CPU work while holding the GIL at the same time")
	}
	var total int64
	for i := range threads {
		total += progress[i].Load()
	}
	for i := range threads {
		// A fair lock gives each about total/threads; starving means ~0.
		if p := progress[i].Load(); p < total/threads/10 {
			t.Errorf("thread %d made %d steps of %d in total; want every thread to progress", i, p, total)
		}
	}
	if s := g.Stats().Switches; s < threads {
		t.Errorf("Switches = %d in 300 ms at a 1 ms interval; want many", s)
	}
}

func BenchmarkGILHandoff(b *testing.B) {
	g := NewGIL(time.Hour)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	g.Acquire()
	var stop atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		g.Acquire()
		for !stop.Load() {
			g.drop.Store(true)
			g.Yield()
		}
		g.Release()
	}()
	waitFor(time.Second, func() bool { g.mu.Lock(); defer g.mu.Unlock(); return len(g.waiters) == 1 })
	b.ResetTimer()
	for b.Loop() {
		g.drop.Store(true)
		g.Yield()
	}
	stop.Store(true)
	g.Release()
	<-done
}
