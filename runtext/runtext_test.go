package runtext

import (
	"strings"
	"testing"
	"time"

	"corescope/levels"
	"corescope/profile"
	"corescope/spec"
)

// spec is a Go spec of workload w run by model m with workers workers.
func modelSpec(w spec.Workload, m spec.Model, workers int) spec.Spec {
	return spec.Spec{Backend: spec.BackendGo, Workload: w, Model: m, Tasks: 20, Workers: workers, Size: 1,
		Latency: spec.Duration(50 * time.Millisecond)}
}

var command = spec.Spec{Backend: spec.BackendCommand, Command: []string{"/usr/bin/python3", "my_script.py"}}

// python is a Python spec of model m with workers workers, as Input makes
// it: a switch interval for threads only, a start method for processes only.
func python(m spec.Model, workers int) spec.Spec {
	s := modelSpec(spec.CPU, m, workers)
	s.Backend, s.Python = spec.BackendPython, "/usr/bin/python3"
	switch m {
	case spec.Threads:
		s.SwitchInterval = spec.Duration(5 * time.Millisecond)
	case spec.Processes:
		s.StartMethod = "spawn"
	}
	return s
}

// failed makes p a run that failed with err and exit code code.
func failed(p *profile.Profile, err string, code int) *profile.Profile {
	p.Error, p.ExitCode = err, code
	return p
}

func TestLabelMarkOutcome(t *testing.T) {
	stopped := "stopped by the user after 0.4 s" // as Record writes it
	tests := []struct {
		name                 string
		p                    *profile.Profile
		label, mark, verdict string
	}{
		{"good run", &profile.Profile{Label: "threads", Spec: modelSpec(spec.CPU, spec.Threads, 5),
			Summary: profile.Summary{Verdict: "GIL-bound"}}, "threads", "threads", "GIL-bound"},
		{"no label: its spec names it", &profile.Profile{Spec: modelSpec(spec.IO, spec.Async, 0)},
			"async", "async", ""},
		{"command without a label", &profile.Profile{Spec: command}, "python3", "python3", ""},
		{"stopped", failed(&profile.Profile{Label: "sequential"}, stopped, -1),
			"sequential", "sequential (stopped)", stopped},
		{"failed with an exit status", failed(&profile.Profile{Label: "python3", Spec: command}, "exit status 2", 2),
			"python3", "python3 (failed)", "failed (exit 2): exit status 2"},
		{"failed before it ran", failed(&profile.Profile{Label: "sleep"}, "cannot start sleep", -1),
			"sleep", "sleep (failed)", "failed: cannot start sleep"},
		{"failed without a label", failed(&profile.Profile{Spec: modelSpec(spec.CPU, spec.Processes, 0)}, "killed", -1),
			"processes", "processes (failed)", "failed: killed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Label(tt.p); got != tt.label {
				t.Errorf("Label() = %q; want %q", got, tt.label)
			}
			if got := Mark(Label(tt.p), tt.p); got != tt.mark {
				t.Errorf("Mark(Label()) = %q; want %q", got, tt.mark)
			}
			if got := Outcome(tt.p); got != tt.verdict {
				t.Errorf("Outcome() = %q; want %q", got, tt.verdict)
			}
		})
	}
}

func TestNames(t *testing.T) {
	tests := []struct {
		name   string
		labels []string
		want   []string
	}{
		{"distinct", []string{"sequential", "threads"}, []string{"sequential", "threads"}},
		{"shared labels are numbered", []string{"cpu", "cpu", "io"}, []string{"cpu #1", "cpu #2", "io"}},
		{"numbered among their label, not by position", []string{"cpu", "io", "io", "cpu"}, []string{"cpu #1", "io #1", "io #2", "cpu #2"}},
		{"no label", []string{"cpu", ""}, []string{"cpu", "run 2"}},
		{"none", nil, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := make([]*profile.Profile, len(tt.labels))
			for i, l := range tt.labels {
				ps[i] = &profile.Profile{Label: l}
			}
			if got := Names(ps); strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("Names(%q) = %q; want %q", tt.labels, got, tt.want)
			}
		})
	}
}

func TestSpecText(t *testing.T) {
	tests := []struct {
		name                  string
		s                     spec.Spec
		spec, workload, model string
	}{
		{"cpu", modelSpec(spec.CPU, spec.Processes, 2),
			"processes, cpu workload, 20 tasks, size 1: 2 workers", "cpu workload, 20 tasks, size 1", "processes, 2 workers"},
		{"io", modelSpec(spec.IO, spec.Threads, 1),
			"threads, io workload, 20 tasks, size 1, latency 50ms: 1 worker",
			"io workload, 20 tasks, size 1, latency 50ms", "threads, 1 worker"},
		{"mixed, the model's default pool", modelSpec(spec.Mixed, spec.Sequential, 0),
			"sequential, mixed workload, 20 tasks, size 1, latency 50ms",
			"mixed workload, 20 tasks, size 1, latency 50ms", "sequential"},
		{"command", command,
			"command: /usr/bin/python3 my_script.py", "command: /usr/bin/python3 my_script.py", "/usr/bin/python3 my_script.py"},
		{"python threads: the switch interval", python(spec.Threads, 5),
			"threads, cpu workload, 20 tasks, size 1: 5 workers, switch interval 5ms", "cpu workload, 20 tasks, size 1",
			"threads, 5 workers, switch 5ms"},
		{"python processes: the start method", python(spec.Processes, 2),
			"processes, cpu workload, 20 tasks, size 1: 2 workers, start method spawn", "cpu workload, 20 tasks, size 1",
			"processes, 2 workers, spawn"},
		{"python async: nothing more", python(spec.Async, 20),
			"async, cpu workload, 20 tasks, size 1: 20 at once", "cpu workload, 20 tasks, size 1", "async, 20 at once"},
		{"sequential: one thread, no pool to name", modelSpec(spec.CPU, spec.Sequential, 1),
			"sequential, cpu workload, 20 tasks, size 1", "cpu workload, 20 tasks, size 1", "sequential"},
		{"go threads: its switch interval is not Python's", func() spec.Spec {
			s := modelSpec(spec.CPU, spec.Threads, 5)
			s.SwitchInterval = spec.Duration(5 * time.Millisecond)
			return s
		}(), "threads, cpu workload, 20 tasks, size 1: 5 workers", "cpu workload, 20 tasks, size 1", "threads, 5 workers"},
		{"a watch of nodes", spec.Spec{Interval: spec.Duration(time.Second)},
			"watch every 1s", "watch every 1s", "watch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Spec(tt.s); got != tt.spec {
				t.Errorf("Spec() = %q; want %q", got, tt.spec)
			}
			if got := Workload(tt.s); got != tt.workload {
				t.Errorf("Workload() = %q; want %q", got, tt.workload)
			}
			if got := Model(tt.s); got != tt.model {
				t.Errorf("Model() = %q; want %q", got, tt.model)
			}
		})
	}
}

// all is every column, in order.
var all = []Column{ColModel, ColWall, ColSpeedup, ColCoresUsed, ColOthers, ColCPU, ColThreads, ColProcs, ColCtxSwitches, ColCost, ColVerdict}

func TestCells(t *testing.T) {
	speedup := 1.8449
	sampled := profile.Summary{WallS: 1.657, CPUS: 3.126, CoresUsed: 1.8866, Speedup: &speedup, Threads: 17, Procs: 3,
		CtxSwitches: 2475, SelfCPUS: 0.0834, SelfCores: 0.0351, Verdict: "parallel: 1.88 of 2 cores busy",
		Attribution: profile.AttributionExact, OthersBusyCores: 0.254}
	unsampled := profile.Summary{WallS: 0.07, CPUS: 0.03, CoresUsed: 0.35, Threads: 0, Procs: 0, CtxSwitches: 247,
		Verdict: "mostly waiting on I/O"}
	tests := []struct {
		name string
		p    *profile.Profile
		want []string
	}{
		{"sampled run", &profile.Profile{Label: "processes", Spec: modelSpec(spec.CPU, spec.Processes, 2), Summary: sampled},
			[]string{"processes, 2 workers", "1.66 s", "1.84x", "1.89", "0.25", "3.13", "17", "3", "2475",
				"3.5% of one core", "parallel: 1.88 of 2 cores busy"}},
		{"no samples, no sequential run", &profile.Profile{Label: "async", Spec: modelSpec(spec.IO, spec.Async, 0), Summary: unsampled},
			[]string{"async", "0.07 s", "-", "0.35", "-", "0.03", "-", "-", "247",
				"0.0% of one core", "mostly waiting on I/O"}},
		{"python threads", &profile.Profile{Label: "threads", Spec: python(spec.Threads, 5), Summary: sampled},
			[]string{"threads, 5 workers, switch 5ms", "1.66 s", "1.84x", "1.89", "0.25", "3.13", "17", "3", "2475",
				"3.5% of one core", "parallel: 1.88 of 2 cores busy"}},
		{"failed command", failed(&profile.Profile{Label: "python3", Spec: command}, "exit status 1", 1),
			[]string{"/usr/bin/python3 my_script.py", "0.00 s", "-", "0.00", "-", "0.00", "-", "-", "0",
				"0.0% of one core", "failed (exit 1): exit status 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Cells(tt.p, all)
			for i, c := range all {
				if i >= len(got) || got[i] != tt.want[i] {
					t.Errorf("Cells()[%s] = %q; want %q", c.Head(), got, tt.want[i])
				}
			}
		})
	}
}

func TestCost(t *testing.T) {
	s := profile.Summary{SelfCPUS: 0.0834, SelfCores: 0.0351}
	if got, want := Cost(s), "3.5% of one core (0.083 CPU s)"; got != want {
		t.Errorf("Cost(%+v) = %q; want %q", s, got, want)
	}
}

func TestHeads(t *testing.T) {
	want := "model|wall|speedup|cores used|others|CPU s|threads|procs|ctx sw|corescope's cost|verdict"
	if got := strings.Join(Heads(all), "|"); got != want {
		t.Errorf("Heads(every column) = %q; want %q", got, want)
	}
	for _, c := range all {
		if text := c == ColModel || c == ColVerdict; c.Number() == text {
			t.Errorf("%q.Number() = %v; want %v", c.Head(), c.Number(), !text)
		}
	}
}

func TestModelHead(t *testing.T) {
	cmd := &profile.Profile{Spec: command}
	model := &profile.Profile{Spec: modelSpec(spec.CPU, spec.Threads, 5)}
	tests := []struct {
		name string
		ps   []*profile.Profile
		want string
	}{
		{"every run a command", []*profile.Profile{cmd, cmd}, "command"},
		{"models", []*profile.Profile{model}, "model"},
		{"commands beside a model", []*profile.Profile{cmd, model}, "model"},
		{"no runs", nil, "model"},
	}
	for _, tt := range tests {
		if got := ModelHead(tt.ps); got != tt.want {
			t.Errorf("%s: ModelHead() = %q; want %q", tt.name, got, tt.want)
		}
	}
}

func TestPythons(t *testing.T) {
	run := func(s spec.Spec, label string) *profile.Profile {
		return &profile.Profile{Spec: s, Machine: profile.Machine{Python: label}}
	}
	gil, free := run(python(spec.Threads, 5), "CPython 3.11.2"), run(python(spec.Async, 5), "CPython 3.13.1, no GIL")
	free.Spec.Python = "/opt/py/bin/python3.13t"
	script := run(command, "CPython 3.11.2")
	tests := []struct {
		name string
		ps   []*profile.Profile
		want string
	}{
		{"one interpreter, twice", []*profile.Profile{gil, gil}, "CPython 3.11.2 (/usr/bin/python3)"},
		{"two", []*profile.Profile{gil, free}, "CPython 3.11.2 (/usr/bin/python3) and CPython 3.13.1, no GIL (/opt/py/bin/python3.13t)"},
		{"a command's python has no path of its own", []*profile.Profile{script}, "CPython 3.11.2"},
		{"no python", []*profile.Profile{{Spec: modelSpec(spec.CPU, spec.Threads, 5)}}, ""},
	}
	for _, tt := range tests {
		if got := Pythons(tt.ps); got != tt.want {
			t.Errorf("%s: Pythons() = %q; want %q", tt.name, got, tt.want)
		}
	}
}

func TestMaxRSSAndDropped(t *testing.T) {
	tests := []struct {
		name         string
		p            *profile.Profile
		rss, dropped string
	}{
		{"sampled", &profile.Profile{Summary: profile.Summary{Procs: 1, MaxRSS: 12 << 20}, Slices: make([]profile.Slice, 3)}, "12.0 MiB", ""},
		{"no sample saw the subject", &profile.Profile{Summary: profile.Summary{WallS: 0.02}}, "-", ""},
		{"oldest slices dropped", &profile.Profile{Summary: profile.Summary{Procs: 6, MaxRSS: 1 << 30},
			Slices: make([]profile.Slice, profile.MaxSlices), SlicesDropped: 1234}, "1024.0 MiB", "250,000 slices kept, 1,234 older dropped"},
		{"a million dropped", &profile.Profile{Summary: profile.Summary{Procs: 1}, Slices: make([]profile.Slice, 999),
			SlicesDropped: 1_234_567}, "0.0 MiB", "999 slices kept, 1,234,567 older dropped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaxRSS(tt.p.Summary); got != tt.rss {
				t.Errorf("MaxRSS() = %q; want %q", got, tt.rss)
			}
			if got := Dropped(tt.p); got != tt.dropped {
				t.Errorf("Dropped() = %q; want %q", got, tt.dropped)
			}
		})
	}
}

func TestAttribution(t *testing.T) {
	frames := func(subject levels.Row) []profile.Frame {
		return []profile.Frame{{T: 0.1, Busy: levels.Row{levels.Steps, levels.Steps}, SubjectBusy: subject}}
	}
	run := func(fs []profile.Frame, attribution, note string) *profile.Profile {
		return &profile.Profile{Frames: fs, Summary: profile.Summary{Attribution: attribution, AttributionNote: note}}
	}
	note := "perf_event_paranoid is 3; sudo sysctl kernel.perf_event_paranoid=2 makes it exact"
	tests := []struct {
		name     string
		p        *profile.Profile
		measured bool
		want     string
	}{
		{"exact", run(frames(levels.Row{levels.Steps, 0}), profile.AttributionExact, ""), true, ""},
		{"approximate", run(frames(levels.Row{levels.Steps, 0}), profile.AttributionApproximate, note), true,
			"approximate: each thread's CPU put on the core it last ran on. " + note},
		{"approximate without a note", run(frames(levels.Row{levels.Steps, 0}), profile.AttributionApproximate, ""), true,
			"approximate: each thread's CPU put on the core it last ran on"},
		{"an older file", run(frames(nil), "", ""), false,
			"whole machine: this file holds no per-core load of the subject, so every program's load is drawn"},
		{"no samples", run(nil, profile.AttributionApproximate, note), false, ""},
		{"a watch of nodes: no subject", &profile.Profile{Frames: frames(nil), Nodes: []profile.Node{{Name: "a:9100", Cores: 2}}}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SubjectMeasured(tt.p); got != tt.measured {
				t.Errorf("SubjectMeasured() = %v; want %v", got, tt.measured)
			}
			if got := Attribution(tt.p); got != tt.want {
				t.Errorf("Attribution() = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestWhat(t *testing.T) {
	every := spec.Spec{Interval: spec.Duration(time.Second)}
	tests := []struct {
		name string
		p    *profile.Profile
		want string
	}{
		{"a run", &profile.Profile{Spec: modelSpec(spec.CPU, spec.Threads, 2)}, "cpu workload, 20 tasks, size 1"},
		{"a watch", &profile.Profile{Spec: every, Nodes: []profile.Node{{Name: "a:9100", URL: "http://a:9100/metrics"}, {Name: "b:9100", URL: "http://b:9100/metrics"}}},
			"a watch of 2 node_exporters every 1s"},
		{"a watch of one", &profile.Profile{Spec: every, Nodes: []profile.Node{{Name: "a:9100", URL: "http://a:9100/metrics"}}},
			"a watch of 1 node_exporter every 1s"},
		{"Prometheus' history", &profile.Profile{Spec: every, Nodes: []profile.Node{{Name: "a:9100"}, {Name: "b:9100"}}},
			"Prometheus' history of 2 nodes at 1s steps"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := What(tt.p); got != tt.want {
				t.Errorf("What() = %q; want %q", got, tt.want)
			}
		})
	}
}

// TestNamesFallBackToTheSpec checks that a run without a label of its own
// (a file written by hand) is named by its spec, as Label names it, so the
// table, the CSV and the trace call it the same.
func TestNamesFallBackToTheSpec(t *testing.T) {
	ps := []*profile.Profile{{Spec: modelSpec(spec.CPU, spec.Threads, 5)}, {Spec: modelSpec(spec.CPU, spec.Threads, 5)}}
	if got := Names(ps); len(got) != 2 || got[0] != Label(ps[0])+" #1" || got[1] != Label(ps[1])+" #2" || Label(ps[0]) == "" {
		t.Errorf("Names of two unlabelled threads runs = %q; want their spec's label %q, numbered", got, Label(ps[0]))
	}
}

// TestCount words counts as every view writes them: the report's own
// plural wrote "1,024 threads" but "processs", runtext's "processes" but
// "1024 threads"; now both read the same.
func TestCount(t *testing.T) {
	for _, tt := range []struct {
		n     int
		thing string
		want  string
	}{
		{1, "process", "1 process"}, {2, "process", "2 processes"}, {0, "thread", "0 threads"},
		{1024, "thread", "1,024 threads"}, {250000, "slice", "250,000 slices"}, {-1200, "tick", "-1,200 ticks"},
	} {
		if got := Count(tt.n, tt.thing); got != tt.want {
			t.Errorf("Count(%d, %q) = %q; want %q", tt.n, tt.thing, got, tt.want)
		}
	}
}

func TestCapitalized(t *testing.T) {
	for in, want := range map[string]string{"": "", "one thread": "One thread", "élan": "Élan", "GIL-bound": "GIL-bound"} {
		if got := Capitalized(in); got != want {
			t.Errorf("Capitalized(%q) = %q; want %q", in, got, want)
		}
	}
}
