package spec

import (
	"bytes"
	"encoding/json"
)

// Event kinds a subject writes, one JSON object a line on its stdout.
const (
	EvTaskStart = "task-start"
	EvTaskEnd   = "task-end"
	EvStats     = "stats"
)

// Event is one line of a subject's event stream. TNs is wall-clock Unix
// nanoseconds, so events of several processes line up with the samples.
type Event struct {
	Ev     string `json:"ev"`
	Task   int    `json:"task"`
	Worker int    `json:"worker"`
	PID    int    `json:"pid,omitempty"`
	TID    int    `json:"tid,omitempty"`
	TNs    int64  `json:"t_ns"`

	// Stats only: the subject's result and, for threads, its GIL totals.
	Checksum    string `json:"checksum,omitempty"`
	Tasks       int    `json:"tasks,omitempty"`
	GILHoldNs   int64  `json:"gil_hold_ns,omitempty"`
	GILWaitNs   int64  `json:"gil_wait_ns,omitempty"`
	GILSwitches int64  `json:"gil_switches,omitempty"`
}

// ParseEvent reads one line of a subject's stdout. ok is false for a line
// that is not an event (any command may print anything), which is not an error.
func ParseEvent(line []byte) (ev Event, ok bool) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 || line[0] != '{' {
		return Event{}, false
	}
	if !parseFlat(line, &ev) {
		ev = Event{}
		if err := json.Unmarshal(line, &ev); err != nil {
			return Event{}, false
		}
	}
	switch ev.Ev {
	case EvTaskStart, EvTaskEnd, EvStats:
		return ev, true
	}
	return Event{}, false
}

// ThreadGIL is one thread's GIL figures, as the Python threads model's
// stats line gives them (gil_threads): the CPU time of its computations
// (hold) and the rest of their wall time, spent waiting for the lock.
type ThreadGIL struct {
	TID    int   `json:"tid"`
	HoldNs int64 `json:"hold_ns"`
	WaitNs int64 `json:"wait_ns"`
}

// GILThreads reads the per-thread figures of a stats line; nil when it
// has none. Only the one stats line of a run is read this way.
func GILThreads(line []byte) []ThreadGIL {
	if !bytes.Contains(line, []byte(`"gil_threads"`)) {
		return nil
	}
	var v struct {
		GILThreads []ThreadGIL `json:"gil_threads"`
	}
	if json.Unmarshal(line, &v) != nil {
		return nil
	}
	return v.GILThreads
}
