package scaling

import (
	"math"
	"reflect"
	"testing"

	"corescope/profile"
	"corescope/profile/profiletest"
	"corescope/spec"
)

// sweepRun is a run of a sweep named sweep on 2 cores: model m with n
// workers that took wall seconds at cores cores' worth of CPU.
func sweepRun(sweep string, m spec.Model, n int, wall, cores float64) *profile.Profile {
	p := profiletest.Model(m, wall, cores)
	p.Spec.Workers, p.Spec.Scale = n, spec.Scale{Sweep: sweep, Workers: n}
	p.Summary.Attribution = profile.AttributionExact
	return p
}

// heldByGIL gives runs ps the reason the kernel's evidence gives threads
// that took turns in CPython's GIL (diagnosis.Of, kept by the summary):
// the model alone is no evidence.
func heldByGIL(ps ...*profile.Profile) {
	for _, p := range ps {
		p.Summary.Reasons = []profile.Reason{{Name: profile.ReasonGIL}}
	}
}

// repeats are three runs of n workers around wall (±spread).
func repeats(sweep string, m spec.Model, n int, wall, spread, cores float64) []*profile.Profile {
	return []*profile.Profile{sweepRun(sweep, m, n, wall-spread, cores), sweepRun(sweep, m, n, wall, cores), sweepRun(sweep, m, n, wall+spread, cores)}
}

func concat(groups ...[]*profile.Profile) []*profile.Profile {
	var out []*profile.Profile
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// TestConcludeProcesses: a pool that rises to the 2 cores then flattens.
// The fit takes the points within the cores (1 and 2 workers): Amdahl's
// serial fraction from the speedup at 2, κ not measured (one count above
// 1), a band from the repeats; 4 workers is past the cores, shown but not
// fitted, and said to be squeezed.
func TestConcludeProcesses(t *testing.T) {
	ps := concat(repeats("s", spec.Processes, 1, 2.0, 0.02, 1), repeats("s", spec.Processes, 2, 1.05, 0.01, 1.9),
		repeats("s", spec.Processes, 4, 1.1, 0.01, 1.9))
	Conclude(ps)
	sws := Sweeps(ps)
	if len(sws) != 1 || len(sws[0].Counts) != 3 {
		t.Fatalf("sweeps %+v; want one of 3 counts", sws)
	}
	sw := sws[0]
	two, four := sw.Points[1], sw.Points[2]
	if two.Runs != 3 || math.Abs(two.Speedup-2/1.05) > 1e-3 || !two.InFit || two.PastCores || two.Bend != "" {
		t.Errorf("2 workers: %+v; want 1.905x from 3 runs, fitted, not held", two)
	}
	// The spread: 1% of the 1-worker runs' and about 1% of these, in quadrature.
	if want := two.Speedup * math.Hypot(0.02/2, 0.01/1.05); math.Abs(two.SpeedupSpread-want) > 1e-3 {
		t.Errorf("2 workers' spread %.4f; want %.4f", two.SpeedupSpread, want)
	}
	if !four.PastCores || four.InFit || four.Bend != profile.BendPastCores || four.BendFigures["cores"] != 2 {
		t.Errorf("4 workers: %+v; want past the cores, not fitted, squeezed onto 2", four)
	}
	f := sw.Fit
	if f == nil || f.Cores != 2 || f.Points != 2 || f.Kappa != nil || f.Band != BandRepeats {
		t.Fatalf("fit %+v; want 2 points within 2 cores, κ not measured, a band from the repeats", f)
	}
	if want := 2/two.Speedup - 1; math.Abs(f.SerialFraction-want) > 1e-3 || math.Abs(f.Sigma-f.SerialFraction) > 1e-3 {
		t.Errorf("serial fraction %.4f, σ %.4f; want both %.4f", f.SerialFraction, f.Sigma, want)
	}
	if len(f.Projection) != len(projectedMultiples) || f.Projection[1].Cores != 8 || f.PeakWorkers != 0 {
		t.Errorf("projection %+v, peak %v; want 4, 8... cores and no peak (Amdahl keeps rising)", f.Projection, f.PeakWorkers)
	}
	pr := f.Projection[1]
	if want := 8 / (1 + f.SerialFraction*7); math.Abs(pr.Speedup-want) > 1e-2 || !(pr.Low < pr.Speedup && pr.Speedup < pr.High) {
		t.Errorf("projected at 8 cores %+v; want %.2f inside its band", pr, want)
	}
	for _, p := range ps {
		if s := p.Summary.Scaling; s == nil || s.Fit != f && !reflect.DeepEqual(s.Fit, f) || s.Point.Workers != p.Spec.Scale.Workers {
			t.Errorf("run of %d workers keeps %+v; want its point and the sweep's fit", p.Spec.Scale.Workers, s)
		}
	}
	again := concat(ps)
	Conclude(again)
	if !reflect.DeepEqual(Sweeps(again)[0].Points, sw.Points) {
		t.Error("concluding again changed the points")
	}
}

// TestConcludeThreads: threads under one GIL stay flat from 1 worker; the
// fit's serial fraction is about 1, the peak at 1 worker, and every point
// above 1 is held by the GIL, even where other programs competed.
func TestConcludeThreads(t *testing.T) {
	ps := []*profile.Profile{sweepRun("t", spec.Threads, 1, 2, 1), sweepRun("t", spec.Threads, 2, 2.05, 1), sweepRun("t", spec.Threads, 4, 2.1, 0.7)}
	heldByGIL(ps[1:]...)
	ps[2].Summary.OthersBusyCores = 1.2
	Conclude(ps)
	sw := Sweeps(ps)[0]
	for i, pt := range sw.Points[1:] {
		if pt.Bend != profile.BendGIL {
			t.Errorf("point %d: bend %q; want the GIL", i+1, pt.Bend)
		}
	}
	if f := sw.Fit; f == nil || f.SerialFraction < 0.9 || f.PeakWorkers != 1 {
		t.Errorf("fit %+v; want a serial fraction near 1 and the peak at 1 worker", f)
	}
	if !sw.Points[2].Competed {
		t.Error("4 workers: not marked as competed")
	}

	// The 1-thread run starved by other programs to 0.4 cores makes the
	// 2 threads look 2.5 times as fast: the GIL that held them to one core
	// is named all the same.
	starved := []*profile.Profile{sweepRun("u", spec.Threads, 1, 5, 0.4), sweepRun("u", spec.Threads, 2, 2, 1)}
	starved[0].Summary.OthersBusyCores = 1.6
	heldByGIL(starved[1])
	Conclude(starved)
	if pt := starved[1].Summary.Scaling.Point; pt.Efficiency < held || pt.Bend != profile.BendGIL {
		t.Errorf("2 threads after a starved 1: %+v; want an efficiency past %v and the GIL named", pt, held)
	}
}

// TestConcludeMarks: points measured while other programs competed are
// marked, and left out of the fit where the sweep asks; the reasons a
// run's summary keeps (the kernel's evidence) name what held a point; a
// quota, fewer tasks than workers and a serial start-up are named.
func TestConcludeMarks(t *testing.T) {
	ps := []*profile.Profile{sweepRun("m", spec.Processes, 1, 2, 1), sweepRun("m", spec.Processes, 2, 1.6, 1.2)}
	ps[1].Summary.OthersBusyCores = 0.8
	for _, p := range ps {
		p.Spec.Scale.SkipCompeted = true
	}
	Conclude(ps)
	if sw := Sweeps(ps)[0]; !sw.Points[1].Competed || sw.Points[1].InFit || sw.Fit != nil || sw.Points[1].Bend != profile.BendCompeted {
		t.Errorf("competed, skipped: %+v, fit %+v; want marked, not fitted, no fit, held by other programs", sw.Points[1], sw.Fit)
	}

	bent := func(change func(p *profile.Profile)) (string, map[string]float64) {
		ps := []*profile.Profile{sweepRun("b", spec.Processes, 1, 2, 1), sweepRun("b", spec.Processes, 2, 1.8, 1.1)}
		change(ps[1])
		Conclude(ps)
		pt := ps[1].Summary.Scaling.Point
		return pt.Bend, pt.BendFigures
	}
	quota := 1.2
	for _, tt := range []struct {
		name   string
		change func(p *profile.Profile)
		want   string
		figure string
	}{
		{"a quota", func(p *profile.Profile) { p.Summary.CPUQuotaCores = &quota }, profile.BendQuota, "quota_cores"},
		{"an affinity", func(p *profile.Profile) { p.Summary.AllowedCores = 1 }, profile.BendAffinity, "allowed_cores"},
		{"one task", func(p *profile.Profile) { p.Spec.Tasks = 1 }, profile.BendTasks, "tasks"},
		{"a serial start-up", func(p *profile.Profile) { p.Summary.StartupS = 0.5 }, profile.BendStartup, "startup_s"},
		{"the kernel's evidence", func(p *profile.Profile) {
			p.Summary.Reasons = []profile.Reason{{Name: profile.ReasonGIL, Phase: -1}}
		}, profile.BendGIL, "cores_used"},
		{"no evidence (an undecided run)", func(p *profile.Profile) {}, profile.BendUndecided, "cores_used"},
		{"evidence of nothing that held it", func(p *profile.Profile) {
			p.Summary.Reasons = []profile.Reason{{Name: profile.ReasonParallel}}
		}, profile.BendOverhead, "cores_used"},
		{"a command's pool that sleeps beside busy programs", func(p *profile.Profile) {
			p.Spec.Backend, p.Spec.Command = spec.BackendCommand, []string{"python3", "pool.py"}
			p.Summary.CoresUsed, p.Summary.OthersBusyCores = 0.02, 1.5
		}, profile.BendWaiting, "cores_used"},
		{"a CPU-bound model starved by busy programs", func(p *profile.Profile) {
			p.Summary.CoresUsed, p.Summary.OthersBusyCores = 0.4, 1.5
		}, profile.BendCompeted, "others_busy_cores"},
	} {
		if got, figures := bent(tt.change); got != tt.want || figures[tt.figure] == 0 {
			t.Errorf("%s: bend %q %v; want %q with %s", tt.name, got, figures, tt.want, tt.figure)
		}
	}
}

// TestConcludeWithoutReference: a sweep without a run of 1 worker (or
// whose 1-worker runs failed) has no speedups and no fit, and says so by
// their absence; runs of no sweep are left alone.
func TestConcludeWithoutReference(t *testing.T) {
	failed := sweepRun("x", spec.Processes, 1, 2, 1)
	failed.Error = "the subject exited with code 1"
	plain := profiletest.Model(spec.Sequential, 2, 1)
	ps := []*profile.Profile{failed, sweepRun("x", spec.Processes, 2, 1, 2), plain}
	Conclude(ps)
	sw := Sweeps(ps)
	if len(sw) != 1 || sw[0].Fit != nil || sw[0].Points[1].Speedup != 0 || sw[0].Points[0].Runs != 0 {
		t.Errorf("sweep %+v; want no speedups and no fit without a 1-worker run that ended well", sw[0])
	}
	if plain.Summary.Scaling != nil {
		t.Error("a run of no sweep got a place in one")
	}
}

// TestConcludeWeak: weak scaling's speedup is scaled (n times the work in
// the time taken); a serial part of fixed time gives Gustafson's fraction.
func TestConcludeWeak(t *testing.T) {
	// 0.5 s serial, 1.5 s of parallel work per worker: T(n) = 2 s, ideally.
	var ps []*profile.Profile
	for _, n := range []int{1, 2} {
		p := sweepRun("w", spec.Processes, n, 2, 1)
		p.Spec.Scale.Weak = true
		ps = append(ps, p)
	}
	Conclude(ps)
	sw := Sweeps(ps)[0]
	if sw.Points[1].Speedup != 2 || sw.Fit == nil || sw.Fit.SerialFraction != 0 {
		t.Errorf("weak sweep %+v fit %+v; want a scaled speedup of 2 and no serial fraction", sw.Points, sw.Fit)
	}
	if l := Projection(sw.Fit, true); l.Kind != Gustafson || l.Speedup(8) != 8 {
		t.Errorf("weak projection %+v; want Gustafson's, 8x at 8", l)
	}
}

// TestCompetedPointNamesOthers: a point marked competed because one of its
// runs was is named for the other programs, with the most they kept busy,
// even where its median run was measured alone (a real sweep read
// "fitted, competed" beside "no ... competition in its evidence").
func TestCompetedPointNamesOthers(t *testing.T) {
	two := repeats("c", spec.Processes, 2, 1.5, 0.1, 1.3)
	two[2].Summary.OthersBusyCores = 0.9 // the slowest: not the median
	ps := concat(repeats("c", spec.Processes, 1, 2, 0.02, 1), two)
	Conclude(ps)
	pt := Sweeps(ps)[0].Points[1]
	if !pt.Competed || pt.Bend != profile.BendCompeted || pt.BendFigures["others_busy_cores"] != 0.9 {
		t.Errorf("point %+v; want it competed, bent by other programs who kept 0.9 cores busy", pt)
	}
}
