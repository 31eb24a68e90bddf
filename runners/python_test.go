//go:build linux

package runners

import (
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"corescope/spec"
)

// testPython is the interpreter the Python tests run: Debian's, not the
// pyenv shim in PATH, which starts bash before Python.
func testPython(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/python3", "/usr/local/bin/python3"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skip("no python3 in /usr/bin or /usr/local/bin")
	return ""
}

// pySpec is a Python backend spec on testPython.
func pySpec(t *testing.T, s spec.Spec) spec.Spec {
	s.Backend, s.Python = spec.BackendPython, testPython(t)
	return resolved(t, s)
}

// goChecksum is what the Go kernel computes for tasks 0..tasks-1 of the cpu
// workload at the Python kernel's iterations for size.
func goChecksum(tasks int, size float64) string {
	return fmt.Sprintf("%016x", sumOf(tasks, int64(pythonItersFor(size))))
}

func TestPythonModelsAgreeWithGoKernel(t *testing.T) {
	want := goChecksum(6, 0.02)
	for _, m := range spec.PythonModels {
		t.Run(string(m), func(t *testing.T) {
			r := runSubject(t, pySpec(t, spec.Spec{Workload: spec.CPU, Model: m, Tasks: 6, Size: 0.02}))
			if r.stats.Checksum != want {
				t.Errorf("python %s checksum = %s; want the Go kernel's %s", m, r.stats.Checksum, want)
			}
		})
	}
}

// TestPythonIOChecksumMatchesGo checks the io and mixed checksums of both
// backends against the site's answers, worked out here: io sums each task's
// digest of its answer; mixed adds the kernel seeded by it, at each kernel's
// own iterations (Python's are fewer, so the two mixed checksums differ).
func TestPythonIOChecksumMatchesGo(t *testing.T) {
	const tasks, size = 3, 0.01
	for _, w := range []spec.Workload{spec.IO, spec.Mixed} {
		goIters, pyIters := int64(0), int64(0)
		if w == spec.Mixed {
			goIters, pyIters = itersFor(size/2), int64(pythonItersFor(size/2))
		}
		s := spec.Spec{Workload: w, Model: spec.Sequential, Tasks: tasks, Size: size, Latency: spec.Duration(time.Millisecond)}
		goRun := runSubject(t, resolved(t, s))
		s.Model = spec.Async
		pyRun := runSubject(t, pySpec(t, s))
		if want := siteChecksum(tasks, goIters); goRun.stats.Checksum != want {
			t.Errorf("%s: Go checksum %s; want %s from the site's answers", w, goRun.stats.Checksum, want)
		}
		if want := siteChecksum(tasks, pyIters); pyRun.stats.Checksum != want {
			t.Errorf("%s: python checksum %s; want %s from the site's answers", w, pyRun.stats.Checksum, want)
		}
	}
}

// siteChecksum is the checksum of tasks tasks that each digest the site's
// answer (see work.fetch) and then run iters of the kernel seeded by it.
func siteChecksum(tasks int, iters int64) string {
	body := siteBody(DefaultBodyBytes)
	var sum uint64
	for task := range tasks {
		cut := int(splitmix(uint64(task)) % uint64(len(body)))
		h := fnv.New64a()
		h.Write(body[cut:])
		h.Write(body[:cut])
		digest := h.Sum64() + uint64(len(body))<<32
		w := work{iters: iters}
		sum += w.compute(task, digest, nil)
	}
	return fmt.Sprintf("%016x", sum)
}

func TestPythonCPUModels(t *testing.T) {
	if testing.Short() {
		t.Skip("measures cores used")
	}
	for _, tt := range pythonCPUCases {
		t.Run(string(tt.model), func(t *testing.T) {
			if tt.minCores > 1 && !twoCores() {
				t.Skip("needs 2 cores")
			}
			s := pySpec(t, pythonCPUSpec(tt.model))
			r, ok := runUntil(t, s, 3, func(r observed) bool { return coresAtThatLoad(r, tt.minCores, tt.maxCores) })
			if !ok {
				t.Errorf("%s: %.2f cores used in %v with %.2f threads runnable, other programs %.2f cores; want %s",
					tt.model, r.cores(), r.wall, r.load.Runnable, r.load.Others(r.cores()), coresWanted(tt.minCores, tt.maxCores))
			}
			if want := goChecksum(s.Tasks, s.Size); r.stats.Checksum != want {
				t.Errorf("%s checksum %s; want the Go kernel's %s", tt.model, r.stats.Checksum, want)
			}
			if tt.model == spec.Threads && (r.stats.GILWaitNs < r.wall.Nanoseconds() || r.stats.GILHoldNs == 0) {
				t.Errorf("threads: GIL held %v, waited %v over %v; want waits of at least the wall time",
					time.Duration(r.stats.GILHoldNs), time.Duration(r.stats.GILWaitNs), r.wall)
			}
		})
	}
}

var pythonCPUCases = []cpuCase{
	{spec.Sequential, 0, 1.1},
	{spec.Threads, 0, 1.25},
	{spec.Async, 0, 1.25},
	{spec.Processes, 1.6, 99},
}

// pythonCPUSpec is the Python models' CPU-bound run.
func pythonCPUSpec(m spec.Model) spec.Spec {
	return spec.Spec{Workload: spec.CPU, Model: m, Size: 0.3}
}

func twoCores() bool { return runtime.NumCPU() >= 2 }

// TestPythonIOModels: 40 requests, as in TestIOModels.
func TestPythonIOModels(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 40 requests under each model")
	}
	for _, tt := range pythonIOCases {
		t.Run(tt.name(), func(t *testing.T) {
			tt.check(t, runSubject(t, pySpec(t, tt.spec())))
		})
	}
}

// pythonIOCases are the Python models' runs of TestIOModels' requests.
var pythonIOCases = []ioModelCase{
	{spec.Sequential, 0, 2 * time.Second, 1, 1, time.Hour},
	{spec.Threads, 0, 350 * time.Millisecond, 2, 5, time.Second}, // a pool of 5 by default
	{spec.Async, 0, 50 * time.Millisecond, 40, 40, 500 * time.Millisecond},
}

func TestPythonSwitchIntervalOnlyForThreads(t *testing.T) {
	py := testPython(t)
	_, err := Input{Backend: "python", Pythons: []string{py}, Models: "processes", SwitchInterval: "1ms"}.Specs()
	if err == nil || !strings.HasPrefix(err.Error(), "switch-interval:") {
		t.Errorf("switch interval for processes: %v; want a switch-interval error", err)
	}
	specs, err := Input{Backend: "python", Pythons: []string{py}, Models: "threads", SwitchInterval: "1ms"}.Specs()
	if err != nil {
		t.Fatal(err)
	}
	argv := strings.Join(pythonArgv(specs[0], "/d", ""), " ")
	if !strings.Contains(argv, "--switch-interval 0.001") {
		t.Errorf("threads argv %q; want --switch-interval 0.001", argv)
	}
	specs, err = Input{Backend: "python", Pythons: []string{py}, Models: "all", StartMethod: "spawn"}.Specs()
	if err != nil || len(specs) != len(spec.PythonModels) || specs[3].StartMethod != "spawn" || specs[0].StartMethod != "" {
		t.Errorf("python, every model, spawn: %+v, %v; want the four Python models, processes with spawn", specs, err)
	}
}

// standIn writes an executable script that answers corescope's question as
// an interpreter would, and counts how often it was asked in a file beside it.
func standIn(t *testing.T, answer string) (path, count string) {
	dir := t.TempDir()
	path, count = filepath.Join(dir, "python3.13t"), filepath.Join(dir, "asked")
	script := fmt.Sprintf("#!/bin/sh\necho x >> %s\necho '%s'\n", count, answer)
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path, count
}

func asked(t *testing.T, count string) int {
	b, _ := os.ReadFile(count)
	return strings.Count(string(b), "x")
}

func TestFindPythonFreeThreaded(t *testing.T) {
	path, count := standIn(t, `{"version": "3.13.1", "implementation": "cpython", "gil": false, "ok": true}`)
	for range 3 {
		py, err := FindPython(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := py.Label(), "CPython 3.13.1, no GIL"; got != want || py.Path != path {
			t.Errorf("FindPython(stand-in) = %q at %s; want %q at %s", got, py.Path, want, path)
		}
	}
	if n := asked(t, count); n != 1 {
		t.Errorf("the interpreter was asked %d times; want once", n)
	}
	later := time.Now().Add(time.Minute)
	os.Chtimes(path, later, later) // a new interpreter at the same path
	FindPython(context.Background(), path)
	if n := asked(t, count); n != 2 {
		t.Errorf("after a change the interpreter was asked %d times in all; want twice", n)
	}
}

func TestFindPythonRefuses(t *testing.T) {
	tooOld, _ := standIn(t, `{"version": "3.6.9", "implementation": "cpython", "gil": true, "ok": false}`)
	notPython, _ := standIn(t, `hello`)
	tests := []struct{ path, want string }{
		{filepath.Join(t.TempDir(), "python3"), "cannot be run"},
		{"no-such-python-here", `"no-such-python-here" not found in PATH`},
		{tooOld, "the models need 3.8 or later"},
		{notPython, "is not a Python interpreter"},
		{"/bin/false", "does not work as Python"},
	}
	for _, tt := range tests {
		_, err := FindPython(context.Background(), tt.path)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("FindPython(%s) = %v; want an error saying %q", tt.path, err, tt.want)
		}
	}
	_, err := Input{Backend: "python", Pythons: []string{"/nowhere/python3"}}.Specs()
	if err == nil || !strings.HasPrefix(err.Error(), `python: "/nowhere/python3" is not allowed`) || !strings.Contains(err.Error(), "--python") {
		t.Errorf("a missing interpreter: %v; want a python error naming --python", err)
	}
}

func TestPythonScriptsRunByHand(t *testing.T) {
	py := testPython(t)
	dir, err := pythonDir()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, filepath.Join(dir, "threads.py"), "--tasks", "3", "--iters", "1000").Output()
	if err != nil {
		t.Fatalf("threads.py by hand: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	ev, ok := spec.ParseEvent([]byte(lines[len(lines)-1]))
	if !ok || ev.Ev != spec.EvStats || ev.Checksum != fmt.Sprintf("%016x", sumOf(3, 1000)) {
		t.Errorf("threads.py by hand ended with %q; want stats with the Go kernel's checksum", lines[len(lines)-1])
	}
	for _, m := range spec.PythonModels {
		if name, code, ok := PythonScript(m); !ok || !strings.Contains(string(code), "import workload") {
			t.Errorf("PythonScript(%s) = %s, %d bytes; want the model's script", m, name, len(code))
		}
	}
}

func sumOf(tasks int, iters int64) uint64 {
	var sum uint64
	for task := range tasks {
		sum += compute(taskSeed(task), iters, nil)
	}
	return sum
}

func TestGILThreads(t *testing.T) {
	line := []byte(`{"ev":"stats","pid":1,"t_ns":2,"checksum":"00","tasks":2,"gil_hold_ns":5,"gil_wait_ns":7,` +
		`"gil_threads":[{"tid":11,"hold_ns":2,"wait_ns":3},{"tid":12,"hold_ns":3,"wait_ns":4}]}`)
	got := spec.GILThreads(line)
	if len(got) != 2 || got[1] != (spec.ThreadGIL{TID: 12, HoldNs: 3, WaitNs: 4}) {
		t.Errorf("GILThreads = %+v; want both threads' figures", got)
	}
	if ev, ok := spec.ParseEvent(line); !ok || ev.GILWaitNs != 7 {
		t.Errorf("ParseEvent of a stats line with gil_threads = %+v, %v; want the totals", ev, ok)
	}
	if got := spec.GILThreads([]byte(`{"ev":"stats","checksum":"00"}`)); got != nil {
		t.Errorf("GILThreads of a line without them = %+v; want nil", got)
	}
}

// TestKnownPythonRunsNothing checks that KnownPython answers from what
// FindPython learnt, and runs nothing itself: a window asks it on every
// keystroke.
func TestKnownPythonRunsNothing(t *testing.T) {
	path, count := standIn(t, `{"version": "3.12.0", "implementation": "cpython", "gil": true, "ok": true}`)
	if _, _, known := KnownPython(path); known {
		t.Fatal("KnownPython(a new interpreter) says it is known; want it asked first")
	}
	if _, err, known := KnownPython(filepath.Join(t.TempDir(), "none")); !known || err == nil {
		t.Errorf("KnownPython(a missing file) = %v, known %v; want the error at once", err, known)
	}
	FindPython(context.Background(), path)
	if py, err, known := KnownPython(path); !known || err != nil || py.Version != "3.12.0" {
		t.Errorf("KnownPython after FindPython = %+v, %v, %v; want 3.12.0, known", py, err, known)
	}
	if n := asked(t, count); n != 1 {
		t.Errorf("the interpreter was run %d times; want once, by FindPython", n)
	}
}

// TestCappedBuffer checks that what a program prints in answer is bounded.
func TestCappedBuffer(t *testing.T) {
	c := &cappedBuffer{max: 8}
	if n, err := c.Write([]byte("12345")); n != 5 || err != nil {
		t.Errorf("Write(5 bytes) = %d, %v; want 5, nil", n, err)
	}
	if _, err := c.Write([]byte("6789")); err == nil || c.String() != "12345" {
		t.Errorf("Write past the cap = %v, kept %q; want an error and the first 5 bytes", err, c.String())
	}
}
