package diagnosis

import (
	"cmp"
	"slices"
	"strings"

	"corescope/profile"
)

// Where a reason's figures come from (profile.Reason's Evidence).
const (
	FromSwitches  = "switch records" // the kernel's context switches: slices, and how each ended
	FromSchedstat = "schedstat"      // each thread's time waiting for a core
	FromSamples   = "samples"        // each thread's CPU and, blocked, its system call, at each tick
	FromCgroup    = "cgroup"         // the cgroup's CPU quota and throttling counters
	FromAffinity  = "affinity"       // the cores its processes were allowed
)

// What evidence a reason lacked (profile.Reason's Missing, comma-separated).
const (
	LacksEnds     = "slice ends"     // the switch records do not say how slices ended (files of corescope before it)
	LacksRunQueue = "run-queue time" // the samples do not say how long threads waited for a core
	LacksStates   = "thread states"  // no sample said what blocked threads waited in
	LacksAllowed  = "allowed cores"  // the cores it was allowed were not read
	LacksThreads  = "thread figures" // neither a switch timeline nor thread samples
)

// The thresholds of the reasons (see reasons). Each is tested on
// hand-made profiles at its edge, and measured on real programs.
const (
	// QuotaShare and QuotaLeast: a quota held the subject when the kernel
	// throttled it in at least this share of its quota's periods, and in
	// at least this many.
	QuotaShare = 0.1
	QuotaLeast = 3
	// AffinityShare: more threads wanted a core than it was allowed for
	// at least this share of the phase.
	AffinityShare = 0.2
	// RunnableShare: its threads were runnable but waiting for a core for
	// at least this share of the time they wanted one (on a core or
	// waiting), for affinity and squeezed.
	RunnableShare = 0.1
	// SqueezeOthers: other programs kept at least this many cores busy;
	// SqueezeLeast: its threads waited for a core at least this share of
	// the phase (a sleeper that woke into a busy machine waited 14% of its
	// 11 ms of work, 2 ms in 2 s: not what held it).
	SqueezeOthers = 0.25
	SqueezeLeast  = 0.05
	// TurnsLeast and TurnsRate: threads that took turns handed the core
	// to each other at least this often, and this often a second; fewer,
	// and one thread did the work at a time. GIL-bound CPython hands over
	// some 200 times a second (every 5 ms switch interval).
	TurnsLeast = 20
	TurnsRate  = 10
	// TurnsCores: a process held by its lock wanted at least this many
	// cores' worth over the phase (its busy threads on a core or waiting
	// for one): threads that barely ran (a pool's helper threads) were
	// held by nothing. Not its CPU alone: GIL-bound threads squeezed by a
	// busy machine got 0.42 cores here, and their lock held them still.
	TurnsCores = 0.5
	// TurnFrameShare: on the approximate path, threads took turns in at
	// least this share of their process's busy frames; one thread did
	// the work at a time when two shared a frame's work, and two wanted a
	// core at once, in under OneThreadShare of the phase's frames.
	TurnFrameShare = 0.5
	OneThreadShare = 0.1
	// LockShare and LockLeast: the waiting threads were found blocked on
	// a lock (a futex) while a sibling ran in at least this many samples
	// and this share of those that found one blocked while a sibling ran;
	// on the approximate path, this share of them on one lock.
	LockShare = 0.5
	LockLeast = 3
	// LockedShare: threads held by a lock are found blocked on it in at
	// least this share of their samples. Measured here: GIL-bound CPython
	// threads 22% (a busy machine) to 35%; zlib.compress threads, which
	// release the GIL, 2%, on one core or two, squeezed or not.
	LockedShare = 0.1
	// WaitingCores and WaitingIdle: a phase under this many cores' worth,
	// none of its threads wanting a core for at least this share of it, was
	// waiting.
	WaitingCores = 0.8
	WaitingIdle  = 0.5
)

// reasons decides phase k's reasons from its figures f, in their order of
// precedence: quota, affinity, squeezed (neither of those), took-turns or
// gil, one-thread, waiting, parallel, and undecided when none holds; the
// order after the limits depends on the phase's cores.
// Under WaitingCores, waiting comes right after the limits (quota,
// affinity): the cores a phase of waits left idle are its waits', though
// a sleeper that started on a full machine was squeezed for 5% of its
// run, and a thread computing between waits did the work alone. From
// WaitingCores up, took-turns and one-thread come before squeezed: a phase
// near the one core its lock or its one thread allows is held there by
// them, and other programs only took the rest (GIL-bound threads beside
// 0.42 busy cores got 0.92 cores, and waited 15% of the time for one);
// so does parallel: a pool squeezed to 1.37 cores ran in parallel first.
func (f *facts) reasons(k, machineCores int) []profile.Reason {
	var out []profile.Reason
	add := func(r profile.Reason, ok bool) bool {
		if ok {
			r.Phase = k
			out = append(out, r)
		}
		return ok
	}
	limited := add(f.quota())
	limited = add(f.affinity(machineCores)) || limited
	waits, waited := f.waiting()
	turns, took := f.tookTurns()
	alone, single := f.oneThread()
	squeezed, squeezes := f.squeezed()
	squeezes = squeezes && !limited
	if f.cores() < WaitingCores {
		add(waits, waited)
		add(squeezed, squeezes)
		add(turns, took)
		add(alone, single)
		add(f.parallel())
	} else {
		add(turns, took)
		add(alone, single)
		add(f.parallel())
		add(squeezed, squeezes)
		add(waits, waited)
	}
	if len(out) == 0 {
		add(f.undecided(), true)
	}
	return out
}

// quota holds when the kernel throttled the subject's cgroup in
// QuotaShare of its periods, and QuotaLeast or more.
func (f *facts) quota() (profile.Reason, bool) {
	r := profile.Reason{Name: profile.ReasonQuota, Evidence: FromCgroup, Figures: map[string]float64{
		"quota_cores": cores(f.quotaCores), "periods": float64(f.periods), "throttled_periods": float64(f.throttled), "throttled_s": round(f.throttledS)}}
	return r, f.throttled >= QuotaLeast && float64(f.throttled) >= QuotaShare*float64(f.periods)
}

// affinity holds when the subject was allowed fewer cores than the
// machine has, more of its threads wanted one than it was allowed for
// AffinityShare of the phase, and they waited for one RunnableShare of the
// time they wanted one.
func (f *facts) affinity(machineCores int) (profile.Reason, bool) {
	on, runnable := f.onS(), f.runnableS()
	r := profile.Reason{Name: profile.ReasonAffinity, Evidence: FromAffinity + ", " + f.runnableSource(), Figures: map[string]float64{
		"allowed_cores": float64(f.allowed), "wanting_threads": float64(f.peakWanting),
		"runnable_s": round(runnable), "over_share": share(f.overAllowed / f.length())}}
	return r, f.runnable && f.allowed > 0 && f.allowed < machineCores &&
		f.overAllowed >= AffinityShare*f.length() && runnable >= RunnableShare*(on+runnable)
}

// squeezed holds when the subject's threads waited for a core
// RunnableShare of the time they wanted one, and SqueezeLeast of the
// phase, while other programs kept SqueezeOthers cores busy.
func (f *facts) squeezed() (profile.Reason, bool) {
	on, runnable := f.onS(), f.runnableS()
	r := profile.Reason{Name: profile.ReasonSqueezed, Evidence: f.runnableSource(), Figures: map[string]float64{
		"runnable_s": round(runnable), "runnable_share": share(runnable / max(on+runnable, 1e-9)), "others_cores": cores(f.others)}}
	return r, f.runnable && runnable >= RunnableShare*(on+runnable) && runnable >= SqueezeLeast*f.length() && f.others >= SqueezeOthers
}

// tookTurns holds for the busiest process whose busy threads took turns
// on a core (see turned), refined to gil for CPython whose waiting threads
// were found blocked on a lock while a sibling ran.
func (f *facts) tookTurns() (profile.Reason, bool) {
	for _, pt := range f.byCores() {
		if r, ok := f.turned(pt); ok {
			return r, true
		}
	}
	return profile.Reason{}, false
}

// turned decides whether process pt's busy threads took turns, held to
// one core by a lock: it wanted TurnsCores or more; on the switch timeline,
// its busy threads were on cores together under TakingTurns of the phase
// and handed the core to each other TurnsLeast times or more, TurnsRate a
// second, most changes of thread being hand-overs rather than
// preemptions; from samples, two or more shared the work in
// TurnFrameShare of its busy frames, the others found blocked on one lock.
func (f *facts) turned(pt procTurns) (profile.Reason, bool) {
	r := profile.Reason{Name: profile.ReasonTookTurns, Figures: map[string]float64{
		"pid": float64(pt.pid), "threads": float64(pt.threads), "cores_used": cores(pt.cores), "lock_waits": float64(pt.lockWaits)}}
	var ok bool
	if f.exact {
		rate := float64(pt.handOvers) / max(f.length(), 1e-9)
		r.Evidence = FromSwitches
		r.Figures["handovers"], r.Figures["handovers_per_s"], r.Figures["together_share"] = float64(pt.handOvers), round(rate), share(pt.together)
		ok = f.runnable && pt.together < TakingTurns && pt.handOvers >= TurnsLeast && rate >= TurnsRate && 2*pt.handOvers >= pt.changes
	} else {
		r.Evidence = FromSamples
		r.Figures["turn_frames"], r.Figures["busy_frames"] = float64(pt.turnFrames), float64(pt.busyFrames)
		ok = f.states && pt.turnFrames >= MinPhaseFrames && float64(pt.turnFrames) >= TurnFrameShare*float64(pt.busyFrames) &&
			pt.onLock() && float64(pt.sharedLock) >= LockShare*float64(pt.lockWaits)
	}
	if !ok || pt.wanted < TurnsCores {
		return r, false
	}
	switch {
	case pt.python && !f.states:
		r.Missing = LacksStates // CPython, but what its waiting threads waited in was not read
	case pt.python && pt.onLock():
		r.Name = profile.ReasonGIL
		if f.exact {
			r.Evidence = FromSwitches + ", " + FromSamples
		}
	}
	return r, true
}

// onLock reports whether process pt's busy threads were found blocked on
// a lock while a sibling ran: LockLeast times or more, in LockShare of the
// samples that found one blocked while a sibling ran, and in LockedShare
// of their samples.
func (pt procTurns) onLock() bool {
	n := float64(pt.lockWaits)
	return pt.lockWaits >= LockLeast && n >= LockShare*float64(pt.siblingWaits) && n >= LockedShare*float64(pt.samples)
}

// byCores is the phase's processes that may have taken turns, the
// busiest first.
func (f *facts) byCores() []procTurns {
	out := slices.Clone(f.procs)
	slices.SortStableFunc(out, func(a, b procTurns) int { return cmp.Compare(b.cores, a.cores) })
	return out
}

// oneThread holds when the phase wanted to work (its threads on a core or
// waiting for one, IdleCores or more: a thread squeezed by a busy machine
// to 0.11 cores wanted one all the time), two of its threads wanted a core
// at once under TakingTurns of it, and the work
// passed between threads rarely (under TurnsLeast times or TurnsRate a
// second; from samples, two shared a frame's work in under OneThreadShare
// of the frames). Where the run does not tell runnable time, one busy
// thread alone holds it, the missing evidence said.
func (f *facts) oneThread() (profile.Reason, bool) {
	busy := len(f.busy(0))
	r := profile.Reason{Name: profile.ReasonOneThread, Evidence: f.runnableSource(), Figures: map[string]float64{
		"threads": float64(busy), "passes": float64(f.passes), "two_wanting_share": share(f.twoWanting / max(f.length(), 1e-9))}}
	if (f.onS()+f.runnableS())/max(f.length(), 1e-9) < IdleCores || f.cores() > OneCoreMost {
		return r, false // no work, or two threads at once
	}
	if !f.runnable {
		r.Missing = f.runnableLack()
		return r, busy == 1
	}
	few := f.passes < TurnsLeast || float64(f.passes) < TurnsRate*f.length()
	alone := f.twoWanting < TakingTurns*f.length()
	if !f.exact { // a frame is the least the samples tell: a hand-over's frame was 7% of a 3 s run
		few = float64(f.turnFrames) < OneThreadShare*float64(f.frames)
		alone = f.twoWanting < OneThreadShare*f.length()
	}
	return r, alone && few
}

// waiting holds when the phase used under WaitingCores and none of its
// threads wanted a core (all blocked) for WaitingIdle of it, with the
// blocked time known (how slices ended, or run-queue time): named by what
// the run's workers waited on while the cores were idle, in seconds that
// add up to that idle time. Time idle, not time blocked: a main thread
// blocked on the workers it waits for is not what leaves the cores idle
// while they compute, nor are a pool's idle threads.
func (f *facts) waiting() (profile.Reason, bool) {
	r := profile.Reason{Name: profile.ReasonWaiting, Figures: map[string]float64{"cores_used": cores(f.cores()), "idle_s": round(f.idle)}}
	for k, b := range f.idleBy {
		if b > 0 {
			r.Figures[WaitKinds[k]] = round(b)
		}
	}
	switch {
	case f.exact:
		r.Evidence = FromSwitches + ", " + FromSamples
	default:
		r.Evidence = FromSamples
	}
	if !f.states {
		r.Missing = LacksStates
	}
	return r, f.runnable && f.cores() < WaitingCores && f.idle >= WaitingIdle*f.length() && f.idle > 0
}

// parallel holds above OneCoreMost cores' worth.
func (f *facts) parallel() (profile.Reason, bool) {
	busy := f.busy(0)
	procs := map[int]bool{}
	for _, tid := range busy {
		procs[f.threads[tid].pid] = true
	}
	evidence := FromSamples
	if f.exact {
		evidence = FromSwitches
	}
	return profile.Reason{Name: profile.ReasonParallel, Evidence: evidence, Figures: map[string]float64{
		"cores_used": cores(f.cores()), "threads": float64(len(busy)), "processes": float64(len(procs))}}, f.cores() > OneCoreMost
}

// undecided is the reason of a phase no other holds: what evidence it
// lacked, if any.
func (f *facts) undecided() profile.Reason {
	var lacks []string
	if !f.runnable {
		lacks = append(lacks, f.runnableLack())
	}
	if !f.states && len(f.threads) > 0 {
		lacks = append(lacks, LacksStates)
	}
	if f.runnable && f.allowed == 0 {
		lacks = append(lacks, LacksAllowed)
	}
	return profile.Reason{Name: profile.ReasonUndecided, Missing: strings.Join(lacks, ", "), Figures: map[string]float64{
		"cores_used": cores(f.cores()), "threads": float64(len(f.busy(0))), "others_cores": cores(f.others)}}
}

// runnableSource is where the phase's runnable time comes from.
func (f *facts) runnableSource() string {
	if f.exact {
		return FromSwitches
	}
	return FromSchedstat
}

// runnableLack is what the phase lacks to tell runnable time.
func (f *facts) runnableLack() string {
	switch {
	case f.exact:
		return LacksEnds
	case len(f.threads) == 0:
		return LacksThreads
	}
	return LacksRunQueue
}

// round, share and cores round figures as profiles keep them.
func round(s float64) float64 { return profile.Round(s, 1e4) }
func share(v float64) float64 { return profile.Round(v, 1e4) }
func cores(v float64) float64 { return profile.Round(v, 1e3) }
