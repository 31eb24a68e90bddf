//go:build linux

package runners

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"corescope/spec"
)

// observed is what a subject did, seen from outside: its wall and CPU time (its
// own and that of its waited-for children) and its events.
type observed struct {
	wall   time.Duration
	cpu    time.Duration
	events []spec.Event
	stats  spec.Event
}

// cores is the CPU the run used per second of wall time.
func (r observed) cores() float64 { return r.cpu.Seconds() / r.wall.Seconds() }

// runSubject prepares spec with the test binary as corescope, runs it and
// parses its events. The run must succeed and end with a stats event.
func runSubject(t *testing.T, sp spec.Spec) observed {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	sp = resolved(t, sp)
	s, err := Prepare(sp, self)
	if err != nil {
		t.Fatalf("Prepare(%+v) = %v", sp, err)
	}
	defer s.Close()
	cmd := exec.Command(s.Argv[0], s.Argv[1:]...)
	// Under -race, a Go program sleeps a second at exit unless told not to.
	cmd.Env = append(append(os.Environ(), s.Env...), "GORACE=atexit_sleep_ms=0")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err = cmd.Run()
	r := observed{wall: time.Since(start)}
	if err != nil {
		t.Fatalf("%q: %v; stderr: %s", s.Argv, err, stderr.String())
	}
	r.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		ev, ok := spec.ParseEvent(sc.Bytes())
		if !ok {
			t.Fatalf("%q wrote %q; want only events", s.Argv, sc.Text())
		}
		if ev.Ev == spec.EvStats {
			r.stats = ev
			continue
		}
		r.events = append(r.events, ev)
	}
	if r.stats.Ev != spec.EvStats || r.stats.Checksum == "" || r.stats.Tasks != sp.Tasks {
		t.Fatalf("%q ended with %+v; want stats with a checksum and the task count", s.Argv, r.stats)
	}
	checkTaskEvents(t, r.events, r.stats.Tasks)
	t.Logf("%s/%s: wall %v, cpu %v, cores %.2f", sp.Workload, sp.Model, r.wall.Round(time.Millisecond), r.cpu.Round(time.Millisecond), r.cores())
	return r
}

// runUntil runs spec up to attempts times until ok accepts a run, and
// returns the last run and whether it was accepted. Other programs on a busy
// machine can slow one run down; a model that is wrong fails every attempt.
func runUntil(t *testing.T, s spec.Spec, attempts int, ok func(observed) bool) (observed, bool) {
	t.Helper()
	var r observed
	for i := 0; i < attempts; i++ {
		if r = runSubject(t, s); ok(r) {
			return r, true
		}
	}
	return r, false
}

// checkTaskEvents checks that every task started once and ended once, after
// it started, on the same thread.
func checkTaskEvents(t *testing.T, events []spec.Event, tasks int) {
	t.Helper()
	starts := make(map[int]spec.Event)
	ended := 0
	for _, ev := range events {
		switch ev.Ev {
		case spec.EvTaskStart:
			if _, dup := starts[ev.Task]; dup {
				t.Errorf("task %d started twice", ev.Task)
			}
			starts[ev.Task] = ev
		case spec.EvTaskEnd:
			s, ok := starts[ev.Task]
			if !ok || ev.TNs < s.TNs || ev.PID != s.PID || ev.Worker != s.Worker {
				t.Errorf("task end %+v does not match its start %+v", ev, s)
			}
			ended++
		}
		if ev.PID == 0 || ev.TID == 0 || ev.TNs == 0 {
			t.Errorf("event %+v lacks a pid, tid or time", ev)
		}
	}
	if len(starts) != tasks || ended != tasks {
		t.Errorf("%d tasks started and %d ended; want %d", len(starts), ended, tasks)
	}
}

// spans returns each task's [start, end] times in order of start.
func spans(events []spec.Event) [][2]int64 {
	byTask := make(map[int]*[2]int64)
	for _, ev := range events {
		if byTask[ev.Task] == nil {
			byTask[ev.Task] = new([2]int64)
		}
		if ev.Ev == spec.EvTaskStart {
			byTask[ev.Task][0] = ev.TNs
		} else {
			byTask[ev.Task][1] = ev.TNs
		}
	}
	var out [][2]int64
	for _, s := range byTask {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b [2]int64) int { return int(a[0] - b[0]) })
	return out
}

// workersUsed returns the distinct workers that started tasks.
func workersUsed(events []spec.Event) []int {
	var ws []int
	for _, ev := range events {
		if ev.Ev == spec.EvTaskStart && !slices.Contains(ws, ev.Worker) {
			ws = append(ws, ev.Worker)
		}
	}
	slices.Sort(ws)
	return ws
}

func TestCPUModels(t *testing.T) {
	// About 1 s of CPU in all, so sequential takes about 1 s. The runs are
	// one at a time: their CPU use is what is measured.
	base := spec.Spec{Workload: spec.CPU, Tasks: 20, Size: 1.0 / 3}
	tests := []struct {
		model      spec.Model
		minCores   float64
		maxCores   float64
		needsCores int
	}{
		{spec.Sequential, 0, 1.1, 1},
		{spec.Threads, 0, 1.3, 1},
		{spec.Async, 0, 1.3, 1},
		{spec.Processes, 1.5, 99, 2},
		{spec.Goroutines, 1.5, 99, 2},
	}
	var want string
	for _, tt := range tests {
		t.Run(string(tt.model), func(t *testing.T) {
			if runtime.NumCPU() < tt.needsCores {
				t.Skipf("needs %d cores; this machine has %d", tt.needsCores, runtime.NumCPU())
			}
			sp := base
			sp.Model = tt.model
			sp = resolved(t, sp)
			r, ok := runUntil(t, sp, 3, func(r observed) bool { return r.cores() >= tt.minCores && r.cores() <= tt.maxCores })
			if c := r.cores(); !ok {
				t.Errorf("%s used %.2f cores (cpu %v over %v); want %.1f..%.1f", tt.model, c, r.cpu, r.wall, tt.minCores, tt.maxCores)
			}
			if want == "" {
				want = r.stats.Checksum
			} else if r.stats.Checksum != want {
				t.Errorf("%s checksum = %s; want sequential's %s", tt.model, r.stats.Checksum, want)
			}
			switch tt.model {
			case spec.Threads:
				if got, w := len(workersUsed(r.events)), sp.Workers; got != w {
					t.Errorf("%d of %d threads ran a task; want all", got, w)
				}
				if r.stats.GILSwitches == 0 || r.stats.GILHoldNs == 0 || r.stats.GILWaitNs == 0 {
					t.Errorf("threads stats %+v; want GIL hold, wait and switches", r.stats)
				}
			case spec.Async:
				s := spans(r.events)
				for i := 1; i < len(s); i++ {
					if s[i][0] < s[i-1][1] {
						t.Errorf("async CPU tasks overlap: one ran %d..%d, the next started at %d", s[i-1][0], s[i-1][1], s[i][0])
					}
				}
			case spec.Processes:
				pids := make(map[int]bool)
				for _, ev := range r.events {
					pids[ev.PID] = true
				}
				if pids[r.stats.PID] || len(pids) != sp.Workers {
					t.Errorf("tasks ran in processes %v (parent %d); want %d children", pids, r.stats.PID, sp.Workers)
				}
			}
		})
	}
}

func TestIOModels(t *testing.T) {
	// 40 requests of 50 ms each: 2 s one at a time, 50 ms all at once.
	base := spec.Spec{Workload: spec.IO, Tasks: 40, Latency: spec.Duration(50 * time.Millisecond)}
	tests := []struct {
		model    spec.Model
		workers  int
		min, max time.Duration
	}{
		{spec.Sequential, 0, 2 * time.Second, time.Minute},
		{spec.Async, 0, 50 * time.Millisecond, 500 * time.Millisecond},
		{spec.Async, 5, 350 * time.Millisecond, time.Second},   // at most 5 in flight: 8 rounds
		{spec.Threads, 5, 350 * time.Millisecond, time.Second}, // 8 rounds of 5
		{spec.Processes, 2, 0, time.Minute},
		{spec.Goroutines, 0, 50 * time.Millisecond, 500 * time.Millisecond},
	}
	checksums := checksumsAgree(t)
	// The runs wait, they do not compute: they may overlap.
	t.Run("group", func(t *testing.T) {
		for _, tt := range tests {
			t.Run(string(tt.model), func(t *testing.T) {
				t.Parallel()
				s := base
				s.Model, s.Workers = tt.model, tt.workers
				r, ok := runUntil(t, s, 3, func(r observed) bool { return r.wall >= tt.min && r.wall <= tt.max })
				if !ok {
					t.Errorf("%s took %v; want %v..%v", tt.model, r.wall, tt.min, tt.max)
				}
				checksums.add(tt.model, r.stats.Checksum)
			})
		}
	})
}

func TestMixedModels(t *testing.T) {
	base := spec.Spec{Workload: spec.Mixed, Tasks: 8, Size: 0.05, Latency: spec.Duration(20 * time.Millisecond)}
	checksums := checksumsAgree(t)
	t.Run("group", func(t *testing.T) {
		for _, model := range spec.Models {
			t.Run(string(model), func(t *testing.T) {
				t.Parallel()
				s := base
				s.Model = model
				checksums.add(model, runSubject(t, s).stats.Checksum)
			})
		}
	})
}

// checksums collects each model's checksum; at the end of the test they must
// all equal sequential's.
type checksums struct {
	mu  sync.Mutex
	got map[spec.Model]string
}

func checksumsAgree(t *testing.T) *checksums {
	c := &checksums{got: make(map[spec.Model]string)}
	t.Cleanup(func() {
		want, ok := c.got[spec.Sequential]
		if !ok {
			return // the sequential run failed and said so
		}
		for m, got := range c.got {
			if got != want {
				t.Errorf("%s checksum = %s; want sequential's %s", m, got, want)
			}
		}
	})
	return c
}

func (c *checksums) add(m spec.Model, sum string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got[m] = sum
}

func TestProcessesChildFailure(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, "worker", "--workload", "io", "--model", "processes", "--workers", "2", "--tasks", "4", "--url", closedURL(t))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("processes with failing tasks: %v; want exit status 1", err)
	}
	if msg := stderr.String(); !strings.Contains(msg, "request failed") || !strings.Contains(msg, "worker process") {
		t.Errorf("processes with failing tasks said %q; want the child's error and the parent's", msg)
	}
}

// alive reports whether pid is a process that has not ended (a zombie has).
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// The state follows the command name, which is in parentheses.
	rest := b[bytes.LastIndexByte(b, ')')+1:]
	return !bytes.HasPrefix(bytes.TrimSpace(rest), []byte("Z"))
}

func TestProcessesChildrenDieWithParent(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, "worker", "--workload", "cpu", "--model", "processes", "--workers", "2", "--tasks", "4", "--size", "100")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	children := make(map[int]bool)
	sc := bufio.NewScanner(stdout)
	for len(children) < 2 && sc.Scan() {
		if ev, ok := spec.ParseEvent(sc.Bytes()); ok && ev.Ev == spec.EvTaskStart {
			children[ev.PID] = true
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	if len(children) < 2 {
		t.Fatalf("saw task starts from %d worker processes; want 2", len(children))
	}
	for pid := range children {
		if !waitFor(2*time.Second, func() bool { return !alive(pid) }) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Errorf("worker process %d outlived its parent", pid)
		}
	}
}
