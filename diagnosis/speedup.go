package diagnosis

import (
	"cmp"

	"corescope/profile"
	"corescope/spec"
)

// Speedups sets each run's speedup against its baseline among ps, group by
// group (Groups): the ratio of the baseline group's median wall time to
// the run's group's, and its range over the repeats, from the baseline's
// fastest over the group's slowest to its slowest over the group's
// fastest; the same for the work span (the wall after start-up,
// StartupOf). Nil where
// there is no baseline, for a run that failed, and the ranges where both
// groups ran once or the run is its own baseline. A group's baseline is
// the group of the run its spec names (Spec.Baseline, by label: compare
// --baseline, or the first of compare --cmd), else of the sequential run
// of the same backend, interpreter, workload, tasks, size and latency; the
// latest such group that has a measured run.
func Speedups(ps []*profile.Profile) {
	for _, p := range ps {
		s := &p.Summary
		s.Speedup, s.SpeedupRange, s.WorkSpeedup, s.WorkSpeedupRange = nil, nil, nil, nil
	}
	groups := Groups(ps)
	works := make([]Spread, len(groups)) // each run's start-up measured once, however many runs are measured against it
	for i, g := range groups {
		works[i] = g.spread(func(p *profile.Profile) float64 { return max(p.Summary.WallS-StartupS(p), 0) })
	}
	for i, g := range groups {
		b, ok := baseline(groups, g.Runs[0])
		if !ok || len(g.Measured()) == 0 {
			continue
		}
		base, own := groups[b], isBaseline(g.Runs[0])
		wall, wallRange := ratio(base.Wall(), g.Wall(), own)
		work, workRange := ratio(works[b], works[i], own)
		for _, p := range g.Runs {
			if !p.Failed() {
				s := &p.Summary
				s.Speedup, s.SpeedupRange, s.WorkSpeedup, s.WorkSpeedupRange = wall, wallRange, work, workRange
			}
		}
	}
}

// ratio is base's median over run's, and its range when either ran more
// than once and run is not its own baseline; nil without a positive
// median on both sides.
func ratio(base, run Spread, own bool) (*float64, *profile.Range) {
	if !(base.Median > 0 && run.Median > 0 && run.Min > 0) {
		return nil, nil
	}
	x := profile.Round(base.Median/run.Median, 1e3)
	if own || base.N < 2 && run.N < 2 {
		return &x, nil
	}
	r := profile.Range{profile.Round(base.Min/run.Max, 1e3), profile.Round(base.Max/run.Min, 1e3)}
	return &x, &r
}

// baseline finds the latest group with a measured run that p's group is
// measured against: its index in groups.
func baseline(groups []Group, p *profile.Profile) (int, bool) {
	base, found := 0, false
	for i, g := range groups {
		ms := g.Measured()
		if len(ms) == 0 {
			continue
		}
		q := ms[0]
		a, b := q.Spec, p.Spec
		switch {
		case b.Baseline != "":
			if label(q) == b.Baseline {
				base, found = i, true
			}
		case a.Backend.Builtin() && a.Backend == b.Backend && a.Python == b.Python && a.Model == spec.Sequential &&
			a.Workload == b.Workload && a.Tasks == b.Tasks && a.Size == b.Size && a.Latency == b.Latency:
			base, found = i, true
		}
	}
	return base, found
}

// isBaseline reports whether p is the run speedups are measured against.
func isBaseline(p *profile.Profile) bool {
	if p.Spec.Baseline != "" {
		return label(p) == p.Spec.Baseline
	}
	return p.Spec.Model == spec.Sequential
}

// label is what p is called: its label, else its spec's.
func label(p *profile.Profile) string { return cmp.Or(p.Label, p.Spec.Label()) }

// BaselineName is what p's speedup is measured against, for its verdict
// and the report's speedup chart.
func BaselineName(p *profile.Profile) string {
	if p.Spec.Baseline != "" {
		return p.Spec.Baseline
	}
	return "sequential"
}
