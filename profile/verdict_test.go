package profile

import (
	"strings"
	"testing"
	"time"

	"corescope/spec"
)

// commandRun is a recorded command with the given figures on 2 cores.
func commandRun(argv0 string, wall, cores float64) *Profile {
	return &Profile{
		Label:   argv0,
		Spec:    spec.Spec{Backend: spec.BackendCommand, Command: []string{argv0}, Interval: spec.Duration(100 * time.Millisecond)},
		Machine: Machine{LogicalCores: 2},
		Summary: Summary{WallS: wall, CPUS: wall * cores, CoresUsed: cores, Attribution: AttributionExact},
	}
}

// withThreads gives p's switch timeline threads with these on-core seconds.
func withThreads(p *Profile, onCPU ...float64) *Profile {
	for i, s := range onCPU {
		p.Threads = append(p.Threads, Thread{PID: 1, TID: i + 1, Process: p.Label, OnCPUS: s})
		p.Slices = append(p.Slices, Slice{PID: 1, TID: i + 1, End: s})
	}
	p.Summary.Procs = 1
	return p
}

// squeezed gives p other programs that kept others cores busy beside it.
func squeezed(p *Profile, others float64) *Profile {
	p.Summary.OthersBusyCores = others
	return p
}

// ioRun is a run of the built-in I/O workload.
func ioRun(m spec.Model, wall, cores float64) *Profile {
	p := run(m, wall, cores)
	p.Spec.Workload = spec.IO
	return p
}

func TestVerdictWordings(t *testing.T) {
	competing := commandRun("pool.py", 2, 1.06)
	competing.Summary.OthersBusyCores = 0.9
	quiet := commandRun("pool.py", 2, 1.06)
	quiet.Summary.OthersBusyCores = 0.2 // under 0.25 cores: noise, not competition
	short := commandRun("true", 0.002, 0.9)
	startup := commandRun("app", 3, 0.5) // imports took most of the run,
	startup.Summary.TasksCoresUsed = 1.9 // but the tasks ran in parallel
	// Four threads that got all that a busy loop left: without a timeline
	// nothing tells why; with one, taking turns says a lock held them, and
	// running together says the cores did.
	crowded := func(slices ...Slice) *Profile {
		p := commandRun("python3", 2, 0.87)
		p.Summary.OthersBusyCores, p.Summary.SubjectEndS, p.Summary.Procs = 1.16, 2, 1
		for tid := 1; tid <= 4; tid++ {
			p.Threads = append(p.Threads, Thread{PID: 1, TID: tid, Process: "python3", OnCPUS: 0.4})
		}
		p.Slices = slices
		return p
	}
	approximate := crowded()
	for tid := 1; tid <= 4; tid++ {
		approximate.Frames = append(approximate.Frames, Frame{T: 0.1, ThreadSamples: []ThreadSample{{PID: 1, TID: tid, CPU: 0.4}}})
	}
	turns := crowded(Slice{PID: 1, TID: 1, Start: 0, End: 0.5}, Slice{PID: 1, TID: 2, Start: 0.5, End: 1},
		Slice{PID: 1, TID: 3, Start: 1, End: 1.5}, Slice{PID: 1, TID: 4, Start: 1.5, End: 2})
	together := crowded(Slice{PID: 1, TID: 1, Start: 0, End: 1}, Slice{PID: 1, TID: 2, Start: 0.5, End: 1.5},
		Slice{PID: 1, TID: 3, Start: 1.5, End: 2}, Slice{PID: 1, TID: 4, Start: 1.6, End: 2})
	starved := run(spec.Sequential, 3, 0.45)
	starved.Summary.Attribution, starved.Summary.OthersBusyCores = AttributionExact, 1.5
	tests := []struct {
		name string
		p    *Profile
		want string
	}{
		{"competition is named", competing, "one core's worth of CPU at a time (1.06); other programs kept 0.90 cores busy beside it"},
		{"a little noise is not", quiet, "one core's worth of CPU at a time (1.06)"},
		{"too short to judge", short, "too short to judge: it ran for 0.002 s, and its figures are those of starting a process"},
		{"short but judged", commandRun("curl", 0.07, 0.3), "partly waiting or idle: 0.30 cores' worth of CPU"},
		{"the tasks' span decides", startup, "parallel: 1.90 of 2 cores busy"},
		{"CPython threads held to one core", withThreads(commandRun("python3", 2, 0.99), 0.6, 0.7, 0.7),
			"3 busy threads held to one core's worth of CPU (0.99): CPython's GIL runs one thread's Python code at a time"},
		{"other threads held to one core", withThreads(commandRun("java", 2, 0.99), 1, 1),
			"2 busy threads held to one core's worth of CPU (0.99): something, such as a lock, lets one run at a time"},
		{"threads crowded by other programs, no timeline", approximate,
			"4 busy threads got 0.87 cores' worth of CPU, all there was room for: too crowded to tell whether something holds them to one core; other programs kept 1.16 cores busy beside it"},
		{"threads crowded, taking turns: the GIL", turns,
			"4 busy threads held to one core's worth of CPU (0.87): CPython's GIL runs one thread's Python code at a time; other programs kept 1.16 cores busy beside it"},
		{"threads crowded, together when they could", together,
			"4 busy threads got 0.87 cores' worth of CPU, all there was room for, and ran at the same time whenever they could (two on cores at once for 45% of the run); other programs kept 1.16 cores busy beside it"},
		{"one busy thread among idle ones", withThreads(commandRun("python3", 2, 0.99), 1.9, 0.01, 0.01),
			"one core's worth of CPU at a time (0.99)"},
		{"middle wording", commandRun("server", 2, 0.45), "partly waiting or idle: 0.45 cores' worth of CPU"},
		{"mostly waiting", commandRun("server", 2, 0.1), "mostly waiting or idle: 0.10 cores' worth of CPU"},
		{"partly waiting or squeezed", squeezed(commandRun("seq.py", 2, 0.45), 1.1),
			"partly waiting, idle or squeezed by other programs: 0.45 cores' worth of CPU while they kept 1.10 cores busy"},
		{"mostly waiting or squeezed", squeezed(commandRun("server", 2, 0.1), 0.9),
			"mostly waiting, idle or squeezed by other programs: 0.10 cores' worth of CPU while they kept 0.90 cores busy"},
		{"a little noise squeezes nothing", squeezed(commandRun("server", 2, 0.45), 0.2), "partly waiting or idle: 0.45 cores' worth of CPU"},
		{"an I/O model waits, whoever competed", squeezed(ioRun(spec.Async, 2, 0.3), 1.1),
			"partly waiting on I/O: 0.30 cores' worth of CPU; other programs kept 1.10 cores busy beside it"},
		{"starved by others", starved, "starved: 0.45 cores' worth of CPU while other programs kept 1.50 cores busy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Verdict(tt.p); got != tt.want {
				t.Errorf("Verdict() = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestVerdictThreadsWithoutGIL(t *testing.T) {
	p := &Profile{Spec: spec.Spec{Backend: spec.BackendPython, Workload: spec.CPU, Model: spec.Threads},
		Machine: Machine{LogicalCores: 2, Python: "CPython 3.13.1, no GIL"},
		Summary: Summary{WallS: 2, CPUS: 2, CoresUsed: 1}}
	if got := Verdict(p); !strings.Contains(got, "though this Python has no GIL") || strings.Contains(got, "GIL-bound") {
		t.Errorf("threads on a free-threaded Python at one core: %q; want it not blamed on a GIL", got)
	}
}
