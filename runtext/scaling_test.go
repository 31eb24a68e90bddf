package runtext

import (
	"fmt"
	"strings"
	"testing"

	"corescope/profile"
	"corescope/profile/profiletest"
	"corescope/scaling"
	"corescope/spec"
)

// sweep is a concluded sweep of model m on a machine of machineCores:
// for each worker count, the wall times of its runs, each at cores cores'
// worth of CPU.
func sweep(t *testing.T, m spec.Model, runs map[int][]float64, cores float64, machineCores int) *scaling.Sweep {
	t.Helper()
	var ps []*profile.Profile
	for n, walls := range runs {
		for _, w := range walls {
			p := profiletest.Model(m, w, cores)
			if m == spec.Threads {
				// CPython's threads, with the evidence of their turns in
				// the GIL (the model alone is none).
				p = profiletest.GILThreads("python3").Exact()
				p.Spec.Backend, p.Spec.Model, p.Spec.Workload, p.Spec.Tasks = spec.BackendPython, m, spec.CPU, 20
				p.Summary.WallS = w
			}
			p.Spec.Workers, p.Spec.Scale = n, spec.Scale{Sweep: "s", Workers: n}
			p.Summary.Attribution, p.Machine.LogicalCores = profile.AttributionExact, machineCores
			ps = append(ps, p)
		}
	}
	Conclude(ps)
	sws := scaling.Sweeps(ps)
	if len(sws) != 1 {
		t.Fatalf("%d sweeps; want 1", len(sws))
	}
	return sws[0]
}

// TestFitLine words a sweep of processes that rises to the 2 cores then
// flattens: Amdahl's fraction with its ± from the repeats, κ not measured
// from 2 cores, the projection at 8 cores named as one from 2; its table
// marks the point past the cores and says it was squeezed.
func TestFitLine(t *testing.T) {
	sw := sweep(t, spec.Processes, map[int][]float64{1: {1.98, 2, 2.02}, 2: {1.04, 1.05, 1.06}, 4: {1.09, 1.1, 1.11}}, 1.9, 2)
	line := FitLine(sw)
	for _, want := range []string{"Amdahl: serial fraction 0.050 ± 0.015", "USL: σ 0.05", "κ not measured (it needs two worker counts above 1 within the 2 cores)",
		"; projected 5.93x ± 0.45 at 8 cores (a projection from 2 cores measured)"} {
		if !strings.Contains(line, want) {
			t.Errorf("fit line %q; want it to say %q", line, want)
		}
	}
	if note := FitNote(sw); !strings.Contains(note, "fitted to 2 worker counts within 2 cores") || !strings.Contains(note, "left out past the cores: 4 workers") ||
		!strings.Contains(note, "from the repeats' spread") {
		t.Errorf("fit note %q", note)
	}
	row := strings.Join(ScaleCells(sw.Points[2]), " | ")
	if want := "4 | 3 | 1.10 s | ± 0.01 s | 1.82x ± 0.02 | 45% | past the cores | past the cores"; row != want {
		t.Errorf("row of 4 workers:\n%s\nwant it to start\n%s", row, want)
	}
	if title := ScaleTitle(sw); title != "processes, cpu workload, 20 tasks, size 1: 1, 2 and 4 workers, strong scaling (the same work at every count)" {
		t.Errorf("title %q", title)
	}
	if b := Bends(sw); !strings.HasPrefix(b, "from 4 workers, past the 2 cores") {
		t.Errorf("bends %q; want the point past the cores named", b)
	}
}

// TestFitLineThreads words a GIL-bound sweep: flat from 1, the GIL named,
// a peak at 1 worker.
func TestFitLineThreads(t *testing.T) {
	sw := sweep(t, spec.Threads, map[int][]float64{1: {2}, 2: {2.02}, 4: {2.05}}, 1, 2)
	if b := Bends(sw); !strings.HasPrefix(b, "from 2 workers, the GIL runs one thread's Python at a time: 1.00 cores' worth of CPU, one core's worth at most whatever the workers") {
		t.Errorf("bends %q; want the GIL from 2 workers", b)
	}
	if line := FitLine(sw); !strings.Contains(line, "it never rises above 1 worker's speed") || !strings.Contains(line, "serial fraction 1") {
		t.Errorf("fit line %q; want a serial fraction of 1, never rising", line)
	}
}

// TestFitLineUSL words a sweep that measured κ: a peak, and projections.
func TestFitLineUSL(t *testing.T) {
	runs := map[int][]float64{}
	for _, n := range []int{1, 2, 4, 8, 16} {
		fn := float64(n)
		runs[n] = []float64{10 * (1 + 0.05*(fn-1) + 0.002*fn*(fn-1)) / fn}
	}
	sw := sweep(t, spec.Processes, runs, 1.9, 16)
	line := FitLine(sw)
	for _, want := range []string{"Amdahl: serial fraction", "USL: σ 0.050, κ 0.0020, peak at 22 workers", "at 64 cores (a projection from 16 cores measured)"} {
		if !strings.Contains(line, want) {
			t.Errorf("fit line %q; want it to say %q", line, want)
		}
	}
	if note := FitNote(sw); !strings.Contains(note, "no ±: with one run a count") && !strings.Contains(note, "scatter about the law") {
		t.Errorf("fit note %q; want it to say where its ± comes from", note)
	}
}

func TestNoFit(t *testing.T) {
	sw := sweep(t, spec.Processes, map[int][]float64{2: {1}, 4: {1}}, 1.9, 2)
	if line := FitLine(sw); !strings.HasPrefix(line, "no fit: every speedup is measured against a run of 1 worker") {
		t.Errorf("fit line %q", line)
	}
	if row := ScaleCells(sw.Points[0]); row[4] != "-" || row[6] != "-" {
		t.Errorf("row without a speedup %q; want dashes", row)
	}
}

// TestScaleTitleCommand names a command's sweep by its runs' label, not
// by one count's command line.
func TestScaleTitleCommand(t *testing.T) {
	var ps []*profile.Profile
	for _, n := range []int{1, 2} {
		p := profiletest.Command("python3", 2/float64(n), float64(n))
		p.Spec.Command = []string{"python3", "pool.py", fmt.Sprint(n)}
		p.Spec.Name, p.Spec.Scale = fmt.Sprintf("pool.py ×%d", n), spec.Scale{Sweep: "c", Workers: n, Weak: true}
		p.Label = p.Spec.Name
		ps = append(ps, p)
	}
	Conclude(ps)
	if title := ScaleTitle(scaling.Sweeps(ps)[0]); title != "pool.py: 1 and 2 workers, weak scaling (the work grows with the workers: speedups are scaled)" {
		t.Errorf("title %q", title)
	}
}

// TestFitNoteCompeted: a fit to counts other programs competed in says
// that it measures them too, and how to leave them out.
func TestFitNoteCompeted(t *testing.T) {
	var ps []*profile.Profile
	for n, wall := range map[int]float64{1: 2, 2: 1.6} {
		p := profiletest.Model(spec.Processes, wall, 1.2)
		p.Spec.Workers, p.Spec.Scale = n, spec.Scale{Sweep: "s", Workers: n}
		p.Summary.Attribution, p.Summary.OthersBusyCores = profile.AttributionExact, 0.8
		ps = append(ps, p)
	}
	Conclude(ps)
	if note := FitNote(scaling.Sweeps(ps)[0]); !strings.Contains(note, "other programs competed at 1, 2 workers: the fit measures them as much as the program (corescope scale --skip-competed leaves such counts out)") {
		t.Errorf("fit note %q", note)
	}
}
