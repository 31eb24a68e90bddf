package runners

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
