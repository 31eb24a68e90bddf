package scaling

import (
	"cmp"
	"math"
	"slices"

	"corescope/profile"
)

// Sweep is one sweep's runs among runs shown together, by worker count,
// with what was concluded of them (Conclude): the points and the fit their
// summaries keep.
type Sweep struct {
	Name string // spec.Scale.Sweep
	Weak bool
	// Counts are the worker counts in increasing order; Runs[i] are the
	// runs of Counts[i], in the order given, and Points[i] their point.
	Counts []int
	Runs   [][]*profile.Profile
	Points []profile.ScalePoint
	// Fit is the law fitted to the points; nil when none could be (no run
	// of 1 worker, or no point above it within the cores).
	Fit *profile.ScaleFit
}

// Sweeps finds the sweeps among ps (runs whose spec has a Scale), in the
// order of their first run, each with what its runs' summaries keep.
func Sweeps(ps []*profile.Profile) []*Sweep {
	var out []*Sweep
	byName := map[string]*Sweep{}
	for _, p := range ps {
		sc := p.Spec.Scale
		if sc.Sweep == "" {
			continue
		}
		sw := byName[sc.Sweep]
		if sw == nil {
			sw = &Sweep{Name: sc.Sweep, Weak: sc.Weak}
			byName[sc.Sweep] = sw
			out = append(out, sw)
		}
		i, found := slices.BinarySearch(sw.Counts, sc.Workers)
		if !found {
			sw.Counts = slices.Insert(sw.Counts, i, sc.Workers)
			sw.Runs = slices.Insert(sw.Runs, i, nil)
			sw.Points = slices.Insert(sw.Points, i, profile.ScalePoint{Workers: sc.Workers})
		}
		sw.Runs[i] = append(sw.Runs[i], p)
		if s := p.Summary.Scaling; s != nil {
			sw.Points[i] = s.Point
			sw.Fit = cmp.Or(sw.Fit, s.Fit)
		}
	}
	return out
}

// Conclude sets, for each sweep among ps, every run's Summary.Scaling: the
// point of its worker count and the sweep's fit. The CLI and the window
// call it (through runtext.Conclude) wherever runs are concluded, so a
// sweep's fit grows with its runs.
func Conclude(ps []*profile.Profile) {
	for _, sw := range Sweeps(ps) {
		sw.conclude()
		for i, runs := range sw.Runs {
			for _, p := range runs {
				p.Summary.Scaling = &profile.Scaling{Point: sw.Points[i], Fit: sw.Fit}
			}
		}
	}
}

// conclude measures the sweep's points from its runs, fits the laws and
// says what bent each point.
func (sw *Sweep) conclude() {
	limit := sw.limit()
	var one []float64
	if len(sw.Counts) > 0 && sw.Counts[0] == 1 {
		one = walls(sw.Runs[0])
	}
	var samples []Sample
	for i, n := range sw.Counts {
		pt := sw.point(n, sw.Runs[i], one, limit)
		if pt.InFit {
			samples = append(samples, Sample{Workers: float64(n), Speedup: pt.Speedup, Spread: pt.SpeedupSpread})
		}
		sw.Points[i] = pt
	}
	sw.Fit = sw.fit(samples, limit)
	for i := range sw.Points {
		if p := sw.Run(i); p != nil {
			sw.Points[i].Bend, sw.Points[i].BendFigures = bendOf(sw.Points[i], p, sw.Runs[i], limit)
		}
	}
}

// point is the figures of the runs of n workers: their median wall time,
// speedup over the 1-worker runs' (walls one) and spreads, and whether the
// fit may take it: measured within limit cores, and, where the sweep
// leaves them out, without other programs competing.
func (sw *Sweep) point(n int, runs []*profile.Profile, one []float64, limit int) profile.ScalePoint {
	ws := walls(runs)
	pt := profile.ScalePoint{Workers: n, Runs: len(ws), WallS: round(median(ws)), WallSpreadS: round(halfRange(ws)), PastCores: n > limit}
	for _, p := range runs {
		if measured(p) && competed(p) {
			pt.Competed = true
		}
	}
	if len(ws) == 0 || len(one) == 0 {
		return pt
	}
	scale := 1.0
	if sw.Weak {
		scale = float64(n)
	}
	s, spread := speedupOf(one, ws, scale)
	pt.Speedup, pt.SpeedupSpread, pt.Efficiency = round(s), round(spread), round(s/float64(n))
	skip := pt.Competed && n != 1 && slices.ContainsFunc(runs, func(p *profile.Profile) bool { return p.Spec.Scale.SkipCompeted })
	pt.InFit = !pt.PastCores && !skip && s > 0
	return pt
}

// walls are the wall times of the runs that ended well, warm-ups left out.
func walls(runs []*profile.Profile) []float64 {
	var ws []float64
	for _, p := range runs {
		if measured(p) {
			ws = append(ws, p.Summary.WallS)
		}
	}
	return ws
}

// measured reports whether run p's wall time is one of its point's: a
// run that ended well, and not a warm-up.
func measured(p *profile.Profile) bool {
	return !p.Failed() && !p.Warmup && p.Summary.WallS > 0
}

// limit is the most cores the sweep's runs could use: the machine's
// logical cores, or fewer where they were allowed fewer (an affinity) or
// held to fewer by a CPU quota. Past it a run's workers are squeezed onto
// the cores, which measures the machine, not the law.
func (sw *Sweep) limit() int {
	limit := math.MaxInt
	for _, runs := range sw.Runs {
		for _, p := range runs {
			s := p.Summary
			if c := p.Machine.LogicalCores; c > 0 {
				limit = min(limit, c)
			}
			if s.AllowedCores > 0 {
				limit = min(limit, s.AllowedCores)
			}
			if s.CPUQuotaCores != nil {
				limit = min(limit, max(1, int(*s.CPUQuotaCores)))
			}
		}
	}
	if limit == math.MaxInt {
		return 1
	}
	return limit
}

// Projected core counts, as multiples of the cores fitted within: far
// enough to show where the law bends, and the one the fit's sentence
// names (ProjectionShown).
var projectedMultiples = []int{2, 4, 8, 16, 32}

// ProjectionShown is the multiple of the cores fitted within at which a
// fit's sentence gives the projected speedup.
const ProjectionShown = 4

// fit fits the sweep's laws to samples, measured within limit cores: the
// serial fraction (Amdahl's, or Gustafson's for weak scaling), USL's σ and
// κ, the peak, and USL's projection past the cores; nil without a sample
// above 1 worker.
func (sw *Sweep) fit(samples []Sample, limit int) *profile.ScaleFit {
	if !slices.ContainsFunc(samples, func(s Sample) bool { return s.Workers > 1 }) {
		return nil
	}
	serialKind := Amdahl
	if sw.Weak {
		serialKind = Gustafson
	}
	serial, usl := FitLaw(serialKind, samples), FitLaw(USL, samples)
	f := &profile.ScaleFit{Cores: limit, Points: len(samples),
		SerialFraction: round(serial.Sigma), SerialSpread: round(math.Sqrt(serial.Cov[0])), SerialRMSE: round(serial.RMSE),
		Sigma: usl.Sigma, USLCov: usl.Cov, USLRMSE: round(usl.RMSE), Band: usl.Band}
	if usl.KappaMeasured {
		k := usl.Kappa
		f.Kappa = &k
	}
	if peak := usl.Peak(); peak > 0 {
		f.PeakWorkers, f.PeakSpeedup = round(peak), round(usl.Speedup(peak))
	}
	law := Projection(f, sw.Weak)
	for _, m := range projectedMultiples {
		n := limit * m
		if n > 1<<16 {
			break
		}
		s, e := law.Speedup(float64(n)), law.Spread(float64(n))
		f.Projection = append(f.Projection, profile.Projected{Cores: n, Speedup: round(s), Low: round(max(s-e, 0)), High: round(s + e)})
	}
	return f
}

// Projection is the law a fit projects with, and its views draw: USL
// where the points measured κ; else the serial law of the sweep's kind
// (Amdahl's, which is USL without κ, or Gustafson's for weak scaling).
func Projection(f *profile.ScaleFit, weak bool) Law {
	if f.Kappa == nil && weak {
		return SerialLaw(f, true)
	}
	l := Law{Kind: USL, Sigma: f.Sigma, Cov: f.USLCov, Band: f.Band}
	if f.Kappa != nil {
		l.Kappa, l.KappaMeasured = *f.Kappa, true
	}
	return l
}

// SerialLaw is the fit's serial law: Amdahl's for strong scaling,
// Gustafson's for weak.
func SerialLaw(f *profile.ScaleFit, weak bool) Law {
	l := Law{Kind: Amdahl, Sigma: f.SerialFraction, Cov: [3]float64{f.SerialSpread * f.SerialSpread}, Band: f.Band}
	if weak {
		l.Kind = Gustafson
	}
	return l
}

// Run is the run that stands for point i: of its runs that ended well,
// the one whose wall time is nearest the point's median, whose evidence
// speaks for it and which a view shows for it; nil when none ended well.
func (sw *Sweep) Run(i int) *profile.Profile {
	var best *profile.Profile
	wall := sw.Points[i].WallS
	for _, p := range sw.Runs[i] {
		if !measured(p) {
			continue
		}
		if best == nil || math.Abs(p.Summary.WallS-wall) < math.Abs(best.Summary.WallS-wall) {
			best = p
		}
	}
	return best
}

// round keeps 4 significant decimals of a figure, as profiles keep theirs.
func round(v float64) float64 { return profile.Round(v, 1e4) }
