package diagnosis

import (
	"fmt"
	"strings"
	"testing"

	"corescope/profile"
	"corescope/profile/profiletest"
)

const (
	p = profile.SlicePreempted
	b = profile.SliceBlocked
	x = profile.SliceExited
)

// withOthers gives tl other programs keeping others cores busy.
func withOthers(tl profiletest.Timeline, others float64) profiletest.Timeline {
	tl.Others = others
	return tl
}

// old makes tl a file of corescope before the evidence of issue 20.
func old(tl profiletest.Timeline) profiletest.Timeline {
	tl.Old = true
	return tl
}

// names is each phase's reasons' names, "+" between them, "|" between phases.
func names(f Findings) string {
	var phases []string
	for k := range f.Phases {
		var ns []string
		for _, r := range f.In(k) {
			ns = append(ns, r.Name)
		}
		phases = append(phases, strings.Join(ns, "+"))
	}
	return strings.Join(phases, " | ")
}

// TestReasons checks the reasons of hand-made runs, each as the switch
// records tell it and as the samples do: exactly the reasons named, so a
// reason given without its evidence fails as much as one missed.
func TestReasons(t *testing.T) {
	tests := []struct {
		name               string
		tl                 profiletest.Timeline
		exact, approximate string
		missingE, missingA string // the first phase's undecided or weakened reason's Missing
	}{
		{"CPython threads under the GIL", profiletest.GILThreads("python3"), "gil", "gil", "", ""},
		{"another program's threads taking turns", profiletest.GILThreads("java"), "took-turns", "took-turns", "", ""},
		{"a hand-over between two threads", profiletest.HandOver(), "one-thread", "one-thread", "", ""},
		{"a pool of 4 allowed one core", profiletest.Timeline{Argv0: "python3", Seconds: 2, Allowed: 1, Threads: profiletest.Pool(4, 1, 2)}, "affinity", "affinity", "", ""},
		// All the machine's cores allowed: 4 processes on 2 cores are not held by an affinity.
		{"a pool of 4 on all the machine's cores", profiletest.Timeline{Argv0: "python3", Seconds: 2, Allowed: 2, Threads: profiletest.Pool(4, 2, 2)}, "parallel", "parallel", "", ""},
		{"a pool under a quota", profiletest.QuotaPool(0.8), "quota", "quota", "", ""},
		{"one thread squeezed by a busy loop", profiletest.OneThread(0.005, p, "", 1), "squeezed+one-thread", "squeezed+one-thread", "", ""},
		{"one thread on a core", profiletest.OneThread(0.01, p, "", 0), "one-thread", "one-thread", "", ""},
		{"waiting on a socket", profiletest.OneThread(0.001, b, "recvfrom", 0), "waiting", "waiting", "", ""},
		{"waiting on a socket beside a busy loop", profiletest.OneThread(0.001, b, "recvfrom", 1), "waiting", "waiting", "", ""},
		{"sleeping", profiletest.Sleeper(), "waiting", "waiting", "", ""},
		{"two processes in parallel", profiletest.ParallelPair(), "parallel", "parallel", "", ""},
		{"two processes in parallel beside a busy loop", withOthers(profiletest.ParallelPair(), 0.5), "parallel", "parallel", "", ""},
		// Parallel first: other programs only took the rest.
		{"three processes on two cores beside a busy loop", profiletest.Timeline{Argv0: "python3", Seconds: 2, Allowed: 2, Others: 0.5, Threads: profiletest.Pool(3, 2, 2)},
			"parallel+squeezed", "parallel+squeezed", "", ""},
		{"zlib threads pinned to one core", profiletest.ZlibPinned(), "affinity", "affinity", "", ""},
		{"zlib threads pinned beside a busy loop", withOthers(profiletest.ZlibPinned(), 1), "affinity", "affinity", "", ""},
		{"phased: one core, two processes, a sleep", profiletest.Phased(), "one-thread | parallel | waiting", "one-thread | parallel | waiting", "", ""},
		// Files of corescope before the evidence: what they have decides, and what they lack is said.
		{"an old file's GIL", old(profiletest.GILThreads("python3")), "undecided", "undecided", "slice ends, thread states", "run-queue time, thread states"},
		{"an old file's one thread", old(profiletest.OneThread(0.01, p, "", 0)), "one-thread", "one-thread", "slice ends", "run-queue time"},
		{"an old file's waits", old(profiletest.OneThread(0.001, b, "recvfrom", 0)), "undecided", "undecided", "slice ends, thread states", "run-queue time, thread states"},
		{"an old file's pool", old(profiletest.ParallelPair()), "parallel", "parallel", "", ""},
	}
	for _, tt := range tests {
		for _, path := range []struct {
			name, want, missing string
			p                   *profile.Profile
		}{{"exact", tt.exact, tt.missingE, tt.tl.Exact()}, {"approximate", tt.approximate, tt.missingA, tt.tl.Approximate()}} {
			t.Run(tt.name+"/"+path.name, func(t *testing.T) {
				f := Of(path.p)
				if got := names(f); got != path.want {
					t.Errorf("reasons %q; want %q\n%s", got, path.want, dump(f))
				}
				if got := f.In(0)[0].Missing; got != path.missing {
					t.Errorf("first reason's missing = %q; want %q", got, path.missing)
				}
			})
		}
	}
}

// dump shows findings for a failing test.
func dump(f Findings) string {
	var sb strings.Builder
	for k, ph := range f.Phases {
		fmt.Fprintf(&sb, "phase %d: %+v\n", k, ph)
		for _, r := range f.In(k) {
			fmt.Fprintf(&sb, "  %s %v evidence %q missing %q\n", r.Name, r.Figures, r.Evidence, r.Missing)
		}
	}
	return sb.String()
}

// turnsOf is 2 threads of argv0 that hand one core to each other every on
// seconds, blocking in wait, over seconds; with overlap, each slice
// lasts that much past the other's start.
func turnsOf(argv0 string, on, overlap, seconds float64, wait string) profiletest.Timeline {
	return profiletest.Timeline{Argv0: argv0, Seconds: seconds, Allowed: 2, Threads: []profiletest.ThreadLine{
		{PID: 10, TID: 11, Wait: wait, Lock: "0x55aa", Slices: profiletest.Slices(10, 11, 0, 0, seconds, on+overlap, on-overlap, b)},
		{PID: 10, TID: 12, Wait: wait, Lock: "0x55aa", Slices: profiletest.Slices(10, 12, 1, on, seconds, on+overlap, on-overlap, b)},
	}}
}

// lockedEvery is 2 CPython threads that each run 3 ms of every period,
// one after the other, blocked on the GIL the rest.
func lockedEvery(period float64) profiletest.Timeline {
	return profiletest.Timeline{Argv0: "python3", Seconds: 2, Allowed: 2, Threads: []profiletest.ThreadLine{
		{PID: 10, TID: 11, Wait: "futex", Lock: "0x55aa", Slices: profiletest.Slices(10, 11, 0, 0, 2, 0.003, period-0.003, b)},
		{PID: 10, TID: 12, Wait: "futex", Lock: "0x55aa", Slices: profiletest.Slices(10, 12, 1, 0.0035, 2, 0.003, period-0.003, b)},
	}}
}

// alongside is a process alone on core 0 for the run, and another that is
// runnable (wanting a core) for its first wanting seconds, then blocked.
func alongside(seconds, wanting float64, allowed int) profiletest.Timeline {
	return profiletest.Timeline{Argv0: "app", Seconds: seconds, Allowed: allowed, Threads: []profiletest.ThreadLine{
		{PID: 10, TID: 10, Slices: profiletest.Slices(10, 10, 0, 0, seconds, seconds, 0, x)},
		{PID: 20, TID: 20, Wait: "read", Slices: []profile.Slice{{PID: 20, TID: 20, Start: 0, End: 0.0001, Ended: p}, {PID: 20, TID: 20, CPU: 1, Start: wanting, End: wanting + 0.0001, Ended: b}}},
	}}
}

// twoWorkers is 2 processes, the first on a core for the whole run, the
// second for share of it; blocked in read the rest.
func twoWorkers(share float64) profiletest.Timeline {
	return profiletest.Timeline{Argv0: "app", Seconds: 2, Allowed: 2, Threads: []profiletest.ThreadLine{
		{PID: 10, TID: 10, Slices: profiletest.Slices(10, 10, 0, 0, 2, 2, 0, x)},
		{PID: 20, TID: 20, Wait: "read", Slices: profiletest.Slices(20, 20, 1, 0, 2, 0.01*share, 0.01*(1-share), b)},
	}}
}

// together is 2 single-threaded processes that each run on of every
// 10 ms at the same time, blocked in read the rest.
func together(on float64) profiletest.Timeline {
	return profiletest.Timeline{Argv0: "app", Seconds: 2, Allowed: 2, Threads: []profiletest.ThreadLine{
		{PID: 10, TID: 10, Wait: "read", Slices: profiletest.Slices(10, 10, 0, 0.0005, 2, on, 0.01-on, b)},
		{PID: 20, TID: 20, Wait: "read", Slices: profiletest.Slices(20, 20, 1, 0.0005, 2, on, 0.01-on, b)},
	}}
}

// squeezedWaiter is one thread beside a busy loop that runs 0.2 ms of every
// 10 ms, then is runnable for runnable seconds, and blocked in read the rest.
func squeezedWaiter(runnable float64) profiletest.Timeline {
	var ss []profile.Slice
	for t := 0.0005; t < 2; t += 0.01 {
		ss = append(ss, profile.Slice{PID: 10, TID: 10, Start: t, End: t + 0.0001, Ended: p},
			profile.Slice{PID: 10, TID: 10, Start: t + 0.0001 + runnable, End: t + 0.0002 + runnable, Ended: b})
	}
	return profiletest.Timeline{Argv0: "server", Seconds: 2, Allowed: 2, Others: 1, Threads: []profiletest.ThreadLine{{PID: 10, TID: 10, Wait: "read", Slices: ss}}}
}

// waitingOnWorkers is a main thread blocked on a lock while 2 worker
// processes compute at 0.6 cores each.
func waitingOnWorkers() profiletest.Timeline {
	return profiletest.Timeline{Argv0: "python3", Seconds: 2, Allowed: 2, Threads: []profiletest.ThreadLine{
		{PID: 10, TID: 10, Wait: "futex", Lock: "0x10", Slices: []profile.Slice{{PID: 10, TID: 10, Start: 0, End: 0.0001, Ended: b}}},
		{PID: 20, TID: 20, Wait: "read", Slices: profiletest.Slices(20, 20, 0, 0.0005, 2, 0.006, 0.004, b)},
		{PID: 21, TID: 21, Wait: "read", Slices: profiletest.Slices(21, 21, 1, 0.0035, 2, 0.006, 0.004, b)},
	}}
}

// withQuota gives p's frames periods quota periods between them, throttled
// of them throttled, under a quota of half a core.
func withQuota(p *profile.Profile, periods, throttled int) *profile.Profile {
	q := 0.5
	p.Summary.CPUQuotaCores = &q
	for i := range p.Frames {
		p.Frames[i].QuotaPeriods, p.Frames[i].ThrottledPeriods = 0, 0
	}
	for i := range periods {
		p.Frames[i%len(p.Frames)].QuotaPeriods++
	}
	for i := range throttled {
		p.Frames[i%len(p.Frames)].ThrottledPeriods++
	}
	return p
}

// TestNoGIL checks that threads of a free-threaded CPython that take turns
// are held by a lock, not a GIL: it has none.
func TestNoGIL(t *testing.T) {
	for _, p := range []*profile.Profile{profiletest.GILThreads("python3").Exact(), profiletest.GILThreads("python3").Approximate()} {
		p.Machine.Python = "CPython 3.13.1, no GIL"
		if got := names(Of(p)); got != profile.ReasonTookTurns {
			t.Errorf("%s: reasons %q; want %q", p.Summary.Attribution, got, profile.ReasonTookTurns)
		}
	}
}

// TestThresholds puts hand-made runs on either side of each threshold of
// the reasons, on the path or paths it applies to: what is named flips
// there, and nowhere else.
func TestThresholds(t *testing.T) {
	both := func(tl profiletest.Timeline) []*profile.Profile {
		return []*profile.Profile{tl.Exact(), tl.Approximate()}
	}
	exact := func(tl profiletest.Timeline) []*profile.Profile { return []*profile.Profile{tl.Exact()} }
	approximate := func(tl profiletest.Timeline) []*profile.Profile { return []*profile.Profile{tl.Approximate()} }
	quota := func(periods, throttled int) []*profile.Profile {
		return []*profile.Profile{withQuota(profiletest.OneThread(0.01, p, "", 0).Exact(), periods, throttled), withQuota(profiletest.OneThread(0.01, p, "", 0).Approximate(), periods, throttled)}
	}
	tests := []struct {
		name string
		ps   []*profile.Profile
		want string
	}{
		// QuotaShare and QuotaLeast: 10% of 100 periods, not 9%; 3 of 30, not 2 of 20.
		{"throttled in 10% of the periods", quota(100, 10), "quota+one-thread"},
		{"throttled in 9% of the periods", quota(100, 9), "one-thread"},
		{"throttled in 3 periods of 30", quota(30, 3), "quota+one-thread"},
		{"throttled in 2 periods of 20", quota(20, 2), "one-thread"},
		// AffinityShare: more wanting than allowed for 20% of the run, not 19% (a frame's worth on samples).
		{"over the allowed cores 20% of the run", both(alongside(2, 0.4, 1)), "affinity"},
		{"over the allowed cores 19% of the run", exact(alongside(2, 0.38, 1)), "undecided"},
		{"over the allowed cores 15% of the run, sampled", approximate(alongside(2, 0.3, 1)), "undecided"},
		{"all the machine's cores allowed", both(alongside(2, 0.4, 2)), "undecided"},
		// RunnableShare and SqueezeOthers: runnable 11% of the time wanted, not 9%; beside 0.27 busy cores, not 0.23.
		// Over WaitingCores, the one thread comes first; squeezed took the rest.
		{"runnable 11% beside a busy loop", both(profiletest.OneThread(0.0089, p, "", 1)), "one-thread+squeezed"},
		{"runnable 9% beside a busy loop", both(profiletest.OneThread(0.0091, p, "", 1)), "one-thread"},
		{"runnable half the time beside 0.27 busy cores", both(profiletest.OneThread(0.005, p, "", 0.27)), "squeezed+one-thread"},
		{"runnable half the time beside 0.23 busy cores", both(profiletest.OneThread(0.005, p, "", 0.23)), "one-thread"},
		// SqueezeLeast: waiting for a core 5.5% of the run, not 4.5% (a thread blocked the rest, 2% on a core).
		{"runnable 5.5% of the run beside a busy loop", both(squeezedWaiter(0.00055)), "waiting+squeezed"},
		{"runnable 4.5% of the run beside a busy loop", both(squeezedWaiter(0.00045)), "waiting"},
		// TurnsLeast and TurnsRate: 20 hand-overs in 2 s take turns, 19 pass the work on; 20 in 4 s too.
		{"20 hand-overs in 2 s", exact(turnsOf("python3", 2.0/21, 0, 2, "futex")), "gil"},
		{"19 hand-overs in 2 s", exact(turnsOf("python3", 2.0/20, 0, 2, "futex")), "one-thread"},
		{"20 hand-overs in 4 s", exact(turnsOf("python3", 4.0/21, 0, 4, "futex")), "one-thread"},
		// TakingTurns: on cores together 4.7% of the run, not 5.3%.
		{"together 4.7% of the run", exact(turnsOf("python3", 0.003, 0.00014, 2, "futex")), "gil"},
		{"together 5.3% of the run", exact(turnsOf("python3", 0.003, 0.00016, 2, "futex")), "undecided"},
		// The GIL only where the waiters were blocked on a lock.
		{"CPython threads handing over through a pipe", exact(turnsOf("python3", 0.003, 0, 2, "read")), "took-turns"},
		{"CPython threads handing over through a pipe, sampled", approximate(turnsOf("python3", 0.003, 0, 2, "read")), "undecided"},
		// TurnsCores: a process of 0.62 cores was held by its lock (its waits on it are its turns); one of 0.47 waited on it.
		{"taking turns at 0.62 cores", both(lockedEvery(0.0097)), "gil"},
		{"taking turns at 0.47 cores", both(lockedEvery(0.0127)), "waiting"},
		// TakingTurns for one thread: a second wanted a core 4% of the run, not 6% (on samples OneThreadShare: 7.5%, not 12.5%).
		{"two wanting 4% of the run", exact(alongside(2, 0.08, 2)), "one-thread"},
		{"two wanting 6% of the run", exact(alongside(2, 0.12, 2)), "undecided"},
		{"two wanting 7.5% of the run, sampled", approximate(alongside(4, 0.3, 2)), "one-thread"},
		{"two wanting 12.5% of the run, sampled", approximate(alongside(4, 0.5, 2)), "undecided"},
		// WaitingCores: two processes idle 61% of the time at 0.78 cores waited; at 0.82 they did not.
		{"idle most of the time at 0.78 cores", exact(together(0.0039)), "waiting"},
		// The samples cannot tell that the two waited at the same time: idle at least the rest of each frame.
		{"idle most of the time at 0.78 cores, sampled", approximate(together(0.0039)), "undecided"},
		{"idle most of the time at 0.82 cores", both(together(0.0041)), "undecided"},
		// WaitingIdle: idle 51% of the time waited, 49% did not.
		{"idle 51% of the time", both(profiletest.OneThread(0.0049, b, "read", 0)), "waiting+one-thread"},
		{"idle 49% of the time", both(profiletest.OneThread(0.0051, b, "read", 0)), "one-thread"},
		// Idle, not blocked: a thread that waits on two workers computing together is not waiting.
		{"waiting on workers that compute", both(waitingOnWorkers()), "parallel"},
		// OneCoreMost: 1.16 cores were parallel, 1.14 not.
		{"1.16 cores", both(twoWorkers(0.16)), "parallel"},
		{"1.14 cores", both(twoWorkers(0.14)), "undecided"},
	}
	for _, tt := range tests {
		for _, p := range tt.ps {
			t.Run(tt.name+"/"+p.Summary.Attribution, func(t *testing.T) {
				f := Of(p)
				if got := names(f); got != tt.want {
					t.Errorf("reasons %q; want %q\n%s", got, tt.want, dump(f))
				}
			})
		}
	}
}

// busyTurns are 2 CPython threads taking turns under the GIL beside a busy
// loop, for 2 s: each thread's turn of every period is the slices of turn
// (times from the turn's start), the second's half a period after the
// first's.
func busyTurns(period float64, turn ...profile.Slice) profiletest.Timeline {
	line := func(tid int, from float64) profiletest.ThreadLine {
		var ss []profile.Slice
		for t := from; t < 2; t += period {
			for _, s := range turn {
				ss = append(ss, profile.Slice{PID: 10, TID: tid, CPU: s.CPU, Start: t + s.Start, End: t + s.End, Ended: s.Ended})
			}
		}
		return profiletest.ThreadLine{PID: 10, TID: tid, Wait: "futex", Lock: "0x55f0", Slices: ss}
	}
	return profiletest.Timeline{Argv0: "python3", Seconds: 2, Allowed: 2, Others: 1, Threads: []profiletest.ThreadLine{line(11, 0), line(12, period/2)}}
}

// squeezedTurns: each turn the holder runs 1.5 ms, is preempted by
// another program and waits 4 ms for a core, runs 1.5 ms more and blocks,
// handing the GIL over. They get 0.43 cores, but want one the whole time.
func squeezedTurns() profiletest.Timeline {
	return busyTurns(0.014, profile.Slice{Start: 0, End: 0.0015, Ended: p}, profile.Slice{CPU: 1, Start: 0.0055, End: 0.007, Ended: b})
}

// littleSqueezedTurns: the busy loop takes a holder's core for 0.5 ms of
// each 4 ms turn: 0.88 cores' worth, runnable 12.5% of the time they
// wanted one.
func littleSqueezedTurns() profiletest.Timeline {
	return busyTurns(0.008, profile.Slice{Start: 0, End: 0.003, Ended: p}, profile.Slice{Start: 0.0035, End: 0.004, Ended: b})
}

// wokenOnItsCore: the thread each wakes, handing the GIL over, preempts it
// on its own core, so every long slice ends preempted; the preempted
// thread then asks for the GIL in a short slice and blocks.
func wokenOnItsCore() profiletest.Timeline {
	return busyTurns(0.006, profile.Slice{Start: 0, End: 0.003, Ended: p}, profile.Slice{CPU: 1, Start: 0.0031, End: 0.00315, Ended: b})
}

// TestTurnsOnABusyMachine checks the turns of threads under one lock that
// other programs squeeze: the holder preempted by the thread it woke, or
// by another program, still hands the lock over, and threads that want a
// core for TurnsCores are held by it, whatever CPU they got.
func TestTurnsOnABusyMachine(t *testing.T) {
	for _, c := range []struct {
		name, want string
		tl         profiletest.Timeline
	}{{"preempted by the thread it woke", "gil", wokenOnItsCore()}, {"squeezed to 0.43 cores", "squeezed+gil", squeezedTurns()},
		{"squeezed a little, at 0.88 cores", "gil+squeezed", littleSqueezedTurns()}} {
		f := Of(c.tl.Exact())
		if got := names(f); got != c.want {
			t.Errorf("%s: reasons %q; want %q\n%s", c.name, got, c.want, dump(f))
		}
	}
}

// TestLocksSampled checks the lock evidence of threads taking turns on the
// approximate path: waits on one condition's two futex words (within
// LockSpan) are one lock; waits on locks of their own are not; and the
// waits must be LockedShare of the samples.
func TestLocksSampled(t *testing.T) {
	tl := profiletest.GILThreads("python3")
	tl.Threads[1].Lock = "0x55b4" // the other futex word of one pthread_cond_t
	if got := names(Of(tl.Approximate())); got != "gil" {
		t.Errorf("waits 4 bytes apart: reasons %q; want gil", got)
	}
	tl.Threads[1].Lock = "0x95aa" // a lock of its own
	if got := names(Of(tl.Approximate())); got != "undecided" {
		t.Errorf("waits on locks of their own: reasons %q; want undecided", got)
	}
	// keep leaves keep of the samples that found a thread blocked.
	keep := func(keep int) *profile.Profile {
		p := profiletest.GILThreads("python3").Approximate()
		for i := range p.Frames {
			for k, ts := range p.Frames[i].ThreadSamples {
				if ts.State == profile.StateBlocked {
					if keep > 0 {
						keep--
						continue
					}
					p.Frames[i].ThreadSamples[k].State, p.Frames[i].ThreadSamples[k].Wait, p.Frames[i].ThreadSamples[k].Lock = profile.StateRunning, "", ""
				}
			}
		}
		return p
	}
	for _, c := range []struct {
		keep int
		want string
	}{{5, "gil"}, {3, "undecided"}} { // of 40 samples: 12.5% and 7.5%
		if got := names(Of(keep(c.keep))); got != c.want {
			t.Errorf("%d of 40 samples blocked on the lock: reasons %q; want %q", c.keep, got, c.want)
		}
	}
}

// TestRunQueueCountedWhenTheWaitEnds checks a thread alone whose wait
// for a core the kernel added to one frame when it ended: it is one thread
// wanting a core, not two.
func TestRunQueueCountedWhenTheWaitEnds(t *testing.T) {
	pr := profiletest.OneThread(0.01, p, "", 0).Approximate()
	pr.Frames[5].ThreadSamples[0].RunQS = 0.19 // almost two frames' worth, added at once
	if got := names(Of(pr)); got != "one-thread" {
		t.Errorf("reasons %q; want one-thread", got)
	}
}

// TestQueuedReckoned checks the approximate path's time runnable where
// the kernel tells it late: a wait of 1 s added to run_delay in the frame
// it ended, and a wait that never ended (the thread found runnable at
// every sample, never on a core), both as the thread wanting a core over
// the frames it waited through.
func TestQueuedReckoned(t *testing.T) {
	tl := alongside(2, 1.0, 1) // the second process waits for the one allowed core from 0 to 1 s
	for _, c := range []struct {
		name string
		move func(ts *profile.ThreadSample, frame int)
	}{
		{"added when it ended", func(ts *profile.ThreadSample, frame int) {
			ts.RunQS = 0
			if frame == 9 { // the frame that ends at 1 s
				ts.RunQS = 1
			}
		}},
		{"never ended", func(ts *profile.ThreadSample, _ int) { ts.RunQS = 0 }},
	} {
		pr := tl.Approximate()
		for i := range pr.Frames {
			for k := range pr.Frames[i].ThreadSamples {
				if ts := &pr.Frames[i].ThreadSamples[k]; ts.TID == 20 && i < 10 {
					c.move(ts, i)
				}
			}
		}
		f := Of(pr)
		if got := names(f); got != profile.ReasonAffinity || f.Phases[0].RunnableS < 0.9 {
			t.Errorf("%s: reasons %q, runnable %.2f s; want affinity, 1 s runnable\n%s", c.name, got, f.Phases[0].RunnableS, dump(f))
		}
	}
}

// TestCoresAtMostAllowed: CPU the samples missed, spread over a phase,
// never takes it past the cores the subject was allowed (a real pool read
// "2.02 cores' worth of CPU on 2.02 of 2 cores").
func TestCoresAtMostAllowed(t *testing.T) {
	for _, p := range []*profile.Profile{profiletest.ParallelPair().Exact(), profiletest.ParallelPair().Approximate()} {
		p.Summary.CPUS += 0.2 // CPU no frame holds
		f := Of(p)
		if len(f.Phases) == 0 || f.Used <= 1.9 || f.Used > 2 {
			t.Errorf("%s: %d phases, main at %.3f cores; want one near 2, not past the 2 allowed", p.Summary.Attribution, len(f.Phases), f.Used)
		}
	}
}
