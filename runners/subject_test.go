package runners

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"corescope/spec"
)

// resolved is spec with its defaults, failing the test if it is not valid.
func resolved(t testing.TB, sp spec.Spec) spec.Spec {
	t.Helper()
	s, err := sp.Resolve()
	if err != nil {
		t.Fatalf("%+v.Resolve() = %v", sp, err)
	}
	return s
}

// defaulted is s with its defaults, valid or not: what Prepare must check.
func defaulted(s spec.Spec) spec.Spec {
	d, _ := s.Resolve()
	return d
}

func TestPrepareMissingCommand(t *testing.T) {
	_, err := Prepare(defaulted(spec.Spec{Backend: spec.BackendCommand, Command: []string{"corescope-no-such-command", "-x"}}), "")
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
	s, err := Prepare(defaulted(spec.Spec{Backend: spec.BackendCommand, Command: []string{"sh", "-c", "exit 0"}}), "")
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
	_, err := Prepare(defaulted(spec.Spec{Workload: spec.CPU, Model: "fibers"}), "/bin/true")
	var fe *spec.FieldError
	if !errors.As(err, &fe) || fe.Field != "model" {
		t.Errorf("Prepare(model fibers) = %v; want a model FieldError", err)
	}
}

func TestPrepareGoStartsSite(t *testing.T) {
	s, err := Prepare(resolved(t, spec.Spec{Workload: spec.IO, Model: spec.Async, Tasks: 3, Latency: spec.Duration(time.Millisecond)}), "/opt/corescope")
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
	want := resolved(t, spec.Spec{Workload: spec.IO, Model: spec.Async, Tasks: 3})
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
	s := resolved(t, spec.Spec{Workload: spec.Mixed, Model: spec.Threads, Tasks: 9, Workers: 3, Size: 0.125, SwitchInterval: spec.Duration(750 * time.Microsecond)})
	cfg, err := parseWorkerArgs(workerArgv(s, "http://127.0.0.1:9"))
	if err != nil {
		t.Fatalf("parseWorkerArgs(workerArgv(%+v)) = %v", s, err)
	}
	if !reflect.DeepEqual(cfg.spec, s) || cfg.url != "http://127.0.0.1:9" {
		t.Errorf("parseWorkerArgs(workerArgv(spec)) = %+v, %q; want %+v", cfg.spec, cfg.url, s)
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
		_, err := Prepare(defaulted(spec.Spec{Backend: spec.BackendCommand, Command: []string{tt.path}}), "")
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.path) {
			t.Errorf("Prepare(%s) = %v; want an error naming it and saying %q", tt.path, err, tt.want)
		}
	}
}
