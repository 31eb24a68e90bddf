package diagnosis

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"

	"corescope/profile"
)

// tally is one thread's time in a phase: on a core, runnable, blocked by
// kind (WaitKinds' order).
type tally struct {
	pid          int
	on, runnable float64
	blocked      [len(WaitKinds)]float64
}

func (t *tally) blockedS() float64 {
	sum := 0.0
	for _, b := range t.blocked {
		sum += b
	}
	return sum
}

// facts are a phase's figures, what its reasons are decided on.
type facts struct {
	from, to float64
	cpu      float64 // the subject's CPU seconds
	// exact is whether the switch timeline holds the phase, and runnable
	// whether its threads' time waiting for a core is known (see
	// run.runnableKnown); states whether samples said what blocked threads
	// waited in.
	exact, runnable, states bool
	threads                 map[int]*tally
	others                  float64 // other programs' busy cores, on average
	allowed                 int     // the cores the subject was allowed, 0 where not read
	quotaCores              float64 // its cgroup's CPU quota, 0 without one
	periods, throttled      int     // the quota's periods, and those throttled
	throttledS              float64
	// overAllowed is the time more of its threads wanted a core (on one or
	// runnable) than it was allowed, twoWanting the time two or more did,
	// peakWanting the most that did at once; over frames on the
	// approximate path (see approximate).
	overAllowed, twoWanting float64
	peakWanting             int
	// idle is the time none of its threads wanted a core: all blocked, or
	// none yet; on the approximate path, each frame's time beyond what its
	// threads wanted, as if none wanted one at the same time as another
	// (the samples cannot tell): the least it can have been. idleBy is
	// that time by what the run's workers waited on meanwhile (see
	// idleKinds), WaitUnknown where none was seen waiting.
	idle   float64
	idleBy [len(WaitKinds)]float64
	// passes is how often the work passed from one busy thread to another
	// (see handOvers), and turnFrames, on the approximate path, the frames
	// in which two or more threads each spent a tenth of it on a core.
	passes, turnFrames, frames int
	procs                      []procTurns
}

func (f *facts) length() float64 { return f.to - f.from }

// cores is the phase's cores' worth of CPU, at most the cores the subject
// was allowed: the CPU its samples missed, spread over the phase, could
// round it past them at a phase's edge ("2.02 of 2 cores").
func (f *facts) cores() float64 {
	if f.length() <= 0 {
		return 0
	}
	if c := f.cpu / f.length(); f.allowed == 0 || c < float64(f.allowed) {
		return c
	}
	return float64(f.allowed)
}

// sum adds up one figure of the threads' tallies.
func (f *facts) sum(of func(*tally) float64) float64 {
	s := 0.0
	for _, t := range f.threads {
		s += of(t)
	}
	return s
}

func (f *facts) onS() float64       { return f.sum(func(t *tally) float64 { return t.on }) }
func (f *facts) runnableS() float64 { return f.sum(func(t *tally) float64 { return t.runnable }) }

// BusyShare is the least share of a phase's time on a core (or of one
// process's) that makes a thread one of its busy threads: one that did its
// work, not one that woke now and then.
const BusyShare = 0.1

// busy are the threads that each spent at least BusyShare of the phase's
// time on a core (of process pid's, or of all, for pid 0), by id.
func (f *facts) busy(pid int) []int {
	total := 0.0
	for _, t := range f.threads {
		if pid == 0 || t.pid == pid {
			total += t.on
		}
	}
	var tids []int
	for tid, t := range f.threads {
		if (pid == 0 || t.pid == pid) && total > 0 && t.on >= BusyShare*total {
			tids = append(tids, tid)
		}
	}
	slices.Sort(tids)
	return tids
}

// factsOf gathers the figures of the phase of frames lo..hi-1.
func (r *run) factsOf(lo, hi int) *facts {
	f := &facts{from: r.from, to: r.to, threads: map[int]*tally{}, states: r.states}
	if hi > lo {
		f.from, f.to = r.frames[lo].from, r.frames[hi-1].to
	}
	f.exact, f.runnable = r.exactFrom(f.from), r.runnableKnown(f.from)
	f.limits(r, r.frames[lo:hi])
	if len(r.frames) == 0 {
		f.cpu = cmp.Or(r.p.Summary.TasksCoresUsed, r.p.Summary.CoresUsed) * f.length()
	}
	if f.exact {
		f.exactly(r)
	} else {
		f.approximate(r, r.frames[lo:hi])
	}
	f.procs = f.turns(r, r.frames[lo:hi])
	return f
}

// limits adds up the frames' CPU, other programs' load, allowed cores and
// quota throttling.
func (f *facts) limits(r *run, frames []span) {
	weighted := 0.0
	for _, s := range frames {
		fr := &r.p.Frames[s.i]
		f.cpu += fr.SubjectCPU
		weighted += fr.OthersCores() * s.length()
		if fr.AllowedCores > 0 && (f.allowed == 0 || fr.AllowedCores < f.allowed) {
			f.allowed = fr.AllowedCores
		}
		f.periods += fr.QuotaPeriods
		f.throttled += fr.ThrottledPeriods
		f.throttledS += fr.ThrottledS
	}
	if f.length() > 0 {
		f.others = weighted / f.length()
	}
	// The CPU the frames miss is the phases', by their share of the frames'
	// CPU, or of the run's time where the frames hold none.
	switch {
	case r.framesCPU > 0:
		f.cpu += r.unsampled * f.cpu / r.framesCPU
	case r.to > r.from:
		f.cpu += r.unsampled * f.length() / (r.to - r.from)
	}
	if f.allowed == 0 {
		f.allowed = r.p.Summary.AllowedCores
	}
	if q := r.p.Summary.CPUQuotaCores; q != nil {
		f.quotaCores = *q
	}
}

// tallyOf is thread tid's tally, made on first use.
func (f *facts) tallyOf(r *run, tid int) *tally {
	t, ok := f.threads[tid]
	if !ok {
		t = &tally{pid: r.pidOf[tid]}
		f.threads[tid] = t
	}
	return t
}

// exactly takes the phase's figures from the switch timeline: each
// thread's slices and stretches off a core, and, swept over time, how many
// wanted a core at once.
func (f *facts) exactly(r *run) {
	type edge struct {
		t     float64
		delta int
	}
	var edges []edge
	want := func(a, b float64) {
		if a, b = max(a, f.from), min(b, f.to); b > a {
			edges = append(edges, edge{a, 1}, edge{b, -1})
		}
	}
	for tid, own := range r.own {
		for _, s := range slicesWithin(own, f.from, f.to) {
			if on := overlap(s.Start, s.End, f.from, f.to); on > 0 {
				f.tallyOf(r, tid).on += on
				want(s.Start, s.End)
			}
		}
	}
	for tid, own := range r.off {
		for _, st := range within(own, f.from, f.to) {
			d := overlap(st.From, st.To, f.from, f.to)
			if st.State == Runnable {
				f.tallyOf(r, tid).runnable += d
				want(st.From, st.To)
			} else {
				f.tallyOf(r, tid).blocked[kindIndex(st.Kind)] += d
			}
		}
	}
	slices.SortFunc(edges, func(a, b edge) int { return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.delta, b.delta)) })
	n, last := 0, f.from
	for _, e := range append(edges, edge{f.to, 0}) {
		if n == 0 && e.t > last {
			f.idle += e.t - last
			f.idleKinds(r, last, e.t)
		}
		if f.allowed > 0 && n > f.allowed {
			f.overAllowed += e.t - last
		}
		if n >= 2 {
			f.twoWanting += e.t - last
		}
		n += e.delta
		f.peakWanting = max(f.peakWanting, n)
		last = e.t
	}
	f.passes, _ = handOvers(r, f.busy(0), f.from, f.to)
}

// Approximate figures: a frame in which the threads wanted (on a core or
// runnable) more than WantSlack cores' worth beyond those allowed wanted
// more than were allowed; one in which they wanted more than 1+WantSlack,
// two or more wanted a core at once; a thread that wanted a core for
// BusyShare of a frame is counted among those wanting. The slack is the
// samples' noise: CPU from /proc comes in 10 ms ticks, and a frame is not
// exactly one interval long.
const WantSlack = 0.25

// approximate takes the phase's figures from the thread samples: each
// thread's CPU, time runnable (see reckonQueued) and, when a sample found
// it blocked, the rest of the frame as blocked on what it was blocked in.
func (f *facts) approximate(r *run, frames []span) {
	top := -1 // the thread that did most of the last busy frame's work
	for _, s := range frames {
		d := s.length()
		wanted, wanting, on := 0.0, 0, 0
		most, mostTID := 0.0, -1
		for k, ts := range r.p.Frames[s.i].ThreadSamples {
			t, queued := f.tallyOf(r, ts.TID), r.queued[s.i][k]
			t.on += ts.CPU
			t.runnable += queued
			if ts.State == profile.StateBlocked {
				t.blocked[kindIndex(Kind(ts.Wait))] += max(d-ts.CPU-queued, 0)
			}
			want := min(ts.CPU+queued, d)
			wanted += want
			if want >= BusyShare*d {
				wanting++
			}
			if ts.CPU >= BusyShare*d {
				on++
			}
			if ts.CPU > most {
				most, mostTID = ts.CPU, ts.TID
			}
		}
		f.frames++
		if f.allowed > 0 && wanted > (float64(f.allowed)+WantSlack)*d {
			f.overAllowed += d
		}
		if wanted > (1+WantSlack)*d {
			f.twoWanting += d
		}
		idle := d - min(wanted, d)
		f.idle += idle
		f.sampledIdleKinds(r, s, idle)
		f.peakWanting = max(f.peakWanting, wanting)
		if on >= 2 {
			f.turnFrames++
		}
		if most >= IdleCores*d {
			if top >= 0 && mostTID != top {
				f.passes++
			}
			top = mostTID
		}
	}
}

// idleKinds shares idle time from..to among what the run's workers were
// blocked on then, each kind by its part of their blocked time there; all
// of it WaitUnknown where none was blocked on anything known.
func (f *facts) idleKinds(r *run, from, to float64) {
	var by [len(WaitKinds)]float64
	sum := 0.0
	for tid := range r.workers {
		for _, st := range within(r.off[tid], from, to) {
			if st.State == Blocked {
				d := overlap(st.From, st.To, from, to)
				by[kindIndex(st.Kind)] += d
				sum += d
			}
		}
	}
	f.shareIdle(by, sum, to-from)
}

// sampledIdleKinds shares a frame's idle time among what the samples found
// the run's workers blocked in, one share a sample.
func (f *facts) sampledIdleKinds(r *run, s span, idle float64) {
	var by [len(WaitKinds)]float64
	sum := 0.0
	for _, ts := range r.p.Frames[s.i].ThreadSamples {
		if r.workers[ts.TID] && ts.State == profile.StateBlocked {
			by[kindIndex(Kind(ts.Wait))]++
			sum++
		}
	}
	f.shareIdle(by, sum, idle)
}

// shareIdle adds idle seconds to idleBy in the shares by/sum, or all to
// WaitUnknown where sum is 0.
func (f *facts) shareIdle(by [len(WaitKinds)]float64, sum, idle float64) {
	if sum <= 0 {
		f.idleBy[kindIndex(WaitUnknown)] += idle
		return
	}
	for k, b := range by {
		f.idleBy[k] += idle * b / sum
	}
}

// Hand-overs: the work passes from one busy thread to another when the
// next slice of HandOverSlice or longer among them belongs to another
// thread than the last one did, and that thread had been blocked (or had
// not run yet) since its own last slice: it was waiting on something, a
// lock, and got the core as the other let it go, rather than having been
// preempted and only waiting for a core. The outgoing slice's own end does
// not tell: on a busy machine the thread it wakes often preempts it on its
// own core. Shorter slices are a waiter waking to find the lock still
// held, not work.
const HandOverSlice = 0.0001

// handOvers counts, among threads tids over from..to, the hand-overs and
// every change of thread between long slices, after a preemption too.
func handOvers(r *run, tids []int, from, to float64) (handed, changes int) {
	type long struct {
		profile.Slice
		waited bool // its thread was blocked, or new, before it
	}
	n := 0
	for _, tid := range tids {
		lo, hi := sliceRange(r.own[tid], from, to)
		n += hi - lo
	}
	ss := make([]long, 0, n)
	for _, tid := range tids {
		own := r.own[tid]
		lo, hi := sliceRange(own, from, to)
		for i := lo; i < hi; i++ {
			if s := own[i]; s.End-s.Start >= HandOverSlice {
				ss = append(ss, long{s, i == 0 || own[i-1].Ended == profile.SliceBlocked || own[i-1].Ended == profile.SliceExited})
			}
		}
	}
	slices.SortFunc(ss, func(a, b long) int { return byStart(a.Slice, b.Slice) })
	for i := 1; i < len(ss); i++ {
		if ss[i-1].TID == ss[i].TID {
			continue
		}
		changes++
		if ss[i].waited {
			handed++
		}
	}
	return handed, changes
}

// procTurns are the figures of one process whose busy threads may have
// taken turns on a core.
type procTurns struct {
	pid     int
	threads int     // its busy threads
	cores   float64 // its cores' worth of CPU over the phase
	wanted  float64 // the cores' worth its busy threads were on a core or waiting for one
	// On the switch timeline: hand-overs, every change of thread, and the
	// share of the phase two of its busy threads were on cores together.
	handOvers, changes int
	together           float64
	// From the samples: on the approximate path, the frames in which two
	// or more of its busy threads each had BusyShare of the frame on a
	// core while it used at most OneCoreMost cores, and its busy frames
	// (IdleCores or more).
	turnFrames, busyFrames int
	// samples counts the busy threads' samples (on the approximate path,
	// in turn frames), siblingWaits those that found a busy thread blocked
	// while a sibling ran or was runnable (on the approximate path, in a
	// turn frame),
	// lockWaits those in which it was blocked on a lock (a futex), and
	// sharedLock those on a lock two or more of them were found waiting
	// on (a GIL's condition and mutex are each every thread's).
	samples, siblingWaits, lockWaits, sharedLock int
	python                                       bool
}

// turns gathers each process's figures of taking turns: those with two or
// more busy threads.
func (f *facts) turns(r *run, frames []span) []procTurns {
	var out []procTurns
	pids := map[int]bool{}
	for _, t := range f.threads {
		pids[t.pid] = true
	}
	for _, pid := range slices.Sorted(maps.Keys(pids)) {
		tids := f.busy(pid)
		if len(tids) < 2 {
			continue
		}
		pt := procTurns{pid: pid, threads: len(tids), python: r.python[pid]}
		for _, tid := range tids {
			pt.cores += f.threads[tid].on
			pt.wanted += f.threads[tid].on + f.threads[tid].runnable
		}
		pt.cores /= max(f.length(), 1e-9)
		pt.wanted /= max(f.length(), 1e-9)
		if f.exact {
			pt.exactTurns(r, f, frames, tids)
		} else {
			pt.sampledTurns(r, frames, tids)
		}
		out = append(out, pt)
	}
	return out
}

// exactTurns measures process pt's hand-overs and time together from the
// switch timeline, and its lock waits from the samples.
func (pt *procTurns) exactTurns(r *run, f *facts, frames []span, tids []int) {
	pt.handOvers, pt.changes = handOvers(r, tids, f.from, f.to)
	var ss []profile.Slice
	for _, tid := range tids {
		ss = append(ss, slicesWithin(r.own[tid], f.from, f.to)...)
	}
	pt.together = Together(ss, ByThread, f.from, f.to)
	for _, s := range frames {
		for _, ts := range r.p.Frames[s.i].ThreadSamples {
			if slices.Contains(tids, ts.TID) {
				pt.samples++
			}
		}
	}
	locks := lockWaits{}
	for _, tid := range tids {
		for _, w := range r.waits[tid] {
			if w.t <= f.from || w.t > f.to || !r.siblingOn(tids, tid, w.t) {
				continue
			}
			pt.siblingWaits++
			if Kind(w.wait) == WaitLock {
				pt.lockWaits++
				locks.add(w.lock, tid)
			}
		}
	}
	pt.sharedLock = locks.shared()
}

// siblingOn reports whether one of threads tids other than tid was on a
// core at time t, or runnable: preempted while it held the lock.
func (r *run) siblingOn(tids []int, tid int, t float64) bool {
	for _, other := range tids {
		if other == tid {
			continue
		}
		if len(slicesWithin(r.own[other], t, t)) > 0 {
			return true
		}
		for _, st := range within(r.off[other], t, t) {
			if st.State == Runnable {
				return true
			}
		}
	}
	return false
}

// sampledTurns counts process pt's turn frames and the lock waits in them
// from the samples.
func (pt *procTurns) sampledTurns(r *run, frames []span, tids []int) {
	locks := lockWaits{}
	for _, s := range frames {
		d := s.length()
		cpu, on, n := 0.0, 0, 0
		var waits []profile.ThreadSample
		for _, ts := range r.p.Frames[s.i].ThreadSamples {
			if !slices.Contains(tids, ts.TID) {
				continue
			}
			cpu += ts.CPU
			n++
			if ts.CPU >= BusyShare*d {
				on++
			}
			if ts.State == profile.StateBlocked {
				waits = append(waits, ts)
			}
		}
		if cpu >= IdleCores*d {
			pt.busyFrames++
		}
		if on < 2 || cpu > OneCoreMost*d {
			continue
		}
		pt.turnFrames++
		pt.samples += n
		pt.siblingWaits += len(waits)
		for _, w := range waits {
			if Kind(w.Wait) == WaitLock {
				pt.lockWaits++
				locks.add(w.Lock, w.TID)
			}
		}
	}
	pt.sharedLock = locks.shared()
}

// lockWaits are the samples that found threads waiting on each lock (a
// futex's address), and which threads.
type lockWaits map[string]map[int]int

func (l lockWaits) add(lock string, tid int) {
	if l[lock] == nil {
		l[lock] = map[int]int{}
	}
	l[lock][tid]++
}

// LockSpan is how close two futex addresses are when they are one lock's:
// glibc's pthread_cond_t (48 bytes) keeps a futex word for each of two
// groups of waiters, so CPython 3.11's GIL-bound threads were found here
// waiting on 0x...f0 and 0x...f4, one condition.
const LockSpan = 64

// shared counts the samples on locks that two or more threads waited on,
// addresses within LockSpan of each other being one lock.
func (l lockWaits) shared() int {
	type addr struct {
		at uint64
		by map[int]int
	}
	var addrs []addr
	for lock, by := range l {
		at, err := strconv.ParseUint(strings.TrimPrefix(lock, "0x"), 16, 64)
		if err == nil {
			addrs = append(addrs, addr{at, by})
		}
	}
	slices.SortFunc(addrs, func(a, b addr) int { return cmp.Compare(a.at, b.at) })
	n := 0
	for lo := 0; lo < len(addrs); {
		hi, tids, count := lo, map[int]bool{}, 0
		for ; hi < len(addrs) && addrs[hi].at-addrs[lo].at < LockSpan; hi++ {
			for tid, c := range addrs[hi].by {
				tids[tid] = true
				count += c
			}
		}
		if len(tids) >= 2 {
			n += count
		}
		lo = hi
	}
	return n
}
