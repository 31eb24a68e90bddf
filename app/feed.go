package app

import (
	"sync"
	"time"

	"corescope/profile"
	"corescope/runners"
)

// update is one thing that happened on the recording goroutine, in order:
// a run began, a frame arrived, or a run ended.
type update struct {
	kind  updateKind
	index int          // begin, end: which run of the job
	spec  runners.Spec // begin
	start time.Time    // begin: wall clock of the run's time 0
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

// feed carries updates from the recording goroutine to the UI goroutine:
// producers append under the mutex as fast as frames come; the UI takes the
// whole batch at most 10 times a second.
type feed struct {
	mu      sync.Mutex
	pending []update
}

func (f *feed) add(u update) {
	f.mu.Lock()
	f.pending = append(f.pending, u)
	f.mu.Unlock()
}

// take returns every update since the last take.
func (f *feed) take() []update {
	f.mu.Lock()
	defer f.mu.Unlock()
	batch := f.pending
	f.pending = nil
	return batch
}
