package runners

import (
	"errors"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"corescope/spec"
)

func TestInputSpecs(t *testing.T) {
	tests := []struct {
		name string
		in   Input
		want []spec.Spec
	}{
		{"empty is the defaults", Input{Models: "sequential"}, []spec.Spec{{Backend: spec.BackendGo, Workload: spec.CPU, Model: spec.Sequential,
			Tasks: spec.DefaultTasks, Workers: 1, Size: spec.DefaultSize, Latency: spec.Duration(spec.DefaultLatency),
			Interval: spec.Duration(spec.DefaultInterval)}}},
		{"every field typed", Input{Backend: "go", Workload: "io", Models: "threads", Tasks: " 7 ", Workers: "3", Size: "0.5",
			Latency: "20ms", SwitchInterval: "1ms", Interval: "50ms"}, []spec.Spec{{Backend: spec.BackendGo, Workload: spec.IO, Model: spec.Threads,
			Tasks: 7, Workers: 3, Size: 0.5, Latency: spec.Duration(20 * time.Millisecond),
			SwitchInterval: spec.Duration(time.Millisecond), Interval: spec.Duration(50 * time.Millisecond)}}},
		{"workers auto", Input{Models: "processes", Workers: "auto"}, []spec.Spec{{Backend: spec.BackendGo, Workload: spec.CPU, Model: spec.Processes,
			Tasks: spec.DefaultTasks, Workers: runtime.NumCPU(), Size: spec.DefaultSize, Latency: spec.Duration(spec.DefaultLatency),
			Interval: spec.Duration(spec.DefaultInterval)}}},
		{"workers 0 is the model's default", Input{Models: "threads", Workers: "0"}, []spec.Spec{{Backend: spec.BackendGo, Workload: spec.CPU,
			Model: spec.Threads, Tasks: spec.DefaultTasks, Workers: spec.DefaultThreadPool, Size: spec.DefaultSize, Latency: spec.Duration(spec.DefaultLatency),
			SwitchInterval: spec.Duration(spec.DefaultSwitch), Interval: spec.Duration(spec.DefaultInterval)}}},
		{"a command line", Input{Backend: "command", CommandLine: `sh -c 'echo "hi there"'`, Interval: "20ms"},
			[]spec.Spec{{Backend: spec.BackendCommand, Command: []string{"sh", "-c", `echo "hi there"`}, Interval: spec.Duration(20 * time.Millisecond)}}},
		{"argv wins over the line", Input{Backend: "command", Argv: []string{"a b"}, CommandLine: "ignored"},
			[]spec.Spec{{Backend: spec.BackendCommand, Command: []string{"a b"}, Interval: spec.Duration(spec.DefaultInterval)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.in.Specs()
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%+v.Specs() = %+v, %v; want %+v, nil", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestInputModels(t *testing.T) {
	tests := []struct {
		models string
		want   []spec.Model
	}{
		{"", spec.Models},
		{"all", spec.Models},
		{"async", []spec.Model{spec.Async}},
		{" goroutines , sequential", []spec.Model{spec.Goroutines, spec.Sequential}},
	}
	for _, tt := range tests {
		specs, err := Input{Models: tt.models}.Specs()
		var got []spec.Model
		for _, s := range specs {
			got = append(got, s.Model)
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("Input{Models: %q}.Specs() models = %v, %v; want %v", tt.models, got, err, tt.want)
		}
	}
}

func TestInputErrors(t *testing.T) {
	tests := []struct {
		in    Input
		field string
		want  string // the whole message
	}{
		{Input{Tasks: "0"}, "tasks", "tasks: 0 is not allowed; use 1..100000"},
		{Input{Tasks: "-3"}, "tasks", "tasks: -3 is not allowed; use 1..100000"},
		{Input{Tasks: "100001"}, "tasks", "tasks: 100001 is not allowed; use 1..100000"},
		{Input{Tasks: "many"}, "tasks", `tasks: "many" is not allowed; give a whole number; use 1..100000`},
		{Input{Workers: "1025"}, "workers", "workers: 1025 is not allowed; use 1..1024 (or 0 for the model's default)"},
		{Input{Workers: "-1"}, "workers", "workers: -1 is not allowed; use 1..1024 (or 0 for the model's default)"},
		{Input{Size: "0"}, "size", "size: 0 is not allowed; use a positive number up to 1000"},
		{Input{Size: "-1"}, "size", "size: -1 is not allowed; use a positive number up to 1000"},
		{Input{Size: "lots"}, "size", `size: "lots" is not allowed; give a number such as 0.5; use a positive number up to 1000`},
		{Input{Size: "1e9"}, "size", "size: 1e+09 is not allowed; use a positive number up to 1000"},
		{Input{Interval: "0"}, "interval", "interval: 0s is not allowed; use 10ms..5s"},
		{Input{Interval: "1ms"}, "interval", "interval: 1ms is not allowed; use 10ms..5s"},
		{Input{Interval: "soon"}, "interval", `interval: "soon" is not allowed; give a duration such as 50ms or 1.5s`},
		{Input{Latency: "2m"}, "latency", "latency: 2m0s is not allowed; use 1ms..1m0s"},
		{Input{SwitchInterval: "10us"}, "switch-interval", "switch-interval: 10µs is not allowed; use 100µs..1s"},
		{Input{Models: "sequential", SwitchInterval: "1ms"}, "switch-interval",
			`switch-interval: "1ms" is not allowed; it applies to the threads model only; ask for it with --model threads (run) or add threads to --models (compare)`},
		{Input{Workload: "disk"}, "workload", `workload: "disk" is not allowed; use one of cpu, io, mixed`},
		{Input{Models: "threads,fibers"}, "model", `model: "fibers" is not allowed; use one of sequential, threads, async, processes, goroutines`},
		{Input{Backend: "rust"}, "backend", `backend: "rust" is not allowed; use go, python or command`},
		{Input{Backend: "command"}, "command", "command: an empty command is not allowed; give the program to run and its arguments"},
		{Input{Backend: "command", CommandLine: "echo 'oops"}, "command", `command: "echo 'oops" is not allowed; a quote is not closed`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			specs, err := tt.in.Specs()
			var fe *spec.FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field || err.Error() != tt.want {
				t.Fatalf("%+v.Specs() = %v, %v; want a %s *FieldError %q", tt.in, specs, err, tt.field, tt.want)
			}
			if p := tt.in.Problem(tt.field); p == nil || p.Error() != tt.want {
				t.Errorf("Problem(%q) = %v; want %q", tt.field, p, tt.want)
			}
		})
	}
}

// TestInputProblemPerField checks that each field's problem is found even
// when an earlier field is bad too, as a form that marks every field needs.
func TestInputProblemPerField(t *testing.T) {
	in := Input{Tasks: "0", Size: "-2", Interval: "1h"}
	for field, want := range map[string]string{"tasks": "use 1..", "size": "positive", "interval": "10ms..5s"} {
		if p := in.Problem(field); p == nil || !strings.Contains(p.Error(), want) {
			t.Errorf("Problem(%q) = %v; want one saying %q", field, p, want)
		}
	}
	if p := in.Problem("workers"); p != nil {
		t.Errorf("Problem(workers) = %v; want nil: that field is fine", p)
	}
}

func TestCommandName(t *testing.T) {
	tests := []struct {
		argv []string
		want string
	}{
		{[]string{"python3", "seq.py"}, "seq.py"},
		{[]string{"/usr/bin/python3", "-X", "importtime", "/tmp/x/pool.py", "--size", "2"}, "pool.py"},
		{[]string{"bash", "run.sh"}, "run.sh"},
		{[]string{"python3", "-m", "http.server"}, "http.server"},
		{[]string{"python3", "-u", "-mjson.tool", "in.json"}, "json.tool"},
		{[]string{"python3", "-c", "print(1)", "x.py"}, "python3"},
		{[]string{"gcc", "-march=native", "main.c"}, "gcc"},
		{[]string{"/bin/true"}, "true"},
		{nil, "command"},
	}
	for _, tt := range tests {
		if got := CommandName(tt.argv); got != tt.want {
			t.Errorf("CommandName(%q) = %q; want %q", tt.argv, got, tt.want)
		}
	}
}

// TestInputModelSettings checks that a spec holds the switch interval only
// for threads and the start method only for Python processes: the other
// models' files said switch_interval "5ms" for a lock they do not have.
func TestInputModelSettings(t *testing.T) {
	specs, err := Input{Models: AllModels, SwitchInterval: "2ms"}.Specs()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range specs {
		want := spec.Duration(0)
		if s.Model == spec.Threads {
			want = spec.Duration(2 * time.Millisecond)
		}
		if s.SwitchInterval != want || s.StartMethod != "" {
			t.Errorf("%s: switch interval %v, start method %q; want %v and none", s.Model, s.SwitchInterval.D(), s.StartMethod, want.D())
		}
	}
}

// TestSpecFromOlderFile resolves a spec as files before it applied to
// threads alone wrote it: a switch interval for every model.
func TestSpecFromOlderFile(t *testing.T) {
	old := spec.Spec{Backend: spec.BackendGo, Workload: spec.CPU, Model: spec.Sequential, Tasks: 4, Workers: 1, Size: 1,
		Latency: spec.Duration(spec.DefaultLatency), SwitchInterval: spec.Duration(spec.DefaultSwitch), Interval: spec.Duration(spec.DefaultInterval)}
	if s, err := old.Resolve(); err != nil || !reflect.DeepEqual(s, old) {
		t.Errorf("Resolve(an older sequential spec) = %+v, %v; want it as it was, nil", s, err)
	}
}
