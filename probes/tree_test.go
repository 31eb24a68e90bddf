//go:build linux

package probes

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/procfs"
	"golang.org/x/sys/unix"
)

// helperEnv makes the test binary, re-executed by startThreads, a subject
// with many threads instead of running the tests.
const helperEnv = "PROBES_TEST_THREADS"

func TestMain(m *testing.M) {
	if n := os.Getenv(helperEnv); n != "" {
		os.Exit(threadsHelper(n))
	}
	os.Exit(m.Run())
}

// threadsHelper starts n goroutines locked to their own OS threads, says
// "ready" on stdout, and exits when stdin closes (the test ended or died).
func threadsHelper(n string) int {
	var count int
	if _, err := fmt.Sscan(n, &count); err != nil {
		fmt.Fprintln(os.Stderr, "bad thread count:", n)
		return 2
	}
	var ready sync.WaitGroup
	for range count {
		ready.Add(1)
		go func() {
			runtime.LockOSThread()
			ready.Done()
			time.Sleep(time.Hour)
		}()
	}
	ready.Wait()
	fmt.Println("ready")
	_, _ = io.Copy(io.Discard, os.Stdin)
	return 0
}

// startThreads starts a subject with n extra OS threads and returns its PID
// once they all exist.
func startThreads(tb testing.TB, n int) int {
	tb.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d", helperEnv, n))
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
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "ready\n" {
		tb.Fatalf("threads helper said %q, %v; want ready", line, err)
	}
	return cmd.Process.Pid
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
	tree := probeUntil(t, p, root, func(tree Tree) bool { return len(tree.Procs) >= 4 })
	var names []string
	for _, p := range tree.Procs {
		names = append(names, p.Name)
	}
	slices.Sort(names)
	if want := []string{"sh", "sh", "sleep", "sleep"}; !slices.Equal(names, want) {
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
// its CPU, and the sleeps of another must show in the process's context
// switches, which the kernel keeps per thread.
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
	fs, err := procfs.NewDefaultFS()
	if err != nil {
		t.Fatal(err)
	}
	mainThread, err := fs.Proc(pid)
	if err != nil {
		t.Fatal(err)
	}
	mainStatus, err := mainThread.NewStatus()
	if err != nil {
		t.Fatal(err)
	}

	tree, err := probeOnce(pid, true)
	if err != nil {
		t.Fatalf("Probe(self) error: %v", err)
	}
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
	if floor := mainStatus.VoluntaryCtxtSwitches + 50; self.VolCtx < floor {
		t.Errorf("voluntary context switches = %d; want >= %d (the main thread's, and 50 sleeps of another)", self.VolCtx, floor)
	}
}

// fakeTask is one thread in a fixture proc filesystem.
type fakeTask struct {
	tid, utime, stime, core int
	vol, invol              uint64
}

// fakeProc is one process in a fixture proc filesystem. Without tasks it has
// no task directory, as a process that exited after its stat was read.
type fakeProc struct {
	pid, ppid, utime, stime, rssPages int
	name                              string
	tasks                             []fakeTask
}

// statLine is a /proc/<pid>/stat line with the fields procfs reads.
func statLine(pid int, name string, ppid, utime, stime, threads, rssPages, core int) string {
	return fmt.Sprintf("%d (%s) S %d %d %d 0 -1 4194304 10 0 0 0 %d %d 0 0 20 0 %d 0 100 1000000 %d "+
		"18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 %d 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
		pid, name, ppid, pid, pid, utime, stime, threads, rssPages, core)
}

func writeFakeProc(t *testing.T, root string, procs []fakeProc) {
	t.Helper()
	write := func(path, text string) {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range procs {
		dir := filepath.Join(root, fmt.Sprint(p.pid))
		write(filepath.Join(dir, "stat"), statLine(p.pid, p.name, p.ppid, p.utime, p.stime, max(len(p.tasks), 1), p.rssPages, 0))
		for _, task := range p.tasks {
			tdir := filepath.Join(dir, "task", fmt.Sprint(task.tid))
			write(filepath.Join(tdir, "stat"), statLine(task.tid, p.name+"-t", p.ppid, task.utime, task.stime, len(p.tasks), p.rssPages, task.core))
			write(filepath.Join(tdir, "status"), fmt.Sprintf(
				"Name:\t%s\nPid:\t%d\nvoluntary_ctxt_switches:\t%d\nnonvoluntary_ctxt_switches:\t%d\n",
				p.name, task.tid, task.vol, task.invol))
		}
	}
}

// TestTreeProberFixture reads a fixture proc filesystem: exact figures,
// processes outside the tree left out, vanished processes and threads
// skipped silently.
func TestTreeProberFixture(t *testing.T) {
	root := t.TempDir()
	writeFakeProc(t, root, []fakeProc{
		{pid: 100, ppid: 1, name: "app", utime: 250, stime: 50, rssPages: 10, tasks: []fakeTask{
			{tid: 100, utime: 200, stime: 40, core: 1, vol: 7, invol: 2},
			{tid: 101, utime: 50, stime: 10, core: 0, vol: 30, invol: 5},
		}},
		{pid: 200, ppid: 100, name: "worker", utime: 1000, stime: 5, rssPages: 3, tasks: []fakeTask{
			{tid: 200, utime: 1000, stime: 5, core: 3, vol: 1, invol: 100},
		}},
		{pid: 300, ppid: 200, name: "grandchild", utime: 1, stime: 1, rssPages: 1, tasks: []fakeTask{
			{tid: 300, utime: 1, stime: 1, core: 2},
		}},
		{pid: 150, ppid: 100, name: "gone-tasks", utime: 20, stime: 10, rssPages: 2},
		{pid: 400, ppid: 1, name: "stranger", utime: 9999, rssPages: 99, tasks: []fakeTask{{tid: 400}}},
		{pid: 500, ppid: 400, name: "strangers-child", tasks: []fakeTask{{tid: 500}}},
	})
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
		{PID: 100, PPID: 1, Name: "app", UserS: 2.5, SystemS: 0.5, RSS: 10 * page, Threads: 2, VolCtx: 37, InvolCtx: 7},
		{PID: 150, PPID: 100, Name: "gone-tasks", UserS: 0.2, SystemS: 0.1, RSS: 2 * page, Threads: 1},
		{PID: 200, PPID: 100, Name: "worker", UserS: 10, SystemS: 0.05, RSS: 3 * page, Threads: 1, VolCtx: 1, InvolCtx: 100},
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
		{"context switches", float64(ctxSwitches(got)), 37 + 7 + 101},
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

// TestTreeProberRemembersOutsiders probes one fixture root three times: the
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

// ctxSwitches is the voluntary plus involuntary context switches of the
// tree's live threads.
func ctxSwitches(t Tree) uint64 {
	var s uint64
	for _, p := range t.Procs {
		s += p.VolCtx + p.InvolCtx
	}
	return s
}

// BenchmarkProbe probes a subject with 64 threads of its own (plus the Go
// runtime's), scanning every process on this machine for descendants.
func BenchmarkProbe(b *testing.B) {
	pid := startThreads(b, 64)
	p, err := NewTreeProber()
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct{ threads, ctxSwitches bool }{{false, true}, {true, true}, {true, false}} {
		withThreads := c.threads
		b.Run(fmt.Sprintf("threads=%v,ctxswitches=%v", c.threads, c.ctxSwitches), func(b *testing.B) {
			p.CtxSwitches = c.ctxSwitches
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				tree, err := p.Probe(ctx, pid, withThreads)
				if err != nil {
					b.Fatal(err)
				}
				if numThreads(tree) < 64 {
					b.Fatalf("subject has %d threads; want at least 64", numThreads(tree))
				}
			}
		})
	}
}
