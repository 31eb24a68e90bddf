package spec

import (
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	valid := resolved(t, Spec{Workload: CPU, Model: Threads})
	tests := []struct {
		name   string
		change func(*Spec)
		field  string
		want   string // in the message
	}{
		{"tasks 0", func(s *Spec) { s.Tasks = 0 }, "tasks", "1..100000"},
		{"tasks -1", func(s *Spec) { s.Tasks = -1 }, "tasks", "1..100000"},
		{"tasks 100001", func(s *Spec) { s.Tasks = 100001 }, "tasks", "1..100000"},
		{"workers 1025", func(s *Spec) { s.Workers = 1025 }, "workers", "1..1024"},
		{"size 0", func(s *Spec) { s.Size = 0 }, "size", "positive"},
		{"size -1", func(s *Spec) { s.Size = -1 }, "size", "positive"},
		{"size NaN", func(s *Spec) { s.Size = math.NaN() }, "size", "positive"},
		{"unknown model", func(s *Spec) { s.Model = "fibers" }, "model", "sequential, threads, async, processes, goroutines"},
		{"unknown workload", func(s *Spec) { s.Workload = "disk" }, "workload", "cpu, io, mixed"},
		{"interval 5ms", func(s *Spec) { s.Interval = Duration(5 * time.Millisecond) }, "interval", "10ms..5s"},
		{"interval 6s", func(s *Spec) { s.Interval = Duration(6 * time.Second) }, "interval", "10ms..5s"},
		{"empty command", func(s *Spec) { s.Backend, s.Command = BackendCommand, nil }, "command", "program"},
		{"blank command", func(s *Spec) { s.Backend, s.Command = BackendCommand, []string{""} }, "command", "program"},
		{"python without an interpreter", func(s *Spec) { s.Backend = BackendPython }, "python", "interpreter"},
		{"python goroutines", func(s *Spec) { s.Backend, s.Python, s.Model = BackendPython, "python3", Goroutines }, "model", "no goroutines"},
		{"python processes, no start method", func(s *Spec) { s.Backend, s.Python, s.Model = BackendPython, "python3", Processes }, "start-method", "fork, spawn, forkserver"},
		{"start method on threads", func(s *Spec) { s.Backend, s.Python, s.StartMethod = BackendPython, "python3", "fork" }, "start-method", "processes model only"},
		{"start method on go", func(s *Spec) { s.StartMethod = "spawn" }, "start-method", "processes model only"},
		{"a sweep without a name", func(s *Spec) { s.Scale = Scale{Workers: 2} }, "scale.sweep", "name the sweep"},
		{"a sweep's 0 workers", func(s *Spec) { s.Scale = Scale{Sweep: "s", Workers: 0} }, "scale.workers", "1..1024"},
		{"a command's sweep of 2000 workers", func(s *Spec) {
			s.Backend, s.Command, s.Scale = BackendCommand, []string{"true"}, Scale{Sweep: "s", Workers: 2000}
		}, "scale.workers", "1..1024"},
		{"environment without a name", func(s *Spec) { s.Env = []string{"=4"} }, "env", "NAME=value"},
		{"environment without a value", func(s *Spec) { s.Env = []string{"WORKERS"} }, "env", "NAME=value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := valid
			tt.change(&s)
			err := s.Validate()
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Validate() = %v; want a *FieldError for %s", err, tt.field)
			}
			if fe.Field != tt.field {
				t.Errorf("Validate().Field = %q; want %q", fe.Field, tt.field)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %q; want it to mention %q", err, tt.want)
			}
		})
	}
}

// resolved is spec with its defaults, failing the test if it is not valid.
func resolved(t testing.TB, spec Spec) Spec {
	t.Helper()
	s, err := spec.Resolve()
	if err != nil {
		t.Fatalf("%+v.Resolve() = %v", spec, err)
	}
	return s
}

func TestResolveWorkers(t *testing.T) {
	tests := []struct {
		spec Spec
		want int
	}{
		{Spec{Workload: CPU, Model: Sequential}, 1},
		{Spec{Workload: CPU, Model: Threads}, DefaultThreadPool},
		{Spec{Workload: CPU, Model: Goroutines}, runtime.NumCPU()},
		{Spec{Workload: CPU, Model: Processes}, runtime.NumCPU()},
		{Spec{Workload: IO, Model: Goroutines, Tasks: 40}, 40},
		{Spec{Workload: Mixed, Model: Goroutines, Tasks: 7}, 7},
		{Spec{Workload: IO, Model: Async, Tasks: 5000}, MaxWorkers},
		{Spec{Workload: IO, Model: Goroutines, Tasks: 5000}, MaxWorkers},
		{Spec{Workload: IO, Model: Threads, Workers: 3}, 3},
	}
	for _, tt := range tests {
		s, err := tt.spec.Resolve()
		if s.Workers != tt.want || err != nil {
			t.Errorf("%+v.Resolve() = workers %d, %v; want %d, nil", tt.spec, s.Workers, err, tt.want)
		}
	}
}

func TestProblems(t *testing.T) {
	var none Problems
	if none.First() != nil || none.Of("tasks") != nil {
		t.Errorf("no problems: First %v, Of %v; want nil errors (not typed nils)", none.First(), none.Of("tasks"))
	}
	ps := Problems{{Field: "tasks", Value: "0", Allowed: "use 1..100000"}, {Field: "size", Value: "-1", Allowed: "use more than 0"}}
	if ps.First() != ps[0] || ps.Of("size") != ps[1] || ps.Of("workers") != nil {
		t.Errorf("First %v, Of(size) %v, Of(workers) %v; want tasks's, size's, nil", ps.First(), ps.Of("size"), ps.Of("workers"))
	}
}
