package diagnosis

import (
	"strings"
	"time"

	"corescope/profile"
)

// Case is whether a run can be judged at all: the cases before Judged say
// why not; a judged run's Phases and Reasons say the rest.
type Case int

const (
	// Failed is a run that did not finish well, other than by its user's
	// stop (what ran until then is judged): its Error says why.
	Failed Case = iota
	// Watched is a watch of nodes, which runs no subject: its figures are
	// the cluster's.
	Watched
	// NoRunTime is a run whose wall time was not measured.
	NoRunTime
	// TooShort is a run shorter than the cost of starting a process.
	TooShort
	// Judged is a run its evidence was read for: its phases and reasons.
	Judged
)

// Findings are what a run's evidence shows: whether it can be judged, its
// phases and, phase by phase, the reasons it used the cores it did, each
// with its figures and where they come from, for runtext to word. Every
// figure is the profile's own or derived from it; nothing is worded here.
type Findings struct {
	Case Case
	// Phases are the spans of the run whose behaviour was alike (see
	// MinPhaseFrames), at least one for a judged run; Main is the one that
	// took the most time, and Used its cores' worth of CPU.
	Phases []profile.Phase
	Main   int
	Used   float64
	// Reasons are each phase's reasons, phase by phase, each phase's in
	// their order of precedence (see reasons): the first is the one its
	// sentence names.
	Reasons []profile.Reason
	// FreeThreaded is true when the run's Python has no GIL.
	FreeThreaded bool
	// Speedup is the run's speedup against its baseline, named Baseline;
	// nil for the baseline itself and for a run without one.
	Speedup  *float64
	Baseline string
}

// In is phase k's reasons, the first the one its sentence names.
func (f Findings) In(k int) []profile.Reason {
	var out []profile.Reason
	for _, r := range f.Reasons {
		if r.Phase == k {
			out = append(out, r)
		}
	}
	return out
}

// Primary is the main phase's first reason: what the verdict names; the
// zero Reason for a run not judged.
func (f Findings) Primary() profile.Reason {
	if rs := f.In(f.Main); len(rs) > 0 {
		return rs[0]
	}
	return profile.Reason{}
}

// Named reports whether a reason of that name holds in any phase.
func (f Findings) Named(name string) bool {
	for _, r := range f.Reasons {
		if r.Name == name {
			return true
		}
	}
	return false
}

// Of judges run p from its evidence. It reads p and changes nothing.
func Of(p *profile.Profile) Findings {
	f := baseOf(p)
	switch s := p.Summary; {
	case p.Failed() && !p.Stopped():
		f.Case = Failed
	case p.Watched():
		f.Case = Watched
	case s.WallS <= 0:
		f.Case = NoRunTime
	case s.WallS < tooShort.Seconds():
		f.Case = TooShort
	default:
		f.Case = Judged
		f.judge(p)
	}
	return f
}

// Kept is the findings run p keeps, as it was concluded (profile.Summary's
// Phases and Reasons), without reading its evidence again; ok is false for
// a run that keeps none (a file of corescope before them, or a run not
// judged). The views show a file's findings as they were written.
func Kept(p *profile.Profile) (f Findings, ok bool) {
	s := p.Summary
	if len(s.Phases) == 0 || len(s.Reasons) == 0 {
		return Findings{}, false
	}
	f = baseOf(p)
	f.Case, f.Phases, f.Reasons = Judged, s.Phases, s.Reasons
	f.Main = longest(f.Phases)
	f.Used = f.Phases[f.Main].CoresUsed
	return f, true
}

// baseOf is the findings of run p that its evidence does not decide: its
// Python and its speedup.
func baseOf(p *profile.Profile) Findings {
	f := Findings{FreeThreaded: strings.HasSuffix(p.Machine.Python, "no GIL"), Baseline: BaselineName(p)}
	if p.Summary.Speedup != nil && !isBaseline(p) {
		f.Speedup = p.Summary.Speedup
	}
	return f
}

// judge splits run p into phases and gives each its reasons.
func (f *Findings) judge(p *profile.Profile) {
	r := read(p)
	segs := r.phases()
	if len(segs) == 0 {
		segs = []segment{{}} // no frames: the run is one phase, of its summary's figures
	}
	for k, seg := range segs {
		fa := r.factsOf(seg.lo, seg.hi)
		f.Phases = append(f.Phases, fa.phase())
		f.Reasons = append(f.Reasons, fa.reasons(k, p.Machine.LogicalCores)...)
	}
	f.Main = longest(f.Phases)
	f.Used = f.Phases[f.Main].CoresUsed
}

// longest is the index of the phase that took the most time, the first of
// those as long.
func longest(phases []profile.Phase) int {
	k := 0
	for i, ph := range phases {
		if ph.EndS-ph.StartS > phases[k].EndS-phases[k].StartS {
			k = i
		}
	}
	return k
}

// phase is the profile's account of the phase of figures f.
func (f *facts) phase() profile.Phase {
	ph := profile.Phase{StartS: round(f.from), EndS: round(f.to), CoresUsed: cores(f.cores()), BusyThreads: len(f.busy(0)),
		OnCoreS: round(f.onS()), RunnableS: round(f.runnableS())}
	for k, kind := range WaitKinds {
		b := f.sum(func(t *tally) float64 { return t.blocked[k] })
		if b > 0 {
			if ph.BlockedBy == nil {
				ph.BlockedBy = map[string]float64{}
			}
			ph.BlockedBy[kind] = round(b)
			ph.BlockedS += b
		}
	}
	ph.BlockedS = round(ph.BlockedS)
	return ph
}

// tooShort is the run time under which a verdict would judge the cost of
// starting a process (exec, the dynamic loader, a runtime's start-up)
// rather than the program: /bin/true takes about 2 ms.
const tooShort = 25 * time.Millisecond

// TakingTurns is the share of a phase under which a process's busy threads
// that were on cores at the same time took turns: held by a lock, not by
// the cores; and under which two threads wanting a core at once leave one
// thread doing the work. Measured here, threads under one GIL were together
// 0.1% to 1% of a run, with a busy loop beside them or not; goroutines
// squeezed by a busy loop to 1.24 cores' worth, 26%: a scheduler that
// shares the cores fairly runs free threads together often, however
// crowded.
const TakingTurns = 0.05
