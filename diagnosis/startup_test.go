package diagnosis

import (
	"math"
	"path/filepath"
	"slices"
	"testing"

	"corescope/profile"
	"corescope/profile/profiletest"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestStartupOfACommand(t *testing.T) {
	st := StartupOf(profiletest.Shimmed())
	if st.Main.PID != 10 || !near(st.MainBusyS, 0.15) || len(st.Shim) != 5 || !near(st.ShimS, 0.14) || !near(st.S, 0.15) || st.FromTasks {
		t.Errorf("a shimmed command: main %d busy from %.3f s, %d start-up processes until %.3f s, start-up %.3f s; "+
			"want 10 from 0.150 s, 5 until 0.140 s, 0.150 s", st.Main.PID, st.MainBusyS, len(st.Shim), st.ShimS, st.S)
	}
	if st.ShimPIDs()[20] {
		t.Error("the child that worked after the start-up is one of its processes")
	}

	if st := StartupOf(profiletest.SleepFirst()); !near(st.S, 0.52) || len(st.Shim) != 0 {
		t.Errorf("a command that sleeps, then works: start-up %.3f s with %d start-up processes; want 0.520 s, none", st.S, len(st.Shim))
	}

	idle := profiletest.Command("make", 1.0, 0.1)
	idle.Summary.SubjectStartS = 0.3
	for k := range 10 {
		idle.Slices = append(idle.Slices, profile.Slice{PID: 10, TID: 10, Start: 0.3 + 0.1*float64(k), End: 0.31 + 0.1*float64(k)}, // 10% of each interval
			profile.Slice{PID: 100 + k, TID: 100 + k, Start: 0.31 + 0.1*float64(k), End: 0.39 + 0.1*float64(k)})
	}
	if st := StartupOf(idle); st.S != 0 || st.MainBusyS != -1 {
		t.Errorf("a main process never busy (make): start-up %.3f s, busy from %.3f; want none", st.S, st.MainBusyS)
	}
}

// TestStartupOfAModel splits a start-up that ends at the first task: a
// shim until 0.24 s, the interpreter, then a pool of 2 workers started
// 0.1 s before the first task.
func TestStartupOfAModel(t *testing.T) {
	p := profiletest.PoolBehindShim()
	st := StartupOf(p)
	if !st.FromTasks || !near(st.S, 0.5) || len(st.Shim) != 4 || !near(st.ShimS, 0.24) || st.Workers != 2 ||
		!near(st.PoolS, 0.1) || !near(st.InterpreterS, 0.16) {
		t.Errorf("start-up %+v; want 0.5 s to the first task: a shim of 4 processes 0.24 s, the interpreter 0.16 s, 2 workers' start 0.1 s", st)
	}
}

// TestStartupSampled finds the start-up from thread samples alone, a
// frame at a time.
func TestStartupSampled(t *testing.T) {
	p := profiletest.Command("python3", 1.0, 1)
	p.Summary.SubjectStartS, p.Summary.Attribution = 0.3, profile.AttributionApproximate
	for i := range 10 {
		f := profile.Frame{T: 0.4 + 0.1*float64(i)}
		cpu := 0.1
		if i < 2 {
			cpu = 0.01
			f.ThreadSamples = append(f.ThreadSamples, profile.ThreadSample{PID: 100 + i, TID: 100 + i, CPU: 0.005})
		}
		f.ThreadSamples = append(f.ThreadSamples, profile.ThreadSample{PID: 10, TID: 10, CPU: cpu})
		p.Frames = append(p.Frames, f)
	}
	st := StartupOf(p)
	if !near(st.MainBusyS, 0.2) || len(st.Shim) != 2 || !near(st.S, 0.2) {
		t.Errorf("sampled: busy from %.3f s, %d start-up processes, start-up %.3f s; want 0.200 s, 2, 0.200 s", st.MainBusyS, len(st.Shim), st.S)
	}
}

// TestStartupOfARecordedShim reads `corescope record -- python3 work.py`
// through this machine's pyenv shim, which ran 40 processes (bash,
// readlink, basename) from 0.331 s to 0.439 s before python3, started at
// 0.321 s, computed until 1.1 s.
func TestStartupOfARecordedShim(t *testing.T) {
	ps, err := profile.Load(filepath.Join("testdata", "startup", "pyenv-shim.json"))
	if err != nil {
		t.Fatal(err)
	}
	st := StartupOf(ps[0])
	var names []string
	for _, l := range st.Shim {
		if !slices.Contains(names, l.Name) {
			names = append(names, l.Name)
		}
	}
	slices.Sort(names)
	if st.Main.Name != "python3" || len(st.Shim) != 40 || !slices.Equal(names, []string{"basename", "bash", "readlink"}) ||
		math.Abs(st.S-0.118) > 0.001 {
		t.Errorf("main %s, %d start-up processes named %q, start-up %.3f s; want python3, 40 named basename, bash, readlink, 0.118 s",
			st.Main.Name, len(st.Shim), names, st.S)
	}
}
