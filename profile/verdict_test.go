package profile

import (
	"slices"
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

func TestSummarizeSlicesAndTasks(t *testing.T) {
	t0 := time.Unix(1000, 0)
	p := &Profile{Started: t0, Spec: spec.Spec{Interval: spec.Duration(100 * time.Millisecond)},
		Threads: []Thread{{PID: 1, TID: 1, Name: "main"}},
		Slices: []Slice{{PID: 1, TID: 1, CPU: 0, Start: 0.1, End: 0.2}, {PID: 1, TID: 1, CPU: 1, Start: 0.2, End: 0.25},
			{PID: 1, TID: 1, CPU: 1, Start: 0.3, End: 0.4}, {PID: 1, TID: 7, CPU: 0, Start: 0.2, End: 0.21}},
		Events: []spec.Event{{Ev: spec.EvTaskStart, TNs: t0.Add(300 * time.Millisecond).UnixNano()},
			{Ev: spec.EvTaskEnd, TNs: t0.Add(500 * time.Millisecond).UnixNano()}},
		Frames: []Frame{{T: 0.4, SubjectBusy: row(1, 0)}, {T: 0.5, SubjectBusy: row(1, 1)}},
	}
	p.Summary.SubjectStartS = 0.1
	summarizeSlices(p)
	summarizeTasks(p)
	want := []Thread{{PID: 1, TID: 1, Name: "main", OnCPUS: 0.25, Switches: 3, Migrations: 1}, {PID: 1, TID: 7, OnCPUS: 0.01, Switches: 1}}
	if len(p.Threads) != 2 || p.Threads[0] != want[0] || p.Threads[1] != want[1] {
		t.Errorf("threads = %+v; want %+v", p.Threads, want)
	}
	s := p.Summary
	if s.TasksStartS != 0.3 || s.TasksEndS != 0.5 || s.StartupS != 0.2 {
		t.Errorf("tasks %v..%v, start-up %v; want 0.3..0.5 after 0.2 s", s.TasksStartS, s.TasksEndS, s.StartupS)
	}
	// Frame 0.4 covers 0.3..0.4 with 1 core, frame 0.5 covers 0.4..0.5 with 2.
	if s.TasksCoresUsed != 1.5 {
		t.Errorf("cores used over the tasks = %v; want 1.5", s.TasksCoresUsed)
	}
}

// TestCreditUnsampled checks that CPU no sample saw lands, as approximate
// attribution puts all CPU, on the cores the threads last ran on, in the
// frame the subject exited in.
func TestCreditUnsampled(t *testing.T) {
	p := &Profile{Spec: spec.Spec{Interval: spec.Duration(100 * time.Millisecond)},
		Frames: []Frame{
			{T: 0.1, SubjectBusy: row(0.5, 0, 0), SubjectCPU: 0.1,
				ThreadSamples: []ThreadSample{{TID: 1, CPU: 0.05, Core: 0}, {TID: 2, CPU: 0.05, Core: 2}}},
			{T: 0.2, SubjectBusy: row(0, 0, 0)}, // the subject exited at 0.15, unsampled
		}}
	p.Summary.SubjectEndS = 0.15
	creditUnsampled(p, 0.2) // the kernel counted 0.1 s more than the samples
	if got, want := p.Frames[1].SubjectBusy, row(0.5, 0, 0.5); !slices.Equal(got, want) {
		t.Errorf("exit frame's subject load = %v; want %v", got, want)
	}
	creditUnsampled(p, 0.05) // the samples saw more than the kernel: nothing to credit
	if got, want := p.Frames[1].SubjectBusy, row(0.5, 0, 0.5); !slices.Equal(got, want) {
		t.Errorf("after a credit of nothing: %v; want %v", got, want)
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

func TestApproximateCoreLoad(t *testing.T) {
	tests := []struct {
		name    string
		samples []ThreadSample
		want    []float64
	}{
		{"each on its core", []ThreadSample{{TID: 1, CPU: 0.05, Core: 0}, {TID: 2, CPU: 0.1, Core: 2}}, []float64{0.5, 0, 1}},
		{"two busy threads last seen on one core", []ThreadSample{{TID: 1, CPU: 0.1, Core: 1}, {TID: 2, CPU: 0.1, Core: 1}},
			[]float64{1, 1, 0}},
		{"more than the machine", []ThreadSample{{TID: 1, CPU: 0.2, Core: 0}, {TID: 2, CPU: 0.2, Core: 0}}, []float64{1, 1, 1}},
		{"idle and unknown cores", []ThreadSample{{TID: 1, CPU: 0, Core: 0}, {TID: 2, CPU: 0.1, Core: -1}}, []float64{0, 0, 0}},
	}
	for _, tt := range tests {
		busy := make([]float64, 3)
		approximateCoreLoad(busy, tt.samples, 0.1)
		if !slices.Equal(busy, tt.want) {
			t.Errorf("%s: approximateCoreLoad = %v; want %v", tt.name, busy, tt.want)
		}
	}
}
