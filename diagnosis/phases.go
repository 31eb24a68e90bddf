package diagnosis

import "slices"

// The classes of frames that phases are made of, by the subject's cores'
// worth of CPU over the frame: idle (under IdleCores, and nothing
// runnable), one core (up to OneCoreMost), parallel (above).
type class uint8

const (
	idle class = iota
	oneCore
	parallel
)

// The bounds of the classes. IdleCores is where a frame holds so little
// CPU that it is a pause (a sleep, a wait) rather than work; OneCoreMost is
// one core's worth with the slack of a sampled figure (a one-core run
// measures up to 1.1 with the start of a child or the kernel's work
// charged to it): above it, two things ran at once.
const (
	IdleCores   = 0.2
	OneCoreMost = 1.15
)

// A phase lasts at least MinPhaseFrames sampling intervals and
// MinPhaseShare of the run: a shorter stretch of another class (a burst of
// start-up, a pause between two steps, an interpreter's exit) joins its
// longer neighbour, so a run is told in a few phases that each last, not
// in every flicker of its load. Counted in time, not frames: a frame cut
// by the subject's start or end, or a late tick, is not a whole interval.
const (
	MinPhaseFrames = 3
	MinPhaseShare  = 0.05
)

// classOf is frame s's class.
func (r *run) classOf(s span) class {
	cores := r.p.Frames[s.i].SubjectCPU / s.length()
	switch {
	case cores > OneCoreMost:
		return parallel
	case cores >= IdleCores || r.frameRunnable(s) >= IdleCores*s.length():
		return oneCore
	}
	return idle
}

// segment is frames lo..hi-1 of the run (indices in run.frames), of one class.
type segment struct {
	lo, hi int
	class  class
}

// phases splits the run's frames into phases: adjacent frames of one class
// form a segment; a segment shorter than MinPhaseFrames intervals and
// MinPhaseShare of the run joins its longer neighbour (the earlier where
// they are as long), the shortest first, until every segment is long
// enough or one is left. A run without frames is one phase.
func (r *run) phases() []segment {
	var segs []segment
	for k, s := range r.frames {
		c := r.classOf(s)
		if n := len(segs); n > 0 && segs[n-1].class == c {
			segs[n-1].hi = k + 1
			continue
		}
		segs = append(segs, segment{k, k + 1, c})
	}
	least := max(MinPhaseFrames*r.interval, MinPhaseShare*(r.to-r.from)) - 1e-9
	long := func(s segment) float64 { return r.frames[s.hi-1].to - r.frames[s.lo].from }
	for len(segs) > 1 {
		k := slices.IndexFunc(segs, func(s segment) bool { return long(s) < least })
		for j := k + 1; k >= 0 && j < len(segs); j++ {
			if long(segs[j]) < long(segs[k]) {
				k = j
			}
		}
		if k < 0 {
			break
		}
		into := k - 1
		if k == 0 || k+1 < len(segs) && long(segs[k+1]) > long(segs[k-1]) {
			into = k + 1
		}
		segs[into].lo, segs[into].hi = min(segs[into].lo, segs[k].lo), max(segs[into].hi, segs[k].hi)
		segs = slices.Delete(segs, k, k+1)
		segs = coalesce(segs)
	}
	return segs
}

// coalesce joins adjacent segments of one class.
func coalesce(segs []segment) []segment {
	out := segs[:1]
	for _, s := range segs[1:] {
		if last := &out[len(out)-1]; last.class == s.class {
			last.hi = s.hi
			continue
		}
		out = append(out, s)
	}
	return out
}
