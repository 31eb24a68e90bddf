//go:build linux

package cli

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"corescope/profile"
	"corescope/scaling"
)

func TestScaleUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"scale", "--workers", "2,4"}, "workers: \"2,4\" is not allowed; give 1 among them"},
		{[]string{"scale", "--workers", "1,1"}, "1 is given twice"},
		{[]string{"scale", "--model", "sequential", "--workers", "1,2"}, "sequential has one worker"},
		{[]string{"scale", "--model", "fibers"}, `model: "fibers" is not allowed`},
		{[]string{"scale", "--label", "x"}, "--label names the --cmd runs; give a --cmd"},
		{[]string{"scale", "--cmd", "no-such-program-corescope {workers}"}, `"no-such-program-corescope"`},
		{[]string{"scale", "--python", "/usr/bin/python3"}, "add --backend python"},
		{[]string{"scale", "--weak", "--tasks", "60000", "--workers", "1,2"}, "tasks: 60000 × 2 workers is not allowed"},
		{[]string{"scale", "--json", filepath.Join(dir, "missing", "s.json")}, "--json: cannot write"},
		{[]string{"scale", "extra"}, `unexpected argument "extra"`},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := cli(tt.args...)
			if code != ExitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, ExitUsage, tt.want)
			}
		})
	}
}

// sweepOf runs corescope scale with args, checks it ended well and
// printed its table and fit, that report prints the file it saved the
// same way, and returns the sweep it saved.
func sweepOf(t *testing.T, args ...string) *scaling.Sweep {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sweep.json")
	code, stdout, stderr := cli(append(append([]string{"scale"}, args...), "--json", path)...)
	t.Logf("corescope scale %s:\n%s%s", strings.Join(args, " "), stdout, stderr)
	if code != ExitOK {
		t.Fatalf("exit code %d; stderr %q", code, stderr)
	}
	for _, want := range []string{"workers  runs  wall", "serial fraction", "USL: σ"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q", want)
		}
	}
	// report prints a saved sweep as scale printed it.
	if code, again, _ := cli("report", path); code != ExitOK || !strings.Contains(again, stdout[:strings.Index(stdout, "\n")]) ||
		!strings.Contains(again, "serial fraction") {
		t.Errorf("report of the sweep: exit %d, stdout %q; want the sweep's title and fit again", code, again)
	}
	ps, err := profile.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	sws := scaling.Sweeps(ps)
	if len(sws) != 1 {
		t.Fatalf("%d sweeps in the file; want 1", len(sws))
	}
	return sws[0]
}

// load is what a point's runs measured beside them, on average: the
// cores' worth of CPU the subject got, and the cores other programs kept
// busy meanwhile; idle is what neither used of the machine's cores.
type load struct{ used, others, idle float64 }

func loadOf(sw *scaling.Sweep, i int) load {
	var l load
	for _, p := range sw.Runs[i] {
		l.used += p.Summary.CoresUsed
		l.others += p.Summary.OthersBusyCores
		l.idle += max(0, float64(p.Machine.LogicalCores)-p.Summary.MachineBusyCores)
	}
	k := float64(len(sw.Runs[i]))
	return load{l.used / k, l.others / k, l.idle / k}
}

// marginOf is how far a speedup may stray from the cores' worth of CPU
// its runs got over the 1-worker runs': 25% on a quiet machine, and a
// quarter more for each core other programs kept busy beside the sweep at
// its busiest. Here, with them at 1.3 cores, the same work took a third
// more CPU in one run than in the next.
func marginOf(sw *scaling.Sweep) float64 {
	most := 0.0
	for i := range sw.Points {
		most = max(most, loadOf(sw, i).others)
	}
	return 1.25 + 0.25*most
}

// TestScaleGoProcesses sweeps the Go processes model over 1, 2 and 4
// workers on this machine's cores and checks the curve's shape with
// margins sized to the load each run measured beside it, not wall times.
// The same work took the cores the scheduler gave it, so each speedup must
// follow the cores' worth of CPU its runs got (within 30%). Up to the
// cores, the pool keeps busy every core other programs left it: a core
// idle while it ran (more than 0.35 of one, the edges of a short run)
// and it below its workers would be a curve that fails to rise. Past the
// cores no run gets more than the cores, and the point is said to be
// squeezed. On a machine that other programs fill, the rise cannot show:
// then the first holds and the second asks nothing.
func TestScaleGoProcesses(t *testing.T) {
	sw := sweepOf(t, "--model", "processes", "--tasks", "8", "--size", "0.3", "--workers", "1,2,4", "--interval", "50ms")
	if len(sw.Points) != 3 || sw.Fit == nil {
		t.Fatalf("points %+v, fit %+v; want 3 points and a fit", sw.Points, sw.Fit)
	}
	cores := sw.Fit.Cores
	one, margin := loadOf(sw, 0), marginOf(sw)
	for i, pt := range sw.Points {
		l := loadOf(sw, i)
		t.Logf("%d workers: speedup %.2f, %.2f cores' worth, others %.2f, idle %.2f", pt.Workers, pt.Speedup, l.used, l.others, l.idle)
		if want := l.used / one.used; i > 0 && (pt.Speedup < want/margin || pt.Speedup > want*margin) {
			t.Errorf("%d workers: speedup %.2f; want it within a factor %.2f of the cores' worth it got over 1 worker's, %.2f", pt.Workers, pt.Speedup, margin, want)
		}
		if l.used > float64(cores)+0.15 {
			t.Errorf("%d workers: %.2f cores' worth on %d cores", pt.Workers, l.used, cores)
		}
		if want := float64(min(pt.Workers, cores)); l.used < want-0.2 && l.idle > 0.35 {
			t.Errorf("%d workers: %.2f cores' worth while %.2f cores were idle: the pool did not take the cores left to it", pt.Workers, l.used, l.idle)
		}
	}
	if cores == 2 {
		if four := sw.Points[2]; !four.PastCores || four.InFit || four.Bend != profile.BendPastCores {
			t.Errorf("4 processes on 2 cores: %+v; want past the cores, not fitted, squeezed", four)
		}
	}
}

// TestScaleCPythonThreads sweeps CPython's threads model: the GIL holds
// every count to one core's worth (load only lowers it), so per core's
// worth the curve stays flat: each speedup is at most what the cores'
// worth its runs got over 1 thread's gives (within marginOf); and every
// point above 1 thread is said to be held by the GIL, even where a
// starved 1-thread run makes it look fast.
func TestScaleCPythonThreads(t *testing.T) {
	py := python3(t)
	// Size 1: runs of about 0.8 s, whose start-up (0.06 s) is well under
	// a tenth of them: at size 0.3 a 0.24 s run under load read as held by
	// its serial start-up, its GIL's turns too few to tell.
	sw := sweepOf(t, "--backend", "python", "--python", py, "--model", "threads", "--tasks", "4", "--size", "1", "--workers", "1,2,4", "--interval", "50ms")
	one, margin := loadOf(sw, 0), marginOf(sw)
	for i, pt := range sw.Points {
		l := loadOf(sw, i)
		t.Logf("%d threads: speedup %.2f, %.2f cores' worth, others %.2f, idle %.2f", pt.Workers, pt.Speedup, l.used, l.others, l.idle)
		if l.used > 1.15 {
			t.Errorf("%d threads got %.2f cores' worth under one GIL", pt.Workers, l.used)
		}
		if i == 0 {
			continue
		}
		if want := l.used / one.used; pt.Speedup > want*margin {
			t.Errorf("%d threads: speedup %.2f; want at most a factor %.2f over the cores' worth it got over 1 thread's, %.2f", pt.Workers, pt.Speedup, margin, want)
		}
		if pt.Bend != profile.BendGIL {
			t.Errorf("%d threads: held by %q; want the GIL", pt.Workers, pt.Bend)
		}
	}
}

// TestScaleAmdahlSerialSleep sweeps a real subject of a known serial
// part: 0.6 s of sleep before a pool of 8 tasks of 0.15 s each, which
// takes its count from {workers} and from CORESCOPE_WORKERS. The truth is
// measured in the same recording: the share of the 1-worker run outside
// its tasks' span (the sleep, the process's start and exit); by design
// 0.6 / 1.8 = 0.333. Amdahl's serial fraction fitted within the cores
// must be within 10% of it, and the points say the serial start-up held
// them.
func TestScaleAmdahlSerialSleep(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(amdahlEnv, "1")
	sw := sweepOf(t, "--cmd", self+" {workers} 600ms 150ms", "--label", "amdahl", "--workers", "1,2,4", "--interval", "50ms")
	if sw.Fit == nil {
		t.Fatal("no fit")
	}
	one := sw.Runs[0][0].Summary
	truth := 1 - (one.TasksEndS-one.TasksStartS)/one.WallS
	got := sw.Fit.SerialFraction
	t.Logf("serial fraction %.4f; truth %.4f (the 1-worker run: %.3f s, its tasks %.3f s)", got, truth, one.WallS, one.TasksEndS-one.TasksStartS)
	if math.Abs(got-truth) > 0.1*truth {
		t.Errorf("serial fraction %.4f; want within 10%% of %.4f", got, truth)
	}
	if b := sw.Points[1].Bend; b != profile.BendStartup {
		t.Errorf("2 workers held by %q; want the serial start-up", b)
	}
}
