//go:build unix

package recorder

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"corescope/internal/proctest"
	"corescope/profile"
	"corescope/runtext"
	"corescope/spec"
)

// smallCPU is a CPU-bound spec that takes about half a second sequentially.
func smallCPU(m spec.Model) spec.Spec {
	return resolved(spec.Spec{Workload: spec.CPU, Model: m, Tasks: 8, Size: 0.4})
}

// quickEdges keeps the idle edges short so tests stay fast.
var quickEdges = Options{Lead: 100 * time.Millisecond, Tail: 100 * time.Millisecond}

func TestRecordSequential(t *testing.T) {
	p, err := Record(context.Background(), smallCPU(spec.Sequential), quickEdges)
	if err != nil {
		t.Fatalf("Record = %v", err)
	}
	s := p.Summary
	if len(p.Frames) < 3 {
		t.Errorf("frames = %d; want at least 3", len(p.Frames))
	}
	if s.WallS <= 0 || s.SubjectEndS <= s.SubjectStartS {
		t.Errorf("wall = %v (start %v, end %v); want a positive subject lifetime", s.WallS, s.SubjectStartS, s.SubjectEndS)
	}
	if left := leftOver(p); s.CPUS < 0.5*min(1, left)*s.WallS {
		t.Errorf("cpu_s = %.3f for wall %.3f, other programs leaving it %.2f cores; a CPU-bound run must use its wall time in CPU, or what they left of it",
			s.CPUS, s.WallS, left)
	}
	if s.CoresUsed > 1.3 {
		t.Errorf("sequential cores used = %.2f; want <= 1.3", s.CoresUsed)
	}
	if s.TasksDone != 8 || s.Checksum == "" {
		t.Errorf("tasks done = %d, checksum %q; want 8 and a checksum", s.TasksDone, s.Checksum)
	}
	if p.Machine.LogicalCores < 1 || len(p.Frames[0].Busy) != p.Machine.LogicalCores {
		t.Errorf("frame cores = %d, machine logical = %d; want equal", len(p.Frames[0].Busy), p.Machine.LogicalCores)
	}
	if p.Frames[0].T >= s.SubjectStartS {
		t.Errorf("first frame at %.2f s, subject started at %.2f s; want an idle lead-in", p.Frames[0].T, s.SubjectStartS)
	}
	if last := p.Frames[len(p.Frames)-1].T; last <= s.SubjectEndS {
		t.Errorf("last frame at %.2f s, subject ended at %.2f s; want an idle tail", last, s.SubjectEndS)
	}
	threadCPU := 0.0
	for _, f := range p.Frames {
		for _, ts := range f.ThreadSamples {
			threadCPU += ts.CPU
		}
	}
	if threadCPU < 0.5*s.CPUS {
		t.Errorf("thread samples add up to %.3f CPU s of %.3f; want most of it", threadCPU, s.CPUS)
	}
	if len(p.Threads) == 0 {
		t.Error("no subject threads named")
	}
	starts, ends := countEvents(p)
	if starts != 8 || ends != 8 {
		t.Errorf("events: %d task-start, %d task-end; want 8 each", starts, ends)
	}
	if s.Verdict != "" || s.Speedup != nil {
		t.Errorf("verdict %q, speedup %v; want neither: Record measures, runtext.Conclude judges", s.Verdict, s.Speedup)
	}
}

// leftOver is the cores the other programs left the subject: what a
// figure of the cores it used is checked against on a busy machine.
func leftOver(p *profile.Profile) float64 {
	return float64(p.Machine.LogicalCores) - p.Summary.OthersBusyCores
}

func countEvents(p *profile.Profile) (starts, ends int) {
	for _, ev := range p.Events {
		switch ev.Ev {
		case spec.EvTaskStart:
			starts++
		case spec.EvTaskEnd:
			ends++
		}
	}
	return starts, ends
}

// TestCPUCountsExitedWorkers checks that cpu_s covers worker processes, even
// those that lived between two samples, through the subject's rusage: the
// processes run's CPU is about the sequential run's, the same work (0.95
// to 1.1 times it here, quiet or at a load average of 14).
func TestCPUCountsExitedWorkers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a subject")
	}
	cpu := map[spec.Model]float64{}
	for _, m := range []spec.Model{spec.Sequential, spec.Processes} {
		sp := smallCPU(m)
		sp.Workers = 2
		sp.Interval = spec.Duration(2 * time.Second) // far longer than the run: no sample sees the workers
		p, err := Record(context.Background(), sp, quickEdges)
		if err != nil {
			t.Fatalf("Record(%s) = %v", m, err)
		}
		cpu[m] = p.Summary.CPUS
	}
	t.Logf("cpu_s: sequential %.3f, processes %.3f", cpu[spec.Sequential], cpu[spec.Processes])
	if cpu[spec.Processes] < 0.7*cpu[spec.Sequential] {
		t.Errorf("cpu_s = %.3f for processes, %.3f for the same tasks run sequentially; the workers' CPU is missing",
			cpu[spec.Processes], cpu[spec.Sequential])
	}
}

func TestRecordFailingCommand(t *testing.T) {
	s := spec.Spec{Backend: spec.BackendCommand,
		Command: []string{"sh", "-c", "sleep 0.2; echo first >&2; echo 'no such input' >&2; exit 3"}}
	p, err := Record(context.Background(), resolved(s), quickEdges)
	var re *RunError
	if !errors.As(err, &re) {
		t.Fatalf("Record = %v; want a *RunError", err)
	}
	if re.ExitCode != 3 || !strings.Contains(re.StderrTail, "no such input") {
		t.Errorf("RunError = code %d, tail %q; want code 3 and the stderr tail", re.ExitCode, re.StderrTail)
	}
	if p == nil || !p.Failed() || len(p.Frames) == 0 {
		t.Fatalf("profile = %+v; want a failed profile that keeps its frames", p)
	}
	if runtext.Conclude([]*profile.Profile{p}); !strings.HasPrefix(p.Summary.Verdict, "failed") {
		t.Errorf("verdict = %q; want it to say the run failed", p.Summary.Verdict)
	}
}

func TestRecordMissingCommand(t *testing.T) {
	s := resolved(spec.Spec{Backend: spec.BackendCommand, Command: []string{"no-such-program-corescope"}})
	p, err := Record(context.Background(), s, quickEdges)
	if err == nil || p != nil {
		t.Fatalf("Record = %v, %v; want an error and no profile", p, err)
	}
	if !strings.Contains(err.Error(), "no-such-program-corescope") {
		t.Errorf("error %q does not name the command", err)
	}
}

// subjectPID finds the pid of a frame's subject: the thread samples name it.
func subjectPID(f profile.Frame) int {
	pid := 0
	for _, ts := range f.ThreadSamples {
		if pid == 0 || ts.PID < pid {
			pid = ts.PID
		}
	}
	return pid
}

func TestStopKillsEveryProcess(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pidc := make(chan int, 1)
	opt := quickEdges
	opt.OnFrame = func(f profile.Frame) {
		if f.Procs >= 3 { // the parent and at least two workers are up
			select {
			case pidc <- subjectPID(f):
			default:
			}
		}
	}
	s := resolved(spec.Spec{Workload: spec.CPU, Model: spec.Processes, Workers: 2, Tasks: 200, Size: 0.5})
	type result struct {
		p   *profile.Profile
		err error
	}
	done := make(chan result, 1)
	go func() {
		p, err := Record(ctx, s, opt)
		done <- result{p, err}
	}()
	var pgid int
	select {
	case pgid = <-pidc:
	case <-time.After(10 * time.Second):
		t.Fatal("the processes subject never showed its workers")
	}
	stopAt := time.Now()
	cancel()
	var r result
	select {
	case r = <-done:
		t.Logf("Record returned %v after Stop", time.Since(stopAt).Round(time.Millisecond))
	case <-time.After(10 * time.Second): // a hang guard: the 200 tasks take minutes
		t.Fatal("Record did not return within 10 s of Stop")
	}
	if !errors.Is(r.err, ErrStopped) || r.p == nil || len(r.p.Frames) == 0 {
		t.Fatalf("Record = %v, %v; want ErrStopped and the frames sampled so far", r.p, r.err)
	}
	proctest.WaitGroupGone(t, pgid)
}

func TestSubjectCrashKillsWorkers(t *testing.T) {
	// The subject starts a worker in its group, then dies of a signal.
	s := resolved(spec.Spec{Backend: spec.BackendCommand,
		Command: []string{"sh", "-c", "sleep 30 & sleep 0.3; kill -SEGV $$"}})
	pidc := make(chan int, 1)
	opt := quickEdges
	opt.OnFrame = func(f profile.Frame) {
		if f.Procs >= 2 {
			select {
			case pidc <- subjectPID(f):
			default:
			}
		}
	}
	_, err := Record(context.Background(), s, opt)
	var re *RunError
	if !errors.As(err, &re) || re.Signal == "" {
		t.Fatalf("Record = %v; want a RunError naming the signal", err)
	}
	select {
	case pgid := <-pidc:
		proctest.WaitGroupGone(t, pgid)
	default:
		t.Fatal("never saw the subject's worker")
	}
}

func TestProfilerKilledKillsEveryProcess(t *testing.T) {
	for _, backend := range []string{"go", "command"} {
		t.Run(backend, func(t *testing.T) { testProfilerKilled(t, backend) })
	}
}

func testProfilerKilled(t *testing.T, backend string) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), profilerEnv+"="+backend)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	// Wait for the subject (a child of the profiler) and its workers.
	var subject int
	deadline := time.Now().Add(10 * time.Second)
	for subject == 0 || len(proctest.GroupMembers(t, subject)) < 3 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the profiler's subject and workers never appeared")
		}
		time.Sleep(50 * time.Millisecond)
		subject = proctest.ChildOf(t, cmd.Process.Pid)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	proctest.WaitGroupGone(t, subject)
}

// TestFramesNameThreads checks that a live view can name every thread lane
// as it appears: each thread a frame samples was in that frame's
// ThreadNames or an earlier one's, named, and the profile keeps the last
// names once, in Threads.
func TestFramesNameThreads(t *testing.T) {
	named := map[int]profile.Thread{}
	var unnamed []int
	opt := quickEdges
	opt.OnFrame = func(f profile.Frame) {
		for _, th := range f.ThreadNames {
			if was, again := named[th.TID]; again && was == th || th.Name == "" || th.Process == "" {
				t.Errorf("frame %.1f s: thread %+v named; want it new or renamed, with its name and its process's", f.T, th)
			}
			named[th.TID] = th
		}
		for _, s := range f.ThreadSamples {
			if _, ok := named[s.TID]; !ok {
				unnamed = append(unnamed, s.TID)
			}
		}
	}
	p, err := Record(context.Background(), smallCPU(spec.Processes), opt)
	if err != nil {
		t.Fatalf("Record() = %v", err)
	}
	if len(unnamed) > 0 {
		t.Errorf("threads sampled before any frame named them: %v", unnamed)
	}
	if len(named) < 3 { // the parent and two workers, at least
		t.Errorf("frames named %d threads; want the parent's and the workers'", len(named))
	}
	for _, th := range p.Threads {
		if was, ok := named[th.TID]; ok && (was.Name != th.Name || was.Process != th.Process) {
			t.Errorf("profile names thread %d %s of %s; the frames last named it %s of %s", th.TID, th.Name, th.Process, was.Name, was.Process)
		}
	}
	for i := range p.Frames {
		if p.Frames[i].ThreadNames != nil {
			t.Fatalf("the profile's frame %d keeps ThreadNames; want them in Threads only", i)
		}
	}
}
