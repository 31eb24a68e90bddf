//go:build linux

package runners

import (
	"bufio"
	"bytes"
	"fmt"
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

	"corescope/internal/proctest"
	"corescope/runtext"
	"corescope/spec"
)

// observed is what a subject did, seen from outside: its wall and CPU time (its
// own and that of its waited-for children) and its events.
type observed struct {
	wall   time.Duration
	cpu    time.Duration
	events []spec.Event
	stats  spec.Event
	load   proctest.Load // the machine's busy cores and the subject's runnable threads meanwhile
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
	if err := cmd.Start(); err != nil {
		t.Fatalf("%q: %v", s.Argv, err)
	}
	stopWatch := proctest.WatchLoad(t, cmd.Process.Pid)
	err = cmd.Wait()
	r := observed{wall: time.Since(start), load: stopWatch()}
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
	t.Logf("%s/%s: wall %v, cpu %v, cores %.2f; %.2f threads runnable (%d samples), others' busy cores %.2f",
		sp.Workload, sp.Model, r.wall.Round(time.Millisecond), r.cpu.Round(time.Millisecond), r.cores(),
		r.load.Runnable, r.load.Samples, r.load.Others(r.cores()))
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

// coresAtThatLoad says whether a CPU-bound run used the cores its model
// should, at the load beside it. At most maxCores: other programs can only
// take cores away. At least minCores (a parallel model) is what a quiet
// machine gives; beside other programs, the run must have kept 1.5 threads
// or more runnable on average (on a core or waiting for one: a CPU-bound
// worker is, whatever the load; a serial model keeps one) and used 3/4 of
// the cores the other programs left it, when that is fewer: the kernel
// gives a runnable thread an idle core. On 2 shared cores here, parallel
// runs kept 1.8 to 2.4 threads runnable at a load average of 14, and used
// 0.29 to 0.40 cores of the 0.3 to 0.4 left; GIL-bound threads kept up to
// 2.3 runnable there (waiters woken to ask for the GIL queue for a core),
// which is why a serial model's bound is its cores alone.
func coresAtThatLoad(r observed, minCores, maxCores float64) bool {
	if r.cores() > maxCores {
		return false
	}
	if minCores == 0 {
		return true
	}
	left := float64(runtime.NumCPU()) - r.load.Others(r.cores())
	return r.load.Runnable >= 1.5 && r.cores() >= min(minCores, 0.75*left)
}

// coresWanted says what coresAtThatLoad accepts.
func coresWanted(minCores, maxCores float64) string {
	if minCores == 0 {
		return fmt.Sprintf("at most %.2f cores", maxCores)
	}
	return fmt.Sprintf("1.5 threads runnable and %.2f cores, or 3/4 of what other programs left", minCores)
}

// cpuCase is a model's CPU-bound run and the cores it uses.
type cpuCase struct {
	model              spec.Model
	minCores, maxCores float64
}

var goCPUCases = []cpuCase{
	{spec.Sequential, 0, 1.1},
	{spec.Threads, 0, 1.3},
	{spec.Async, 0, 1.3},
	{spec.Processes, 1.5, 99},
	{spec.Goroutines, 1.5, 99},
}

// goCPUSpec is about 1 s of CPU in all, so sequential takes about 1 s.
func goCPUSpec(m spec.Model) spec.Spec {
	return spec.Spec{Workload: spec.CPU, Model: m, Tasks: 20, Size: 1.0 / 3}
}

func TestCPUModels(t *testing.T) {
	// The runs are one at a time: their CPU use is what is measured.
	var want string
	for _, tt := range goCPUCases {
		t.Run(string(tt.model), func(t *testing.T) {
			if tt.minCores > 1 && !twoCores() {
				t.Skip("needs 2 cores")
			}
			sp := resolved(t, goCPUSpec(tt.model))
			r, ok := runUntil(t, sp, 3, func(r observed) bool { return coresAtThatLoad(r, tt.minCores, tt.maxCores) })
			if !ok {
				t.Errorf("%s used %.2f cores (cpu %v over %v) with %.2f threads runnable, other programs %.2f cores; want %s",
					tt.model, r.cores(), r.cpu, r.wall, r.load.Runnable, r.load.Others(r.cores()), coresWanted(tt.minCores, tt.maxCores))
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

// TestIOModels runs 40 requests of 50 ms each under every model and
// checks how many were in flight at once (from the task events: load can
// delay a task's start or end, not change which overlap), and the least
// wall time that allows: 2 s one at a time, 8 rounds of 5 in a pool of 5.
// The wall times these give on a quiet machine are goals (make bench).
func TestIOModels(t *testing.T) {
	checksums := checksumsAgree(t)
	// The runs wait, they do not compute: they may overlap.
	t.Run("group", func(t *testing.T) {
		for _, tt := range ioModelCases {
			t.Run(tt.name(), func(t *testing.T) {
				t.Parallel()
				r := runSubject(t, tt.spec())
				tt.check(t, r)
				checksums.add(tt.model, r.stats.Checksum)
			})
		}
	})
}

// ioModelCase is one model's run of 40 requests of 50 ms.
type ioModelCase struct {
	model             spec.Model
	workers           int
	minWall           time.Duration
	minFlying, flying int // requests in flight at once, at least and at most
	goalWall          time.Duration
}

var ioModelCases = []ioModelCase{
	{spec.Sequential, 0, 2 * time.Second, 1, 1, time.Minute},
	{spec.Async, 0, 50 * time.Millisecond, 40, 40, 500 * time.Millisecond}, // every task starts before the loop reads a completion
	{spec.Async, 5, 350 * time.Millisecond, 5, 5, time.Second},             // the next starts as one ends
	{spec.Threads, 5, 350 * time.Millisecond, 2, 5, time.Second},           // 8 rounds of 5
	{spec.Processes, 2, 0, 2, 2, time.Minute},
	{spec.Goroutines, 0, 50 * time.Millisecond, 20, 40, 500 * time.Millisecond},
}

func (c ioModelCase) name() string {
	if c.workers == 0 {
		return string(c.model)
	}
	return fmt.Sprintf("%s, %d workers", c.model, c.workers)
}

func (c ioModelCase) spec() spec.Spec {
	return spec.Spec{Workload: spec.IO, Model: c.model, Workers: c.workers, Tasks: 40, Latency: spec.Duration(50 * time.Millisecond)}
}

func (c ioModelCase) check(t *testing.T, r observed) {
	t.Helper()
	if n := runtext.InFlight(r.events); n < c.minFlying || n > c.flying {
		t.Errorf("%s: %d requests in flight at once; want %d..%d", c.name(), n, c.minFlying, c.flying)
	}
	if r.wall < c.minWall {
		t.Errorf("%s took %v; want at least %v", c.name(), r.wall, c.minWall)
	}
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
