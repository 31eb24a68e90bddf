package runners

// DescribeWorkload says in one line what a workload does and what limits it.
func DescribeWorkload(w Workload) string {
	switch w {
	case CPU:
		return "CPU-bound: each task computes (a pure loop with a checksum); the CPU is what limits it"
	case IO:
		return "I/O-bound: each task makes one HTTP GET to a loopback server that answers after --latency; waiting limits it"
	case Mixed:
		return "mixed: each task makes a request, then computes on the answer"
	}
	return ""
}

// DescribeModel says in one line how a model runs tasks and what it can
// show, in the words of the primer on threads, asyncio and processes.
func DescribeModel(m Model) string {
	switch m {
	case Sequential:
		return "one thread, one task after another: the baseline every speedup is measured against"
	case Threads:
		return "a pool of OS threads sharing a global interpreter lock, pre-emptive switching: overlaps waiting, one core's worth of CPU at a time"
	case Async:
		return "one event loop on one thread, cooperative: a task runs until it awaits I/O; all waits overlap, one core's worth of CPU"
	case Processes:
		return "a pool of worker processes, one per core: real parallelism, every core can compute at once"
	case Goroutines:
		return "one process, goroutines on every core, no lock: Go's own answer, parallel like processes"
	}
	return ""
}
