package profile

import (
	"encoding/json"
	"strings"
	"testing"

	"corescope/spec"
)

func run(m spec.Model, wall, cores float64) *Profile {
	return &Profile{
		Label:   string(m),
		Spec:    spec.Spec{Backend: spec.BackendGo, Workload: spec.CPU, Model: m, Tasks: 20, Size: 1},
		Machine: Machine{LogicalCores: 2},
		Summary: Summary{WallS: wall, CPUS: wall * cores, CoresUsed: cores},
	}
}

func TestSpeedupsAndVerdicts(t *testing.T) {
	seq := run(spec.Sequential, 3, 1)
	thr := run(spec.Threads, 3.1, 1.01)
	proc := run(spec.Processes, 1.5, 1.94)
	io := run(spec.Async, 0.2, 0.05)
	io.Spec.Workload = spec.IO // no sequential I/O run: no speedup
	starved := run(spec.Async, 4, 0.3)
	starved.Summary.MachineBusyCores = 2
	mixed := run(spec.Processes, 1.3, 0.65)
	mixed.Spec.Workload = spec.Mixed
	Speedups([]*Profile{seq, thr, proc, io, starved, mixed})
	tests := []struct {
		p       *Profile
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
	seq := run(spec.Sequential, 3, 1)
	bad := run(spec.Processes, 1, 2)
	bad.Error = "the subject exited with code 1"
	Speedups([]*Profile{seq, bad})
	if bad.Summary.Speedup != nil || !strings.HasPrefix(bad.Summary.Verdict, "failed") {
		t.Errorf("failed run: speedup %v, verdict %q; want none and a failure", bad.Summary.Speedup, bad.Summary.Verdict)
	}
}

// TestStartupOnlyWithTasks checks that a subject that reported no tasks
// has no startup_s in its file: 0 there would read as "started at once".
func TestStartupOnlyWithTasks(t *testing.T) {
	b, err := json.Marshal(Summary{WallS: 1})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "startup_s") {
		t.Errorf("summary without tasks = %s; want no startup_s", b)
	}
	if b, _ := json.Marshal(Summary{WallS: 1, TasksEndS: 0.9, StartupS: 0.2}); !strings.Contains(string(b), `"startup_s":0.2`) {
		t.Errorf("summary with tasks = %s; want startup_s 0.2", b)
	}
}

// TestProcessNote words what became of processes that left the subject's
// group, and the process limit, in the verdict of a run that succeeded and
// in the error of one that failed, never in both.
func TestProcessNote(t *testing.T) {
	s := Summary{
		Escaped: []EscapedProcess{
			{PID: 10, Command: "sleep 600", Ended: true},
			{PID: 11, Command: "/usr/bin/passwd", Why: "cannot kill it: operation not permitted"},
			{PID: 12, Command: "sleep 60", Ended: true},
		},
		ProcessLimit: &ProcessLimit{Ulimit: 120, Limit: 86, Peak: 88},
	}
	want := "ended 2 processes that had left the subject's process group: sleep 600 (pid 10), sleep 60 (pid 12); " +
		"could not end 1 process that had left the subject's process group: /usr/bin/passwd (pid 11: cannot kill it: operation not permitted); " +
		"the subject reached the process limit: 88 processes and threads of its user counted at once, against its limit of 86 (ulimit -u 120, less 34 kept for corescope's own threads)"
	if got := ProcessNote(s); got != want {
		t.Errorf("processNote =\n%s\nwant\n%s", got, want)
	}
	if got := ProcessNote(Summary{}); got != "" {
		t.Errorf("processNote of a run whose processes all stayed = %q; want nothing", got)
	}
	ok := run(spec.Processes, 1, 2)
	ok.Summary.Escaped = s.Escaped[:1]
	if v := Verdict(ok); !strings.HasSuffix(v, "; ended 1 process that had left the subject's process group: sleep 600 (pid 10)") {
		t.Errorf("verdict of a run that succeeded = %q; want the ended process after the figures", v)
	}
	failed := run(spec.Processes, 1, 2)
	failed.Summary.Escaped, failed.Error = s.Escaped[:1], "stopped by the user after 1.0 s; ended 1 process ..."
	if v := Verdict(failed); strings.Count(v, "ended 1 process") != 1 {
		t.Errorf("verdict of a failed run = %q; want the note once, from its error", v)
	}
}
