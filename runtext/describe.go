package runtext

import "corescope/spec"

// DescribeWorkload says in one line what a workload does and what limits it.
func DescribeWorkload(w spec.Workload) string {
	switch w {
	case spec.CPU:
		return "CPU-bound: each task computes (a pure loop with a checksum); the CPU is what limits it"
	case spec.IO:
		return "I/O-bound: each task makes one HTTP GET to a loopback server that answers after --latency; waiting limits it"
	case spec.Mixed:
		return "mixed: each task makes a request, then computes on the answer"
	}
	return ""
}

// DescribeModel says in one line how a model runs tasks and what it can
// show, in the words of the primer on threads, asyncio and processes.
func DescribeModel(m spec.Model) string {
	switch m {
	case spec.Sequential:
		return "one thread, one task after another: the baseline every speedup is measured against"
	case spec.Threads:
		return "a pool of OS threads sharing a global interpreter lock, pre-emptive switching: overlaps waiting, one core's worth of CPU at a time"
	case spec.Async:
		return "one event loop on one thread, cooperative: a task runs until it awaits I/O; all waits overlap, one core's worth of CPU"
	case spec.Processes:
		return "a pool of worker processes, one per core: real parallelism, every core can compute at once"
	case spec.Goroutines:
		return "one process, goroutines on every core, no lock: Go's own answer, parallel like processes"
	}
	return ""
}
