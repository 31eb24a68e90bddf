package profile

import (
	"fmt"

	"corescope/runners"
)

// Verdict says in one sentence what the run's figures show: how many cores'
// worth of CPU it kept busy, and, when known, how much faster than
// sequential it finished. Every number in it is measured.
func Verdict(p *Profile) string {
	s := p.Summary
	if p.Failed() {
		return "failed: " + p.Error
	}
	cores := p.Machine.LogicalCores
	var v string
	switch {
	case s.WallS <= 0:
		v = "no run time was measured"
	case s.CoresUsed < 0.8:
		v = lowCPU(p)
	case s.CoresUsed <= 1.15:
		v = oneCore(p.Spec.Model, s.CoresUsed)
	default:
		v = fmt.Sprintf("parallel: %.2f of %d cores busy", s.CoresUsed, cores)
	}
	if s.Speedup != nil && p.Spec.Model != runners.Sequential {
		switch x := *s.Speedup; {
		case x >= 1.1:
			v += fmt.Sprintf("; %.2fx faster than sequential", x)
		case x <= 0.9:
			v += fmt.Sprintf("; %.2fx sequential's speed: slower", x)
		default:
			v += fmt.Sprintf("; no faster than sequential (%.2fx)", x)
		}
	}
	return v
}

// lowCPU words a run that used well under one core: waiting on I/O, or, for
// work that never waits, starved by other programs on the machine.
func lowCPU(p *Profile) string {
	s := p.Summary
	waiting := "mostly waiting"
	if s.CoresUsed >= 0.5 {
		waiting = "partly waiting"
	}
	switch {
	case p.Spec.Backend == runners.BackendGo && p.Spec.Workload == runners.CPU:
		return fmt.Sprintf("starved: %.2f cores' worth of CPU while the machine kept %.2f cores busy", s.CoresUsed, s.MachineBusyCores)
	case p.Spec.Backend == runners.BackendGo:
		return fmt.Sprintf("%s on I/O: %.2f cores' worth of CPU", waiting, s.CoresUsed)
	default:
		return fmt.Sprintf("%s or idle: %.2f cores' worth of CPU", waiting, s.CoresUsed)
	}
}

// oneCore words a run that kept about one core busy, naming why for the
// models that cannot do better.
func oneCore(m runners.Model, used float64) string {
	switch m {
	case runners.Sequential:
		return fmt.Sprintf("one task at a time: %.2f cores' worth", used)
	case runners.Threads:
		return fmt.Sprintf("GIL-bound: one core's worth of CPU at a time (%.2f)", used)
	case runners.Async:
		return fmt.Sprintf("one event loop: one core's worth of CPU at a time (%.2f)", used)
	default:
		return fmt.Sprintf("one core's worth of CPU at a time (%.2f)", used)
	}
}

// Speedups sets each run's speedup against the sequential run of the same
// workload, tasks, size and latency among ps (nil where there is none) and
// rewrites its verdict to match.
func Speedups(ps []*Profile) {
	for _, p := range ps {
		p.Summary.Speedup = nil
		if base := baseline(ps, p); base != nil && p.Summary.WallS > 0 && !p.Failed() {
			x := round(base.Summary.WallS/p.Summary.WallS, 1e3)
			p.Summary.Speedup = &x
		}
		p.Summary.Verdict = Verdict(p)
	}
}

// baseline finds the latest successful sequential run comparable with p.
func baseline(ps []*Profile, p *Profile) *Profile {
	var base *Profile
	for _, q := range ps {
		a, b := q.Spec, p.Spec
		if q.Failed() || a.Backend != runners.BackendGo || b.Backend != runners.BackendGo ||
			a.Model != runners.Sequential || a.Workload != b.Workload || a.Tasks != b.Tasks ||
			a.Size != b.Size || a.Latency != b.Latency {
			continue
		}
		base = q
	}
	return base
}
