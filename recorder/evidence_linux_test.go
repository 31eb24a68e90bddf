package recorder

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"corescope/probes"
	"corescope/profile"
	"corescope/spec"
)

// python is Debian's interpreter, which the evidence tests' subjects run.
const python = "/usr/bin/python3"

// pythonSpec is a command spec that runs script in python, or skips the
// test where there is none.
func pythonSpec(t *testing.T, script string) spec.Spec {
	t.Helper()
	if _, err := os.Stat(python); err != nil {
		t.Skipf("no Python to run the subject: %v", err)
	}
	return resolved(spec.Spec{Backend: spec.BackendCommand, Command: []string{python, "-c", script}})
}

// record records s with opt and fails the test on an error.
func record(t *testing.T, s spec.Spec, opt Options) *profile.Profile {
	t.Helper()
	p, err := Record(context.Background(), s, opt)
	if err != nil {
		t.Fatalf("Record(%v) = %v", s.Command, err)
	}
	return p
}

// gilBound is a CPython subject whose 3 threads compute in Python, so they
// take turns holding the GIL, every millisecond: the waiters block in a
// futex, and the holder is preempted when one that woke gets its core.
const gilBound = `
import sys, threading
sys.setswitchinterval(0.001)
def spin():
    x = 0
    for i in range(2_000_000):
        x += i
ts = [threading.Thread(target=spin) for _ in range(3)]
for t in ts: t.start()
for t in ts: t.join()
`

// TestSlicesSayHowTheyEnded records GIL-bound threads on the exact path:
// each slice says how it ended, and the run has slices that blocked (a
// thread waiting for the GIL), slices that were preempted (still
// runnable) and slices that ended with their thread.
func TestSlicesSayHowTheyEnded(t *testing.T) {
	p := record(t, pythonSpec(t, gilBound), quickEdges)
	requireExact(t, p)
	roundTrip(t, p)
	ends := map[string]int{}
	for _, s := range p.Slices {
		ends[s.Ended]++
	}
	t.Logf("%d slices: %d blocked, %d preempted, %d exited, %d unknown", len(p.Slices),
		ends[profile.SliceBlocked], ends[profile.SlicePreempted], ends[profile.SliceExited], ends[""])
	if ends[""] > 0 {
		t.Errorf("%d slices do not say how they ended; want every one to", ends[""])
	}
	for _, end := range []string{profile.SliceBlocked, profile.SlicePreempted, profile.SliceExited} {
		if ends[end] == 0 {
			t.Errorf("no slice ended %q; want some (ends: %v)", end, ends)
		}
	}
}

// bothPaths runs test on the exact path, where perf allows it, and on the
// approximate one, made so by a perf open that fails.
func bothPaths(t *testing.T, test func(t *testing.T, opt Options)) {
	refused := quickEdges
	refused.openExact = func(int, int, time.Time) (*exactAttribution, error) {
		return nil, errors.New("perf events refused (injected by the test)")
	}
	t.Run("exact", func(t *testing.T) { test(t, quickEdges) })
	t.Run("approximate", func(t *testing.T) { test(t, refused) })
}

// lockedOut is a CPython subject whose second thread blocks on a lock the
// main thread holds, while the main thread computes: the waiter sleeps in
// a futex, and does not hold the GIL.
const lockedOut = `
import threading
lock = threading.Lock()
lock.acquire()
threading.Thread(target=lock.acquire, daemon=True).start()
x = 0
for i in range(12_000_000):
    x += i
`

// TestThreadSamplesTellStates records a thread blocked on a lock beside a
// busy one: the blocked thread is sampled, though it uses no CPU, asleep
// in futex on a lock's address, and the busy one running.
func TestThreadSamplesTellStates(t *testing.T) {
	bothPaths(t, func(t *testing.T, opt Options) {
		p := record(t, pythonSpec(t, lockedOut), opt)
		if opt.openExact == nil {
			requireExact(t, p)
		}
		roundTrip(t, p)
		type seen struct{ running, blocked, idleBlocked int }
		threads := map[int]*seen{}
		locks := map[string]bool{}
		for _, f := range p.Frames {
			for _, s := range f.ThreadSamples {
				th := threads[s.TID]
				if th == nil {
					th = &seen{}
					threads[s.TID] = th
				}
				switch {
				case s.State == profile.StateRunning && s.CPU > 0:
					th.running++
				case s.State == profile.StateBlocked && s.Wait == "futex" && strings.HasPrefix(s.Lock, "0x"):
					th.blocked++
					locks[s.Lock] = true
					if s.CPU == 0 {
						th.idleBlocked++
					}
				}
				if s.State != profile.StateBlocked && (s.Wait != "" || s.Lock != "") {
					t.Errorf("frame %.2f s, thread %d: state %q, wait %q, lock %q; want a wait only for a blocked thread", f.T, s.TID, s.State, s.Wait, s.Lock)
				}
			}
		}
		var busy, waiter int
		for tid, th := range threads {
			t.Logf("thread %d: %d samples running, %d blocked in futex (%d of them using no CPU)", tid, th.running, th.blocked, th.idleBlocked)
			if th.running >= 2 && th.blocked == 0 {
				busy++
			}
			if th.blocked >= 2 && th.idleBlocked >= 1 && th.running == 0 {
				waiter++
			}
		}
		if busy != 1 || waiter != 1 || len(locks) != 1 {
			t.Errorf("%d busy threads sampled running, %d sampled blocked in futex on %d lock addresses %v; want 1, 1 and 1", busy, waiter, len(locks), locks)
		}
	})
}

// spinTwo is a shell script that keeps two processes computing for about a
// second of wall time each, then exits 0.
const spinTwo = `spin() { timeout 1 sh -c 'while :; do :; done'; }; spin & spin & wait; exit 0`

// TestAllowedCoresUnderTaskset records two computing processes that
// taskset holds to core 0: the frames and the summary say one core was
// allowed, no quota is invented, and the threads waited for the core.
func TestAllowedCoresUnderTaskset(t *testing.T) {
	if runtime.NumCPU() < 2 {
		t.Skip("one core: taskset -c 0 allows what the machine has")
	}
	taskset, err := exec.LookPath("taskset")
	if err != nil {
		t.Skipf("no taskset: %v", err)
	}
	p := record(t, resolved(spec.Spec{Backend: spec.BackendCommand, Command: []string{taskset, "-c", "0", "/bin/sh", "-c", spinTwo}}), quickEdges)
	var allowed []int
	runQ := 0.0
	for _, f := range p.Frames {
		if f.AllowedCores > 0 {
			allowed = append(allowed, f.AllowedCores)
		}
		for _, s := range f.ThreadSamples {
			runQ += s.RunQS
		}
	}
	s := p.Summary
	t.Logf("allowed cores: summary %d, frames %v; %.3f s waiting for a core", s.AllowedCores, allowed, runQ)
	// The first frame may have read the gate's shell before taskset ran.
	if len(allowed) < 2 || slices.ContainsFunc(allowed[1:], func(n int) bool { return n != 1 }) {
		t.Errorf("frames' allowed cores %v; want 1 in each after the first", allowed)
	}
	if s.AllowedCores != 1 {
		t.Errorf("summary's allowed cores = %d; want 1", s.AllowedCores)
	}
	if s.CPUQuotaCores != nil && !underQuota(t) {
		t.Errorf("cpu quota %v cores of %q; want none: no group on the path sets one", *s.CPUQuotaCores, s.CPUQuotaGroup)
	}
	if keepsRunDelay(t) && runQ <= 0 {
		t.Error("thread samples say no time waiting for a core; want some: two processes took turns on one")
	}
}

// TestShortRunHasItsLimits records a subject that ends before the first
// tick: the summary has the cores it was allowed, read as it started.
func TestShortRunHasItsLimits(t *testing.T) {
	own, err := probes.NewLimitsReader().Read(os.Getpid())
	if err != nil {
		t.Skipf("this system tells no CPU limits: %v", err)
	}
	p := record(t, resolved(spec.Spec{Backend: spec.BackendCommand, Command: []string{"/bin/true"},
		Interval: spec.Duration(2 * time.Second)}), quickEdges) // far longer than the run
	if got, want := p.Summary.AllowedCores, len(own.AllowedCPUs); got != want {
		t.Errorf("summary's allowed cores = %d; want %d, as this process is allowed", got, want)
	}
}

// underQuota reports whether this test runs under a cgroup CPU quota.
func underQuota(t *testing.T) bool {
	l, err := probes.NewLimitsReader().Read(os.Getpid())
	return err == nil && l.Quota != nil
}

// keepsRunDelay reports whether the kernel keeps each thread's time
// waiting for a core (schedstat's figures are not all 0), and says so
// where it does not.
func keepsRunDelay(t *testing.T) bool {
	b, err := os.ReadFile("/proc/thread-self/schedstat")
	keeps := err == nil && !bytes.HasPrefix(b, []byte("0 "))
	if !keeps {
		t.Logf("the kernel keeps no schedstat figures (%q, %v): time waiting for a core is not checked", b, err)
	}
	return keeps
}

// quotaGroup makes a cgroup v1 cpu group with a quota of cores for the
// test, removed at its end, or skips the test where none can be made.
func quotaGroup(t *testing.T, cores float64) string {
	t.Helper()
	const mount = "/sys/fs/cgroup/cpu"
	if _, err := os.Stat(filepath.Join(mount, "cpu.cfs_quota_us")); err != nil {
		t.Skipf("no cgroup v1 cpu controller at %s: %v", mount, err)
	}
	dir := filepath.Join(mount, newMarker(t))
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Skipf("cannot make a cgroup to set a quota in: %v", err)
	}
	t.Cleanup(func() {
		for deadline := time.Now().Add(2 * time.Second); os.Remove(dir) != nil && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond) // its processes are still exiting
		}
	})
	const period = 100_000
	for file, us := range map[string]int{"cpu.cfs_period_us": period, "cpu.cfs_quota_us": int(cores * period)} {
		if err := os.WriteFile(filepath.Join(dir, file), []byte(strconv.Itoa(us)), 0); err != nil {
			t.Skipf("cannot set the group's quota: %v", err)
		}
	}
	return dir
}

// TestQuotaThrottles records two computing processes that move themselves
// into a group with a quota of 0.2 cores: the summary names the quota and
// its group, and the kernel throttled the group, in the frames and in all.
// The run's own cgroup (see follower) is in another hierarchy here, and
// the quota is found from the subject's group up.
func TestQuotaThrottles(t *testing.T) {
	dir := quotaGroup(t, 0.2)
	p := record(t, resolved(spec.Spec{Backend: spec.BackendCommand, Command: []string{"/bin/sh", "-c",
		`echo $$ >"$1/cgroup.procs" || exit 9; ` + spinTwo, "sh", dir}}), quickEdges)
	roundTrip(t, p)
	s := p.Summary
	throttledFrames, periods, throttled := 0, 0, 0
	for _, f := range p.Frames {
		if f.ThrottledPeriods > 0 {
			throttledFrames++
		}
		periods += f.QuotaPeriods
		throttled += f.ThrottledPeriods
	}
	quota := "none"
	if s.CPUQuotaCores != nil {
		quota = strconv.FormatFloat(*s.CPUQuotaCores, 'f', -1, 64)
	}
	t.Logf("quota %s cores of %q; throttled in %d of %d periods (%.2f s), in %d frames", quota, s.CPUQuotaGroup,
		s.ThrottledPeriods, s.QuotaPeriods, s.ThrottledS, throttledFrames)
	if want := "/" + filepath.Base(dir); s.CPUQuotaCores == nil || *s.CPUQuotaCores != 0.2 || s.CPUQuotaGroup != want {
		t.Errorf("quota %s cores of %q; want 0.2 of %q", quota, s.CPUQuotaGroup, want)
	}
	if throttledFrames == 0 || s.ThrottledPeriods == 0 || s.ThrottledS <= 0 {
		t.Errorf("throttled in %d frames, %d periods, %.3f s; want some of each", throttledFrames, s.ThrottledPeriods, s.ThrottledS)
	}
	if s.QuotaPeriods != periods || s.ThrottledPeriods != throttled || s.ThrottledPeriods > s.QuotaPeriods {
		t.Errorf("summary: throttled in %d of %d periods; want the frames' sums, %d of %d", s.ThrottledPeriods, s.QuotaPeriods, throttled, periods)
	}
}

// roundTrip saves p and loads it back, and fails the test unless the
// profile read is the one written.
func roundTrip(t *testing.T, p *profile.Profile) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "run.json")
	if err := profile.Save(path, []*profile.Profile{p}); err != nil {
		t.Fatalf("Save = %v", err)
	}
	ps, err := profile.Load(path)
	if err != nil {
		t.Fatalf("Load(Save(a recording)) = %v", err)
	}
	if !ps[0].Started.Equal(p.Started) {
		t.Errorf("Load(Save(p)) started at %v; want %v", ps[0].Started, p.Started)
	}
	want := *p
	want.Started = ps[0].Started // the same instant; its monotonic reading and zone are not written
	want.Frames = slices.Clone(p.Frames)
	for i := range want.Frames {
		want.Frames[i].Attribution = "" // the live frames', not written: the summary has it
	}
	if !reflect.DeepEqual(ps[0], &want) {
		t.Errorf("Load(Save(p)) differs from the recording:\n got %+v\nwant %+v", ps[0], &want)
	}
}
