package diagnosis_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"corescope/diagnosis"
	"corescope/internal/noperf"
	"corescope/profile"
	"corescope/recorder"
	"corescope/runtext"
	"corescope/spec"
)

// The reasons on real programs: CPython scripts of testdata, recorded for
// real, on the path this test binary has (exact where perf events open)
// and again under a filter that refuses them (approximate), each alone and
// beside busy loops the test starts. The machine is shared: other
// programs may keep its cores busy too, so a test asserts what must hold
// at the load the run measured beside it, and always what must never be
// said of its program.

// python is the interpreter the scripts run on: CPython 3.11 here.
const python = "/usr/bin/python3"

// approximateMark starts the log line of a run recorded without perf.
const approximateMark = "recorded approximately:"

// real is one program and what must hold of its findings.
type real struct {
	// argv runs the program; wrap, when set, wraps it for the test (a
	// taskset, a cgroup).
	argv func(t *testing.T) []string
	// never are the reasons it must never be given, at any load.
	never []string
	// check asserts what must hold of the run's findings at the load it
	// measured.
	check func(t *testing.T, p *profile.Profile, f diagnosis.Findings)
}

// runReal records c alone and beside busy loops, one a CPU list for
// taskset ("" for none), checks each, and then runs the test again where
// perf is refused.
func runReal(t *testing.T, c real, busy ...string) {
	if testing.Short() {
		t.Skip("records real programs for seconds each")
	}
	if _, err := os.Stat(python); err != nil {
		t.Skipf("no %s: %v", python, err)
	}
	for _, run := range []struct {
		name string
		busy []string
	}{{"alone", nil}, {"beside busy loops", busy}} {
		t.Run(run.name, func(t *testing.T) {
			burn(t, run.busy...)
			p := recordReal(t, c.argv(t)...)
			f := diagnosis.Of(p)
			logRun(t, p)
			for _, r := range f.Reasons {
				if slices.Contains(c.never, r.Name) {
					t.Errorf("reason %s given in phase %d (%s); it must never be given here", r.Name, r.Phase, runtext.Reason(p, r))
				}
			}
			c.check(t, p, f)
			if t.Failed() {
				keep(t, p)
			}
		})
	}
	if !noperf.Under() {
		noperf.Rerun(t, t.Name(), approximateMark)
	}
}

// recordReal records argv and concludes it.
func recordReal(t *testing.T, argv ...string) *profile.Profile {
	t.Helper()
	s, err := spec.Spec{Backend: spec.BackendCommand, Command: argv, Interval: spec.Duration(100 * time.Millisecond)}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	p, err := recorder.Record(context.Background(), s, recorder.Options{})
	if err != nil {
		t.Fatalf("Record(%v) = %v", argv, err)
	}
	runtext.Conclude([]*profile.Profile{p})
	return p
}

// logRun logs a run's verdict, phases and load, and the mark of the
// approximate path.
func logRun(t *testing.T, p *profile.Profile) {
	t.Helper()
	if p.Summary.Attribution == profile.AttributionApproximate {
		t.Logf("%s %s", approximateMark, p.Summary.AttributionNote)
	}
	t.Logf("other programs %.2f cores; verdict: %s", p.Summary.OthersBusyCores, p.Summary.Verdict)
	for _, ph := range runtext.Phases(p) {
		t.Logf("  %s: %s", ph.Head, strings.Join(ph.Reasons, "; "))
	}
}

// keep saves the profile of a failing test under testdata/failed/ for a
// person to look at.
func keep(t *testing.T, p *profile.Profile) {
	name := strings.NewReplacer("/", "-", " ", "-").Replace(t.Name()) + "-" + p.Summary.Attribution + ".corescope.json"
	path := filepath.Join("testdata", "failed", name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err == nil && profile.Save(path, []*profile.Profile{p}) == nil {
		t.Logf("the run is kept in %s", path)
	}
}

// script is the path of a script of testdata.
func script(name string) string { return filepath.Join("testdata", name) }

// command is argv as it is, for real.argv.
func command(argv ...string) func(*testing.T) []string {
	return func(*testing.T) []string { return argv }
}

// burn starts a busy loop (yes > /dev/null) for each CPU list, pinned to
// it with taskset where it is not "", ended when the test ends.
func burn(t *testing.T, cpus ...string) {
	t.Helper()
	for _, list := range cpus {
		cmd := exec.Command("yes")
		if list != "" {
			cmd = exec.Command("taskset", "-c", list, "yes")
		}
		if err := cmd.Start(); err != nil {
			t.Skipf("cannot start a busy loop: %v", err)
		}
		t.Cleanup(func() {
			cmd.Process.Kill()
			cmd.Wait()
		})
	}
}

// names are the reasons of phase k, in their order.
func names(f diagnosis.Findings, k int) []string {
	var ns []string
	for _, r := range f.In(k) {
		ns = append(ns, r.Name)
	}
	return ns
}

// reasonIn is phase k's reason of that name, and whether it has one.
func reasonIn(f diagnosis.Findings, k int, name string) (profile.Reason, bool) {
	for _, r := range f.In(k) {
		if r.Name == name {
			return r, true
		}
	}
	return profile.Reason{}, false
}

// wantIn fails the test unless phase k's reasons include name.
func wantIn(t *testing.T, f diagnosis.Findings, k int, name string) {
	t.Helper()
	if _, ok := reasonIn(f, k, name); !ok {
		t.Errorf("phase %d's reasons %v; want %s among them", k, names(f, k), name)
	}
}

// othersIn is how many cores other programs kept busy over phase k.
func othersIn(p *profile.Profile, ph profile.Phase) float64 {
	sum, n := 0.0, 0
	for _, fr := range p.Frames {
		if fr.T > ph.StartS && fr.T <= ph.EndS+0.1 {
			sum += fr.OthersCores()
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// fullMachine is the load beside a run, in busy cores, from which the
// samples of CPython threads held by the GIL are too few to show it: at
// 1.87 busy cores of 2, two such threads got 0.15 cores' worth, and
// shared a frame's work in 7 frames.
const fullMachine = 1.5

// turnsNever are the reasons of a lock a program without one must never be given.
var turnsNever = []string{profile.ReasonGIL, profile.ReasonTookTurns}

// limitsNever are the reasons of limits a program run without them must
// never be given.
var limitsNever = []string{profile.ReasonAffinity, profile.ReasonQuota}

// TestRealHandOver records a main thread that computes, then hands the
// work to one worker and joins it: one thread at a time, never a GIL.
func TestRealHandOver(t *testing.T) {
	c := real{
		argv:  command(python, script("handover.py"), "1.5"),
		never: slices.Concat(turnsNever, limitsNever, []string{profile.ReasonParallel}),
		check: func(t *testing.T, p *profile.Profile, f diagnosis.Findings) {
			wantIn(t, f, f.Main, profile.ReasonOneThread)
		},
	}
	runReal(t, c, "")
}

// TestRealGIL records two threads computing in pure Python: CPython's GIL
// takes them in turns, on a quiet machine or beside a busy loop.
func TestRealGIL(t *testing.T) {
	c := real{
		argv:  command(python, script("gil.py"), "2", "2"),
		never: slices.Concat([]string{profile.ReasonTookTurns, profile.ReasonOneThread, profile.ReasonParallel}, limitsNever),
		check: func(t *testing.T, p *profile.Profile, f diagnosis.Findings) {
			if othersIn(p, f.Phases[f.Main]) < fullMachine {
				wantIn(t, f, f.Main, profile.ReasonGIL)
				return
			}
			_, gil := reasonIn(f, f.Main, profile.ReasonGIL)
			if _, squeezed := reasonIn(f, f.Main, profile.ReasonSqueezed); !gil && !squeezed {
				t.Errorf("phase %d's reasons %v on a full machine; want gil or squeezed", f.Main, names(f, f.Main))
			}
		},
	}
	runReal(t, c, "")
}

// TestRealZlib records two threads in zlib.compress, which releases the
// GIL: in parallel where two cores are free, squeezed where they are not,
// never GIL-bound.
func TestRealZlib(t *testing.T) {
	c := real{
		argv:  command(python, script("zlibthreads.py"), "2", "2"),
		never: slices.Concat(turnsNever, limitsNever, []string{profile.ReasonOneThread}),
		check: func(t *testing.T, p *profile.Profile, f diagnosis.Findings) {
			ph := f.Phases[f.Main]
			_, parallel := reasonIn(f, f.Main, profile.ReasonParallel)
			_, squeezed := reasonIn(f, f.Main, profile.ReasonSqueezed)
			switch others := othersIn(p, ph); {
			case others < 0.3 && !parallel:
				t.Errorf("other programs kept %.2f cores busy, and its reasons are %v; want parallel", others, names(f, f.Main))
			case !parallel && !squeezed:
				t.Errorf("other programs kept %.2f cores busy, and its reasons are %v; want parallel or squeezed", others, names(f, f.Main))
			}
		},
	}
	runReal(t, c, "")
}

// pinnedNever are the reasons of a program of several threads that want
// the one core taskset allows them: never a lock, a quota, parallel or
// one thread.
var pinnedNever = slices.Concat(turnsNever, []string{profile.ReasonQuota, profile.ReasonParallel, profile.ReasonOneThread})

// TestRealZlibPinned records the zlib threads under taskset -c 0: held by
// the affinity, not by the GIL, alone or beside a busy loop on that core.
func TestRealZlibPinned(t *testing.T) {
	c := real{
		argv:  command("taskset", "-c", "0", python, script("zlibthreads.py"), "2", "2"),
		never: pinnedNever,
		check: func(t *testing.T, p *profile.Profile, f diagnosis.Findings) {
			wantIn(t, f, f.Main, profile.ReasonAffinity)
		},
	}
	runReal(t, c, "0")
}

// TestRealPoolPinned records a pool of 4 processes under taskset -c 0: four
// GILs, held by the affinity.
func TestRealPoolPinned(t *testing.T) {
	c := real{
		argv:  command("taskset", "-c", "0", python, script("pool.py"), "4", "2"),
		never: pinnedNever,
		check: func(t *testing.T, p *profile.Profile, f diagnosis.Findings) {
			r, ok := reasonIn(f, f.Main, profile.ReasonAffinity)
			if !ok || r.Figures["allowed_cores"] != 1 || r.Figures["wanting_threads"] < 2 {
				t.Errorf("phase %d's reasons %v (affinity %v); want affinity, 1 core allowed, 2 or more threads wanting", f.Main, names(f, f.Main), r.Figures)
			}
		},
	}
	runReal(t, c, "0")
}

// TestRealPoolUnderQuota records a pool of 4 processes in a cgroup v1
// group with a quota of half a core, made by the test: held by the quota,
// not waiting, not its affinity.
func TestRealPoolUnderQuota(t *testing.T) {
	c := real{
		argv: func(t *testing.T) []string {
			dir := quotaGroup(t, 0.5)
			return []string{"/bin/sh", "-c", `echo $$ >"$1/cgroup.procs" && exec "$2" "$3" 4 1.5`, "sh", dir, python, script("pool.py")}
		},
		never: slices.Concat(turnsNever, []string{profile.ReasonAffinity, profile.ReasonParallel, profile.ReasonWaiting}),
		check: func(t *testing.T, p *profile.Profile, f diagnosis.Findings) {
			if f.Used > 0.6 {
				t.Errorf("%.2f cores' worth of CPU under a quota of 0.5", f.Used)
			}
			r, ok := reasonIn(f, f.Main, profile.ReasonQuota)
			if others := othersIn(p, f.Phases[f.Main]); others > 2-0.5-0.25 {
				// The others left it under its quota: throttled or squeezed.
				if _, squeezed := reasonIn(f, f.Main, profile.ReasonSqueezed); !ok && !squeezed {
					t.Errorf("phase %d's reasons %v beside %.2f busy cores; want quota or squeezed", f.Main, names(f, f.Main), others)
				}
				return
			}
			if !ok || r.Figures["quota_cores"] != 0.5 || r.Figures["throttled_periods"] < diagnosis.QuotaLeast {
				t.Errorf("phase %d's reasons %v (quota %v); want quota, 0.5 cores, throttled", f.Main, names(f, f.Main), r.Figures)
			}
		},
	}
	runReal(t, c, "")
}

// quotaGroup makes a cgroup v1 cpu group with a quota of cores for the
// test, or skips it, saying why, where none can be made: these machines
// have the v1 controller writable by root; most have v2 only.
func quotaGroup(t *testing.T, cores float64) string {
	t.Helper()
	dir := filepath.Join("/sys/fs/cgroup/cpu", fmt.Sprintf("corescope-diagnosis-%d", os.Getpid()))
	if err := os.Mkdir(dir, 0o755); err != nil && !os.IsExist(err) {
		t.Skipf("cannot make a cgroup v1 cpu group to set a quota in: %v", err)
	}
	t.Cleanup(func() {
		for end := time.Now().Add(2 * time.Second); os.Remove(dir) != nil && time.Now().Before(end); {
			time.Sleep(20 * time.Millisecond) // the pool's processes still exiting
		}
	})
	if err := os.WriteFile(filepath.Join(dir, "cpu.cfs_quota_us"), []byte(strconv.Itoa(int(cores*100_000))), 0); err != nil {
		t.Skipf("cannot set a quota: %v", err)
	}
	return dir
}

// TestRealIO records a client that asks a server on a loopback socket
// and waits for each answer: waiting on I/O.
func TestRealIO(t *testing.T) {
	c := real{
		argv: func(t *testing.T) []string {
			return []string{python, script("client.py"), strconv.Itoa(slowServer(t, 5*time.Millisecond)), "300"}
		},
		never: slices.Concat(turnsNever, limitsNever, []string{profile.ReasonParallel}),
		check: func(t *testing.T, p *profile.Profile, f diagnosis.Findings) {
			r, ok := reasonIn(f, f.Main, profile.ReasonWaiting)
			if !ok || !longest(r, diagnosis.WaitIO) {
				t.Errorf("phase %d's reasons %v (waiting %v); want waiting, mostly on I/O", f.Main, names(f, f.Main), r.Figures)
			}
		},
	}
	runReal(t, c, "")
}

// longest reports whether kind is the waiting reason r's longest wait.
func longest(r profile.Reason, kind string) bool {
	for _, k := range diagnosis.WaitKinds {
		if r.Figures[k] > r.Figures[kind] {
			return false
		}
	}
	return r.Figures[kind] > 0
}

// slowServer answers each line on a loopback socket after delay, until
// the test ends, and returns its port.
func slowServer(t *testing.T, delay time.Duration) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				for lines := bufio.NewScanner(conn); lines.Scan(); {
					time.Sleep(delay)
					if _, err := conn.Write([]byte("pong\n")); err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestRealSleeper records a program that sleeps: waiting, asleep, first
// however busy the machine; on a full one, squeezed too, as it started.
func TestRealSleeper(t *testing.T) {
	c := real{
		argv:  command(python, script("sleeper.py"), "2"),
		never: slices.Concat(turnsNever, limitsNever, []string{profile.ReasonParallel}),
		check: func(t *testing.T, p *profile.Profile, f diagnosis.Findings) {
			r := f.Primary()
			if r.Name != profile.ReasonWaiting || !longest(r, diagnosis.WaitSleep) {
				t.Errorf("reasons %v (first %v); want waiting first, asleep", names(f, f.Main), r.Figures)
			}
			if s, ok := reasonIn(f, f.Main, profile.ReasonSqueezed); ok && s.Figures["others_cores"] < diagnosis.SqueezeOthers {
				t.Errorf("squeezed beside %.2f busy cores", s.Figures["others_cores"])
			}
		},
	}
	runReal(t, c, "", "")
}

// TestRealPhased records a program that computes on one thread, then in a
// pool of 2 processes, then sleeps: phases, the last one waiting asleep;
// where the machine left it the cores, the first one thread and the
// second parallel.
func TestRealPhased(t *testing.T) {
	c := real{
		argv:  command(python, script("phased.py"), "1.5"),
		never: slices.Concat(turnsNever, limitsNever),
		check: func(t *testing.T, p *profile.Profile, f diagnosis.Findings) {
			n := len(f.Phases)
			if n < 2 {
				t.Fatalf("%d phases; want the sleep apart from the work", n)
			}
			if r, ok := reasonIn(f, n-1, profile.ReasonWaiting); !ok || !longest(r, diagnosis.WaitSleep) {
				t.Errorf("last phase's reasons %v (waiting %v); want waiting, asleep", names(f, n-1), r.Figures)
			}
			first, second := f.Phases[0], f.Phases[min(1, n-1)]
			if othersIn(p, first) > 0.5 || othersIn(p, second) > 0.5 {
				return // the work's phases may be squeezed into one
			}
			if n != 3 {
				t.Fatalf("%d phases on a machine that left it the cores; want 3", n)
			}
			wantIn(t, f, 0, profile.ReasonOneThread)
			wantIn(t, f, 1, profile.ReasonParallel)
		},
	}
	runReal(t, c, "")
}

// TestRealScripts checks that every script of testdata is one a test runs.
func TestRealScripts(t *testing.T) {
	self, err := os.ReadFile("real_linux_test.go")
	if err != nil {
		t.Fatal(err)
	}
	scripts, _ := filepath.Glob(filepath.Join("testdata", "*.py"))
	for _, s := range scripts {
		name := filepath.Base(s)
		if name != "spin.py" && !strings.Contains(string(self), `script("`+name+`")`) {
			t.Errorf("%s is run by no test", s)
		}
	}
}
