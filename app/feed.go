package app

import (
	"sync"
	"time"

	"corescope/profile"
	"corescope/spec"
)

// update is one thing that happened on the recording goroutine, in order:
// a run began, a frame arrived, or a run ended.
type update struct {
	kind  updateKind
	index int       // begin, end: which run of the job
	runs  int       // begin: how many runs the job plans
	spec  spec.Spec // begin
	name  string    // begin: the run's label, with its repeat (runtext.Repeat)
	start time.Time // begin: wall clock of the run's time 0
	frame profile.Frame
	// frame of a cluster's watch: its nodes (whose cores the frame holds)
	// and "name: why" of each that gave no figure this tick.
	nodes   []profile.Node
	missing []string
	profile *profile.Profile // end
	err     error            // end
}

type updateKind uint8

const (
	runBegan updateKind = iota
	frameArrived
	runEnded
)

// batch carries items from the recording goroutines to the UI goroutine:
// producers add under the mutex as fast as they come; the UI takes the
// whole batch at each redraw, at most 10 times a second. trim, when set,
// bounds what waits (it may keep only the last items).
type batch[T any] struct {
	mu      sync.Mutex
	pending []T
	trim    func([]T) []T
}

func (b *batch[T]) add(items ...T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending = append(b.pending, items...)
	if b.trim != nil {
		b.pending = b.trim(b.pending)
	}
}

// take returns every item since the last take.
func (b *batch[T]) take() []T {
	b.mu.Lock()
	defer b.mu.Unlock()
	items := b.pending
	b.pending = nil
	return items
}

// feed carries a job's updates, in order.
type feed = batch[update]
