package probes

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// perfBurnEnv makes the test binary, re-executed behind a gate, a subject:
// "N,D" burns D of CPU time on each of N threads, prints "done" and the
// threads' ids, and keeps them until stdin closes.
const perfBurnEnv = "PROBES_TEST_PERF_BURN"

// The burner starts from init, before TestMain: tree_test.go owns TestMain.
func init() {
	if spec := os.Getenv(perfBurnEnv); spec != "" {
		os.Exit(perfBurner(spec))
	}
}

func perfBurner(spec string) int {
	count, burn, _ := strings.Cut(spec, ",")
	n, err1 := strconv.Atoi(count)
	d, err2 := time.ParseDuration(burn)
	if err := errors.Join(err1, err2); err != nil {
		fmt.Fprintln(os.Stderr, "bad burn spec:", spec, err)
		return 2
	}
	tids := make([]int, n)
	var burnt sync.WaitGroup
	for i := range n {
		burnt.Add(1)
		go func() {
			// The thread stays locked and parked, so /proc keeps it.
			runtime.LockOSThread()
			tids[i] = unix.Gettid()
			if err := spin(d); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			burnt.Done()
			select {}
		}()
	}
	burnt.Wait()
	fmt.Println("done", strings.Trim(fmt.Sprint(tids), "[]"))
	io.Copy(io.Discard, os.Stdin)
	return 0
}

// gatedBurner is a burner subject started behind a gate, with perf opened
// on it by open before its first instruction.
type gatedBurner struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines *bufio.Scanner
}

// startGatedBurner shows the order a caller must keep: gate the command,
// start it, open the counters on its pid, release it.
func startGatedBurner(t *testing.T, wrap []string, threads int, burn time.Duration, open func(pid int) error) *gatedBurner {
	t.Helper()
	argv := append(slices.Clone(wrap), os.Args[0])
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d,%v", perfBurnEnv, threads, burn))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	gate, err := GateCommand(cmd)
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		gate.Release()
		t.Fatal(err)
	}
	b := &gatedBurner{cmd: cmd, stdin: stdin, lines: bufio.NewScanner(stdout)}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	openErr := open(cmd.Process.Pid)
	if err := gate.Release(); err != nil {
		t.Fatal(err)
	}
	skipUnlessPerf(t, openErr)
	return b
}

// skipUnlessPerf skips when the machine refuses perf (paranoid 3 or 4, a
// container) and fails on any other error.
func skipUnlessPerf(t testing.TB, err error) {
	t.Helper()
	if errors.Is(err, ErrPerfRefused) || errors.Is(err, ErrPerfUnsupported) {
		t.Skipf("exact path not testable on this machine: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// done waits for the burner's "done" line and returns its threads' ids.
func (b *gatedBurner) done() ([]int, error) {
	if !b.lines.Scan() {
		return nil, fmt.Errorf("the burner ended without its done line: %v", b.lines.Err())
	}
	fields := strings.Fields(b.lines.Text())
	if len(fields) < 2 || fields[0] != "done" {
		return nil, fmt.Errorf("the burner said %q", b.lines.Text())
	}
	var tids []int
	for _, f := range fields[1:] {
		tid, err := strconv.Atoi(f)
		if err != nil {
			return nil, err
		}
		tids = append(tids, tid)
	}
	return tids, nil
}

// finish lets the burner exit and returns its CPU time from rusage.
func (b *gatedBurner) finish(t *testing.T) time.Duration {
	t.Helper()
	b.stdin.Close()
	if err := b.cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	return b.cmd.ProcessState.UserTime() + b.cmd.ProcessState.SystemTime()
}

func TestCoreClockSeesThePinnedCore(t *testing.T) {
	taskset, err := exec.LookPath("taskset")
	if err != nil {
		t.Skip("needs taskset (util-linux) to pin the subject")
	}
	cpus := runtime.NumCPU()
	if cpus < 2 {
		t.Skip("needs 2 CPUs")
	}
	var clock *CoreClock
	b := startGatedBurner(t, []string{taskset, "-c", "1"}, 1, 400*time.Millisecond, func(pid int) (err error) {
		clock, err = OpenCoreClock(pid, cpus)
		return err
	})
	defer clock.Close()
	if _, err := b.done(); err != nil {
		t.Fatal(err)
	}
	cpu := b.finish(t)

	per := make([]time.Duration, cpus)
	if err := clock.Read(per); err != nil {
		t.Fatal(err)
	}
	t.Logf("per CPU %v, rusage %v", per, cpu)
	var sum time.Duration
	for i, d := range per {
		sum += d
		if i != 1 && d > 30*time.Millisecond {
			t.Errorf("CPU %d: %v for a subject pinned to CPU 1", i, d)
		}
	}
	if per[1] < 350*time.Millisecond {
		t.Errorf("CPU 1: %v for a 400ms burn", per[1])
	}
	if diff := float64(sum-cpu) / float64(cpu); diff < -0.1 || diff > 0.1 {
		t.Errorf("per-CPU sum %v, rusage %v: %+.0f%%", sum, cpu, diff*100)
	}
	if allocs := testing.AllocsPerRun(100, func() { clock.Read(per) }); allocs != 0 {
		t.Errorf("Read allocates %v times", allocs)
	}
}

func TestSwitchesMatchThreadCPU(t *testing.T) {
	cpus := runtime.NumCPU()
	var rec *SwitchRecorder
	var clock *CoreClock
	var from time.Duration
	b := startGatedBurner(t, nil, 3, 500*time.Millisecond, func(pid int) (err error) {
		// The gated subject may run a moment while the rings open (seen:
		// 78 µs before OpenSwitches returned), so the run's bounds begin
		// before it.
		var ts unix.Timespec
		unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
		from = time.Duration(ts.Nano())
		if rec, err = OpenSwitches(pid, cpus); err != nil {
			return err
		}
		clock, err = OpenCoreClock(pid, cpus)
		return err
	})
	defer rec.Close()
	defer clock.Close()

	// Drain as a recorder would, every 50 ms, while the threads burn.
	done := make(chan error, 1)
	var tids []int
	go func() {
		var err error
		tids, err = b.done()
		done <- err
	}()
	var all []Slice
	for burning := true; burning; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			burning = false
		case <-time.After(50 * time.Millisecond):
		}
		var err error
		if all, err = rec.Drain(all); err != nil {
			t.Fatal(err)
		}
	}
	threadCPU, threadName := map[int]time.Duration{}, map[int]string{}
	for _, tid := range tids {
		threadCPU[tid] = taskCPU(t, b.cmd.Process.Pid, tid)
		comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/comm", b.cmd.Process.Pid, tid))
		if err != nil {
			t.Fatal(err)
		}
		threadName[tid] = strings.TrimSuffix(string(comm), "\n")
	}
	cpu := b.finish(t)
	to := rec.Now()
	all, err := rec.Drain(all)
	if err != nil {
		t.Fatal(err)
	}

	onCore := map[int]time.Duration{}
	var sum time.Duration
	for _, s := range all {
		if s.PID != b.cmd.Process.Pid || s.CPU < 0 || s.CPU >= cpus || s.Start < from || s.End > to || s.End < s.Start {
			t.Fatalf("slice %+v outside the subject's run (pid %d, %d CPUs, %v..%v)", s, b.cmd.Process.Pid, cpus, from, to)
		}
		onCore[s.TID] += s.End - s.Start
		sum += s.End - s.Start
	}
	t.Logf("%d slices, %d records lost, %v on cores in all, rusage %v", len(all), rec.Lost(), sum, cpu)
	for _, tid := range tids {
		// /proc counts in 10 ms ticks, hence the extra 20 ms.
		want, have := threadCPU[tid], onCore[tid]
		t.Logf("thread %d: slices %v, /proc %v", tid, have, want)
		if d := (have - want).Abs(); d > want*15/100+20*time.Millisecond {
			t.Errorf("thread %d: slices add up to %v, /proc says %v", tid, have, want)
		}
	}
	if rec.Lost() != 0 {
		t.Errorf("%d switch records lost draining every 50 ms", rec.Lost())
	}
	// The gate's shell exec'd the burner, whose threads were forked after.
	names := rec.Names()
	for _, tid := range tids {
		if names[tid] != threadName[tid] {
			t.Errorf("thread %d: the kernel's records name it %q, /proc %q", tid, names[tid], threadName[tid])
		}
	}

	per := make([]time.Duration, cpus)
	if err := clock.Read(per); err != nil {
		t.Fatal(err)
	}
	var clockSum time.Duration
	for _, d := range per {
		clockSum += d
	}
	if diff := float64(clockSum-cpu) / float64(cpu); diff < -0.1 || diff > 0.1 {
		t.Errorf("per-CPU clock %v (sum %v), rusage %v: %+.0f%%", per, clockSum, cpu, diff*100)
	}
}

// taskCPU is a thread's user and system time from /proc, in 10 ms ticks.
func taskCPU(t *testing.T, pid, tid int) time.Duration {
	t.Helper()
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/stat", pid, tid))
	if err != nil {
		t.Fatal(err)
	}
	// After the name in parentheses: state is field 3, utime 14, stime 15.
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	utime, err1 := strconv.Atoi(fields[11])
	stime, err2 := strconv.Atoi(fields[12])
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// startGatedEcho starts echo with args behind a gate, its output collected.
func startGatedEcho(t *testing.T, args ...string) (*exec.Cmd, *Gate, *strings.Builder) {
	t.Helper()
	cmd := exec.Command("echo", args...)
	gate, err := GateCommand(cmd)
	if err != nil {
		t.Fatal(err)
	}
	out := &strings.Builder{}
	cmd.Stdout = out
	if err := cmd.Start(); err != nil {
		gate.Release()
		t.Fatal(err)
	}
	return cmd, gate, out
}

func TestGateRunsTheCommandOnRelease(t *testing.T) {
	cmd, gate, out := startGatedEcho(t, "a  b", "c")
	pid := cmd.Process.Pid
	if err := gate.Release(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if out.String() != "a  b c\n" {
		t.Errorf("gated echo said %q", out.String())
	}
	if cmd.ProcessState.Pid() != pid {
		t.Errorf("pid %d became %d", pid, cmd.ProcessState.Pid())
	}
}

func TestGateWithoutReleaseRunsNothing(t *testing.T) {
	cmd, gate, out := startGatedEcho(t, "ran")
	gate.r.Close()
	gate.w.Close() // as when corescope dies before releasing
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 125 || out.Len() != 0 {
		t.Errorf("unreleased gate: %v, output %q; want exit status 125 and no output", err, out.String())
	}
}

func TestPerfErrorIsWorded(t *testing.T) {
	for _, tc := range []struct {
		err      error
		paranoid string
		is       error
		says     string
	}{
		{unix.EACCES, "3", ErrPerfRefused, "perf events refused (kernel.perf_event_paranoid = 3): run `sudo sysctl kernel.perf_event_paranoid=2` for exact per-core figures"},
		{unix.EACCES, "4", ErrPerfRefused, "kernel.perf_event_paranoid = 4"},
		// Upstream kernels treat 3 as 2: a refusal there may be a policy's.
		{unix.EPERM, "3", ErrPerfRefused, "or, if it is refused at 2, run outside the container or security policy that blocks perf_event_open"},
		{unix.EPERM, "", ErrPerfRefused, "kernel.perf_event_paranoid = unknown"},
		{unix.EPERM, "2", ErrPerfRefused, "although kernel.perf_event_paranoid = 2 allows them: a container or security policy"},
		{unix.EACCES, "-1", ErrPerfRefused, "security policy"},
		{unix.ENOENT, "2", ErrPerfUnsupported, "not supported by this kernel"},
		{unix.ENOSYS, "2", ErrPerfUnsupported, "not supported"},
		{unix.ESRCH, "2", unix.ESRCH, "the subject (pid 42) is gone"},
		{unix.EMFILE, "2", unix.EMFILE, "out of file descriptors"},
		{unix.EINVAL, "2", unix.EINVAL, "cannot open the per-core clock for pid 42 on CPU 1"},
	} {
		err := perfError("the per-core clock", 42, 1, tc.err, tc.paranoid)
		if !errors.Is(err, tc.is) || !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%v at paranoid %q: %v; want it to wrap %v and say %q", tc.err, tc.paranoid, err, tc.is, tc.says)
		}
	}
}

// switchRecord is a PERF_RECORD_SWITCH as the kernel writes it with
// sample_id_all and PERF_SAMPLE_TID|TIME|CPU.
func switchRecord(out bool, pid, tid, cpu int, t time.Duration) []byte {
	var misc uint16
	if out {
		misc = unix.PERF_RECORD_MISC_SWITCH_OUT
	}
	return switchRecordMisc(misc, pid, tid, cpu, t)
}

// switchRecordMisc is a PERF_RECORD_SWITCH with the misc bits given.
func switchRecordMisc(misc uint16, pid, tid, cpu int, t time.Duration) []byte {
	rec := recordHeader(unix.PERF_RECORD_SWITCH, misc, switchRecordSize)
	return sampleID(rec, pid, tid, cpu, t)
}

// commRecord is a PERF_RECORD_COMM: thread tid of process pid took name
// at t.
func commRecord(pid, tid int, name string, t time.Duration) []byte {
	comm := make([]byte, (len(name)+8)/8*8) // with its NUL, padded to 8 bytes
	copy(comm, name)
	rec := recordHeader(unix.PERF_RECORD_COMM, 0, uint16(16+len(comm)+sampleIDSize))
	rec = binary.NativeEndian.AppendUint32(rec, uint32(pid))
	rec = binary.NativeEndian.AppendUint32(rec, uint32(tid))
	return sampleID(append(rec, comm...), pid, tid, 0, t)
}

// forkRecord is a PERF_RECORD_FORK: thread ptid of process ppid made thread
// tid of process pid at t, on cpu.
func forkRecord(pid, tid, ppid, ptid, cpu int, t time.Duration) []byte {
	return sampleID(taskRecord(unix.PERF_RECORD_FORK, pid, tid, ppid, ptid, t), ppid, ptid, cpu, t)
}

// exitRecord is a PERF_RECORD_EXIT: thread tid of process pid exited at t,
// on cpu.
func exitRecord(pid, tid, cpu int, t time.Duration) []byte {
	return sampleID(taskRecord(unix.PERF_RECORD_EXIT, pid, tid, 1, 1, t), pid, tid, cpu, t)
}

// taskRecord is the body of a PERF_RECORD_FORK or PERF_RECORD_EXIT (typ).
func taskRecord(typ uint32, pid, tid, ppid, ptid int, t time.Duration) []byte {
	rec := recordHeader(typ, 0, forkRecordSize)
	for _, id := range []int{pid, ppid, tid, ptid} {
		rec = binary.NativeEndian.AppendUint32(rec, uint32(id))
	}
	return binary.NativeEndian.AppendUint64(rec, uint64(t))
}

// lostRecord is a PERF_RECORD_LOST of n records on cpu.
func lostRecord(n uint64, cpu int) []byte {
	rec := recordHeader(unix.PERF_RECORD_LOST, 0, lostRecordSize)
	rec = binary.NativeEndian.AppendUint64(rec, 7) // the event's id
	rec = binary.NativeEndian.AppendUint64(rec, n)
	return sampleID(rec, 0, 0, cpu, 0)
}

func recordHeader(typ uint32, misc, size uint16) []byte {
	rec := binary.NativeEndian.AppendUint32(nil, typ)
	rec = binary.NativeEndian.AppendUint16(rec, misc)
	return binary.NativeEndian.AppendUint16(rec, size)
}

func sampleID(rec []byte, pid, tid, cpu int, t time.Duration) []byte {
	rec = binary.NativeEndian.AppendUint32(rec, uint32(pid))
	rec = binary.NativeEndian.AppendUint32(rec, uint32(tid))
	rec = binary.NativeEndian.AppendUint64(rec, uint64(t))
	rec = binary.NativeEndian.AppendUint32(rec, uint32(cpu))
	return binary.NativeEndian.AppendUint32(rec, 0)
}

// ring writes records into a ring of size bytes from position tail (which
// may lie many laps on) and returns the ring and the head.
func ring(size int, tail uint64, records ...[]byte) ([]byte, uint64) {
	data := make([]byte, size)
	head := tail
	for _, rec := range records {
		for _, c := range rec {
			data[head%uint64(size)] = c
			head++
		}
	}
	return data, head
}

func TestSwitchParser(t *testing.T) {
	const pid = 100
	in := func(tid, cpu int, ms time.Duration) []byte {
		return switchRecord(false, pid, tid, cpu, ms*time.Millisecond)
	}
	out := func(tid, cpu int, ms time.Duration) []byte {
		return switchRecord(true, pid, tid, cpu, ms*time.Millisecond)
	}
	preempted := func(tid, cpu int, ms time.Duration) []byte {
		return switchRecordMisc(unix.PERF_RECORD_MISC_SWITCH_OUT|unix.PERF_RECORD_MISC_SWITCH_OUT_PREEMPT, pid, tid, cpu, ms*time.Millisecond)
	}
	ended := func(tid, cpu int, from, to time.Duration, end SliceEnd) Slice {
		return Slice{PID: pid, TID: tid, CPU: cpu, Start: from * time.Millisecond, End: to * time.Millisecond, Ended: end}
	}
	slice := func(tid, cpu int, from, to time.Duration) Slice { return ended(tid, cpu, from, to, EndBlocked) }
	exit := func(tid, cpu int, ms time.Duration) []byte {
		return exitRecord(pid, tid, cpu, ms*time.Millisecond)
	}
	named := [][]byte{commRecord(pid, 101, "python3", 2*time.Millisecond), forkRecord(pid, 103, pid, 101, 0, 3*time.Millisecond)}
	for _, tc := range []struct {
		name    string
		records [][]byte
		want    []Slice
		lost    uint64
	}{
		{"in then out", [][]byte{in(101, 0, 1), out(101, 0, 6)}, []Slice{slice(101, 0, 1, 6)}, 0},
		{"two CPUs interleaved", [][]byte{in(101, 0, 1), in(102, 1, 2), out(102, 1, 3), out(101, 0, 4), in(102, 0, 5), out(102, 0, 9)},
			[]Slice{slice(102, 1, 2, 3), slice(101, 0, 1, 4), slice(102, 0, 5, 9)}, 0},
		{"out without in", [][]byte{out(101, 0, 6)}, nil, 0},
		{"out of another thread", [][]byte{in(101, 0, 1), out(102, 0, 6)}, nil, 0},
		{"out on another CPU", [][]byte{in(101, 0, 1), out(101, 1, 6)}, nil, 0},
		{"in replaces an in whose out went missing", [][]byte{in(101, 0, 1), in(102, 0, 2), out(102, 0, 3)}, []Slice{slice(102, 0, 2, 3)}, 0},
		{"lost records end the slice begun", [][]byte{in(101, 0, 1), lostRecord(12, 0), out(101, 0, 6), in(101, 0, 7), out(101, 0, 8)},
			[]Slice{slice(101, 0, 7, 8)}, 12},
		{"lost on another CPU", [][]byte{in(101, 0, 1), lostRecord(3, 1), out(101, 0, 6)}, []Slice{slice(101, 0, 1, 6)}, 3},
		{"records of names between", [][]byte{in(101, 0, 1), named[0], named[1], out(101, 0, 6)}, []Slice{slice(101, 0, 1, 6)}, 0},
		{"an exit ends the last slice", [][]byte{in(101, 0, 1), in(103, 1, 2), exit(101, 0, 4), exit(103, 1, 5), out(103, 1, 6)},
			[]Slice{ended(101, 0, 1, 4, EndExited), ended(103, 1, 2, 5, EndExited)}, 0},
		{"preempted, then blocked", [][]byte{in(101, 0, 1), preempted(101, 0, 3), in(101, 1, 4), out(101, 1, 5)},
			[]Slice{ended(101, 0, 1, 3, EndPreempted), slice(101, 1, 4, 5)}, 0},
		{"an exit on another CPU", [][]byte{in(101, 0, 1), exit(101, 1, 4)}, nil, 0},
		{"CPU beyond those opened", [][]byte{in(101, 5, 1), out(101, 5, 6)}, nil, 0},
		{"time going back", [][]byte{in(101, 0, 6), out(101, 0, 1)}, nil, 0},
	} {
		// Every ring starts 16 bytes before its end, many laps on, so the
		// first record wraps; the second pass drains record by record.
		const size, tail = 256, 1000*256 + 240
		data, head := ring(size, tail, tc.records...)
		p := switchParser{on: make([]onCore, 2)}
		got, err := p.consume(data, tail, head, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !slices.Equal(got, tc.want) || p.lost != tc.lost {
			t.Errorf("%s: %+v, %d lost; want %+v, %d lost", tc.name, got, p.lost, tc.want, tc.lost)
		}
		p = switchParser{on: make([]onCore, 2)}
		got = got[:0]
		for pos := uint64(tail); pos < head; {
			next := pos + uint64(binary.NativeEndian.Uint16(data[pos%size+6:]))
			if got, err = p.consume(data, pos, next, got); err != nil {
				t.Fatalf("%s, one by one: %v", tc.name, err)
			}
			pos = next
		}
		if !slices.Equal(got, tc.want) || p.lost != tc.lost {
			t.Errorf("%s, one by one: %+v, %d lost; want %+v, %d lost", tc.name, got, p.lost, tc.want, tc.lost)
		}
	}
}

func TestSwitchParserNames(t *testing.T) {
	comm := func(tid int, name string, ms time.Duration) []byte {
		return commRecord(tid, tid, name, ms*time.Millisecond)
	}
	fork := func(tid, ptid int, ms time.Duration) []byte {
		return forkRecord(tid, tid, ptid, ptid, 0, ms*time.Millisecond)
	}
	for _, tc := range []struct {
		name    string
		records [][]byte
		want    map[int]string
	}{
		{"an exec", [][]byte{comm(200, "true", 5)}, map[int]string{200: "true"}},
		{"the latest in time, not in the ring", [][]byte{comm(200, "head", 9), comm(200, "bash", 3)}, map[int]string{200: "head"}},
		{"the longest name", [][]byte{comm(200, "ThreadPoolExecu", 5)}, map[int]string{200: "ThreadPoolExecu"}},
		{"a thread renamed", [][]byte{comm(100, "python3", 1), fork(101, 100, 2),
			commRecord(100, 101, "worker", 3*time.Millisecond)}, map[int]string{100: "python3", 101: "worker"}},
		{"a fork that never execs: its parent's name at the fork", [][]byte{comm(100, "python3", 5), fork(201, 100, 2), comm(100, "bash", 1)},
			map[int]string{100: "python3", 201: "bash"}},
		{"a fork that execs", [][]byte{comm(100, "bash", 1), fork(202, 100, 2), comm(202, "head", 3)}, map[int]string{100: "bash", 202: "head"}},
		{"a fork of a fork", [][]byte{fork(202, 201, 3), fork(201, 100, 2), comm(100, "bash", 1)},
			map[int]string{100: "bash", 201: "bash", 202: "bash"}},
		{"a fork of a parent never named", [][]byte{fork(201, 100, 2)}, map[int]string{}},
		{"a thread id reused by a fork", [][]byte{comm(100, "bash", 1), comm(201, "head", 2), fork(201, 100, 5)},
			map[int]string{100: "bash", 201: "bash"}},
		{"forks in a loop of reused ids", [][]byte{fork(201, 202, 2), fork(202, 201, 3)}, map[int]string{}},
		{"an exit", [][]byte{comm(100, "bash", 1), exitRecord(100, 100, 0, 2*time.Millisecond)}, map[int]string{100: "bash"}},
	} {
		// The first record wraps around the end of the ring.
		const size, tail = 256, 1000*256 + 240
		data, head := ring(size, tail, tc.records...)
		p := switchParser{on: make([]onCore, 1)}
		if _, err := p.consume(data, tail, head, nil); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := p.names.latest(); !maps.Equal(got, tc.want) {
			t.Errorf("%s: names %v; want %v", tc.name, got, tc.want)
		}
	}
}

func TestSwitchParserMalformed(t *testing.T) {
	for _, size := range []uint16{0, 12, 64} { // empty, unaligned, beyond the head
		data, head := ring(256, 0, switchRecord(false, 1, 1, 0, 1), recordHeader(unix.PERF_RECORD_SWITCH, 0, size), make([]byte, 24))
		p := switchParser{on: make([]onCore, 1)}
		if _, err := p.consume(data, 0, head, nil); err == nil || !strings.Contains(err.Error(), "malformed") {
			t.Errorf("record of %d bytes: %v", size, err)
		}
	}
}

// busyRing is one second of a busy GIL-bound subject on two CPUs: 2000
// switch records of 5 threads, in a ring of the size OpenSwitches maps.
func busyRing() ([]byte, uint64) {
	var records [][]byte
	for i := range 1000 {
		tid, cpu, t := 101+i%5, i%2, time.Duration(i)*time.Millisecond
		records = append(records, switchRecord(false, 100, tid, cpu, t), switchRecord(true, 100, tid, cpu, t+time.Millisecond/2))
	}
	return ring(switchRingPages*os.Getpagesize(), 0, records...)
}

func TestSwitchParserAllocatesNothing(t *testing.T) {
	data, head := busyRing()
	p := switchParser{on: make([]onCore, 2)}
	dst := make([]Slice, 0, 1000)
	allocs := testing.AllocsPerRun(10, func() {
		var err error
		if dst, err = p.consume(data, 0, head, dst[:0]); err != nil || len(dst) != 1000 {
			t.Fatalf("%d slices, %v", len(dst), err)
		}
	})
	if allocs != 0 {
		t.Errorf("draining 2000 records allocates %v times", allocs)
	}
}

func BenchmarkSwitchDrain(b *testing.B) {
	data, head := busyRing()
	p := switchParser{on: make([]onCore, 2)}
	dst := make([]Slice, 0, 1000)
	b.Run("2000-records", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			dst, _ = p.consume(data, 0, head, dst[:0])
		}
	})
}

// BenchmarkCoreClockRead reads the per-CPU counters as a recorder does at
// every tick: one per CPU of this machine, and 256, what a 256-CPU machine
// reads (this machine's CPUs, each opened again and again).
func BenchmarkCoreClockRead(b *testing.B) {
	cpus := runtime.NumCPU()
	for _, n := range []int{cpus, 256} {
		b.Run(fmt.Sprintf("%d-cpus", n), func(b *testing.B) {
			clock, err := cycledCoreClock(os.Getpid(), n, cpus)
			skipUnlessPerf(b, err)
			defer clock.Close()
			per := make([]time.Duration, n)
			b.ReportAllocs()
			for b.Loop() {
				if err := clock.Read(per); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// cycledCoreClock opens n task-clock counters on pid, on CPUs 0..cpus-1 in
// turn: as many counters as a machine of n CPUs has, on a smaller one.
func cycledCoreClock(pid, n, cpus int) (*CoreClock, error) {
	c := &CoreClock{}
	for len(c.fds) < n {
		more, err := OpenCoreClock(pid, min(cpus, n-len(c.fds)))
		if err != nil {
			c.Close()
			return nil, err
		}
		c.fds = append(c.fds, more.fds...)
	}
	return c, nil
}
