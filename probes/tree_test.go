//go:build linux

package probes

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/procfs"
	"golang.org/x/sys/unix"
)

// helperEnv makes the test binary, re-executed by startThreads, a subject
// with many threads instead of running the tests; with childEnv set it also
// starts a child from one of those threads, not from its main thread.
const (
	helperEnv = "PROBES_TEST_THREADS"
	childEnv  = "PROBES_TEST_CHILD"
)

func TestMain(m *testing.M) {
	if n := os.Getenv(helperEnv); n != "" {
		os.Exit(threadsHelper(n, os.Getenv(childEnv) != ""))
	}
	os.Exit(m.Run())
}

// threadsHelper starts n goroutines locked to their own OS threads, which
// sleep until woken, the first of them forking `sleep 60` if withChild, and
// says "ready" on stdout. Each byte it reads on stdin then wakes every one
// of those threads once, and once they all ran it writes a byte back. It
// exits when stdin closes (the test ended or died).
func threadsHelper(n string, withChild bool) int {
	var count int
	if _, err := fmt.Sscan(n, &count); err != nil || count < 1 {
		fmt.Fprintln(os.Stderr, "bad thread count (want 1 or more):", n)
		return 2
	}
	// The main goroutine keeps the main thread, so no other runs on it.
	runtime.LockOSThread()
	var ready sync.WaitGroup
	child := make(chan *exec.Cmd, 1)
	wake := make([]chan struct{}, count)
	ran := make(chan struct{}, count)
	for i := range count {
		ready.Add(1)
		wake[i] = make(chan struct{})
		go func() {
			runtime.LockOSThread()
			if i == 0 && withChild {
				cmd := exec.Command("sleep", "60")
				if err := cmd.Start(); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(2)
				}
				child <- cmd
			}
			ready.Done()
			for range wake[i] {
				ran <- struct{}{}
			}
		}()
	}
	ready.Wait()
	fmt.Println("ready")
	for b := make([]byte, 1); ; {
		if _, err := os.Stdin.Read(b); err != nil {
			break
		}
		for _, w := range wake {
			w <- struct{}{}
		}
		for range count {
			<-ran
		}
		os.Stdout.Write(b)
	}
	if withChild {
		cmd := <-child
		cmd.Process.Kill()
		cmd.Wait()
	}
	return 0
}

// startThreads starts a subject with n extra OS threads, with env added to
// its environment, and returns its PID once they all exist, and a function
// that returns once each of those threads has woken and run.
func startThreads(tb testing.TB, n int, env ...string) (pid int, wakeAll func()) {
	tb.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(append(os.Environ(), fmt.Sprintf("%s=%d", helperEnv, n)), env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		stdin.Close()
		_ = cmd.Wait()
	})
	out := bufio.NewReader(stdout)
	line, err := out.ReadString('\n')
	if err != nil || line != "ready\n" {
		tb.Fatalf("threads helper said %q, %v; want ready", line, err)
	}
	return cmd.Process.Pid, func() {
		if _, err := stdin.Write([]byte{'w'}); err != nil {
			tb.Fatal(err)
		}
		if _, err := out.ReadByte(); err != nil {
			tb.Fatal(err)
		}
	}
}

// startShell runs script under sh in its own process group, killed at the
// end of the test.
func startShell(tb testing.TB, script string) *exec.Cmd {
	tb.Helper()
	cmd := exec.Command("sh", "-c", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})
	return cmd
}

// probeOnce probes root with a new prober for this system.
func probeOnce(root int, withThreads bool) (Tree, error) {
	p, err := NewTreeProber()
	if err != nil {
		return Tree{}, err
	}
	return p.Probe(context.Background(), root, withThreads)
}

// sources are the ways to read processes that the live tests check: /proc,
// and gopsutil, which other systems use.
var sources = []struct {
	name string
	new  func() (*TreeProber, error)
}{
	{"procfs", NewTreeProber},
	{"gopsutil", func() (*TreeProber, error) { return newTreeProber(gopsutilSource{}, nil) }},
}

// eachSource runs test with a new prober of each source.
func eachSource(t *testing.T, test func(*testing.T, *TreeProber)) {
	for _, src := range sources {
		t.Run(src.name, func(t *testing.T) {
			p, err := src.new()
			if err != nil {
				t.Fatal(err)
			}
			test(t, p)
		})
	}
}

// probeUntil probes root until its tree has at least n processes, or for 5 s,
// and returns the last tree: a shell needs a moment to start its children.
// probeUntil probes root until settled says the tree has reached the state a
// test started, or 5 s pass: shells fork and exit at their own pace.
func probeUntil(t *testing.T, p *TreeProber, root int, settled func(Tree) bool) Tree {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; {
		tree, err := p.Probe(context.Background(), root, false)
		if err != nil {
			t.Fatalf("Probe(%d) error: %v", root, err)
		}
		if settled(tree) || time.Now().After(deadline) {
			return tree
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestProbeTreeFindsDescendants(t *testing.T) { eachSource(t, testFindsDescendants) }

func testFindsDescendants(t *testing.T, p *TreeProber) {
	// A subshell running two commands stays a shell and forks its sleep, so
	// the tree is sh -> {sh -> sleep, sleep}.
	cmd := startShell(t, "(sleep 30; :) & sleep 30 & wait")
	root := cmd.Process.Pid
	want := []string{"sh", "sh", "sleep", "sleep"}
	names := func(tree Tree) []string {
		var names []string
		for _, p := range tree.Procs {
			names = append(names, p.Name)
		}
		slices.Sort(names)
		return names
	}
	// Settled once the forked children have exec'd sleep and touched
	// their memory: just after an exec, the resident count is 0.
	tree := probeUntil(t, p, root, func(tree Tree) bool {
		return slices.Equal(names(tree), want) && !slices.ContainsFunc(tree.Procs, func(p Proc) bool { return p.RSS == 0 })
	})
	if names := names(tree); !slices.Equal(names, want) {
		t.Fatalf("Probe(%d) names = %v; want %v", root, names, want)
	}
	if tree.Procs[0].PID != root {
		t.Errorf("Probe(%d).Procs[0].PID = %d; want the root first", root, tree.Procs[0].PID)
	}
	seen := map[int]bool{}
	for _, p := range tree.Procs {
		if p.PID != root && !seen[p.PPID] {
			t.Errorf("process %d (%s) has parent %d, not listed before it", p.PID, p.Name, p.PPID)
		}
		seen[p.PID] = true
		if p.Threads != 1 || p.RSS == 0 {
			t.Errorf("process %d (%s): threads %d, RSS %d; want 1 thread and some memory", p.PID, p.Name, p.Threads, p.RSS)
		}
	}
	if numThreads(tree) != 4 || len(tree.Threads) != 0 {
		t.Errorf("threads = %d, len(Threads) = %d; want 4 and no thread list without withThreads", numThreads(tree), len(tree.Threads))
	}
}

func TestProbeTreeAdoptsOrphansOfItsGroup(t *testing.T) { eachSource(t, testAdoptsOrphans) }

func testAdoptsOrphans(t *testing.T, p *TreeProber) {
	// The subshell starts a sleep and exits: the sleep is re-parented away
	// from the root but stays in its process group, so it is still the run's.
	cmd := startShell(t, "(sleep 30 &); exec sleep 31")
	root := cmd.Process.Pid
	// Settled once the subshell has exited and the root has become sleep 31.
	tree := probeUntil(t, p, root, func(tree Tree) bool {
		return len(tree.Procs) == 2 && tree.Procs[0].Name == "sleep"
	})
	if len(tree.Procs) != 2 || tree.Procs[1].Name != "sleep" || tree.Procs[1].PPID == root {
		t.Fatalf("Probe(%d) = %+v; want the root and the orphaned sleep of its group", root, tree.Procs)
	}

	// A root that does not lead its group takes in none of its group's other members.
	lone := exec.Command("sleep", "30")
	if err := lone.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { lone.Process.Kill(); lone.Wait() }()
	tree, err := p.Probe(context.Background(), lone.Process.Pid, false)
	if err != nil || len(tree.Procs) != 1 {
		t.Errorf("Probe of a sleep in the test's group = %d processes, %v; want only itself", len(tree.Procs), err)
	}
}

// TestProbeTreeChildOfAThread finds a child that a thread other than the
// main one forked: its children file, not the main thread's, lists it.
func TestProbeTreeChildOfAThread(t *testing.T) {
	pid, _ := startThreads(t, 3, childEnv+"=1")
	main, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	if err == nil && len(bytes.TrimSpace(main)) > 0 {
		t.Fatalf("the main thread of the helper lists children %q; want the child forked by another thread", main)
	}
	eachSource(t, func(t *testing.T, p *TreeProber) {
		tree, err := p.Probe(context.Background(), pid, false)
		if err != nil {
			t.Fatalf("Probe(%d) error: %v", pid, err)
		}
		if len(tree.Procs) != 2 || tree.Procs[1].Name != "sleep" || tree.Procs[1].PPID != pid {
			t.Errorf("Probe(%d).Procs = %+v; want the helper and its sleep", pid, tree.Procs)
		}
	})
}

// TestProbeTreeAdoptsNewOrphanAtOnce probes a group leader before and just
// after a child of it leaves an orphan: the very next probe takes the orphan
// in, not the next read of the whole process list some probes later.
func TestProbeTreeAdoptsNewOrphanAtOnce(t *testing.T) {
	cmd := exec.Command("sh", "-c", "read go; (sleep 30 &); exec sleep 31")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	root := cmd.Process.Pid
	t.Cleanup(func() {
		_ = syscall.Kill(-root, syscall.SIGKILL)
		_ = cmd.Wait()
	})
	p, err := NewTreeProber()
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if tree, err := p.Probe(context.Background(), root, false); err != nil || len(tree.Procs) != 1 {
			t.Fatalf("Probe(%d) before the orphan = %+v, %v; want the shell alone", root, tree.Procs, err)
		}
	}
	if _, err := io.WriteString(stdin, "go\n"); err != nil {
		t.Fatal(err)
	}
	// The root execs sleep once the subshell that forked the orphan is gone.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", root)); string(comm) == "sleep\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the shell did not exec sleep within 5 s")
		}
	}
	tree, err := p.Probe(context.Background(), root, false)
	if err != nil || len(tree.Procs) != 2 || tree.Procs[1].PPID == root {
		t.Fatalf("Probe(%d) after the orphan = %+v, %v; want the root and the orphaned sleep of its group", root, tree.Procs, err)
	}
}

func TestProbeTreeRootGone(t *testing.T) {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	eachSource(t, func(t *testing.T, p *TreeProber) {
		for _, pid := range []int{cmd.Process.Pid, 0, -5} {
			if tree, err := p.Probe(context.Background(), pid, true); err == nil {
				t.Errorf("Probe(%d) = %+v, nil; want an error", pid, tree)
			}
		}
	})
}

// TestProbeTreeChurn probes a shell that forks short-lived children as fast
// as it can: children exiting mid-probe must never be an error.
func TestProbeTreeChurn(t *testing.T) {
	cmd := startShell(t, "while :; do /bin/true; done")
	p, err := NewTreeProber()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		tree, err := p.Probe(context.Background(), cmd.Process.Pid, i%2 == 0)
		if err != nil {
			t.Fatalf("probe %d: Probe() error: %v", i, err)
		}
		if tree.Procs[0].PID != cmd.Process.Pid {
			t.Fatalf("probe %d: root = %d; want %d", i, tree.Procs[0].PID, cmd.Process.Pid)
		}
	}
}

// TestProbeTreeOwnThreads locks goroutines to OS threads in the test process
// itself: each must be listed with its TID and a core, the spinning one with
// its CPU, and the process's context switches must be every thread's, which
// the kernel keeps per thread (the sleeps of one thread must show).
func TestProbeTreeOwnThreads(t *testing.T) {
	const n = 6
	tids := make(chan int, n)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	defer func() { close(stop); wg.Wait() }()
	spinnerTID := 0
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			switch i {
			case 0:
				if err := spin(200 * time.Millisecond); err != nil {
					t.Error(err)
				}
			case 1:
				for range 50 {
					time.Sleep(time.Millisecond)
				}
			}
			tid := unix.Gettid()
			if i == 0 {
				spinnerTID = tid // read after the channel receive below
			}
			tids <- tid
			<-stop
		}()
	}
	want := map[int]bool{}
	for range n {
		want[<-tids] = true
	}
	pid := os.Getpid()
	offBefore, _ := kernelSwitches(t, pid)
	tree, err := probeOnce(pid, true)
	if err != nil {
		t.Fatalf("Probe(self) error: %v", err)
	}
	offAfter, onAfter := kernelSwitches(t, pid)
	self := tree.Procs[0]
	if self.Threads < n+1 {
		t.Errorf("Probe(self).Procs[0].Threads = %d; want at least %d", self.Threads, n+1)
	}
	for _, th := range tree.Threads {
		if th.PID != pid || !want[th.TID] {
			continue
		}
		delete(want, th.TID)
		if th.Core < 0 || th.Core >= maxCore {
			t.Errorf("thread %d: core %d; want a core number", th.TID, th.Core)
		}
		if th.TID == spinnerTID && th.CPUS < 0.1 {
			t.Errorf("spinning thread %d: CPU %.2fs; want >= 0.1s after spinning 0.2s", th.TID, th.CPUS)
		}
	}
	if len(want) != 0 {
		t.Errorf("threads %v missing from Probe(self).Threads", want)
	}
	// Counters only grow: the switches onto a CPU of every thread after
	// the probe (or, where the kernel keeps no schedstat figures, off one)
	// are at least what it reads, and their switches off one before it (50
	// sleeps of one among them) at most, but for the switches in that the
	// kernel may miss: 5% allowed (it missed 1 in 2475 here once, and 34 in
	// 1334 under load in make test; the 50 sleeps alone are far more).
	floor, ceiling := offBefore-offBefore/20, max(onAfter, offAfter)
	if self.CtxSwitches < floor || self.CtxSwitches > ceiling {
		t.Errorf("context switches = %d; want %d (every thread's voluntary + involuntary before the probe, less 5%%) to %d (their switches in after it)",
			self.CtxSwitches, floor, ceiling)
	}
}

// kernelSwitches sums what the kernel says of the context switches of pid's
// threads: their voluntary plus involuntary switches off a CPU (status),
// and their switches onto one (schedstat; 0 on a kernel without them).
func kernelSwitches(t *testing.T, pid int) (off, on uint64) {
	t.Helper()
	threads, err := procfs.AllThreads(pid)
	if err != nil {
		t.Fatal(err)
	}
	for _, th := range threads {
		status, err := th.NewStatus()
		if err != nil {
			t.Fatalf("thread %d: %v", th.PID, err)
		}
		off += status.VoluntaryCtxtSwitches + status.NonVoluntaryCtxtSwitches
		if sched, err := th.Schedstat(); err == nil {
			on += sched.RunTimeslices
		}
	}
	if off < 50 {
		t.Fatalf("the kernel counts %d context switches for process %d; want at least the 50 sleeps of one thread", off, pid)
	}
	return off, on
}

// fakeTask is one thread in a fixture proc filesystem. With a schedstat
// (run time, wait time, switches in) it has a schedstat file.
type fakeTask struct {
	tid, utime, stime, core int
	vol, invol              uint64
	schedstat               string
}

// fakeProc is one process in a fixture proc filesystem. Without tasks it has
// no task directory, as a process that exited after its stat was read. Its
// group is pgrp, or its own when 0; its parent forked it from thread
// forkedBy, or from its main thread when 0; reaped stands for the faults of
// the children it waited for.
type fakeProc struct {
	pid, ppid, pgrp, forkedBy int
	utime, stime, rssPages    int
	reaped                    int
	name                      string
	zombie                    bool
	tasks                     []fakeTask
}

// statFields are the fields of a stat line that the probes read.
type statFields struct {
	pid, ppid, pgrp, reaped, utime, stime, threads, rssPages, core int
	name                                                           string
	state                                                          byte
}

// statLine is a /proc/<pid>/stat line with the fields of f and plausible
// others.
func statLine(f statFields) string {
	return fmt.Sprintf("%d (%s) %c %d %d %d 0 -1 4194304 10 %d 0 0 %d %d 0 0 20 0 %d 0 100 1000000 %d "+
		"18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 %d 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
		f.pid, f.name, f.state, f.ppid, f.pgrp, f.pid, f.reaped, f.utime, f.stime, f.threads, f.rssPages, f.core)
}

// writeFile writes a fixture file, making its directory.
func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeFakeProc writes the stat of each process, and the stat, status and
// schedstat of each of its threads, without children files.
func writeFakeProc(t *testing.T, root string, procs []fakeProc) {
	t.Helper()
	for _, p := range procs {
		dir := filepath.Join(root, fmt.Sprint(p.pid))
		f := statFields{pid: p.pid, ppid: p.ppid, pgrp: p.pgrp, reaped: p.reaped, utime: p.utime, stime: p.stime,
			threads: max(len(p.tasks), 1), rssPages: p.rssPages, name: p.name, state: 'S'}
		if f.pgrp == 0 {
			f.pgrp = p.pid
		}
		if p.zombie {
			f.state = 'Z'
		}
		writeFile(t, filepath.Join(dir, "stat"), statLine(f))
		for _, task := range p.tasks {
			tdir := filepath.Join(dir, "task", fmt.Sprint(task.tid))
			tf := f
			tf.pid, tf.name, tf.utime, tf.stime, tf.core = task.tid, p.name+"-t", task.utime, task.stime, task.core
			writeFile(t, filepath.Join(tdir, "stat"), statLine(tf))
			writeFile(t, filepath.Join(tdir, "status"), fmt.Sprintf(
				"Name:\t%s\nPid:\t%d\nvoluntary_ctxt_switches:\t%d\nnonvoluntary_ctxt_switches:\t%d\n",
				p.name, task.tid, task.vol, task.invol))
			if task.schedstat != "" {
				writeFile(t, filepath.Join(tdir, "schedstat"), task.schedstat+"\n")
			}
		}
	}
}

// writeFakeChildren writes the children file of every thread of procs, as
// kernels with CONFIG_PROC_CHILDREN have: each process is listed by the
// thread of its parent that forked it.
func writeFakeChildren(t *testing.T, root string, procs []fakeProc) {
	t.Helper()
	for _, p := range procs {
		for _, task := range p.tasks {
			var kids strings.Builder
			for _, c := range procs {
				if by := cmp.Or(c.forkedBy, c.ppid); c.ppid == p.pid && by == task.tid {
					fmt.Fprintf(&kids, "%d ", c.pid)
				}
			}
			writeFile(t, filepath.Join(root, fmt.Sprint(p.pid), "task", fmt.Sprint(task.tid), "children"), kids.String())
		}
	}
}

// TestTreeProberFixture reads a fixture proc filesystem: exact figures,
// processes outside the tree left out, vanished processes and threads
// skipped silently.
func TestTreeProberFixture(t *testing.T) {
	t.Run("children files", func(t *testing.T) { testFixture(t, true) })
	t.Run("no children files", func(t *testing.T) { testFixture(t, false) })
}

// testFixture reads the fixture through children files, or without them
// through the parents of all processes.
func testFixture(t *testing.T, withChildren bool) {
	root := t.TempDir()
	procs := []fakeProc{
		// Context switches come from a schedstat's third field (12, not
		// the status's 7 + 2), or from the status where a kernel has no
		// schedstat file (101) or keeps no figures in it (200).
		{pid: 100, ppid: 1, name: "app", utime: 250, stime: 50, rssPages: 10, tasks: []fakeTask{
			{tid: 100, utime: 200, stime: 40, core: 1, vol: 7, invol: 2, schedstat: "2400000000 1000 12"},
			{tid: 101, utime: 50, stime: 10, core: 0, vol: 30, invol: 5},
		}},
		{pid: 200, ppid: 100, forkedBy: 101, name: "worker", utime: 1000, stime: 5, rssPages: 3, tasks: []fakeTask{
			{tid: 200, utime: 1000, stime: 5, core: 3, vol: 1, invol: 100, schedstat: "0 0 0"},
		}},
		{pid: 300, ppid: 200, name: "grandchild", utime: 1, stime: 1, rssPages: 1, tasks: []fakeTask{
			{tid: 300, utime: 1, stime: 1, core: 2},
		}},
		{pid: 150, ppid: 100, name: "gone-tasks", utime: 20, stime: 10, rssPages: 2},
		{pid: 400, ppid: 1, name: "stranger", utime: 9999, rssPages: 99, tasks: []fakeTask{{tid: 400}}},
		{pid: 500, ppid: 400, name: "strangers-child", tasks: []fakeTask{{tid: 500}}},
	}
	writeFakeProc(t, root, procs)
	if withChildren {
		writeFakeChildren(t, root, procs)
	}
	// A process listed but gone before its stat is read, and a thread gone
	// before its files are read.
	for _, dir := range []string{"600", "100/task/102"} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	page := uint64(os.Getpagesize())

	p, err := newTreeProber(newProcfsSource(root))
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Probe(context.Background(), 100, true)
	if err != nil {
		t.Fatalf("Probe(100) error: %v", err)
	}
	wantProcs := []Proc{
		{PID: 100, PPID: 1, Name: "app", UserS: 2.5, SystemS: 0.5, RSS: 10 * page, Threads: 2, CtxSwitches: 12 + 35},
		{PID: 150, PPID: 100, Name: "gone-tasks", UserS: 0.2, SystemS: 0.1, RSS: 2 * page, Threads: 1},
		{PID: 200, PPID: 100, Name: "worker", UserS: 10, SystemS: 0.05, RSS: 3 * page, Threads: 1, CtxSwitches: 101},
		{PID: 300, PPID: 200, Name: "grandchild", UserS: 0.01, SystemS: 0.01, RSS: page, Threads: 1},
	}
	wantThreads := []ThreadInfo{
		{PID: 100, TID: 100, Name: "app-t", CPUS: 2.4, Core: 1},
		{PID: 100, TID: 101, Name: "app-t", CPUS: 0.6, Core: 0},
		{PID: 200, TID: 200, Name: "worker-t", CPUS: 10.05, Core: 3},
		{PID: 300, TID: 300, Name: "grandchild-t", CPUS: 0.02, Core: 2},
	}
	// Siblings come in listing order, which the fixture directory does not fix.
	slices.SortFunc(got.Procs, func(a, b Proc) int { return a.PID - b.PID })
	if !slices.Equal(got.Procs, wantProcs) {
		t.Errorf("Probe(100).Procs =\n%+v\nwant\n%+v", got.Procs, wantProcs)
	}
	if !slices.EqualFunc(got.Threads, wantThreads, func(a, b ThreadInfo) bool {
		return a.PID == b.PID && a.TID == b.TID && a.Name == b.Name && a.Core == b.Core && near(a.CPUS, b.CPUS)
	}) {
		t.Errorf("Probe(100).Threads =\n%+v\nwant\n%+v", got.Threads, wantThreads)
	}
	totals := []struct {
		name      string
		got, want float64
	}{
		{"CPU", cpuSeconds(got), 2.5 + 0.5 + 0.2 + 0.1 + 10 + 0.05 + 0.01 + 0.01},
		{"RSS", float64(rss(got)), float64(16 * page)},
		{"threads", float64(numThreads(got)), 5},
		{"context switches", float64(ctxSwitches(got)), 12 + 35 + 101},
	}
	for _, tt := range totals {
		if !near(tt.got, tt.want) {
			t.Errorf("%s = %v; want %v", tt.name, tt.got, tt.want)
		}
	}

	withoutThreads, err := p.Probe(context.Background(), 100, false)
	if err != nil {
		t.Fatalf("Probe(100, false) error: %v", err)
	}
	if len(withoutThreads.Threads) != 0 || ctxSwitches(withoutThreads) != ctxSwitches(got) {
		t.Errorf("Probe(100, false): %d threads, %d switches; want none and %d",
			len(withoutThreads.Threads), ctxSwitches(withoutThreads), ctxSwitches(got))
	}
	p.CtxSwitches = false
	noSwitches, err := p.Probe(context.Background(), 100, true)
	if err != nil {
		t.Fatalf("Probe(100) without context switches: %v", err)
	}
	if ctxSwitches(noSwitches) != 0 || len(noSwitches.Threads) != len(got.Threads) || cpuSeconds(noSwitches) != cpuSeconds(got) {
		t.Errorf("Probe without context switches: %d switches, %d threads, %v CPU s; want 0, %d, %v",
			ctxSwitches(noSwitches), len(noSwitches.Threads), cpuSeconds(noSwitches), len(got.Threads), cpuSeconds(got))
	}
	p.CtxSwitches = true
	for _, pid := range []int{600, 700} {
		if _, err := p.Probe(context.Background(), pid, true); err == nil {
			t.Errorf("Probe(%d) of a process without a stat = nil error; want one", pid)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Probe(ctx, 100, true); err == nil {
		t.Error("Probe(cancelled ctx) = nil error; want the context's error")
	}
}

// TestTreeProberRemembersOutsiders probes one fixture root three times,
// without children files, so every probe reads the whole process list: the
// second probe must not read again the processes found outside the tree,
// must find new descendants, and must read afresh a PID that left the
// listing and came back.
func TestTreeProberRemembersOutsiders(t *testing.T) {
	root := t.TempDir()
	app := fakeProc{pid: 100, ppid: 1, name: "app", tasks: []fakeTask{{tid: 100}}}
	writeFakeProc(t, root, []fakeProc{app, {pid: 400, ppid: 1, name: "stranger", tasks: []fakeTask{{tid: 400}}}})
	p, err := newTreeProber(newProcfsSource(root))
	if err != nil {
		t.Fatal(err)
	}
	probe := func(p *TreeProber) []int {
		t.Helper()
		tree, err := p.Probe(context.Background(), 100, false)
		if err != nil {
			t.Fatalf("Probe(100) error: %v", err)
		}
		var pids []int
		for _, proc := range tree.Procs {
			pids = append(pids, proc.PID)
		}
		slices.Sort(pids)
		return pids
	}
	if got, want := probe(p), []int{100}; !slices.Equal(got, want) {
		t.Fatalf("first probe: PIDs %v; want %v", got, want)
	}

	// 400 now claims 100 as its parent, which no live process can do: only
	// a prober that re-read it would list it.
	writeFakeProc(t, root, []fakeProc{
		{pid: 400, ppid: 100, name: "stranger", tasks: []fakeTask{{tid: 400}}},
		{pid: 700, ppid: 100, name: "new-child", tasks: []fakeTask{{tid: 700}}},
	})
	if got, want := probe(p), []int{100, 700}; !slices.Equal(got, want) {
		t.Errorf("second probe: PIDs %v; want %v (400 remembered as outside)", got, want)
	}
	fresh, err := newTreeProber(newProcfsSource(root))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := probe(fresh), []int{100, 400, 700}; !slices.Equal(got, want) {
		t.Errorf("fresh prober: PIDs %v; want %v", got, want)
	}

	// 400 exits, then its PID comes back as a child of the tree.
	if err := os.RemoveAll(filepath.Join(root, "400")); err != nil {
		t.Fatal(err)
	}
	if got, want := probe(p), []int{100, 700}; !slices.Equal(got, want) {
		t.Errorf("third probe: PIDs %v; want %v", got, want)
	}
	writeFakeProc(t, root, []fakeProc{{pid: 400, ppid: 700, name: "reused", tasks: []fakeTask{{tid: 400}}}})
	if got, want := probe(p), []int{100, 400, 700}; !slices.Equal(got, want) {
		t.Errorf("probe after PID 400 was reused: PIDs %v; want %v", got, want)
	}
}

// openFDs counts this process's open files under /proc/PID/ for the given
// processes. Files of other processes are left out: probers of earlier tests
// close theirs whenever the garbage collector drops them.
func openFDs(t *testing.T, pids []int) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, fd := range fds {
		target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err != nil {
			continue
		}
		for _, pid := range pids {
			if strings.HasPrefix(target, fmt.Sprintf("/proc/%d/", pid)) {
				n++
			}
		}
	}
	return n
}

// TestTreeProberClosesFiles keeps files of the tree open between probes,
// and closes them all once the root is gone.
func TestTreeProberClosesFiles(t *testing.T) {
	cmd := startShell(t, "sleep 30 & sleep 30 & wait")
	root := cmd.Process.Pid
	p, err := NewTreeProber()
	if err != nil {
		t.Fatal(err)
	}
	tree := probeUntil(t, p, root, func(tree Tree) bool { return len(tree.Procs) == 3 })
	var pids []int
	for _, proc := range tree.Procs {
		pids = append(pids, proc.PID)
	}
	if _, err := p.Probe(context.Background(), root, true); err != nil {
		t.Fatal(err)
	}
	if kept := openFDs(t, pids); kept < 3 {
		t.Errorf("%d files kept open for a tree of 3 processes; want some for each", kept)
	}
	_ = syscall.Kill(-root, syscall.SIGKILL)
	_ = cmd.Wait()
	if _, err := p.Probe(context.Background(), root, true); err == nil {
		t.Fatal("Probe of an exited root = nil error; want one")
	}
	if kept := openFDs(t, pids); kept != 0 {
		t.Errorf("%d files still open after the root exited; want 0", kept)
	}
}

// TestTreeProberOverFileBudget reads a tree with no file descriptors to
// keep: the same threads, read through files opened for each read.
func TestTreeProberOverFileBudget(t *testing.T) {
	pid, _ := startThreads(t, 8)
	src, err := newProcfsSource("/proc")
	if err != nil {
		t.Fatal(err)
	}
	src.files.budget = 0
	lean, err := newTreeProber(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	tids := func(p *TreeProber) []int {
		t.Helper()
		tree, err := p.Probe(context.Background(), pid, true)
		if err != nil {
			t.Fatalf("Probe(%d) error: %v", pid, err)
		}
		var tids []int
		for _, th := range tree.Threads {
			tids = append(tids, th.TID)
		}
		return tids
	}
	got := tids(lean)
	if kept := openFDs(t, []int{pid}); kept != 0 {
		t.Errorf("%d files kept open over a budget of 0", kept)
	}
	full, err := NewTreeProber()
	if err != nil {
		t.Fatal(err)
	}
	if want := tids(full); len(got) < 9 || !slices.Equal(got, want) {
		t.Errorf("threads read over the budget %v; want %v (at least 9)", got, want)
	}
}

// pids lists the PIDs of a tree in its order.
func pids(tree Tree) []int {
	var pids []int
	for _, p := range tree.Procs {
		pids = append(pids, p.PID)
	}
	return pids
}

// TestTreeProberOrphanSigns walks a fixture with children files, where a
// group leader's orphans are found only by reading the whole process list:
// on the first probe, on the probe after a sign (a process of the tree gone,
// become a zombie, or having reaped a child), and at the latest every
// scanEvery probes.
func TestTreeProberOrphanSigns(t *testing.T) {
	root := t.TempDir()
	proc := func(pid, ppid int) fakeProc {
		return fakeProc{pid: pid, ppid: ppid, pgrp: 100, name: fmt.Sprint("p", pid), tasks: []fakeTask{{tid: pid}}}
	}
	procs := []fakeProc{proc(100, 1), proc(200, 100), proc(300, 200),
		{pid: 400, ppid: 1, name: "stranger", tasks: []fakeTask{{tid: 400}}}}
	write := func() {
		writeFakeProc(t, root, procs)
		writeFakeChildren(t, root, procs)
	}
	write()
	p, err := newTreeProber(newProcfsSource(root))
	if err != nil {
		t.Fatal(err)
	}
	probe := func() []int {
		t.Helper()
		tree, err := p.Probe(context.Background(), 100, true)
		if err != nil {
			t.Fatalf("Probe(100) error: %v", err)
		}
		return pids(tree)
	}
	if got, want := probe(), []int{100, 200, 300}; !slices.Equal(got, want) {
		t.Fatalf("first probe: PIDs %v; want %v", got, want)
	}

	// 200 exits: its child 300 goes to init but stays in the group.
	if err := os.RemoveAll(filepath.Join(root, "200")); err != nil {
		t.Fatal(err)
	}
	procs = slices.Delete(procs, 1, 2)
	procs[1].ppid = 1
	write()
	if got, want := probe(), []int{100, 300}; !slices.Equal(got, want) {
		t.Fatalf("probe after 200 exited: PIDs %v; want %v", got, want)
	}

	// 600 joins the group without a sign: only a periodic read finds it.
	procs = append(procs, proc(600, 1))
	write()
	if got, want := probe(), []int{100, 300}; !slices.Equal(got, want) {
		t.Fatalf("probe after 600 joined without a sign: PIDs %v; want %v (no read of the whole list)", got, want)
	}
	for i := 1; ; i++ {
		if got := probe(); slices.Contains(got, 600) {
			break
		}
		if i == scanEvery {
			t.Fatalf("600 not taken in after %d probes", i)
		}
	}

	// The root reaped a child that left 700 behind.
	procs[0].reaped = 5
	procs = append(procs, proc(700, 1))
	write()
	if got, want := probe(), []int{100, 300, 600, 700}; !slices.Equal(got, want) {
		t.Fatalf("probe after the root reaped a child: PIDs %v; want %v", got, want)
	}

	// A new child of the root is a zombie that left 900 behind.
	zombie := proc(800, 100)
	zombie.zombie = true
	procs = append(procs, zombie, proc(900, 1))
	write()
	if got, want := probe(), []int{100, 800, 300, 600, 700, 900}; !slices.Equal(got, want) {
		t.Fatalf("probe after a zombie child: PIDs %v; want %v", got, want)
	}
}

// TestTreeProberSkipsThreadsThatDidNotRun reads a thread's stat again only
// when its schedstat moved, and takes its context switches from the
// schedstat; where the kernel keeps no figures there (all zeros), it reads
// the thread's stat and status at every probe.
func TestTreeProberSkipsThreadsThatDidNotRun(t *testing.T) {
	root := t.TempDir()
	app := fakeProc{pid: 100, ppid: 1, name: "app", utime: 20, tasks: []fakeTask{
		{tid: 100, utime: 10, vol: 1, schedstat: "1000 0 3"},
		{tid: 101, utime: 10, vol: 1, schedstat: "0 0 0"},
	}}
	p, err := newTreeProber(newProcfsSource(root))
	if err != nil {
		t.Fatal(err)
	}
	check := func(step string, wantUserS float64, wantCPUS []float64, wantSwitches uint64) {
		t.Helper()
		writeFakeProc(t, root, []fakeProc{app})
		tree, err := p.Probe(context.Background(), 100, true)
		if err != nil {
			t.Fatalf("%s: Probe(100) error: %v", step, err)
		}
		var cpus []float64
		for _, th := range tree.Threads {
			cpus = append(cpus, th.CPUS)
		}
		if got := tree.Procs[0]; !near(got.UserS, wantUserS) || !slices.Equal(cpus, wantCPUS) || got.CtxSwitches != wantSwitches {
			t.Errorf("%s: user %v s, thread CPU %v, context switches %d; want %v, %v, %d",
				step, got.UserS, cpus, got.CtxSwitches, wantUserS, wantCPUS, wantSwitches)
		}
	}
	check("first probe", 0.2, []float64{0.1, 0.1}, 3+1)
	// Counters move while the schedstat stands still: only what has no
	// schedstat to go by, and the process's own stat, are read again.
	app.utime, app.tasks[0].utime, app.tasks[0].vol, app.tasks[1].utime, app.tasks[1].vol = 60, 30, 5, 30, 5
	check("schedstat unchanged", 0.6, []float64{0.1, 0.3}, 3+5)
	app.tasks[0].schedstat = "2000 0 4"
	check("schedstat moved", 0.6, []float64{0.3, 0.3}, 4+5)
}

// TestTreeProberWithoutLastCores takes a thread's CPU time from its
// schedstat and reads its stat only for its name: when first seen and at
// the refresh, not when it ran. A read of the stat while it is missing
// would drop the thread as gone.
func TestTreeProberWithoutLastCores(t *testing.T) {
	root := t.TempDir()
	app := fakeProc{pid: 100, ppid: 1, name: "app", tasks: []fakeTask{
		{tid: 100, utime: 10, core: 1, schedstat: "1500000000 0 3"},
	}}
	p, err := newTreeProber(newProcfsSource(root))
	if err != nil {
		t.Fatal(err)
	}
	p.LastCores = false
	probe := func() ThreadInfo {
		t.Helper()
		tree, err := p.Probe(context.Background(), 100, true)
		if err != nil {
			t.Fatalf("Probe(100) error: %v", err)
		}
		if len(tree.Threads) != 1 {
			t.Fatalf("Probe(100) threads %+v; want thread 100", tree.Threads)
		}
		return tree.Threads[0]
	}
	writeFakeProc(t, root, []fakeProc{app})
	if got, want := probe(), (ThreadInfo{PID: 100, TID: 100, Name: "app-t", CPUS: 1.5, Core: -1}); got != want {
		t.Fatalf("first probe: %+v; want %+v", got, want)
	}
	app.name, app.tasks[0].schedstat = "renamed", "2500000000 0 4"
	writeFakeProc(t, root, []fakeProc{app})
	statPath := filepath.Join(root, "100", "task", "100", "stat")
	stat, err := os.ReadFile(statPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(statPath); err != nil {
		t.Fatal(err)
	}
	if got, want := probe(), (ThreadInfo{PID: 100, TID: 100, Name: "app-t", CPUS: 2.5, Core: -1}); got != want {
		t.Fatalf("probe after the thread ran, its stat missing: %+v; want %+v", got, want)
	}
	writeFile(t, statPath, string(stat))
	for i := range refreshEvery {
		if th := probe(); th.Name == "renamed-t" {
			if th.CPUS != 2.5 || th.Core != -1 {
				t.Errorf("refreshed thread: %+v; want CPU 2.5 s from its schedstat, core -1", th)
			}
			return
		}
		if i == refreshEvery-1 {
			t.Errorf("thread's name still %q after %d probes; want the stat's %q", probe().Name, refreshEvery, "renamed-t")
		}
	}
}

// TestProbeTreeCPUFromSchedstat checks, on a real thread, that its CPU time
// from the schedstat (LastCores off) is what its stat counts, to the tick.
func TestProbeTreeCPUFromSchedstat(t *testing.T) {
	spun := make(chan int)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := spin(200 * time.Millisecond); err != nil {
			t.Error(err)
		}
		spun <- unix.Gettid()
		<-stop
	}()
	tid := <-spun
	thread := func(lastCores bool) ThreadInfo {
		t.Helper()
		p, err := NewTreeProber()
		if err != nil {
			t.Fatal(err)
		}
		p.LastCores = lastCores
		tree, err := p.Probe(context.Background(), os.Getpid(), true)
		if err != nil {
			t.Fatalf("Probe(self) error: %v", err)
		}
		for _, th := range tree.Threads {
			if th.TID == tid {
				return th
			}
		}
		t.Fatalf("spinning thread %d missing from Probe(self).Threads", tid)
		return ThreadInfo{}
	}
	fromStat, fromRan := thread(true), thread(false)
	if fromRan.CPUS < 0.2 || math.Abs(fromRan.CPUS-fromStat.CPUS) > 0.02 {
		t.Errorf("spinning thread's CPU: %.4f s from its schedstat, %.2f s from its stat; want at least 0.2 s (it spun 0.2 s), within 2 ticks of each other",
			fromRan.CPUS, fromStat.CPUS)
	}
	if fromRan.Core != -1 || fromStat.Core < 0 {
		t.Errorf("spinning thread's core: %d without last cores, %d with; want -1 and a core", fromRan.Core, fromStat.Core)
	}
}

// writeLastPID writes a fixture's loadavg with lastPID as the last PID
// allocated.
func writeLastPID(t *testing.T, root string, lastPID int) {
	t.Helper()
	writeFile(t, filepath.Join(root, "loadavg"), fmt.Sprintf("0.50 0.40 0.30 1/95 %d\n", lastPID))
}

// writeSelfStatus writes a fixture's self/status with the test's PIDs in
// the namespaces from the fixture's down to the test's; one, the test's
// own, puts the fixture in the test's PID namespace.
func writeSelfStatus(t *testing.T, root string, nsPIDs ...int) {
	t.Helper()
	line := "NSpid:"
	for _, pid := range nsPIDs {
		line += fmt.Sprintf("\t%d", pid)
	}
	writeFile(t, filepath.Join(root, "self", "status"), "Name:\tprobes.test\n"+line+"\n")
}

// writeFakeTree writes procs, with their threads' children files.
func writeFakeTree(t *testing.T, root string, procs []fakeProc) {
	t.Helper()
	writeFakeProc(t, root, procs)
	writeFakeChildren(t, root, procs)
}

// newChild is a child of process 100 that its first thread forked.
var newChild = fakeProc{pid: 400, ppid: 100, name: "new", tasks: []fakeTask{{tid: 400}}}

// keptChildrenFixture writes a process 100 whose threads 100 and 101 each
// forked a child (200 and 300), and a prober of it with its first two
// probes done, as a fork-free moment would leave them.
func keptChildrenFixture(t *testing.T, lastPID int, nsPIDs ...int) (root string, app []fakeProc, probe func() []int) {
	root = t.TempDir()
	if nsPIDs == nil {
		nsPIDs = []int{os.Getpid()}
	}
	writeSelfStatus(t, root, nsPIDs...)
	app = []fakeProc{
		{pid: 100, ppid: 1, name: "app", tasks: []fakeTask{{tid: 100}, {tid: 101}}},
		{pid: 200, ppid: 100, name: "kid", tasks: []fakeTask{{tid: 200}}},
		{pid: 300, ppid: 100, forkedBy: 101, name: "kid", tasks: []fakeTask{{tid: 300}}},
	}
	writeFakeTree(t, root, app)
	if lastPID > 0 {
		writeLastPID(t, root, lastPID)
	}
	p, err := newTreeProber(newProcfsSource(root))
	if err != nil {
		t.Fatal(err)
	}
	probe = func() []int {
		t.Helper()
		tree, err := p.Probe(context.Background(), 100, true)
		if err != nil {
			t.Fatalf("Probe(100) error: %v", err)
		}
		return pids(tree)
	}
	for i := range 2 {
		if got, want := probe(), []int{100, 200, 300}; !slices.Equal(got, want) {
			t.Fatalf("probe %d: PIDs %v; want %v", i+1, got, want)
		}
	}
	return root, app, probe
}

// TestTreeProberKeepsChildrenWhileNoPIDMoves reads a thread's children file
// only when the last PID allocated moved over the last two intervals: else
// no process can have been created, and the list it read last stands (here a fixture's list that
// gained a PID shows which was used). Without a loadavg, or with a proc
// filesystem of another PID namespace, every probe reads every children
// file.
func TestTreeProberKeepsChildrenWhileNoPIDMoves(t *testing.T) {
	for _, tc := range []struct {
		name             string
		lastPID, nextPID int   // 0: no loadavg
		nsPIDs           []int // the fixture's self/status NSpid; nil: the test's own
		want             []int
	}{
		{"last PID still", 500, 500, nil, []int{100, 200, 300}},
		{"last PID moved", 500, 501, nil, []int{100, 200, 400, 300}},
		{"no loadavg", 0, 0, nil, []int{100, 200, 400, 300}},
		{"an outer namespace", 500, 500, []int{7, os.Getpid()}, []int{100, 200, 400, 300}},
		{"another PID", 500, 500, []int{os.Getpid() + 1}, []int{100, 200, 400, 300}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, app, probe := keptChildrenFixture(t, tc.lastPID, tc.nsPIDs...)
			app = append(app, newChild)
			writeFakeTree(t, root, app)
			if tc.nextPID > 0 {
				writeLastPID(t, root, tc.nextPID)
			}
			if got := probe(); !slices.Equal(got, tc.want) {
				t.Errorf("second probe: PIDs %v; want %v", got, tc.want)
			}
		})
	}
	t.Run("fork under way at the last probe", func(t *testing.T) {
		// 400's PID is allocated before the last probe, but it joins
		// thread 100's list only after that probe read it.
		root, app, probe := keptChildrenFixture(t, 500)
		writeLastPID(t, root, 501)
		if got, want := probe(), []int{100, 200, 300}; !slices.Equal(got, want) {
			t.Fatalf("probe as 400 is forked: PIDs %v; want %v", got, want)
		}
		app = append(app, newChild)
		writeFakeTree(t, root, app)
		if got, want := probe(), []int{100, 200, 400, 300}; !slices.Equal(got, want) {
			t.Errorf("probe once 400 is linked, the last PID still: PIDs %v; want %v", got, want)
		}
	})
	t.Run("refreshed", func(t *testing.T) {
		// Privileged restores can create a process with a chosen PID
		// without moving the last PID: a list is read again at least
		// every refreshEvery probes.
		root, app, probe := keptChildrenFixture(t, 500)
		app = append(app, newChild)
		writeFakeTree(t, root, app)
		for i := range refreshEvery {
			if slices.Contains(probe(), 400) {
				return
			}
			if i == refreshEvery-1 {
				t.Errorf("400 missing after %d probes with the last PID still; want it within %d", i+1, refreshEvery)
			}
		}
	})
	t.Run("file gone, list kept", func(t *testing.T) {
		root, _, probe := keptChildrenFixture(t, 500)
		if err := os.Remove(filepath.Join(root, "100", "task", "101", "children")); err != nil {
			t.Fatal(err)
		}
		if got, want := probe(), []int{100, 200, 300}; !slices.Equal(got, want) {
			t.Errorf("probe with thread 101's children file gone: PIDs %v; want %v from its kept list", got, want)
		}
	})
}

// TestTreeProberThreadExitRereadsChildren: a thread that exits leaves its
// children to another thread of its process, so with the last PID still,
// the siblings' children files are read again, whether the process's
// thread count or a failed read shows the exit. A process that died leaves
// its children to a reaper that may be of the tree (a subreaper or a
// namespace's init), whose children file is read again too.
func TestTreeProberThreadExitRereadsChildren(t *testing.T) {
	for _, tc := range []struct {
		name         string
		countUpdated bool
	}{{"thread count", true}, {"failed read", false}} {
		t.Run(tc.name, func(t *testing.T) {
			root, app, probe := keptChildrenFixture(t, 500)
			// 101 exits: 300 goes to 100, and 400 (a fixture's
			// stand-in for a list read afresh) is listed too.
			if err := os.RemoveAll(filepath.Join(root, "100", "task", "101")); err != nil {
				t.Fatal(err)
			}
			app[2].forkedBy = 100
			app = append(app, newChild)
			app[0].tasks = app[0].tasks[:1]
			writeFakeProc(t, root, app)
			if !tc.countUpdated { // the stat still counts two threads
				writeFile(t, filepath.Join(root, "100", "stat"),
					statLine(statFields{pid: 100, ppid: 1, pgrp: 100, threads: 2, name: "app", state: 'S'}))
			}
			writeFakeChildren(t, root, app)
			if got, want := probe(), []int{100, 200, 300, 400}; !slices.Equal(got, want) {
				t.Errorf("probe after thread 101 exited: PIDs %v; want %v", got, want)
			}
		})
	}
	t.Run("subreaper", func(t *testing.T) {
		root, app, probe := keptChildrenFixture(t, 500)
		// 200 forked 250 at first; then 200 dies, and 250 goes to 100.
		app = append(app, fakeProc{pid: 250, ppid: 200, name: "grandkid", tasks: []fakeTask{{tid: 250}}})
		writeFakeTree(t, root, app)
		writeLastPID(t, root, 501)
		for i := range 3 { // until the lists are kept
			if got, want := probe(), []int{100, 200, 300, 250}; !slices.Equal(got, want) {
				t.Fatalf("probe %d after 250 started: PIDs %v; want %v", i+1, got, want)
			}
		}
		if err := os.RemoveAll(filepath.Join(root, "200")); err != nil {
			t.Fatal(err)
		}
		app = slices.Delete(app, 1, 2)
		app[2].ppid = 100
		writeFakeTree(t, root, app)
		if got, want := probe(), []int{100, 300, 250}; !slices.Equal(got, want) {
			t.Errorf("probe after 200 died, 250 handed to 100: PIDs %v; want %v", got, want)
		}
	})
}

// TestProbeTreeSeesChildForkedBetweenProbes: a subject (a shell: one
// thread, so no thread count moves) that forks between two probes moves
// the last PID, so the next probe reads its children file and finds the
// child.
func TestProbeTreeSeesChildForkedBetweenProbes(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "go")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := startShell(t, "read go < "+fifo+"; sleep 60 & wait")
	pid := cmd.Process.Pid
	p, err := NewTreeProber()
	if err != nil {
		t.Fatal(err)
	}
	probe := func() Tree {
		t.Helper()
		tree, err := p.Probe(context.Background(), pid, true)
		if err != nil {
			t.Fatalf("Probe(%d) error: %v", pid, err)
		}
		return tree
	}
	for range 3 {
		if tree := probe(); len(tree.Procs) != 1 {
			t.Fatalf("Probe(%d).Procs = %+v; want the shell alone", pid, tree.Procs)
		}
	}
	if err := os.WriteFile(fifo, []byte("go\n"), 0); err != nil {
		t.Fatal(err)
	}
	children := fmt.Sprintf("/proc/%d/task/%d/children", pid, pid)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		if kids, err := os.ReadFile(children); err == nil && len(bytes.TrimSpace(kids)) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the shell forked no child in 5 s")
		}
	}
	if tree := probe(); len(tree.Procs) != 2 || tree.Procs[1].PPID != pid {
		t.Errorf("Probe(%d).Procs after the shell forked = %+v; want the shell and its child", pid, tree.Procs)
	}
}

// TestTreeProberHostProc reads the proc filesystem HOST_PROC names, as the
// per-core sampler, gopsutil and psutil do.
func TestTreeProberHostProc(t *testing.T) {
	root := t.TempDir()
	writeFakeProc(t, root, []fakeProc{{pid: 100, ppid: 1, name: "fixture-app", tasks: []fakeTask{{tid: 100}}}})
	t.Setenv("HOST_PROC", root)
	tree, err := probeOnce(100, true)
	if err != nil || len(tree.Procs) != 1 || tree.Procs[0].Name != "fixture-app" {
		t.Errorf("Probe(100) with HOST_PROC=%s = %+v, %v; want the fixture's app", root, tree.Procs, err)
	}
}

func TestParseTaskStat(t *testing.T) {
	line := statLine(statFields{pid: 7, ppid: 3, pgrp: 5, reaped: 4, utime: 11, stime: 12, threads: 2,
		rssPages: 9, core: 1, name: "a) (b c", state: 'R'})
	st, ok := parseTaskStat([]byte(line))
	want := taskStat{comm: []byte("a) (b c"), state: 'R', ppid: 3, pgrp: 5, reaped: 4, utime: 11, stime: 12,
		threads: 2, rssPages: 9, core: 1}
	if !ok || string(st.comm) != string(want.comm) {
		t.Fatalf("parseTaskStat(%q) = %+v, %v; want %+v", line, st, ok, want)
	}
	st.comm, want.comm = nil, nil
	if !reflect.DeepEqual(st, want) {
		t.Errorf("parseTaskStat(%q) = %+v; want %+v", line, st, want)
	}
	for _, bad := range []string{"", "7 (x) S 1 2", "7 x S " + strings.Repeat("1 ", 40), "7 (x) S -1" + strings.Repeat(" 1", 40)} {
		if st, ok := parseTaskStat([]byte(bad)); ok {
			t.Errorf("parseTaskStat(%q) = %+v, true; want false", bad, st)
		}
	}
}

func TestParseCtxSwitchesAndSchedstat(t *testing.T) {
	status := "Name:\tx\nvoluntary_ctxt_switches:\t12\nnonvoluntary_ctxt_switches:\t3\n"
	if vol, invol, ok := parseCtxSwitches([]byte(status)); !ok || vol != 12 || invol != 3 {
		t.Errorf("parseCtxSwitches(%q) = %d, %d, %v; want 12, 3, true", status, vol, invol, ok)
	}
	if _, _, ok := parseCtxSwitches([]byte("Name:\tx\n")); ok {
		t.Error("parseCtxSwitches(no switches) ok; want not")
	}
	for _, tt := range []struct {
		in   string
		want ranTotals
		ok   bool
	}{
		{"5 6 7\n", ranTotals{5, 6, 7}, true},
		{"0 0 0\n", ranTotals{}, false},
		{"5 6\n", ranTotals{}, false},
		{"5 x 7\n", ranTotals{}, false},
	} {
		if got, ok := parseSchedstat([]byte(tt.in)); got != tt.want || ok != tt.ok {
			t.Errorf("parseSchedstat(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestProcfsSourceMissingRoot(t *testing.T) {
	if _, err := newProcfsSource(filepath.Join(t.TempDir(), "nothing")); err == nil {
		t.Error("newProcfsSource(missing dir) = nil error; want one")
	}
}

func near(x, y float64) bool { return math.Abs(x-y) < 1e-9 }

// cpuSeconds is the cumulative CPU seconds, user and system, of every process
// in the tree.
func cpuSeconds(t Tree) float64 {
	s := 0.0
	for _, p := range t.Procs {
		s += p.UserS + p.SystemS
	}
	return s
}

// rss is the resident memory of the tree in bytes.
func rss(t Tree) uint64 {
	var s uint64
	for _, p := range t.Procs {
		s += p.RSS
	}
	return s
}

// numThreads is the number of threads of every process in the tree.
func numThreads(t Tree) int {
	n := 0
	for _, p := range t.Procs {
		n += p.Threads
	}
	return n
}

// ctxSwitches is the context switches of the tree's live threads.
func ctxSwitches(t Tree) uint64 {
	var s uint64
	for _, p := range t.Procs {
		s += p.CtxSwitches
	}
	return s
}

// BenchmarkProbe probes a subject with 64 threads of its own (plus the Go
// runtime's), one sub-benchmark a setting: with every thread and the context
// switches (what `peers.py tree` in internal/benchpeers times psutil doing),
// context switches without the thread list, threads without context
// switches, the same without last cores (what a recording with perf
// events asked for before it read waits), each of those two with waits
// (what a recording asks for now: -waits, with perf events; -cores-waits,
// approximate), and gopsutil, which other systems use. The threads sleep,
// so a probe skips their stat; in the -all-ran settings each ran since the
// previous probe (woken outside the timed part), so none can be skipped:
// that is the cost on a busy subject. A wait is read at every probe,
// whether the thread ran or not.
func BenchmarkProbe(b *testing.B) {
	pid, wakeAll := startThreads(b, 64)
	gopsutil := func() (*TreeProber, error) { return newTreeProber(gopsutilSource{}, nil) }
	type setting struct {
		name                 string
		new                  func() (*TreeProber, error)
		threads, ctxSwitches bool
		noCores              bool
		waits                bool
		allRan               bool
	}
	var settings []setting
	for _, s := range []setting{
		{"threads", NewTreeProber, true, true, false, false, false},
		{"no-threads", NewTreeProber, false, true, false, false, false},
		{"threads-no-ctxswitches", NewTreeProber, true, false, false, false, false},
		{"threads-no-ctxswitches-no-cores", NewTreeProber, true, false, true, false, false},
		{"threads-no-ctxswitches-no-cores-waits", NewTreeProber, true, false, true, true, false},
		{"threads-no-ctxswitches-cores-waits", NewTreeProber, true, false, false, true, false},
	} {
		ran := s
		ran.name, ran.allRan = s.name+"-all-ran", true
		settings = append(settings, s, ran)
	}
	settings = append(settings, setting{"gopsutil", gopsutil, false, true, false, false, false})
	for _, c := range settings {
		b.Run(c.name, func(b *testing.B) {
			p, err := c.new()
			if err != nil {
				b.Fatal(err)
			}
			p.CtxSwitches, p.LastCores, p.Waits = c.ctxSwitches, !c.noCores, c.waits
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if c.allRan {
					b.StopTimer()
					wakeAll()
					b.StartTimer()
				}
				tree, err := p.Probe(ctx, pid, c.threads)
				if err != nil {
					b.Fatal(err)
				}
				if numThreads(tree) < 64 || c.threads && len(tree.Threads) < 64 {
					b.Fatalf("subject has %d threads, %d listed; want at least 64", numThreads(tree), len(tree.Threads))
				}
				if c.waits && !slices.ContainsFunc(tree.Threads, func(t ThreadInfo) bool { return t.State == Sleeping }) {
					b.Fatal("no thread of the sleeping subject was read asleep; want its waits read")
				}
			}
		})
	}
}

func TestParseSyscallFile(t *testing.T) {
	for _, tt := range []struct {
		in      string
		state   ThreadState
		blocked string
		on      uint64
	}{
		{"running\n", Running, "", 0},
		{"-1 0x7ffd1 0x7f2a\n", Sleeping, "", 0},
		{"202 0x562021139a10 0x189 0x0 0x0 0x0 0xffffffff 0x7f13 0x7f14\n", Sleeping, "futex", 0x562021139a10},
		{"230 0x1 0x0 0x7ffc 0x0 0x0 0x0 0x7ffc 0x7f1\n", Sleeping, "clock_nanosleep", 0},
		{"99999 0x0 0x0 0x0 0x0 0x0 0x0 0x1 0x2\n", Sleeping, "syscall 99999", 0},
		{"", Unread, "", 0},
		{"what\n", Unread, "", 0},
	} {
		state, blocked, on := parseSyscallFile([]byte(tt.in))
		if runtime.GOARCH != "amd64" && strings.HasPrefix(tt.in, "2") {
			continue // the numbers are amd64's
		}
		if state != tt.state || blocked != tt.blocked || on != tt.on {
			t.Errorf("parseSyscallFile(%q) = %v, %q, %#x; want %v, %q, %#x", tt.in, state, blocked, on, tt.state, tt.blocked, tt.on)
		}
	}
}

// TestProbeTreeWaits probes a subject whose threads all sleep in the Go
// runtime's futex and finds them so, and over a subject with more threads
// than one probe reads, finds every thread read within a few probes and no
// probe reading more than MaxWaitReads.
func TestProbeTreeWaits(t *testing.T) {
	for _, n := range []int{4, 2*MaxWaitReads + 10} {
		pid, _ := startThreads(t, n)
		p, err := NewTreeProber()
		if err != nil {
			t.Fatal(err)
		}
		p.Waits = true
		seen := map[int]bool{}
		for probe := 0; probe < 6; probe++ {
			tree, err := p.Probe(context.Background(), pid, true)
			if err != nil {
				t.Fatal(err)
			}
			read, futex := 0, 0
			for _, th := range tree.Threads {
				if th.State == Unread {
					continue
				}
				read++
				seen[th.TID] = true
				if th.State == Sleeping && th.Blocked == "futex" && th.BlockedOn != 0 {
					futex++
				}
			}
			if read > MaxWaitReads {
				t.Errorf("%d threads: probe %d read %d threads' states; want at most %d", n, probe, read, MaxWaitReads)
			}
			// The runtime's own threads (sysmon, idle Ms) may be anywhere;
			// the helper's n threads sleep on channels, in futex.
			if n < MaxWaitReads && futex < n {
				t.Errorf("%d threads: probe %d found %d in futex with an address; want %d or more (%+v)", n, probe, futex, n, tree.Threads)
			}
		}
		if len(seen) < n {
			t.Errorf("%d threads: 6 probes read the states of %d threads; want every one", n, len(seen))
		}
	}
}
