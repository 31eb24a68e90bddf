package diagnosis

import (
	"slices"
	"strings"

	"corescope/profile"
)

// run is what Of reads of a profile, once: the subject's life, the frames
// in it, and its threads' slices, stretches off a core and samples.
type run struct {
	p        *profile.Profile
	from, to float64 // the subject's life
	interval float64
	frames   []span // the frames in the subject's life
	// framesCPU is the CPU seconds the frames hold, and unsampled what the
	// summary counts beyond them: CPU charged at the subject's exit, or a
	// run too short for a sample.
	framesCPU, unsampled float64
	// timeline is whether there is a switch timeline, since when it is
	// whole (the oldest slices of a long run may have been dropped), and
	// ended whether its slices say how they ended (corescope before it did
	// not keep that).
	timeline bool
	since    float64
	ended    bool
	// runq is whether the samples carry each thread's time waiting for a
	// core (schedstat), states whether they say what a blocked thread
	// waited in.
	runq, states bool
	own          map[int][]profile.Slice // each thread's slices, by start
	off          map[int][]Stretch       // each thread's stretches off a core, in time order
	waits        waitSamples
	// queued is each thread sample's time runnable over its frame, as the
	// approximate path reckons it (see reckonQueued), by frame and sample.
	queued [][]float64
	pidOf  map[int]int
	python map[int]bool // processes that are CPython with a GIL
	// workers are the threads that did the run's work: each BusyShare of
	// its time on a core or more. What they waited on is what the run
	// waited on while its cores were idle.
	workers map[int]bool
}

// span is frame i's interval, within the subject's life.
type span struct {
	i        int
	from, to float64
}

func (s span) length() float64 { return s.to - s.from }

func read(p *profile.Profile) *run {
	r := &run{p: p, interval: interval(p), own: map[int][]profile.Slice{}, off: map[int][]Stretch{},
		pidOf: map[int]int{}, python: map[int]bool{}}
	r.from, r.to = life(p, r.interval)
	prev := r.from
	for i := range p.Frames {
		f := &p.Frames[i]
		start := f.T - r.interval
		if i > 0 {
			start = p.Frames[i-1].T
		}
		if from, to := max(start, r.from, prev), min(f.T, r.to); to > from {
			r.frames = append(r.frames, span{i, from, to})
			prev = to
		}
		r.framesCPU += f.SubjectCPU
		for _, s := range f.ThreadSamples {
			r.pidOf[s.TID] = s.PID
			r.states = r.states || s.State != ""
			r.runq = r.runq || s.RunQS > 0 || s.State != ""
		}
	}
	r.unsampled = max(p.Summary.CPUS-r.framesCPU, 0)
	r.reckonQueued()
	r.timeline = len(p.Slices) > 0
	r.since = r.from
	byThread := threadSlices(p.Slices)
	for _, own := range byThread {
		r.own[own[0].TID] = own
		r.pidOf[own[0].TID] = own[0].PID
		for _, s := range own {
			r.ended = r.ended || s.Ended != ""
		}
		if p.SlicesDropped > 0 {
			r.since = max(r.since, own[0].Start)
		}
	}
	r.waits = blockedSamples(p)
	stretches := stretchesOf(p, byThread, r.waits)
	for lo := 0; lo < len(stretches); { // each thread's are together, in time order
		hi := lo + 1
		for hi < len(stretches) && stretches[hi].TID == stretches[lo].TID {
			hi++
		}
		r.off[stretches[lo].TID] = stretches[lo:hi:hi]
		lo = hi
	}
	r.workers = workersOf(p, r.own)
	gil := !strings.HasSuffix(p.Machine.Python, "no GIL") // a free-threaded CPython has none
	for _, t := range p.Threads {
		r.pidOf[t.TID] = t.PID
		if gil && strings.HasPrefix(t.Process, "python") {
			r.python[t.PID] = true
		}
	}
	if gil && len(p.Threads) == 0 && strings.HasPrefix(p.Spec.Label(), "python") {
		for _, pid := range r.pidOf {
			r.python[pid] = true
		}
	}
	return r
}

// workersOf are the threads of run p that each spent BusyShare or more of
// its threads' time on a core (every thread, where the samples saw none on
// a core: a sleeper's CPU came before its first sample): from the switch
// timeline (own, each thread's slices) when there is one, else from the
// samples.
func workersOf(p *profile.Profile, own map[int][]profile.Slice) map[int]bool {
	on, total := map[int]float64{}, 0.0
	for tid, ss := range own {
		for _, s := range ss {
			on[tid] += s.End - s.Start
			total += s.End - s.Start
		}
	}
	if len(own) == 0 {
		for i := range p.Frames {
			for _, ts := range p.Frames[i].ThreadSamples {
				on[ts.TID] += ts.CPU
				total += ts.CPU
			}
		}
	}
	workers := map[int]bool{}
	for tid, t := range on {
		if t >= BusyShare*total { // every thread seen, where none was seen on a core
			workers[tid] = true
		}
	}
	return workers
}

// life is the subject's life on the frames' time axis: from its start to
// its end where the profile says them, else over its frames, else its
// wall time from its start.
func life(p *profile.Profile, interval float64) (from, to float64) {
	s := p.Summary
	switch {
	case s.SubjectEndS > s.SubjectStartS:
		return s.SubjectStartS, s.SubjectEndS
	case len(p.Frames) > 0:
		return max(p.Frames[0].T-interval, 0), p.Frames[len(p.Frames)-1].T
	}
	return s.SubjectStartS, s.SubjectStartS + s.WallS
}

// runnableKnown reports whether the run tells a thread waiting for a core
// from one waiting on something else over from..to: the switch timeline's
// slice ends where it is whole, else the samples' run-queue time.
func (r *run) runnableKnown(from float64) bool {
	if r.exactFrom(from) {
		return r.ended
	}
	return r.runq
}

// exactFrom reports whether the switch timeline is whole from time from.
func (r *run) exactFrom(from float64) bool { return r.timeline && from >= r.since-1e-9 }

// frameRunnable is the threads' time runnable over frame s: from the
// stretches where the timeline holds it, else from the samples.
func (r *run) frameRunnable(s span) float64 {
	if r.exactFrom(s.from) {
		sum := 0.0
		for _, own := range r.off {
			for _, st := range within(own, s.from, s.to) {
				if st.State == Runnable {
					sum += overlap(st.From, st.To, s.from, s.to)
				}
			}
		}
		return sum
	}
	sum := 0.0
	for _, q := range r.queued[s.i] {
		sum += q
	}
	return sum
}

// reckonQueued reckons each thread sample's time runnable over its frame
// from the samples' run-queue time, which the kernel adds to a thread's
// run_delay only when the wait ends, however many frames it spanned
// (0.19 s came in one 0.15 s frame here): a frame's run-queue time beyond
// the rest of its frame (its length less the thread's CPU) goes back to
// the frames before it, where the thread waited. A wait not ended by the
// thread's last sample never comes at all: a frame nothing was put back
// into, whose sample found the thread running or runnable while it got
// under BusyShare of the frame on a core, was runnable for the rest.
func (r *run) reckonQueued() {
	type at struct{ frame, sample int }
	byThread := map[int][]at{}
	r.queued = make([][]float64, len(r.p.Frames))
	for i := range r.p.Frames {
		r.queued[i] = make([]float64, len(r.p.Frames[i].ThreadSamples))
		for k, ts := range r.p.Frames[i].ThreadSamples {
			byThread[ts.TID] = append(byThread[ts.TID], at{i, k})
		}
	}
	for _, own := range byThread {
		carry := 0.0
		for j := len(own) - 1; j >= 0; j-- {
			i, k := own[j].frame, own[j].sample
			ts, d := r.p.Frames[i].ThreadSamples[k], r.frameLength(i)
			room := max(d-ts.CPU, 0)
			carry += ts.RunQS
			q := min(carry, room)
			carry -= q
			if q == 0 && ts.State == profile.StateRunning && ts.CPU < BusyShare*d && j > 0 &&
				r.p.Frames[own[j-1].frame].ThreadSamples[own[j-1].sample].State == profile.StateRunning {
				q = room
			}
			r.queued[i][k] = q
		}
	}
}

// frameLength is frame i's interval: from the frame before, or one
// interval for the first.
func (r *run) frameLength(i int) float64 {
	if i == 0 {
		return r.interval
	}
	return r.p.Frames[i].T - r.p.Frames[i-1].T
}

// within is the part of stretches own (in time order, apart) that overlaps
// from..to.
func within(own []Stretch, from, to float64) []Stretch {
	lo, _ := slices.BinarySearchFunc(own, from, func(s Stretch, t float64) int {
		if s.To <= t {
			return -1
		}
		return 1
	})
	hi := lo
	for hi < len(own) && own[hi].From < to {
		hi++
	}
	return own[lo:hi]
}

// slicesWithin is the part of one thread's slices own (by start, apart)
// that overlaps from..to.
func slicesWithin(own []profile.Slice, from, to float64) []profile.Slice {
	lo, hi := sliceRange(own, from, to)
	return own[lo:hi]
}

// sliceRange is where slicesWithin's part lies in own.
func sliceRange(own []profile.Slice, from, to float64) (lo, hi int) {
	lo, _ = slices.BinarySearchFunc(own, from, func(s profile.Slice, t float64) int {
		if s.End <= t {
			return -1
		}
		return 1
	})
	hi = lo
	for hi < len(own) && own[hi].Start < to {
		hi++
	}
	return lo, hi
}

// overlap is the length of a..b within from..to.
func overlap(a, b, from, to float64) float64 { return max(min(b, to)-max(a, from), 0) }
