package probes

import (
	"errors"
	"time"
)

// ErrPerfRefused is wrapped by the errors of the perf-based probes when the
// kernel refuses perf events to this user (kernel.perf_event_paranoid, or a
// container's seccomp profile). Callers fall back to approximate attribution.
var ErrPerfRefused = errors.New("perf events refused")

// ErrPerfUnsupported is wrapped when this system has no perf events at all
// (not Linux, or a kernel built without them).
var ErrPerfUnsupported = errors.New("perf events not supported")

// SwitchRingRecords is how many switch records each CPU's ring of a
// SwitchRecorder holds (where pages are larger than 4 KiB, more): a CPU
// that makes more between two drains loses the rest (SwitchRecorder.Lost).
const SwitchRingRecords = 8192

// Slice is one interval a subject thread spent on one CPU, from its switch in
// to its switch out, as the kernel's scheduler saw it.
type Slice struct {
	PID, TID, CPU int
	// Start and End are CLOCK_MONOTONIC readings (time since boot), the clock
	// perf stamps records with; SwitchRecorder.Now reads the same clock, so a
	// caller can place slices on a wall-clock axis.
	Start, End time.Duration
}
