package diagnosis

import (
	"cmp"

	"corescope/profile"
	"corescope/spec"
)

// Speedups sets each run's speedup against its baseline among ps: the
// baseline's wall time over the run's; nil where there is none, and for a
// run that failed. A run's baseline is the run its spec names
// (Spec.Baseline, by label: compare --baseline, or the first of compare
// --cmd), else the sequential run of the same backend, interpreter,
// workload, tasks, size and latency.
func Speedups(ps []*profile.Profile) {
	for _, p := range ps {
		p.Summary.Speedup = nil
		if base := baseline(ps, p); base != nil && p.Summary.WallS > 0 && !p.Failed() {
			x := profile.Round(base.Summary.WallS/p.Summary.WallS, 1e3)
			p.Summary.Speedup = &x
		}
	}
}

// baseline finds the latest successful run p is measured against.
func baseline(ps []*profile.Profile, p *profile.Profile) *profile.Profile {
	var base *profile.Profile
	for _, q := range ps {
		a, b := q.Spec, p.Spec
		switch {
		case q.Failed():
		case b.Baseline != "":
			if label(q) == b.Baseline {
				base = q
			}
		case a.Backend.Builtin() && a.Backend == b.Backend && a.Python == b.Python && a.Model == spec.Sequential &&
			a.Workload == b.Workload && a.Tasks == b.Tasks && a.Size == b.Size && a.Latency == b.Latency:
			base = q
		}
	}
	return base
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
