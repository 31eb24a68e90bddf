package scaling

import (
	"corescope/diagnosis"
	"corescope/profile"
	"corescope/spec"
)

// held is the efficiency under which a point is held below the ideal
// enough to ask why: 10% short of n times the 1-worker speed.
const held = 0.9

// startupShare is the share of a run its serial start-up must take to be
// named as what bent its point: Amdahl's serial part.
const startupShare = 0.1

// bendOf is what held point pt, of run p (its representative among runs),
// below the ideal, and the figures that show it; "" when it was not held.
// A ceiling its evidence shows (a quota or an affinity below its workers,
// a GIL that held it to one core's worth) is named whatever its speedup:
// a 1-worker run slowed by other programs can make a capped point look
// ideal. The softer causes are named only for a point under held
// efficiency, tried from the most certain to the least: one at a time (its
// model or a lock), fewer tasks than workers, more workers than cores
// (limit), a serial start-up, other programs (during any of its runs),
// waiting, what the evidence cannot tell (undecided reasons), else the
// law's overheads. The cores and other programs are named only for a run
// that wanted the cores (wantsCores): a pool that sleeps is not squeezed
// by them. The reasons come from the run's evidence (evidence).
func bendOf(pt profile.ScalePoint, p *profile.Profile, runs []*profile.Profile, limit int) (string, map[string]float64) {
	n := float64(pt.Workers)
	if pt.Workers <= 1 || pt.Speedup <= 0 {
		return "", nil
	}
	s, f := p.Summary, diagnosis.Of(p)
	ev := evidence(p, f)
	used := f.Used
	switch {
	case s.CPUQuotaCores != nil && *s.CPUQuotaCores < n:
		return profile.BendQuota, map[string]float64{"quota_cores": *s.CPUQuotaCores, "cores_used": used}
	case s.AllowedCores > 0 && float64(s.AllowedCores) < n && s.AllowedCores < p.Machine.LogicalCores:
		return profile.BendAffinity, map[string]float64{"allowed_cores": float64(s.AllowedCores), "cores_used": used}
	case ev[profile.ReasonGIL] && used <= oneCore:
		return profile.BendGIL, map[string]float64{"cores_used": used}
	case pt.Efficiency >= held:
		return "", nil
	}
	hungry := wantsCores(p, f, ev, min(pt.Workers, limit))
	switch {
	case ev[profile.ReasonGIL]:
		return profile.BendGIL, map[string]float64{"cores_used": used}
	case ev[profile.ReasonTookTurns] || ev[profile.ReasonOneThread]:
		return profile.BendOneCore, map[string]float64{"cores_used": used}
	case p.Spec.Backend.Builtin() && p.Spec.Tasks < pt.Workers:
		return profile.BendTasks, map[string]float64{"tasks": float64(p.Spec.Tasks)}
	case pt.Workers > limit && hungry:
		return profile.BendPastCores, map[string]float64{"cores": float64(limit), "cores_used": used}
	case s.WallS > 0 && s.StartupS >= startupShare*s.WallS:
		return profile.BendStartup, map[string]float64{"startup_s": s.StartupS, "share": profile.Round(s.StartupS/s.WallS, 1e3)}
	case hungry && (pt.Competed || ev[profile.ReasonSqueezed]):
		return profile.BendCompeted, map[string]float64{"others_busy_cores": busiestOthers(runs), "cores_used": used}
	case ev[profile.ReasonWaiting] || !hungry:
		return profile.BendWaiting, map[string]float64{"cores_used": used}
	case ev[profile.ReasonUndecided]:
		return profile.BendUndecided, map[string]float64{"cores_used": used}
	}
	return profile.BendOverhead, map[string]float64{"cores_used": used}
}

// oneCore is the most cores' worth of CPU a run held to one core at a
// time gets, as the verdict judges it.
const oneCore = 1.15

// wantsCores reports whether run p wanted the cores its workers could
// use: a built-in CPU-bound model always; another run when its evidence
// says it waited for cores others held (squeezed), or when it kept at
// least hungryShare of them busy. A run of few cores' worth beside busy
// programs may have waited on them or on anything else: only the kernel's
// evidence tells, and without it such a run is not said to want them.
func wantsCores(p *profile.Profile, f diagnosis.Findings, ev map[string]bool, cores int) bool {
	cpuModel := p.Spec.Backend.Builtin() && p.Spec.Workload == spec.CPU
	return cpuModel || ev[profile.ReasonSqueezed] || f.Used >= hungryShare*float64(cores)
}

// hungryShare is the share of the cores its workers could use that a run
// keeps busy when it wants them: under it, its workers mostly waited.
const hungryShare = 0.5

// evidence is the set of reasons run p used the cores it did, from the
// kernel's evidence: those its summary keeps (set where runs are
// concluded), or for a file without them, those its findings f give. This
// is the one place the sweep reads a run's reasons.
func evidence(p *profile.Profile, f diagnosis.Findings) map[string]bool {
	reasons := p.Summary.Reasons
	if len(reasons) == 0 {
		reasons = f.Reasons
	}
	ev := map[string]bool{}
	for _, r := range reasons {
		ev[r.Name] = true
	}
	return ev
}

// busiestOthers is the most cores other programs kept busy during one of
// runs that counted: a point is competed (ScalePoint.Competed) when any of
// its runs was, whichever stands for it.
func busiestOthers(runs []*profile.Profile) float64 {
	most := 0.0
	for _, p := range runs {
		if measured(p) {
			most = max(most, p.Summary.OthersBusyCores)
		}
	}
	return most
}

// competed reports whether other programs kept more of the machine busy
// during run p than may leave a run unharmed (diagnosis.Competing).
func competed(p *profile.Profile) bool {
	return p.Summary.OthersBusyCores > diagnosis.Competing(p.Machine.LogicalCores)
}
