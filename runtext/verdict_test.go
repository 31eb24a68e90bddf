package runtext

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"corescope/levels"
	"corescope/profile"
	"corescope/profile/profiletest"
	"corescope/spec"
)

// oldTimeline makes tl a file of corescope before the evidence of the
// reasons.
func oldTimeline(tl profiletest.Timeline) profiletest.Timeline {
	tl.Old = true
	return tl
}

// tooShortRun is a run too short to judge.
func tooShortRun() *profile.Profile { return profiletest.Command("true", 0.002, 0.9) }

// TestVerdictWordings words the main phase's first reason of runs of known
// evidence, with its figures, on both paths of attribution.
func TestVerdictWordings(t *testing.T) {
	pool := profiletest.Timeline{Argv0: "python3", Seconds: 2, Allowed: 1, Threads: profiletest.Pool(4, 1, 2)}
	tests := []struct {
		name               string
		tl                 profiletest.Timeline
		exact, approximate string
	}{
		{"the GIL", profiletest.GILThreads("python3"),
			"GIL-bound (1.00 cores' worth of CPU): 2 CPython threads of pid 10 handed one core to each other 666 times (333 a second), on cores together under 1% of the time, the waiting ones found blocked on a lock in 19 samples",
			"GIL-bound (1.00 cores' worth of CPU): 2 CPython threads of pid 10 took turns on one core in 20 of their 20 busy samples, the waiting ones found blocked on a lock in 20 samples"},
		{"a lock", profiletest.GILThreads("java"),
			"taking turns, held by a lock (1.00 cores' worth of CPU): 2 threads of pid 10 handed one core to each other 666 times (333 a second), on cores together under 1% of the time, the waiting ones found blocked on a lock in 19 samples",
			"taking turns, held by a lock (1.00 cores' worth of CPU): 2 threads of pid 10 took turns on one core in 20 of their 20 busy samples, the waiting ones found blocked on a lock in 20 samples"},
		{"a hand-over", profiletest.HandOver(),
			"one thread did the work at a time (1.00 cores' worth of CPU): the work passed from one thread to another 2 times",
			"one thread did the work at a time (1.00 cores' worth of CPU): the work passed from one thread to another 2 times"},
		{"an affinity", pool,
			"held by its CPU affinity (1.00 cores' worth of CPU): allowed 1 core of 2 while up to 4 threads wanted one, waiting 5.94 s for a core",
			"held by its CPU affinity (1.00 cores' worth of CPU): allowed 1 core of 2 while up to 4 threads wanted one, waiting 5.94 s for a core"},
		{"a quota", profiletest.QuotaPool(0.8),
			"held by its cgroup's CPU quota (0.50 cores' worth of CPU): 0.50 cores for /corescope-test, throttled in 20 of 20 periods, 1.60 s held off every core",
			"held by its cgroup's CPU quota (0.50 cores' worth of CPU): 0.50 cores for /corescope-test, throttled in 20 of 20 periods, 1.60 s held off every core"},
		{"squeezed", profiletest.OneThread(0.005, profile.SlicePreempted, "", 1),
			"squeezed by other programs (0.50 cores' worth of CPU): its threads waited 1.00 s for a core (50% of the time they wanted one) while other programs kept 1.00 cores busy",
			"squeezed by other programs (0.50 cores' worth of CPU): its threads waited 1.00 s for a core (50% of the time they wanted one) while other programs kept 1.00 cores busy"},
		{"waiting on I/O", profiletest.OneThread(0.001, profile.SliceBlocked, "recvfrom", 0),
			"waiting (0.10 cores' worth of CPU): on I/O 1.80 s", "waiting (0.10 cores' worth of CPU): on I/O 1.80 s"},
		{"asleep", profiletest.Sleeper(), "waiting (0.01 cores' worth of CPU): asleep 1.99 s",
			"waiting (0.01 cores' worth of CPU): asleep 1.89 s, on something no sample saw 0.10 s"}, // no sample found it asleep in the first frame
		{"parallel", profiletest.ParallelPair(),
			"parallel (2.00 cores' worth of CPU): 2 busy threads in 2 processes on 2.00 of 2 cores",
			"parallel (2.00 cores' worth of CPU): 2 busy threads in 2 processes on 2.00 of 2 cores"},
		{"phases", profiletest.Phased(),
			"one thread did the work at a time (1.00 cores' worth of CPU), for 2.00 s of 6.00 s; 2 other phases: parallel 2.00 s, waiting 2.00 s",
			"one thread did the work at a time (1.00 cores' worth of CPU), for 2.00 s of 6.00 s; 2 other phases: parallel 2.00 s, waiting 2.00 s"},
		{"an old file's threads", oldTimeline(profiletest.GILThreads("python3")),
			"undecided (1.00 cores' worth of CPU): this run does not say how its slices on a core ended and what its blocked threads waited in, so it cannot tell threads taking turns from threads waiting for a core",
			"undecided (1.00 cores' worth of CPU): this run does not say how long its threads waited for a core and what its blocked threads waited in, so it cannot tell threads taking turns from threads waiting for a core"},
		{"an old file's one thread", oldTimeline(profiletest.OneThread(0.01, profile.SlicePreempted, "", 0)),
			"one thread did the work at a time (1.00 cores' worth of CPU): not known: how its slices on a core ended",
			"one thread did the work at a time (1.00 cores' worth of CPU): not known: how long its threads waited for a core"},
	}
	for _, tt := range tests {
		for _, c := range []struct {
			p    *profile.Profile
			want string
		}{{tt.tl.Exact(), tt.exact}, {tt.tl.Approximate(), tt.approximate}} {
			t.Run(tt.name+"/"+c.p.Summary.Attribution, func(t *testing.T) {
				if got := Verdict(c.p); got != c.want {
					t.Errorf("Verdict() =\n%q; want\n%q", got, c.want)
				}
			})
		}
	}
	waits := profile.Reason{Name: profile.ReasonWaiting, Figures: map[string]float64{"sleep": 2, "io": 0.004, "lock": 0.09}}
	if got, want := Reason(tooShortRun(), waits), "waiting: asleep 2.00 s, on a lock 0.09 s"; got != want {
		t.Errorf("Reason() of waits, one too short to say = %q; want %q", got, want)
	}
	short := tooShortRun()
	if got, want := Verdict(short), "too short to judge: it ran for 0.002 s, and its figures are those of starting a process"; got != want {
		t.Errorf("Verdict() of a short run = %q; want %q", got, want)
	}
}

// TestVerdictNamesOnlyWhatTheEvidenceShows checks the runs the issue found
// worded wrong: each verdict names what held the run, never the GIL where
// the gil reason does not hold, and says what is missing where nothing
// decides.
func TestVerdictNamesOnlyWhatTheEvidenceShows(t *testing.T) {
	noGIL := profiletest.GILThreads("python3").Exact()
	noGIL.Spec.Backend, noGIL.Spec.Model, noGIL.Machine.Python = spec.BackendPython, spec.Threads, "CPython 3.13.1, no GIL"
	tests := []struct {
		name          string
		p             *profile.Profile
		says, notSays string
	}{
		{"a hand-over is not a GIL", profiletest.HandOver().Exact(), "one thread did the work", "GIL"},
		{"a pool under taskset is held by its affinity", profiletest.Timeline{Argv0: "python3", Seconds: 2, Allowed: 1, Threads: profiletest.Pool(4, 1, 2)}.Exact(), "affinity", "GIL"},
		{"a pool under a quota is held by it", profiletest.QuotaPool(0.8).Exact(), "quota", "waiting"},
		{"zlib threads pinned are not GIL-bound", profiletest.ZlibPinned().Exact(), "affinity", "GIL"},
		{"a sampled old run says what it lacks", oldTimeline(profiletest.GILThreads("python3")).Approximate(), "cannot tell", "GIL"},
		{"a Python without a GIL", noGIL, "taking turns", "GIL-bound"},
	}
	for _, tt := range tests {
		if v := Verdict(tt.p); !strings.Contains(v, tt.says) || strings.Contains(v, tt.notSays) {
			t.Errorf("%s: %q; want it to say %q, not %q", tt.name, v, tt.says, tt.notSays)
		}
	}
}

// TestConcludeSetsSpeedupsAndVerdicts checks what Conclude stores: each
// run's speedup against the sequential one, its phases and reasons, and
// its verdict, which words them.
func TestConcludeSetsSpeedupsAndVerdicts(t *testing.T) {
	asModel := func(tl profiletest.Timeline, m spec.Model) *profile.Profile {
		p := tl.Exact()
		p.Label, p.Spec = string(m), profiletest.Model(m, 1, 1).Spec
		return p
	}
	seq := asModel(profiletest.OneThread(0.01, profile.SlicePreempted, "", 0), spec.Sequential)
	thr := asModel(profiletest.GILThreads("python3"), spec.Threads)
	proc := asModel(profiletest.ParallelPair(), spec.Processes)
	proc.Summary.WallS = 1
	Conclude([]*profile.Profile{seq, thr, proc})
	tests := []struct {
		p       *profile.Profile
		speedup float64
		reason  string
		verdict string
	}{
		{seq, 1, profile.ReasonOneThread, "one thread did the work at a time (1.00 cores' worth of CPU)"},
		{thr, 1, profile.ReasonGIL, "GIL-bound (1.00 cores' worth of CPU): 2 CPython threads of pid 10 handed one core to each other 666 times (333 a second), on cores together under 1% of the time, the waiting ones found blocked on a lock in 19 samples; no faster than sequential (1.00x)"},
		{proc, 2, profile.ReasonParallel, "parallel (2.00 cores' worth of CPU): 2 busy threads in 2 processes on 2.00 of 2 cores; 2.00x faster than sequential"},
	}
	for _, tt := range tests {
		s := tt.p.Summary
		if s.Speedup == nil || *s.Speedup != tt.speedup {
			t.Errorf("%s speedup = %v; want %v", tt.p.Label, Factor(s.Speedup), tt.speedup)
		}
		if len(s.Phases) != 1 || len(s.Reasons) == 0 || s.Reasons[0].Name != tt.reason || s.Reasons[0].Phase != 0 {
			t.Errorf("%s: phases %+v, reasons %+v; want one phase, %s first", tt.p.Label, s.Phases, s.Reasons, tt.reason)
		}
		if s.Verdict != tt.verdict {
			t.Errorf("%s verdict =\n%q; want\n%q", tt.p.Label, s.Verdict, tt.verdict)
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

// TestFilesWrittenBeforeTheEvidence reads the files a corescope of before
// the split wrote (see profile's TestFilesWrittenBeforeTheSplit), whose
// runs lack how slices ended, run-queue times, thread states and limits:
// every view shows each run's stored outcome, and concluded again, each
// run keeps its speedup and gets reasons from what it has, never one that
// needs the evidence it lacks, and where nothing decides, what it lacks.
func TestFilesWrittenBeforeTheEvidence(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "profile", "testdata", "main-52b5b8e", "*.corescope.json"))
	if len(files) != 7 {
		t.Fatalf("found %d files written before the split; want 7", len(files))
	}
	needsEvidence := []string{profile.ReasonGIL, profile.ReasonTookTurns, profile.ReasonAffinity, profile.ReasonQuota,
		profile.ReasonSqueezed, profile.ReasonWaiting}
	for _, path := range files {
		ps, err := profile.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		var speedups, outcomes []string
		for _, p := range ps {
			speedups, outcomes = append(speedups, Factor(p.Summary.Speedup)), append(outcomes, Outcome(p))
			if p.Summary.Verdict == "" && !p.Failed() {
				t.Errorf("%s: %s has no stored verdict", filepath.Base(path), p.Label)
			}
		}
		Conclude(ps)
		for i, p := range ps {
			name := filepath.Base(path) + ": " + p.Label
			if Factor(p.Summary.Speedup) != speedups[i] {
				t.Errorf("%s: speedup %s concluded again; the file keeps %s", name, Factor(p.Summary.Speedup), speedups[i])
			}
			if p.Failed() && Outcome(p) != outcomes[i] {
				t.Errorf("%s: outcome %q concluded again; the file keeps %q", name, Outcome(p), outcomes[i])
			}
			for _, r := range p.Summary.Reasons {
				if slices.Contains(needsEvidence, r.Name) {
					t.Errorf("%s: reason %s from a file without its evidence (verdict %q)", name, r.Name, p.Summary.Verdict)
				}
				if r.Name == profile.ReasonUndecided && r.Missing == "" {
					t.Errorf("%s: undecided without saying what is missing", name)
				}
			}
		}
	}
}

// TestConcludedFindingsLoad checks that a concluded run's phases and
// reasons are kept by its file: saved and loaded, it words the same.
func TestConcludedFindingsLoad(t *testing.T) {
	p := profiletest.Phased().Exact()
	Conclude([]*profile.Profile{p})
	var buf bytes.Buffer
	if err := profile.Encode(&buf, []*profile.Profile{p}); err != nil {
		t.Fatal(err)
	}
	ps, err := profile.Decode(&buf)
	if err != nil {
		t.Fatalf("Decode() = %v", err)
	}
	loaded := ps[0]
	if len(loaded.Summary.Phases) != 3 || len(loaded.Summary.Reasons) != len(p.Summary.Reasons) {
		t.Fatalf("loaded %d phases, %d reasons; want 3, %d", len(loaded.Summary.Phases), len(loaded.Summary.Reasons), len(p.Summary.Reasons))
	}
	loaded.Slices, loaded.Frames = nil, nil // the file's findings, not its evidence
	if got, want := Why(loaded), Why(p); got != want {
		t.Errorf("Why of the loaded run =\n%q; want\n%q", got, want)
	}
}
