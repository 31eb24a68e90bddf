package profile

import (
	"cmp"
	"maps"
	"slices"
)

// ProcessLife is one process of a run as its evidence shows it: its name,
// threads, time on a core and when it was seen.
type ProcessLife struct {
	PID     int
	Name    string // its last name (after an exec), "" when never read
	Threads int
	OnS     float64 // its threads' time on a core, together
	// FirstS and LastS bound when it was seen on the frames' time axis:
	// its first slice's start and last slice's end, or without a switch
	// timeline the start of the first interval its threads were sampled in
	// and the end of the last. Timed is false when neither saw it (only
	// its name was read).
	FirstS, LastS float64
	Timed         bool
}

// LifeS is how long the process was seen.
func (l ProcessLife) LifeS() float64 { return l.LastS - l.FirstS }

// Processes lists run p's processes by pid, from its switch timeline when
// it has one, else from its thread samples; the names from its threads.
func (p *Profile) Processes() []ProcessLife {
	byPID := map[int]*ProcessLife{}
	tids := map[int]map[int]bool{}
	get := func(pid, tid int) *ProcessLife {
		l := byPID[pid]
		if l == nil {
			l = &ProcessLife{PID: pid}
			byPID[pid], tids[pid] = l, map[int]bool{}
		}
		tids[pid][tid] = true
		return l
	}
	seen := func(l *ProcessLife, from, to float64) {
		if !l.Timed {
			l.FirstS, l.LastS, l.Timed = from, to, true
		}
		l.FirstS, l.LastS = min(l.FirstS, from), max(l.LastS, to)
	}
	for _, s := range p.Slices {
		l := get(s.PID, s.TID)
		l.OnS += max(0, s.End-s.Start)
		seen(l, s.Start, s.End)
	}
	for i, f := range p.Frames {
		from := f.T - p.Spec.Interval.D().Seconds()
		if i > 0 {
			from = p.Frames[i-1].T
		}
		for _, ts := range f.ThreadSamples {
			l := get(ts.PID, ts.TID)
			if len(p.Slices) == 0 {
				l.OnS += max(0, ts.CPU)
				seen(l, max(from, 0), f.T)
			}
		}
	}
	for _, t := range p.Threads {
		l := get(t.PID, t.TID)
		if name := cmp.Or(t.Process, t.Name); name != "" && (t.TID == t.PID || l.Name == "") {
			l.Name = name
		}
	}
	out := make([]ProcessLife, 0, len(byPID))
	for _, pid := range slices.Sorted(maps.Keys(byPID)) {
		l := byPID[pid]
		l.Threads = len(tids[pid])
		out = append(out, *l)
	}
	return out
}
