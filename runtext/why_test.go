package runtext

import (
	"strings"
	"testing"
	"time"

	"corescope/diagnosis"
	"corescope/levels"
	"corescope/profile"
	"corescope/profile/profiletest"
	"corescope/spec"
)

// tasks are task events: each span a task's start and end in ms.
func tasks(spans ...[2]int64) []spec.Event {
	var evs []spec.Event
	for i, s := range spans {
		evs = append(evs, spec.Event{Ev: spec.EvTaskStart, Task: i, TNs: s[0] * 1e6},
			spec.Event{Ev: spec.EvTaskEnd, Task: i, TNs: s[1] * 1e6})
	}
	return evs
}

func TestInFlight(t *testing.T) {
	tests := []struct {
		name   string
		events []spec.Event
		want   int
	}{
		{"none", nil, 0},
		{"one after another", tasks([2]int64{0, 10}, [2]int64{10, 20}, [2]int64{20, 30}), 1},
		{"all at once", tasks([2]int64{0, 50}, [2]int64{1, 51}, [2]int64{2, 52}), 3},
		{"two pairs", tasks([2]int64{0, 10}, [2]int64{5, 15}, [2]int64{20, 30}, [2]int64{25, 35}), 2},
		{"stats only", []spec.Event{{Ev: spec.EvStats, GILSwitches: 9}}, 0},
	}
	for _, tt := range tests {
		if got := InFlight(tt.events); got != tt.want {
			t.Errorf("%s: InFlight() = %d; want %d", tt.name, got, tt.want)
		}
	}
}

// run is a successful Go run of workload w by model m with workers workers
// on 2 cores.
func run(w spec.Workload, m spec.Model, workers int, s profile.Summary, evs ...spec.Event) *profile.Profile {
	sp := modelSpec(w, m, workers)
	sp.Interval = spec.Duration(100 * time.Millisecond)
	return &profile.Profile{Label: string(m), Spec: sp, Machine: profile.Machine{LogicalCores: 2}, Summary: s, Events: evs}
}

// pythonRun makes p a run of the Python backend on python, its processes
// started by method.
func pythonRun(p *profile.Profile, python, method string) *profile.Profile {
	p.Spec.Backend, p.Spec.StartMethod, p.Machine.Python = spec.BackendPython, method, python
	return p
}

// recorded is a recorded command with thread samples: cpu[i] is thread i's CPU.
func recorded(s profile.Summary, cpu ...float64) *profile.Profile {
	var samples []profile.ThreadSample
	for i, c := range cpu {
		samples = append(samples, profile.ThreadSample{PID: 10, TID: 10 + i, CPU: c})
	}
	return &profile.Profile{Label: "python3", Spec: command, Machine: profile.Machine{LogicalCores: 2}, Summary: s,
		Frames: []profile.Frame{{T: 0.1, ThreadSamples: samples}}}
}

// withSlices gives p a switch timeline: the threads' on-core slices, and
// their on-core time in p.Threads.
func withSlices(p *profile.Profile, ss ...profile.Slice) *profile.Profile {
	p.Frames, p.Slices = nil, ss
	for _, s := range ss {
		p.Threads = append(p.Threads, profile.Thread{TID: s.TID, OnCPUS: s.End - s.Start})
	}
	return p
}

func TestWhy(t *testing.T) {
	flying := tasks([2]int64{0, 60}, [2]int64{1, 61}, [2]int64{2, 62}, [2]int64{3, 63}, [2]int64{4, 64})
	stats := spec.Event{Ev: spec.EvStats, GILSwitches: 8272}
	tests := []struct {
		name string
		p    *profile.Profile
		want string
	}{
		{"sequential, cpu", run(spec.CPU, spec.Sequential, 1, profile.Summary{WallS: 2.4, CoresUsed: 1.004}),
			"One thread ran the 20 tasks one after another, so at most one core did the work: 1.00 cores' worth of CPU over 2.40 s. " +
				"The other models' speedups are measured against this run."},
		{"sequential, io", run(spec.IO, spec.Sequential, 1, profile.Summary{WallS: 1.03, CoresUsed: 0.02}),
			"One thread ran the 20 tasks one after another, each waiting for its answer before the next began: 0.02 cores' worth of CPU over 1.03 s. " +
				"The other models' speedups are measured against this run."},
		{"threads, cpu: the GIL's waits and hand-overs",
			run(spec.CPU, spec.Threads, 5, profile.Summary{WallS: 2.5, CoresUsed: 1.02, GILWaitS: 9.84}, stats),
			"5 threads shared one global interpreter lock (GIL): only the thread holding it computes. " +
				"Together they waited 9.84 s for the lock (3.9 times the run's 2.50 s: several waited at once) and it changed hands 8272 times, every 0.30 ms on average."},
		{"threads, io: requests in flight", run(spec.IO, spec.Threads, 5, profile.Summary{WallS: 0.22, CoresUsed: 0.11, GILWaitS: 0.01},
			append(flying, spec.Event{Ev: spec.EvStats, GILSwitches: 210})...),
			"5 threads shared one global interpreter lock (GIL), but a thread lets go of it while it waits for an answer, so up to 5 requests were in flight at once on 0.11 cores' worth of CPU. " +
				"Together they waited 0.01 s for the lock (5% of the run's 0.22 s) and it changed hands 210 times, every 1.05 ms on average."},
		{"threads on a Python without a GIL", pythonRun(run(spec.CPU, spec.Threads, 4, profile.Summary{WallS: 0.7, CoresUsed: 1.9}), "CPython 3.13.1, no GIL", ""),
			"This Python has no global interpreter lock, so its 4 threads can compute on different cores at the same time: here 1.90 cores' worth of CPU."},
		{"python processes: the start method", pythonRun(run(spec.CPU, spec.Processes, 2, profile.Summary{WallS: 1.5, CoresUsed: 1.8, StartupS: 0.31, Procs: 3}), "CPython 3.11.2", "spawn"),
			"A pool of 2 worker processes, each its own interpreter with its own GIL, can run the tasks on different cores at the same time: here 1.80 cores' worth of CPU on 2 cores. " +
				"Starting them (spawn) cost 0.31 s before the first task began (3 processes at most at once)."},
		{"threads without stats", run(spec.CPU, spec.Threads, 1, profile.Summary{WallS: 2, CoresUsed: 1}),
			"1 thread shared one global interpreter lock (GIL): only the thread holding it computes."},
		{"async, cpu", run(spec.CPU, spec.Async, 20, profile.Summary{WallS: 2.43, CoresUsed: 1, TasksCoresUsed: 0.99}),
			"One event loop on one thread runs all 20 tasks, and a task hands the loop back only where it awaits. " +
				"Computing never awaits, so the tasks ran one after another on 0.99 cores' worth of CPU, as sequential does."},
		{"async, io", run(spec.IO, spec.Async, 20, profile.Summary{WallS: 0.07, CoresUsed: 0.3}, flying...),
			"One event loop on one thread runs all 20 tasks, and a task hands the loop back only where it awaits. " +
				"Waiting for an answer does, so up to 5 requests were in flight at once on 0.30 cores' worth of CPU: the waits overlapped, the computing did not."},
		{"processes: workers and start-up", run(spec.CPU, spec.Processes, 2, profile.Summary{WallS: 1.23, CoresUsed: 1.96, TasksCoresUsed: 1.93, StartupS: 0.02, Procs: 3}),
			"A pool of 2 worker processes, each its own interpreter with its own GIL, can run the tasks on different cores at the same time: here 1.93 cores' worth of CPU on 2 cores. " +
				"Starting them cost 0.02 s before the first task began (3 processes at most at once)."},
		{"processes, io", run(spec.IO, spec.Processes, 2, profile.Summary{WallS: 0.54, CoresUsed: 0.09}, flying[:4]...),
			"A pool of 2 worker processes, each its own interpreter with its own GIL, can run the tasks on different cores at the same time: here 0.09 cores' worth of CPU on 2 cores, and up to 2 tasks were in flight at once."},
		{"goroutines, cpu", run(spec.CPU, spec.Goroutines, 2, profile.Summary{WallS: 1.21, CoresUsed: 1.97}),
			"Go's scheduler runs the goroutines on every core (2 here) in one process, with no lock between them, so they can compute at the same time without starting processes: here 1.97 cores' worth of CPU."},
		{"goroutines, io", run(spec.IO, spec.Goroutines, 20, profile.Summary{WallS: 0.06, CoresUsed: 0.27}, flying...),
			"Go's scheduler parks a goroutine while it waits for an answer and runs another, on every core, with no lock between them: up to 5 requests were in flight at once on 0.27 cores' worth of CPU."},
		{"stopped: what ran so far", failed(run(spec.CPU, spec.Goroutines, 2, profile.Summary{WallS: 0.5, CoresUsed: 2}), "stopped by the user after 0.5 s", -1),
			"Go's scheduler runs the goroutines on every core (2 here) in one process, with no lock between them, so they can compute at the same time without starting processes: here 2.00 cores' worth of CPU."},
		{"failed", failed(run(spec.CPU, spec.Threads, 5, profile.Summary{WallS: 1}), "killed", -1), ""},
		{"no wall time", run(spec.CPU, spec.Threads, 5, profile.Summary{}), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Why(tt.p); !strings.HasPrefix(got, tt.want) || tt.want == "" && got != "" {
				t.Errorf("Why() =\n%q; want it to begin\n%q", got, tt.want)
			}
		})
	}
}

// TestWhyExplains checks what Why says of runs' findings: what the main
// phase's first reason means, the others of that phase, and each other
// phase with its reasons; and that the threads model is said to have taken
// turns only where the evidence shows it.
func TestWhyExplains(t *testing.T) {
	threads := func(p *profile.Profile) *profile.Profile {
		p.Spec = modelSpec(spec.CPU, spec.Threads, 2)
		p.Spec.Interval = spec.Duration(100 * time.Millisecond)
		return p
	}
	tests := []struct {
		name string
		p    *profile.Profile
		want string
	}{
		{"a command's GIL", profiletest.GILThreads("python3").Exact(),
			"CPython's global interpreter lock (GIL) runs one thread's Python code at a time: the kernel's switch records show its threads handing the core to each other, the waiting ones blocked on a lock while another ran. " +
				"Processes (multiprocessing), or calls that release the GIL (zlib, hashlib, numpy), would use more cores."},
		{"squeezed, and one thread", profiletest.OneThread(0.005, profile.SlicePreempted, "", 1).Approximate(),
			"Its threads were ready to run while other programs held the cores: it was squeezed, not held back by anything of its own, and on a quieter machine it would use more. Also one thread did the work at a time."},
		{"phases", profiletest.Phased().Exact(),
			"Only one of its threads wanted a core at a time, so one core did the work: more cores would not make it faster, only running its work in parallel would. " +
				"From 2.00 s to 4.00 s, 2.00 cores' worth of CPU: parallel: 2 busy threads in 2 processes on 2.00 of 2 cores. From 4.00 s to 6.00 s, 0.01 cores' worth of CPU: waiting: asleep 1.99 s."},
		{"an old file", oldTimeline(profiletest.GILThreads("python3")).Exact(),
			"A recording by this corescope would tell: it keeps how slices ended and what blocked threads waited in."},
		{"the threads model under its lock", threads(profiletest.GILThreads("corescope").Exact()),
			"2 threads shared one global interpreter lock (GIL): only the thread holding it computes, so they took turns on 1.00 cores' worth of CPU however many cores there are."},
		{"the threads model, its turns not shown", threads(oldTimeline(profiletest.GILThreads("corescope")).Exact()),
			"2 threads shared one global interpreter lock (GIL): only the thread holding it computes. A recording by this corescope would tell: it keeps how slices ended and what blocked threads waited in."},
	}
	for _, tt := range tests {
		if got := Why(tt.p); got != tt.want {
			t.Errorf("%s: Why() =\n%q; want\n%q", tt.name, got, tt.want)
		}
	}
}

func TestNoThreads(t *testing.T) {
	frame := profile.Frame{T: 0.1, Busy: levels.Row{levels.Steps}}
	withThreads := frame
	withThreads.ThreadSamples = []profile.ThreadSample{{PID: 1, TID: 1}}
	sp := modelSpec(spec.IO, spec.Goroutines, 20)
	sp.Interval = spec.Duration(100 * time.Millisecond)
	tests := []struct {
		name string
		p    *profile.Profile
		want string
	}{
		{"thread samples", &profile.Profile{Frames: []profile.Frame{withThreads}}, ""},
		{"slices", &profile.Profile{Slices: []profile.Slice{{TID: 1, End: 0.1}}}, ""},
		{"ended before a sample", &profile.Profile{Spec: sp, Summary: profile.Summary{WallS: 0.01}},
			"this run has no samples: it ended after 0.01 s, before the first one (sampled every 100 ms)"},
		{"ended before a sample read its threads", &profile.Profile{Spec: sp, Frames: []profile.Frame{frame},
			Summary: profile.Summary{WallS: 0.07, Attribution: profile.AttributionExact}},
			"this run ended before the first sample could read its threads (0.07 s, sampled every 100 ms)"},
		{"a system without thread lists", &profile.Profile{Spec: sp, Frames: []profile.Frame{frame}, Summary: profile.Summary{WallS: 1, Procs: 1}},
			"the system it was recorded on does not tell corescope a process's threads (it reads them from Linux's /proc)"},
		{"a file saved without them", &profile.Profile{Spec: sp, Frames: []profile.Frame{frame},
			Summary: profile.Summary{WallS: 1, Procs: 1, Attribution: profile.AttributionApproximate}},
			"this file was saved without thread samples"},
		{"a watch of nodes", &profile.Profile{Frames: []profile.Frame{frame}, Nodes: []profile.Node{{Name: "a:9100", Cores: 1}},
			Spec: spec.Spec{Interval: spec.Duration(time.Second)}, Summary: profile.Summary{WallS: 1}},
			"a watch of nodes runs no program of its own, so it has no threads to draw"},
	}
	for _, tt := range tests {
		if got := NoThreads(tt.p); got != tt.want {
			t.Errorf("%s: NoThreads() = %q; want %q", tt.name, got, tt.want)
		}
	}
}

func TestOffCore(t *testing.T) {
	tests := []struct {
		state         diagnosis.State
		kind, syscall string
		want          string
	}{
		{diagnosis.Runnable, "", "", "waiting for a core"},
		{diagnosis.Blocked, diagnosis.WaitLock, "futex", "blocked in futex: a lock"},
		{diagnosis.Blocked, diagnosis.WaitIO, "recvfrom", "blocked in recvfrom: I/O"},
		{diagnosis.Blocked, diagnosis.WaitOther, "rt_sigtimedwait", "blocked in rt_sigtimedwait"},
		{diagnosis.Blocked, diagnosis.WaitOther, "", "blocked outside a system call (a page fault)"},
		{diagnosis.Blocked, diagnosis.WaitUnknown, "", "blocked, on what no sample saw"},
		{0, "", "", "not on a core"},
	}
	for _, tt := range tests {
		if got := OffCore(tt.state, tt.kind, tt.syscall); got != tt.want {
			t.Errorf("OffCore(%d, %q, %q) = %q; want %q", tt.state, tt.kind, tt.syscall, got, tt.want)
		}
	}
}
