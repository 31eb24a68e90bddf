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
	// Ended is how the slice ended, which says what the thread did until
	// its next slice: waited for a core again, or slept.
	Ended SliceEnd
}

// SliceEnd is how a thread's slice on a core ended.
type SliceEnd uint8

const (
	// EndUnknown: the source did not say (files of corescope before it).
	EndUnknown SliceEnd = iota
	// EndBlocked: the thread switched out to wait (a lock, I/O, a sleep, a
	// child): it did not want a core until it woke.
	EndBlocked
	// EndPreempted: the scheduler took the core while the thread could
	// still run (PERF_RECORD_MISC_SWITCH_OUT_PREEMPT, Linux 4.17+): it was
	// runnable, waiting for a core, until its next slice.
	EndPreempted
	// EndExited: the thread ended.
	EndExited
)
