package runtext

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"corescope/levels"
	"corescope/profile"
	"corescope/profile/profiletest"
	"corescope/spec"
)

// squeezed gives p other programs that kept others cores busy beside it.
func squeezed(p *profile.Profile, others float64) *profile.Profile {
	p.Summary.OthersBusyCores = others
	return p
}

// ioRun is a run of the built-in I/O workload.
func ioRun(m spec.Model, wall, cores float64) *profile.Profile {
	p := profiletest.Model(m, wall, cores)
	p.Spec.Workload = spec.IO
	return p
}

func TestVerdictWordings(t *testing.T) {
	competing := profiletest.Command("pool.py", 2, 1.06)
	competing.Summary.OthersBusyCores = 0.9
	quiet := profiletest.Command("pool.py", 2, 1.06)
	quiet.Summary.OthersBusyCores = 0.2 // under 0.25 cores: noise, not competition
	short := profiletest.Command("true", 0.002, 0.9)
	startup := profiletest.Command("app", 3, 0.5) // imports took most of the run,
	startup.Summary.TasksCoresUsed = 1.9          // but the tasks ran in parallel
	// Four threads that got all that a busy loop left: without a timeline
	// nothing tells why; with one, taking turns says a lock held them, and
	// running together says the cores did.
	approximate, turns, together := profiletest.CrowdedSampled(), profiletest.CrowdedTakingTurns(), profiletest.CrowdedTogether()
	starved := profiletest.Model(spec.Sequential, 3, 0.45)
	starved.Summary.Attribution, starved.Summary.OthersBusyCores = profile.AttributionExact, 1.5
	tests := []struct {
		name string
		p    *profile.Profile
		want string
	}{
		{"competition is named", competing, "one core's worth of CPU at a time (1.06); other programs kept 0.90 cores busy beside it"},
		{"a little noise is not", quiet, "one core's worth of CPU at a time (1.06)"},
		{"too short to judge", short, "too short to judge: it ran for 0.002 s, and its figures are those of starting a process"},
		{"short but judged", profiletest.Command("curl", 0.07, 0.3), "partly waiting or idle: 0.30 cores' worth of CPU"},
		{"the tasks' span decides", startup, "parallel: 1.90 of 2 cores busy"},
		{"CPython threads held to one core", profiletest.WithThreads(profiletest.Command("python3", 2, 0.99), 0.6, 0.7, 0.7),
			"3 busy threads held to one core's worth of CPU (0.99): CPython's GIL runs one thread's Python code at a time"},
		{"other threads held to one core", profiletest.WithThreads(profiletest.Command("java", 2, 0.99), 1, 1),
			"2 busy threads held to one core's worth of CPU (0.99): something, such as a lock, lets one run at a time"},
		{"threads crowded by other programs, no timeline", approximate,
			"4 busy threads got 0.87 cores' worth of CPU, all there was room for: too crowded to tell whether something holds them to one core; other programs kept 1.16 cores busy beside it"},
		{"threads crowded, taking turns: the GIL", turns,
			"4 busy threads held to one core's worth of CPU (0.87): CPython's GIL runs one thread's Python code at a time; other programs kept 1.16 cores busy beside it"},
		{"threads crowded, together when they could", together,
			"4 busy threads got 0.87 cores' worth of CPU, all there was room for, and ran at the same time whenever they could (two on cores at once for 45% of the run); other programs kept 1.16 cores busy beside it"},
		{"one busy thread among idle ones", profiletest.WithThreads(profiletest.Command("python3", 2, 0.99), 1.9, 0.01, 0.01),
			"one core's worth of CPU at a time (0.99)"},
		{"middle wording", profiletest.Command("server", 2, 0.45), "partly waiting or idle: 0.45 cores' worth of CPU"},
		{"mostly waiting", profiletest.Command("server", 2, 0.1), "mostly waiting or idle: 0.10 cores' worth of CPU"},
		{"partly waiting or squeezed", squeezed(profiletest.Command("seq.py", 2, 0.45), 1.1),
			"partly waiting, idle or squeezed by other programs: 0.45 cores' worth of CPU while they kept 1.10 cores busy"},
		{"mostly waiting or squeezed", squeezed(profiletest.Command("server", 2, 0.1), 0.9),
			"mostly waiting, idle or squeezed by other programs: 0.10 cores' worth of CPU while they kept 0.90 cores busy"},
		{"a little noise squeezes nothing", squeezed(profiletest.Command("server", 2, 0.45), 0.2), "partly waiting or idle: 0.45 cores' worth of CPU"},
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
	p := &profile.Profile{Spec: spec.Spec{Backend: spec.BackendPython, Workload: spec.CPU, Model: spec.Threads},
		Machine: profile.Machine{LogicalCores: 2, Python: "CPython 3.13.1, no GIL"},
		Summary: profile.Summary{WallS: 2, CPUS: 2, CoresUsed: 1}}
	if got := Verdict(p); !strings.Contains(got, "though this Python has no GIL") || strings.Contains(got, "GIL-bound") {
		t.Errorf("threads on a free-threaded Python at one core: %q; want it not blamed on a GIL", got)
	}
}

func TestConcludeSetsSpeedupsAndVerdicts(t *testing.T) {
	seq := profiletest.Model(spec.Sequential, 3, 1)
	thr := profiletest.Model(spec.Threads, 3.1, 1.01)
	proc := profiletest.Model(spec.Processes, 1.5, 1.94)
	io := profiletest.Model(spec.Async, 0.2, 0.05)
	io.Spec.Workload = spec.IO // no sequential I/O run: no speedup
	starved := profiletest.Model(spec.Async, 4, 0.3)
	starved.Summary.MachineBusyCores = 2
	mixed := profiletest.Model(spec.Processes, 1.3, 0.65)
	mixed.Spec.Workload = spec.Mixed
	Conclude([]*profile.Profile{seq, thr, proc, io, starved, mixed})
	tests := []struct {
		p       *profile.Profile
		speedup float64 // 0 = none
		verdict string
	}{
		{seq, 1, "one task at a time: 1.00 cores' worth"},
		{thr, 0.968, "GIL-bound: one core's worth of CPU at a time (1.01); no faster than sequential (0.97x)"},
		{proc, 2, "parallel: 1.94 of 2 cores busy; 2.00x faster than sequential"},
		{io, 0, "mostly waiting on I/O: 0.05 cores' worth of CPU"},
		{mixed, 0, "partly waiting on I/O: 0.65 cores' worth of CPU"},
		{starved, 0.75, "starved: 0.30 cores' worth of CPU while the machine kept 2.00 cores busy; 0.75x sequential's speed: slower"},
	}
	for _, tt := range tests {
		got := 0.0
		if tt.p.Summary.Speedup != nil {
			got = *tt.p.Summary.Speedup
		}
		if got != tt.speedup {
			t.Errorf("%s speedup = %v; want %v", tt.p.Label, got, tt.speedup)
		}
		if tt.p.Summary.Verdict != tt.verdict {
			t.Errorf("%s verdict = %q; want %q", tt.p.Label, tt.p.Summary.Verdict, tt.verdict)
		}
	}
}

func TestFailedRunHasNoSpeedup(t *testing.T) {
	seq := profiletest.Model(spec.Sequential, 3, 1)
	bad := profiletest.Model(spec.Processes, 1, 2)
	bad.Error = "the subject exited with code 1"
	Conclude([]*profile.Profile{seq, bad})
	if bad.Summary.Speedup != nil || !strings.HasPrefix(bad.Summary.Verdict, "failed") {
		t.Errorf("failed run: speedup %v, verdict %q; want none and a failure", bad.Summary.Speedup, bad.Summary.Verdict)
	}
}

// TestProcessNote words what became of processes that left the subject's
// group, and the process limit, in the verdict of a run that succeeded and
// in the error of one that failed, never in both.
func TestProcessNote(t *testing.T) {
	s := profile.Summary{
		Escaped: []profile.EscapedProcess{
			{PID: 10, Command: "sleep 600", Ended: true},
			{PID: 11, Command: "/usr/bin/passwd", Why: "cannot kill it: operation not permitted"},
			{PID: 12, Command: "sleep 60", Ended: true},
		},
		ProcessLimit: &profile.ProcessLimit{Ulimit: 120, Limit: 86, Peak: 88},
	}
	want := "ended 2 processes that had left the subject's process group: sleep 600 (pid 10), sleep 60 (pid 12); " +
		"could not end 1 process that had left the subject's process group: /usr/bin/passwd (pid 11: cannot kill it: operation not permitted); " +
		"the subject reached the process limit: 88 processes and threads of its user counted at once, against its limit of 86 (ulimit -u 120, less 34 kept for corescope's own threads)"
	if got := processNote(s); got != want {
		t.Errorf("processNote =\n%s\nwant\n%s", got, want)
	}
	if got := processNote(profile.Summary{}); got != "" {
		t.Errorf("processNote of a run whose processes all stayed = %q; want nothing", got)
	}
	ok := profiletest.Model(spec.Processes, 1, 2)
	ok.Summary.Escaped = s.Escaped[:1]
	if v := Verdict(ok); !strings.HasSuffix(v, "; ended 1 process that had left the subject's process group: sleep 600 (pid 10)") {
		t.Errorf("verdict of a run that succeeded = %q; want the ended process after the figures", v)
	}
	failed := profiletest.Model(spec.Processes, 1, 2)
	failed.Summary.Escaped, failed.Error = s.Escaped[:1], "stopped by the user after 1.0 s; ended 1 process ..."
	if v := Verdict(failed); strings.Count(v, "ended 1 process") != 1 {
		t.Errorf("verdict of a failed run = %q; want the note once, from its error", v)
	}
}

// TestConcludeAddsAFailedRunsNoteOnce checks that a failed run's error
// says what became of its processes, as the verdict shows it, once however
// often its group is concluded (the window concludes a group as it grows).
func TestConcludeAddsAFailedRunsNoteOnce(t *testing.T) {
	p := profiletest.Model(spec.Processes, 1, 2)
	p.Error = "processes: the subject exited with code 1"
	p.Summary.Escaped = []profile.EscapedProcess{{PID: 10, Command: "sleep 600", Ended: true}}
	for range 3 {
		Conclude([]*profile.Profile{p})
	}
	note := "ended 1 process that had left the subject's process group: sleep 600 (pid 10)"
	if want := "processes: the subject exited with code 1; " + note; p.Error != want {
		t.Errorf("error = %q; want %q", p.Error, want)
	}
	if want := "failed: processes: the subject exited with code 1; " + note; p.Summary.Verdict != want {
		t.Errorf("verdict = %q; want %q", p.Summary.Verdict, want)
	}
}

// TestConcludeNamesAWatch checks that a watch of nodes, which the recorder
// leaves unnamed, is named by its nodes: live ones by their exporters'
// URLs, a Prometheus server's history without, and a name given is kept.
func TestConcludeNamesAWatch(t *testing.T) {
	watch := func(label string, urls ...string) *profile.Profile {
		p := &profile.Profile{Label: label, Spec: spec.Spec{Interval: spec.Duration(time.Second)}}
		for i, u := range urls {
			p.Nodes = append(p.Nodes, profile.Node{Name: fmt.Sprintf("n%d:9100", i), URL: u})
		}
		return p
	}
	tests := []struct {
		p    *profile.Profile
		want string
	}{
		{watch("", "http://a:9100/metrics", "http://b:9100/metrics"), "watch of 2 nodes"},
		{watch("", "http://a:9100/metrics"), "watch of 1 node"},
		{watch("", "", "", ""), "history of 3 nodes"},
		{watch("night shift", "http://a:9100/metrics"), "night shift"},
	}
	for _, tt := range tests {
		Conclude([]*profile.Profile{tt.p})
		if tt.p.Label != tt.want {
			t.Errorf("label = %q; want %q", tt.p.Label, tt.want)
		}
	}
}

// TestClusterVerdict words a watch of two nodes, one of which missed a
// tick: the mean and peak of the cores that gave figures, and who missed.
func TestClusterVerdict(t *testing.T) {
	p := &profile.Profile{
		Spec: spec.Spec{Interval: spec.Duration(time.Second)},
		Nodes: []profile.Node{{Name: "a:9100", URL: "http://a:9100/metrics", Cores: 2},
			{Name: "b:9100", URL: "http://b:9100/metrics", Cores: 1, First: 2, MissedTicks: 1}},
		Frames: []profile.Frame{
			{T: 1, Busy: levels.Quantise(nil, []float64{0.5, 1, 0.25})},
			{T: 2, Busy: levels.Row{levels.Of(0.5), levels.Of(0.5), levels.Missing}},
		},
		Summary: profile.Summary{WallS: 2, MachineBusyCores: 1.375, PeakBusyCores: 1.75},
	}
	want := "2 nodes, 3 cores: 1.38 busy on average (46%), peak 1.75; b:9100 missed 1 of 2 ticks"
	if v := Verdict(p); v != want {
		t.Errorf("verdict = %q; want %q", v, want)
	}
}

// TestFilesWrittenBeforeTheSplitWordTheSame reads the files a corescope of
// before the split wrote (see profile's TestFilesWrittenBeforeTheSplit)
// and concludes their runs again: the speedups and the verdicts, now
// judged by diagnosis and worded here, are the ones the files keep, and
// every view shows each run's stored outcome.
func TestFilesWrittenBeforeTheSplitWordTheSame(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "profile", "testdata", "main-52b5b8e", "*.corescope.json"))
	if len(files) != 7 {
		t.Fatalf("found %d files written before the split; want 7", len(files))
	}
	for _, path := range files {
		ps, err := profile.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		type stored struct {
			speedup, verdict, outcome, label, error string
		}
		keep := func(p *profile.Profile) stored {
			return stored{Factor(p.Summary.Speedup), p.Summary.Verdict, Outcome(p), p.Label, p.Error}
		}
		var before []stored
		for _, p := range ps {
			before = append(before, keep(p))
		}
		Conclude(ps)
		for i, p := range ps {
			if got := keep(p); got != before[i] {
				t.Errorf("%s: run %d concluded again:\n%+v\nthe file keeps\n%+v", filepath.Base(path), i+1, got, before[i])
			}
		}
	}
}
