package runners

import (
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
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

func TestPrepareMissingCommand(t *testing.T) {
	_, err := Prepare(Spec{Backend: BackendCommand, Command: []string{"corescope-no-such-command", "-x"}}.withDefaults(), "")
	if err == nil {
		t.Fatal("Prepare(missing command) = nil error; want one")
	}
	if want := `command: "corescope-no-such-command" not found in PATH`; !strings.Contains(err.Error(), want) {
		t.Errorf("Prepare(missing command) = %q; want it to say %q", err, want)
	}
	if !errors.Is(err, exec.ErrNotFound) {
		t.Errorf("Prepare(missing command) = %v; want it to wrap exec.ErrNotFound", err)
	}
}

func TestPrepareCommand(t *testing.T) {
	s, err := Prepare(Spec{Backend: BackendCommand, Command: []string{"sh", "-c", "exit 0"}}.withDefaults(), "")
	if err != nil {
		t.Fatalf("Prepare(sh) = %v", err)
	}
	defer s.Close()
	path, _ := exec.LookPath("sh")
	if want := []string{path, "-c", "exit 0"}; !reflect.DeepEqual(s.Argv, want) {
		t.Errorf("Prepare(sh).Argv = %q; want %q", s.Argv, want)
	}
}

func TestPrepareRejectsBadSpec(t *testing.T) {
	_, err := Prepare(Spec{Workload: CPU, Model: "fibers"}.withDefaults(), "/bin/true")
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "model" {
		t.Errorf("Prepare(model fibers) = %v; want a model FieldError", err)
	}
}

func TestPrepareGoStartsSite(t *testing.T) {
	s, err := Prepare(resolved(t, Spec{Workload: IO, Model: Async, Tasks: 3, Latency: Duration(time.Millisecond)}), "/opt/corescope")
	if err != nil {
		t.Fatalf("Prepare(io) = %v", err)
	}
	if len(s.Argv) < 2 || s.Argv[0] != "/opt/corescope" || s.Argv[1] != "worker" {
		t.Fatalf("Prepare(io) = %+v; want `/opt/corescope worker ...`", s)
	}
	cfg, err := parseWorkerArgs(s.Argv[2:])
	if err != nil {
		t.Fatalf("parseWorkerArgs(%q) = %v", s.Argv[2:], err)
	}
	want := resolved(t, Spec{Workload: IO, Model: Async, Tasks: 3})
	want.Latency, want.Interval = cfg.spec.Latency, cfg.spec.Interval // not worker flags
	if !reflect.DeepEqual(cfg.spec, want) {
		t.Errorf("the worker reads back %+v; want %+v", cfg.spec, want)
	}
	if cfg.url != s.site.URL {
		t.Errorf("the worker's url = %q; want the site's %q", cfg.url, s.site.URL)
	}
	if _, err := fetchBody(s.site.URL + "/?task=1"); err != nil {
		t.Errorf("the site does not answer: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close() = %v", err)
	}
	if _, err := fetchBody(s.site.URL + "/?task=1"); err == nil {
		t.Error("the site still answers after Close")
	}
}

func TestWorkerArgvRoundTrip(t *testing.T) {
	spec := resolved(t, Spec{Workload: Mixed, Model: Threads, Tasks: 9, Workers: 3, Size: 0.125, SwitchInterval: Duration(750 * time.Microsecond)})
	cfg, err := parseWorkerArgs(workerArgv(spec, "http://127.0.0.1:9"))
	if err != nil {
		t.Fatalf("parseWorkerArgs(workerArgv(%+v)) = %v", spec, err)
	}
	if !reflect.DeepEqual(cfg.spec, spec) || cfg.url != "http://127.0.0.1:9" {
		t.Errorf("parseWorkerArgs(workerArgv(spec)) = %+v, %q; want %+v", cfg.spec, cfg.url, spec)
	}
}

func TestPrepareUnrunnableCommand(t *testing.T) {
	dir := t.TempDir()
	notExec := filepath.Join(dir, "script.sh")
	if err := os.WriteFile(notExec, []byte("echo hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ path, want string }{
		{notExec, "cannot be run: permission denied"},
		{dir, "cannot be run: is a directory"},
		{filepath.Join(dir, "missing"), "cannot be run: stat"},
	}
	for _, tt := range tests {
		_, err := Prepare(Spec{Backend: BackendCommand, Command: []string{tt.path}}.withDefaults(), "")
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.path) {
			t.Errorf("Prepare(%s) = %v; want an error naming it and saying %q", tt.path, err, tt.want)
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
