package profiletest

import (
	"cmp"
	"math"
	"slices"
	"time"

	"corescope/levels"
	"corescope/profile"
	"corescope/spec"
)

// Timeline is a hand-made run told thread by thread, from which Exact and
// Approximate make the profiles the two paths of attribution record: the
// same life, once as the kernel's switch records tell it, once as the
// samples do. Times are seconds from the subject's start; frames come
// every Interval from Interval to the end of Seconds.
type Timeline struct {
	Argv0    string // the command, and the name of its processes
	Cores    int    // the machine's logical cores; 2 when 0
	Seconds  float64
	Interval float64 // 0.1 when 0
	Threads  []ThreadLine
	// Others is how many cores' worth other programs kept busy beside it,
	// Allowed the cores it was allowed (0: not read), Quota its cgroup's
	// quota in cores (0: none) and Throttled the share of the quota's
	// 100 ms periods in which it was throttled.
	Others, Quota, Throttled float64
	Allowed                  int
	// Old leaves out what files of corescope before the evidence of
	// issue 20 lack: how slices ended, run-queue time, thread states,
	// limits.
	Old bool
}

// ThreadLine is one thread of a Timeline: its slices on a core, each
// saying how it ended, and what it waited in when blocked between them.
type ThreadLine struct {
	PID, TID int
	Process  string // its process's name; the Timeline's Argv0 when ""
	Slices   []profile.Slice
	// Wait is the system call it is found in while blocked, Lock a
	// futex's address (futex only).
	Wait, Lock string
}

// Slices are thread pid/tid's slices on core cpu from..to, each on long
// and followed by off seconds off a core, each ending ended.
func Slices(pid, tid, cpu int, from, to, on, off float64, ended string) []profile.Slice {
	var ss []profile.Slice
	for t := from; t+1e-12 < to; t += on + off {
		ss = append(ss, profile.Slice{PID: pid, TID: tid, CPU: cpu, Start: t, End: min(t+on, to), Ended: ended})
	}
	return ss
}

func (tl Timeline) interval() float64 { return cmp.Or(tl.Interval, 0.1) }
func (tl Timeline) cores() int        { return cmp.Or(tl.Cores, 2) }

// Exact is the run as recorded with exact attribution: the switch
// timeline, and samples of each thread's CPU and state.
func (tl Timeline) Exact() *profile.Profile { return tl.build(true) }

// Approximate is the run as recorded where perf was refused: samples only,
// each thread's CPU, run-queue time and state.
func (tl Timeline) Approximate() *profile.Profile { return tl.build(false) }

func (tl Timeline) build(exact bool) *profile.Profile {
	iv, n := tl.interval(), tl.cores()
	p := Command(tl.Argv0, tl.Seconds, 0)
	p.Spec.Interval = spec.Duration(time.Duration(iv * float64(time.Second)))
	p.Machine.LogicalCores = n
	s := &p.Summary
	s.SubjectEndS, s.OthersBusyCores = tl.Seconds, tl.Others
	if !exact {
		s.Attribution = profile.AttributionApproximate
	}
	pids := map[int]bool{}
	for _, th := range tl.Threads {
		pids[th.PID] = true
		on := 0.0
		for _, sl := range th.Slices {
			on += sl.End - sl.Start
			if exact {
				if tl.Old {
					sl.Ended = ""
				}
				p.Slices = append(p.Slices, sl)
			}
		}
		t := profile.Thread{PID: th.PID, TID: th.TID, Name: cmp.Or(th.Process, tl.Argv0), Process: cmp.Or(th.Process, tl.Argv0)}
		if exact {
			t.OnCPUS, t.Switches = on, len(th.Slices)
		}
		p.Threads = append(p.Threads, t)
	}
	slices.SortStableFunc(p.Slices, func(a, b profile.Slice) int { return cmp.Compare(a.End, b.End) })
	s.Procs, s.Threads = len(pids), len(tl.Threads)
	frames := int(math.Ceil(tl.Seconds/iv - 1e-9))
	for k := 1; k <= frames; k++ {
		p.Frames = append(p.Frames, tl.frame(float64(k)*iv, exact))
		s.CPUS += p.Frames[k-1].SubjectCPU
	}
	s.CPUS = Round6(s.CPUS)
	s.CoresUsed = profile.Round(s.CPUS/tl.Seconds, 1e3)
	if !tl.Old {
		s.AllowedCores = tl.Allowed
		if tl.Quota > 0 {
			q := tl.Quota
			s.CPUQuotaCores, s.CPUQuotaGroup = &q, "/corescope-test"
			for _, f := range p.Frames {
				s.QuotaPeriods += f.QuotaPeriods
				s.ThrottledPeriods += f.ThrottledPeriods
				s.ThrottledS += f.ThrottledS
			}
		}
	}
	return p
}

// frame is the frame that ends at t.
func (tl Timeline) frame(t float64, exact bool) profile.Frame {
	iv, n := tl.interval(), tl.cores()
	from := t - iv
	subject := make([]float64, n)
	f := profile.Frame{T: profile.Round(t, 1e6), Procs: 1, Threads: len(tl.Threads)}
	for _, th := range tl.Threads {
		ts, core := tl.sample(th, from, t, subject)
		if !exact {
			ts.Core = core
		}
		if ts.CPU > 0 || ts.RunQS > 0 || ts.State != "" {
			f.ThreadSamples = append(f.ThreadSamples, ts)
			f.SubjectCPU += ts.CPU
		}
	}
	f.SubjectCPU = Round6(f.SubjectCPU)
	machine := make([]float64, n)
	others := tl.Others
	for c := range machine {
		share := min(others, 1-subject[c])
		machine[c], others = subject[c]+share, others-share
	}
	f.Busy, f.SubjectBusy = levels.Quantise(nil, machine), levels.Quantise(nil, subject)
	if !tl.Old {
		f.AllowedCores = tl.Allowed
		if tl.Quota > 0 {
			f.QuotaPeriods = int(math.Round(iv / 0.1))
			f.ThrottledPeriods = int(math.Round(tl.Throttled * float64(f.QuotaPeriods)))
			f.ThrottledS = Round6(tl.Throttled * iv)
		}
	}
	return f
}

// sample is thread th's sample over from..to, its CPU added to subject by
// core, and the core it last ran on.
func (tl Timeline) sample(th ThreadLine, from, to float64, subject []float64) (profile.ThreadSample, int) {
	ts := profile.ThreadSample{PID: th.PID, TID: th.TID, Core: -1}
	core := -1
	state := ""
	for i, sl := range th.Slices {
		if on := max(min(sl.End, to)-max(sl.Start, from), 0); on > 0 {
			ts.CPU += on
			subject[sl.CPU%len(subject)] += on / (to - from)
			core = sl.CPU
		}
		next := math.Inf(1)
		if i+1 < len(th.Slices) {
			next = th.Slices[i+1].Start
		}
		next = min(next, tl.Seconds)
		gap := max(min(next, to)-max(sl.End, from), 0)
		switch {
		case sl.Start <= to && to <= sl.End:
			state = profile.StateRunning
		case sl.End < to && to <= next && sl.Ended == profile.SlicePreempted:
			state = profile.StateRunning
		case sl.End < to && to <= next && sl.Ended == profile.SliceBlocked:
			state = profile.StateBlocked
		}
		if sl.Ended == profile.SlicePreempted {
			ts.RunQS += gap
		}
	}
	ts.CPU, ts.RunQS = Round6(ts.CPU), Round6(ts.RunQS)
	if tl.Old {
		ts.RunQS = 0
		return ts, core
	}
	ts.State = state
	if state == profile.StateBlocked {
		ts.Wait, ts.Lock = th.Wait, th.Lock
	}
	return ts, core
}

// Round6 rounds to a microsecond, as profiles keep seconds of CPU.
func Round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }
