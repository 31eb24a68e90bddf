//go:build linux

package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"

	"corescope/diagnosis"
	"corescope/lanes"
	"corescope/profile"
	"corescope/recorder"
	"corescope/runtext"
	"corescope/spec"
)

// TestCLICompareRepeats checks that compare measures each model --repeat
// times after --warmup runs, that the file keeps every run with its
// number, and that the table shows a row per model with the median wall's
// spread and the speedup's range, as report shows it again.
func TestCLICompareRepeats(t *testing.T) {
	jsonPath := filepath.Join(t.TempDir(), "p.json")
	code, stdout, stderr := cli("compare", "--models", "sequential,goroutines", "--tasks", "2", "--size", "0.1",
		"--repeat", "2", "--warmup", "1", "--json", jsonPath)
	if code != ExitOK {
		t.Fatalf("compare --repeat 2 --warmup 1: exit %d, stderr %q", code, stderr)
	}
	ps, err := profile.Load(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var runs []string
	for _, p := range ps {
		runs = append(runs, fmt.Sprintf("%s %d %v", p.Label, p.Repeat, p.Warmup))
	}
	want := []string{"sequential 1 true", "goroutines 1 true", "sequential 1 false", "goroutines 1 false", "sequential 2 false", "goroutines 2 false"}
	if !slices.Equal(runs, want) {
		t.Errorf("the file holds %q; want %q", runs, want)
	}
	if r := ps[5].Summary.SpeedupRange; r == nil || !(r.Low() <= *ps[5].Summary.Speedup && *ps[5].Summary.Speedup <= r.High()) {
		t.Errorf("goroutines' speedup %v, range %v; want a range around it", ps[5].Summary.Speedup, r)
	}
	if !strings.Contains(stdout, "2 runs each, after 1 warm-up: the median wall (min–max)") {
		t.Errorf("the table does not say how it was measured:\n%s", stdout)
	}
	spread := `[0-9.]+ s \([0-9.]+–[0-9.]+\)`
	if !regexp.MustCompile(`(?m)^sequential +sequential +`+spread+` .* 1\.00x `).MatchString(stdout) ||
		!regexp.MustCompile(`(?m)^goroutines +goroutines, 2 workers +`+spread+` .* [0-9.]+x \([0-9.]+–[0-9.]+\) `).MatchString(stdout) {
		t.Errorf("table:\n%s\nwant a row a model, the wall's spread, goroutines' speedup with its range", stdout)
	}
	if n := strings.Count(stdout, "\nsequential "); n != 1 {
		t.Errorf("sequential has %d rows; want one for its repeats", n)
	}
	code, report, _ := cli("report", jsonPath)
	if code != ExitOK || report != stdout {
		t.Errorf("report: exit %d,\n%s\nwant the compare's table:\n%s", code, report, stdout)
	}
}

func TestCLIRepeatUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"compare", "--repeat", "0"}, "repeat: 0 is not allowed; use 1..100"},
		{[]string{"run", "--repeat", "often"}, `repeat: "often" is not allowed`},
		{[]string{"record", "--warmup", "11", "--", "true"}, `warmup: "11" is not allowed; use a whole number, 0..10`},
	} {
		if code, _, stderr := cli(tt.args...); code != ExitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%q: exit %d, %q; want %d and %q", tt.args, code, stderr, ExitUsage, tt.want)
		}
	}
}

// TestCLIShellHint checks that a --cmd line with shell syntax, which runs
// without a shell, gets the hint to wrap it in sh -c.
func TestCLIShellHint(t *testing.T) {
	_, _, stderr := cli("compare", "--cmd", "true | false", "--cmd", "true", "--repeat", "1")
	if want := "--cmd \"true | false\": `|` is shell syntax, but the command runs without a shell: to use it, give sh -c 'true | false'"; !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q; want %q", stderr, want)
	}
	if strings.Count(stderr, "shell syntax") != 1 {
		t.Errorf("stderr = %q; want the hint once, for the line with a pipe", stderr)
	}
}

// TestCLIPythonShimResolved runs a model through a wrapper that execs the
// interpreter: the interpreter runs, and the CLI says which.
func TestCLIPythonShimResolved(t *testing.T) {
	py, dir := python3(t), t.TempDir()
	wrapper := filepath.Join(dir, "python3")
	if err := os.WriteFile(wrapper, []byte("#!/bin/sh\nexec "+py+" \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	jsonPath := filepath.Join(dir, "p.json")
	code, _, stderr := cli("run", "--backend", "python", "--python", wrapper, "--tasks", "1", "--size", "0.05", "--json", jsonPath)
	if code != ExitOK {
		t.Fatalf("run through a wrapper: exit %d, %q", code, stderr)
	}
	if want := "python: " + wrapper + " → " + py + " (wrapper)"; !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q; want %q", stderr, want)
	}
	if ps, err := profile.Load(jsonPath); err != nil || ps[0].Spec.Python != py || ps[0].Spec.PythonShim != wrapper {
		t.Errorf("the run's spec: %v; want python %s, python_shim %s", err, py, wrapper)
	}
}

// busyLoops starts n processes that spin until stop, or the test's end.
func busyLoops(t *testing.T, n int) (stop func()) {
	var loops []*exec.Cmd
	stop = func() {
		for _, l := range loops {
			syscall.Kill(-l.Process.Pid, syscall.SIGKILL)
			l.Wait()
		}
		loops = nil
	}
	t.Cleanup(stop)
	for range n {
		loop := exec.Command("sh", "-c", "while :; do :; done")
		loop.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := loop.Start(); err != nil {
			t.Fatal(err)
		}
		loops = append(loops, loop)
	}
	return stop
}

// TestNoiseSaidAtTheLoadMeasured records 3 repeats of a small sequential
// run, once with two busy loops started after the first repeat and once
// without, and checks that each group's note says exactly what its
// measured figures cross: other programs' load, the walls' spread. The
// machine is shared, so the second comparison is not assumed quiet: its
// note must match what was measured, and be empty when nothing crossed.
func TestNoiseSaidAtTheLoadMeasured(t *testing.T) {
	s := spec.Spec{Backend: spec.BackendGo, Workload: spec.CPU, Model: spec.Sequential, Tasks: 4, Size: 0.3}
	s, err := s.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	for _, busy := range []bool{true, false} {
		opt := recorder.CompareOptions{Repeat: 3}
		stop := func() {}
		if busy {
			opt.OnRunEnd = func(i int, _ *profile.Profile, _ error) {
				if i == 0 {
					stop = busyLoops(t, 2)
				}
			}
		}
		ps, err := recorder.Compare(context.Background(), []spec.Spec{s}, opt)
		stop()
		if err != nil || len(ps) != 3 {
			t.Fatalf("busy %v: %d runs, %v; want 3", busy, len(ps), err)
		}
		runtext.Conclude(ps)
		g := runtext.Rows(ps)[0].Group
		note := runtext.Noise(g)
		others, spread := 0.0, g.Wall().Share()
		for _, p := range ps {
			others = max(others, p.Summary.OthersBusyCores)
		}
		t.Logf("busy %v: others up to %.2f cores, walls %.0f%% apart: %q", busy, others, 100*spread, note)
		over := others > diagnosis.Competing(ps[0].Machine.LogicalCores)
		if busy && !over {
			t.Errorf("two busy loops measured as %.2f cores of others; want over %.2f", others, diagnosis.Competing(ps[0].Machine.LogicalCores))
		}
		if strings.Contains(note, "others kept") != over || strings.Contains(note, "walls varied") != (spread > diagnosis.SpreadShare) {
			t.Errorf("busy %v: note %q for others %.2f and a spread of %.0f%%; want it to say exactly what crossed its bound", busy, note, others, 100*spread)
		}
		if quiet := !over && spread <= diagnosis.SpreadShare && !diagnosis.NoiseOf(g).Noisy(); quiet && note != "" {
			t.Errorf("a quiet comparison says %q; want nothing", note)
		}
	}
}

// standIn writes an executable shell script into dir.
func standIn(t *testing.T, dir, name, body string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// workAfterSleep sleeps 0.5 s, then computes for 0.6 s.
const workAfterSleep = `import time
time.sleep(0.5)
t = time.time()
while time.time() - t < 0.6:
    pass
`

// recordStartup records argv with record --json and returns its profile
// and start-up, skipping when the machine left the main process under
// half a core all along: the rule then finds no busy stretch to judge.
func recordStartup(t *testing.T, argv ...string) (*profile.Profile, diagnosis.Startup, string) {
	t.Helper()
	jsonPath := filepath.Join(t.TempDir(), "p.json")
	code, stdout, stderr := cli(append([]string{"record", "--json", jsonPath, "--"}, argv...)...)
	if code != ExitOK {
		t.Fatalf("record %q: exit %d, %q", argv, code, stderr)
	}
	ps, err := profile.Load(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	st := diagnosis.StartupOf(ps[0])
	if st.MainBusyS < 0 {
		t.Skipf("the main process never had half a core for an interval (cores used %.2f beside others' %.2f): no busy stretch to judge",
			ps[0].Summary.CoresUsed, ps[0].Summary.OthersBusyCores)
	}
	return ps[0], st, stdout
}

// TestStartupOfASleeper records a stand-in that sleeps 0.5 s before its
// work: its start-up is at least the sleep, and the summary says what
// the main process did meanwhile.
func TestStartupOfASleeper(t *testing.T) {
	py, dir := python3(t), t.TempDir()
	p, st, stdout := recordStartup(t, py, script(t, dir, "sleepy.py", workAfterSleep))
	if st.S < 0.5 || st.S >= p.Summary.WallS || st.FromTasks || len(st.Shim) != 0 {
		t.Errorf("start-up %.3f s of a %.3f s run (%d start-up processes); want the 0.5 s sleep at least, and less than the run",
			st.S, p.Summary.WallS, len(st.Shim))
	}
	if !regexp.MustCompile(`start-up +Start-up took [0-9.]+ s: python3 \(its main process\) kept no core busy for [0-9.]+ s\.`).MatchString(stdout) {
		t.Errorf("summary:\n%s\nwant its start-up line", stdout)
	}
}

// TestStartupOfAWrappedCommand records a command through a wrapper that
// runs 3 short processes before it execs python3, as a shim does: they are
// its start-up processes, on one lane named for them.
func TestStartupOfAWrappedCommand(t *testing.T) {
	py, dir := python3(t), t.TempDir()
	wrapper := standIn(t, dir, "shim", "/bin/true\n/bin/true\n/bin/true\nexec "+py+" \"$@\"\n")
	p, st, _ := recordStartup(t, wrapper, script(t, dir, "work.py", "import time\nt = time.time()\nwhile time.time() - t < 0.6:\n    pass\n"))
	if p.Summary.Attribution != profile.AttributionExact {
		t.Skip("processes of a millisecond need the switch timeline to be seen: " + p.Summary.AttributionNote)
	}
	var names []string
	for _, l := range st.Shim {
		names = append(names, l.Name)
	}
	if !slices.Equal(names, []string{"true", "true", "true"}) || st.S <= 0 || st.S >= p.Summary.WallS {
		t.Errorf("start-up processes %q, start-up %.3f s of %.3f s; want the 3 true, before the work", names, st.S, p.Summary.WallS)
	}
	if f := lanes.NewFold(p); f.Label() != "3 start-up processes" || f.Has(st.Main.PID) {
		t.Errorf("the fold is %q, main folded %v; want the 3 on a lane of their own", f.Label(), f.Has(st.Main.PID))
	}
}
