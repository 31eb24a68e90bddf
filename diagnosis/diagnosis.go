package diagnosis

import (
	"cmp"
	"strings"
	"time"

	"corescope/profile"
	"corescope/spec"
)

// Case is where a run's figures put it: what its verdict says first.
type Case int

// The cases, from a run that did not finish well to one that kept several
// cores busy. Between them, the run's cores' worth of CPU (Findings.Used)
// decides: under 0.8 the waiting and starved cases, up to 1.15 the cases of
// one core, which say what held it there where the figures tell.
const (
	// Failed is a run that did not finish well: its Error says why.
	Failed Case = iota
	// Watched is a watch of nodes, which runs no subject: its figures are
	// the cluster's.
	Watched
	// NoRunTime is a run whose wall time was not measured.
	NoRunTime
	// TooShort is a run shorter than the cost of starting a process.
	TooShort
	// StarvedByOthers is a CPU-bound model that got well under one core
	// while other programs kept the machine busy.
	StarvedByOthers
	// StarvedOnBusyMachine is the same where a file tells only the whole
	// machine's load, not the other programs' (corescope before it told
	// them apart).
	StarvedOnBusyMachine
	// WaitingOnIO is a model of a workload that waits on I/O, using well
	// under one core.
	WaitingOnIO
	// WaitingOrSqueezed is a command using well under one core while other
	// programs competed: waiting, idle or squeezed.
	WaitingOrSqueezed
	// WaitingOrIdle is a command using well under one core on a quiet
	// machine.
	WaitingOrIdle
	// OneTaskAtATime is the sequential model at about one core.
	OneTaskAtATime
	// GILBound is the threads model at about one core, under a GIL.
	GILBound
	// ThreadsWithoutGIL is the threads model at about one core on a Python
	// that has no GIL: something else held it.
	ThreadsWithoutGIL
	// EventLoop is the async model at about one core.
	EventLoop
	// OneCore is about one core with one busy thread, or with several
	// processes: nothing says a lock held it.
	OneCore
	// CrowdedUnknown is several busy threads that got all the cores other
	// programs left them, without a switch timeline to tell whether
	// something holds them to one core.
	CrowdedUnknown
	// CrowdedTogether is several busy threads that got all there was room
	// for and, as the switch timeline shows, ran at the same time whenever
	// they could: the cores held them, not a lock.
	CrowdedTogether
	// HeldByGIL is several busy threads of CPython held to one core.
	HeldByGIL
	// HeldByLock is several busy threads of another program held to one
	// core by something such as a lock.
	HeldByLock
	// Parallel is more than one core's worth of CPU.
	Parallel
)

// Findings are what a run's figures show: the case it falls in and the
// figures that put it there, for runtext to word. Every figure is the
// profile's own or derived from it; nothing is worded here.
type Findings struct {
	Case Case
	// Used is the cores' worth of CPU judged: over the tasks' span when
	// the subject reported tasks, so start-up does not decide it, else
	// over its whole run.
	Used float64
	// MostlyWaiting is true under 0.3 cores' worth: the waiting cases say
	// "mostly", above it "partly".
	MostlyWaiting bool
	// Crowded is true when the subject used about all the cores other
	// programs left it (within half a core): then a run held to few cores
	// may only have been squeezed.
	Crowded bool
	// Competed is true when other programs used enough of the machine over
	// the subject's life to have held it back: above 0.25 cores, or above
	// 10% of the cores on a big machine.
	Competed bool
	// FreeThreaded is true when the run's Python has no GIL.
	FreeThreaded bool
	// BusyThreads counts the subject's threads that each used at least a
	// tenth of its CPU; counted where the run used about one core (0.8 to
	// 1.15), the only cases that ask.
	BusyThreads int
	// Together is the share of the run during which two or more busy
	// threads were on cores at once, and Timeline whether a switch
	// timeline could tell; measured where several busy threads got about
	// one core and a case or a command's explanation asks (it sorts every
	// slice).
	Together float64
	Timeline bool
	// Speedup is the run's speedup against its baseline, named Baseline;
	// nil for the baseline itself and for a run without one.
	Speedup  *float64
	Baseline string
}

// TookTurns reports whether the switch timeline shows the busy threads
// taking turns on the cores: held by a lock, not by the cores.
func (f Findings) TookTurns() bool { return f.Timeline && f.Together < TakingTurns }

// Of judges run p from its figures. It reads p and changes nothing.
func Of(p *profile.Profile) Findings {
	f := Findings{
		Used:         usedCores(p),
		Crowded:      crowded(p),
		Competed:     competed(p),
		FreeThreaded: strings.HasSuffix(p.Machine.Python, "no GIL"),
		Baseline:     BaselineName(p),
	}
	f.MostlyWaiting = f.Used < 0.3
	if p.Summary.Speedup != nil && !isBaseline(p) {
		f.Speedup = p.Summary.Speedup
	}
	if f.Used >= 0.8 && f.Used <= 1.15 {
		f.BusyThreads = busyThreads(p)
		if f.BusyThreads > 1 && asksTimeline(p, f) {
			f.Together, f.Timeline = togetherShare(p)
		}
	}
	f.Case = judge(p, f)
	return f
}

// asksTimeline reports whether a case or an explanation reads the switch
// timeline of p's busy threads held to about one core: a command's
// explanation always, a case when one process's threads were crowded. The
// models that cannot do better are judged by their model alone.
func asksTimeline(p *profile.Profile, f Findings) bool {
	switch p.Spec.Model {
	case spec.Sequential, spec.Threads, spec.Async:
		return false
	}
	return p.Spec.Backend == spec.BackendCommand || f.Crowded && p.Summary.Procs <= 1
}

// tooShort is the run time under which a verdict would judge the cost of
// starting a process (exec, the dynamic loader, a runtime's start-up)
// rather than the program: /bin/true takes about 2 ms.
const tooShort = 25 * time.Millisecond

// judge is the case p's figures f put it in.
func judge(p *profile.Profile, f Findings) Case {
	s := p.Summary
	switch {
	case p.Failed():
		return Failed
	case p.Watched():
		return Watched
	case s.WallS <= 0:
		return NoRunTime
	case s.WallS < tooShort.Seconds():
		return TooShort
	case f.Used < 0.8:
		return lowCPU(p, f)
	case f.Used <= 1.15:
		return oneCore(p, f)
	}
	return Parallel
}

// lowCPU is the case of a run that used well under one core: waiting on
// I/O, or, for work that never waits, starved by other programs. A command
// does not say which work it does, so when other programs competed, being
// squeezed by them is a cause beside waiting and idling.
func lowCPU(p *profile.Profile, f Findings) Case {
	builtin, cpu := p.Spec.Backend.Builtin(), p.Spec.Workload == spec.CPU
	switch {
	case builtin && cpu && p.Summary.Attribution != "":
		return StarvedByOthers
	case builtin && cpu:
		return StarvedOnBusyMachine
	case builtin:
		return WaitingOnIO
	case f.Competed:
		return WaitingOrSqueezed
	}
	return WaitingOrIdle
}

// oneCore is the case of a run that kept about one core busy: the models
// that cannot do better, and a program whose several busy threads were held
// to one core, by a lock (with CPython, its GIL) or, when other programs
// left no more room, perhaps only by the cores.
func oneCore(p *profile.Profile, f Findings) Case {
	switch p.Spec.Model {
	case spec.Sequential:
		return OneTaskAtATime
	case spec.Threads:
		if f.FreeThreaded {
			return ThreadsWithoutGIL
		}
		return GILBound
	case spec.Async:
		return EventLoop
	}
	if f.BusyThreads < 2 || p.Summary.Procs > 1 {
		return OneCore
	}
	if f.Crowded { // it got all there was room for: only the timeline tells a lock from the crowd
		switch {
		case !f.Timeline:
			return CrowdedUnknown
		case f.Together >= TakingTurns:
			return CrowdedTogether
		}
	}
	if isCPython(p) {
		return HeldByGIL
	}
	return HeldByLock
}

// usedCores is the cores' worth of CPU judged (see Findings.Used).
func usedCores(p *profile.Profile) float64 {
	return cmp.Or(p.Summary.TasksCoresUsed, p.Summary.CoresUsed)
}

// crowded reports whether the subject used about all the cores other
// programs left it (see Findings.Crowded).
func crowded(p *profile.Profile) bool {
	free := float64(p.Machine.LogicalCores) - p.Summary.OthersBusyCores
	return free < usedCores(p)+0.5
}

// competed reports whether other programs may have held the subject back
// (see Findings.Competed).
func competed(p *profile.Profile) bool {
	return p.Summary.OthersBusyCores > max(0.25, 0.1*float64(p.Machine.LogicalCores))
}

// TakingTurns is the share of a run under which a process's busy threads
// that were on cores at the same time took turns: held by a lock, not by the
// cores. Measured here, threads under one GIL were together 0.1% to 1% of a
// run, with a busy loop beside them or not; goroutines squeezed by a busy
// loop to 1.24 cores' worth, 26%: a scheduler that shares the cores fairly
// runs free threads together often, however crowded.
const TakingTurns = 0.05

// togetherShare is the share of run p's life during which two or more of
// its threads were on cores at once (see Together), and whether its switch
// timeline could tell. It sorts every slice.
func togetherShare(p *profile.Profile) (share float64, known bool) {
	if len(p.Slices) == 0 {
		return 0, false
	}
	return Together(p.Slices, ByThread, p.Summary.SubjectStartS, p.Summary.SubjectEndS), true
}

// busyThreads counts the subject's threads that each used at least a tenth
// of its CPU: from the switch timeline when there is one, else from the
// thread samples.
func busyThreads(p *profile.Profile) int {
	cpu := map[int]float64{}
	total := 0.0
	if len(p.Slices) > 0 {
		for _, t := range p.Threads {
			cpu[t.TID] += t.OnCPUS
			total += t.OnCPUS
		}
	} else {
		for i := range p.Frames {
			for _, ts := range p.Frames[i].ThreadSamples {
				cpu[ts.TID] += ts.CPU
				total += ts.CPU
			}
		}
	}
	n := 0
	for _, c := range cpu {
		if total > 0 && c >= total/10 {
			n++
		}
	}
	return n
}

// isCPython reports whether the subject is a CPython interpreter, by the
// name of the program it ran or of its processes.
func isCPython(p *profile.Profile) bool {
	names := []string{p.Spec.Label()}
	for _, t := range p.Threads {
		names = append(names, t.Process)
	}
	for _, n := range names {
		if strings.HasPrefix(n, "python") {
			return true
		}
	}
	return false
}
