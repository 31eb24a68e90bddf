package profiletest

import (
	"slices"

	"corescope/profile"
)

// The runs the reasons of the diagnosis are tested on, each a Timeline to
// make on either path of attribution. Thread ids are those of a small
// process tree: the subject's main process 10, its workers from 20.

const (
	preempted = profile.SlicePreempted
	blocked   = profile.SliceBlocked
	exited    = profile.SliceExited
)

// GILThreads are 2 threads of one process that hand one core to each other
// every 3 ms for 2 s, each blocking in a futex on one lock while the other
// runs: CPython's GIL, or any lock.
func GILThreads(argv0 string) Timeline {
	return Timeline{Argv0: argv0, Seconds: 2, Allowed: 2, Threads: []ThreadLine{
		{PID: 10, TID: 11, Wait: "futex", Lock: "0x55aa", Slices: Slices(10, 11, 0, 0, 2, 0.003, 0.003, blocked)},
		{PID: 10, TID: 12, Wait: "futex", Lock: "0x55aa", Slices: Slices(10, 12, 1, 0.003, 2, 0.003, 0.003, blocked)},
	}}
}

// HandOver is a main thread that computes for 1 s, then starts a worker
// and joins it (blocked in a futex) while the worker computes for 1 s.
func HandOver() Timeline {
	return Timeline{Argv0: "python3", Seconds: 2.1, Allowed: 2, Threads: []ThreadLine{
		{PID: 10, TID: 11, Wait: "futex", Lock: "0x77", Slices: slices.Concat(
			Slices(10, 11, 0, 0, 0.95, 0.05, 0, preempted), Slices(10, 11, 0, 0.95, 1, 0.05, 0, blocked),
			Slices(10, 11, 0, 2.0, 2.1, 0.1, 0, exited))},
		{PID: 10, TID: 12, Slices: slices.Concat(Slices(10, 12, 1, 1, 1.95, 0.05, 0, preempted), Slices(10, 12, 1, 1.95, 2, 0.05, 0, exited))},
	}}
}

// Pool is n single-threaded worker processes that share cores round
// robin, 10 ms each, preempted: n processes on fewer cores.
func Pool(n, cores int, seconds float64) []ThreadLine {
	var ts []ThreadLine
	period := 0.01 * float64(n) / float64(cores)
	for k := range n {
		pid := 20 + k
		ts = append(ts, ThreadLine{PID: pid, TID: pid, Process: "python3",
			Slices: Slices(pid, pid, k%cores, 0.01*float64(k/cores), seconds, 0.01, period-0.01, preempted)})
	}
	return ts
}

// QuotaPool is 2 processes on 2 cores under a quota of half a core: each
// runs 25 ms of every 100 ms and is runnable, throttled, the rest.
func QuotaPool(throttled float64) Timeline {
	return Timeline{Argv0: "python3", Seconds: 2, Allowed: 2, Quota: 0.5, Throttled: throttled, Threads: []ThreadLine{
		{PID: 21, TID: 21, Slices: Slices(21, 21, 0, 0, 2, 0.025, 0.075, preempted)},
		{PID: 22, TID: 22, Slices: Slices(22, 22, 1, 0, 2, 0.025, 0.075, preempted)},
	}}
}

// OneThread is one thread on a core for on of every 10 ms, and for the
// rest preempted (runnable) or blocked in wait.
func OneThread(on float64, ended, wait string, others float64) Timeline {
	return Timeline{Argv0: "server", Seconds: 2, Allowed: 2, Others: others, Threads: []ThreadLine{
		{PID: 10, TID: 10, Wait: wait, Slices: Slices(10, 10, 0, 0.0005, 2, on, 0.01-on, ended)},
	}}
}

// Sleeper sleeps for 2 s after a moment's work.
func Sleeper() Timeline {
	return Timeline{Argv0: "python3", Seconds: 2, Allowed: 2, Threads: []ThreadLine{
		{PID: 10, TID: 10, Wait: "clock_nanosleep", Slices: []profile.Slice{{PID: 10, TID: 10, Start: 0, End: 0.01, Ended: blocked}, {PID: 10, TID: 10, Start: 1.995, End: 2, Ended: exited}}},
	}}
}

// ParallelPair is 2 processes, each alone on a core for 2 s.
func ParallelPair() Timeline {
	return Timeline{Argv0: "python3", Seconds: 2, Allowed: 2, Threads: Pool(2, 2, 2)}
}

// ZlibPinned is 2 threads of CPython in a call that releases the GIL,
// pinned to one core: the kernel preempts one for the other every 10.3 ms;
// one slice in 10 ends blocked on the GIL, taken back after the call.
func ZlibPinned() Timeline {
	line := func(tid int, from float64) ThreadLine {
		ss := Slices(10, tid, 0, from, 2, 0.0103, 0.0103, preempted)
		for i := range ss {
			if i%10 == 9 {
				ss[i].Ended = blocked
			}
		}
		return ThreadLine{PID: 10, TID: tid, Wait: "futex", Lock: "0x55aa", Slices: ss}
	}
	return Timeline{Argv0: "python3", Seconds: 2, Allowed: 1, Threads: []ThreadLine{line(11, 0), line(12, 0.0103)}}
}

// Phased computes on one core for 2 s, in 2 processes for 2 s, then
// sleeps for 2 s.
func Phased() Timeline {
	main := slices.Concat(Slices(10, 10, 0, 0, 1.99, 0.05, 0, preempted), Slices(10, 10, 0, 1.99, 2, 0.01, 0, blocked),
		Slices(10, 10, 0, 4.0, 4.01, 0.01, 0, blocked))
	return Timeline{Argv0: "python3", Seconds: 6, Allowed: 2, Threads: []ThreadLine{
		{PID: 10, TID: 10, Wait: "clock_nanosleep", Slices: main},
		{PID: 21, TID: 21, Process: "python3", Slices: Slices(21, 21, 0, 2, 4, 2, 0, exited)},
		{PID: 22, TID: 22, Process: "python3", Slices: Slices(22, 22, 1, 2, 4, 2, 0, exited)},
	}}
}
