package runners

import (
	"sync"
	"sync/atomic"
	"time"
)

// GIL is a global interpreter lock in the manner of CPython's: one thread at
// a time holds it to run CPU work. A thread that has waited a whole switch
// interval for the same holder asks it to let go; the holder sees the request
// at its next check (Yield, a cheap atomic load between slices of work, like
// CPython's eval breaker) and hands the lock to the longest waiter. Waiters
// block on channels and timers and never spin. Hand-over is direct and in
// arrival order, so a thread that was made to let go queues behind the one it
// let in and cannot take the lock straight back (CPython's FORCE_SWITCHING).
//
// The zero GIL is not usable; make one with NewGIL.
type GIL struct {
	interval time.Duration
	drop     atomic.Bool // a waiter asks the holder to let go

	mu        sync.Mutex
	held      bool
	waiters   []chan struct{} // in arrival order; a send hands that waiter the lock
	takes     int64           // times the lock was taken, to tell holders apart
	heldSince time.Time
	stats     GILStats
}

// GILStats are a GIL's totals.
type GILStats struct {
	Hold     time.Duration // time the lock was held, by anyone
	Wait     time.Duration // time threads spent waiting for it, summed
	Switches int64         // times a holder was made to let go at the switch interval
}

// NewGIL returns an unlocked GIL that lets a holder keep it for interval while
// others wait (CPython's sys.getswitchinterval()).
func NewGIL(interval time.Duration) *GIL {
	return &GIL{interval: interval}
}

// Acquire blocks until the calling thread holds the lock.
func (g *GIL) Acquire() {
	g.mu.Lock()
	if !g.held {
		g.held = true
		g.tookLocked(time.Now())
		g.mu.Unlock()
		return
	}
	ch, seen := g.enqueueLocked()
	g.mu.Unlock()
	g.wait(ch, seen)
}

// Release lets go of the lock, as a thread does around blocking I/O. The
// longest waiter, if any, gets it.
func (g *GIL) Release() {
	g.mu.Lock()
	g.releaseLocked()
	g.mu.Unlock()
}

// Yield is the holder's check between slices of work: when a waiter has
// asked for the lock, the holder hands it over, queues behind the waiters and
// blocks until its turn comes again. It reports whether it let go. Without a
// request it costs one atomic load.
func (g *GIL) Yield() bool {
	if !g.drop.Load() {
		return false
	}
	g.mu.Lock()
	if len(g.waiters) == 0 {
		g.drop.Store(false) // the asker was let in by a voluntary release meanwhile
		g.mu.Unlock()
		return false
	}
	g.stats.Switches++
	g.releaseLocked()
	ch, seen := g.enqueueLocked()
	g.mu.Unlock()
	g.wait(ch, seen)
	return true
}

// Stats returns the totals so far; a current hold counts up to now.
func (g *GIL) Stats() GILStats {
	g.mu.Lock()
	defer g.mu.Unlock()
	s := g.stats
	if g.held {
		s.Hold += time.Since(g.heldSince)
	}
	return s
}

// yieldCheck is Yield as a kernel check hook.
func (g *GIL) yieldCheck() { g.Yield() }

// tookLocked records that a thread has just taken the lock.
func (g *GIL) tookLocked(now time.Time) {
	g.takes++
	g.heldSince = now
	g.drop.Store(false)
}

// releaseLocked ends the current hold and hands the lock to the longest
// waiter, or leaves it free.
func (g *GIL) releaseLocked() {
	now := time.Now()
	g.stats.Hold += now.Sub(g.heldSince)
	if len(g.waiters) == 0 {
		g.held = false
		return
	}
	next := g.waiters[0]
	g.waiters = g.waiters[1:]
	g.tookLocked(now)
	next <- struct{}{}
}

// enqueueLocked adds the caller to the end of the waiters. It returns the
// channel that will hand it the lock and the current count of takes.
func (g *GIL) enqueueLocked() (ch chan struct{}, takes int64) {
	ch = make(chan struct{}, 1)
	g.waiters = append(g.waiters, ch)
	return ch, g.takes
}

// wait blocks until ch hands the caller the lock. Every switch interval it
// looks at the holder: if no one took the lock since the last look (seen
// takes), the holder has had a whole interval, and the waiter asks it to let go.
func (g *GIL) wait(ch chan struct{}, seen int64) {
	start := time.Now()
	timer := time.NewTimer(g.interval)
	defer timer.Stop()
	for {
		select {
		case <-ch:
			g.mu.Lock()
			g.stats.Wait += time.Since(start)
			g.mu.Unlock()
			return
		case <-timer.C:
			g.mu.Lock()
			if g.takes == seen {
				g.drop.Store(true)
			}
			seen = g.takes
			g.mu.Unlock()
			timer.Reset(g.interval)
		}
	}
}
