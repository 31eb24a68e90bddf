package diagnosis

import (
	"slices"

	"corescope/profile"
)

// Start-up is the part of a run before its work: what a speedup of the
// work alone leaves out, and what the explanation attributes, measured.
//
// A run whose subject reports tasks (the built-in models, or any command
// that writes task events) starts its work at its first task:
// Summary.StartupS. For any other command the rule is the evidence's:
//
//   - its main process is the one that lived longest (first to last
//     sighting; on a tie, the one longer on a core);
//   - the main process's work begins at its first busy stretch: the first
//     of its slices from which it was on a core at least StartupBusyShare of the
//     next sampling interval (without a switch timeline, the first
//     interval whose samples say so);
//   - its start-up processes are the other processes that ended by one
//     interval after that moment: a shim's bash and pyenv, a wrapper's
//     helpers (the last of which may end a little after the interpreter
//     the shim starts took the main process over and got busy);
//   - start-up ends at the later of the two: the main process's busy
//     stretch, and the end of the last start-up process.
//
// A command whose main process is never that busy (make, which leaves the
// work to its children; a program that only waits) has no start-up by this
// rule: its wall is all work. Nor are a command's own imports start-up, for
// nothing tells them from its work but task events.
const StartupBusyShare = 0.5

// Startup is what a run's start-up was, measured: how long, and what took
// the time. All times are seconds from the subject's start.
type Startup struct {
	// S is the start-up: to the first task, or a command's by the rule
	// above; 0 when the rule finds none.
	S float64
	// FromTasks is true when S ends at the first task the subject reported.
	FromTasks bool
	// Main is the main process; MainBusyS when its first busy stretch
	// began, -1 when it never had one (or no process was seen).
	Main      profile.ProcessLife
	MainBusyS float64
	// Shim are the start-up processes, and ShimS the time until the last
	// of them ended (within S).
	Shim  []profile.ProcessLife
	ShimS float64
	// Workers counts the processes that started after the shim and before
	// the first task, and PoolS is from the first one's start to the first
	// task: a pool's start. InterpreterS is the rest of S: the interpreter
	// (or runtime) and its imports, from the shim's end to the pool's
	// start or the first task. All three are 0 without tasks.
	Workers      int
	PoolS        float64
	InterpreterS float64
}

// ShimPIDs reports which processes are start-up processes.
func (s Startup) ShimPIDs() map[int]bool {
	pids := make(map[int]bool, len(s.Shim))
	for _, l := range s.Shim {
		pids[l.PID] = true
	}
	return pids
}

// StartupOf measures run p's start-up (see Startup). It reads p and
// changes nothing.
func StartupOf(p *profile.Profile) Startup {
	st := Startup{MainBusyS: -1}
	sum := p.Summary
	start := sum.SubjectStartS
	procs := timed(p.Processes())
	if len(procs) > 0 {
		st.Main = mainProcess(procs)
		if busy, ok := busyFrom(p, st.Main.PID, start); ok {
			st.MainBusyS = busy - start
			st.Shim, st.ShimS = startupProcesses(procs, st.Main.PID, busy, p.Spec.Interval.D().Seconds(), start)
		}
	}
	if sum.TasksEndS > 0 {
		st.S, st.FromTasks = sum.StartupS, true
		st.ShimS = min(st.ShimS, st.S)
		st.attributeTasks(procs, start, sum.TasksStartS)
		return st
	}
	if st.MainBusyS >= 0 {
		st.S = max(st.MainBusyS, st.ShimS)
	}
	return st
}

// StartupS is run p's start-up alone (StartupOf's S), read from its
// summary for a run that reports tasks, without scanning its evidence:
// what a speedup over the work needs of every repeat, each time its
// comparison is concluded.
func StartupS(p *profile.Profile) float64 {
	if p.Summary.TasksEndS > 0 {
		return p.Summary.StartupS
	}
	return StartupOf(p).S
}

// attributeTasks splits a start-up that ends at the first task (at
// firstTask on the frames' axis, where the subject started at start) into
// the shim, the interpreter and the pool's start.
func (st *Startup) attributeTasks(procs []profile.ProcessLife, start, firstTask float64) {
	shim := st.ShimPIDs()
	firstWorker := -1.0
	for _, l := range procs {
		if l.PID == st.Main.PID || shim[l.PID] || l.FirstS >= firstTask || l.FirstS-start < st.ShimS {
			continue
		}
		st.Workers++
		if firstWorker < 0 || l.FirstS < firstWorker {
			firstWorker = l.FirstS
		}
	}
	if firstWorker >= 0 {
		st.PoolS = min(firstTask-firstWorker, st.S-st.ShimS)
	}
	st.InterpreterS = max(st.S-st.ShimS-st.PoolS, 0)
}

// timed are the processes of procs whose lives were seen.
func timed(procs []profile.ProcessLife) []profile.ProcessLife {
	return slices.DeleteFunc(procs, func(l profile.ProcessLife) bool { return !l.Timed })
}

// mainProcess is the process that lived longest, on a tie the one longer
// on a core.
func mainProcess(procs []profile.ProcessLife) profile.ProcessLife {
	return slices.MaxFunc(procs, func(a, b profile.ProcessLife) int {
		if a.LifeS() != b.LifeS() {
			return cmpFloat(a.LifeS(), b.LifeS())
		}
		return cmpFloat(a.OnS, b.OnS)
	})
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// startupProcesses are the processes other than main that ended by one
// interval after busy (on the frames' axis), and the time from the
// subject's start until the last of them ended.
func startupProcesses(procs []profile.ProcessLife, main int, busy, interval, start float64) ([]profile.ProcessLife, float64) {
	var shim []profile.ProcessLife
	end := 0.0
	for _, l := range procs {
		if l.PID != main && l.LastS <= busy+interval {
			shim = append(shim, l)
			end = max(end, l.LastS-start)
		}
	}
	return shim, end
}

// busyFrom is when process pid's first busy stretch began, on the frames'
// axis and not before start: the first of its slices from which it was on
// a core at least StartupBusyShare of the next interval, or without a switch
// timeline the start of the first interval whose samples give it that
// share. ok is false when it never was that busy.
func busyFrom(p *profile.Profile, pid int, start float64) (at float64, ok bool) {
	interval := p.Spec.Interval.D().Seconds()
	if interval <= 0 {
		return 0, false
	}
	if len(p.Slices) > 0 {
		return busySlices(p.Slices, pid, interval)
	}
	for i, f := range p.Frames {
		from := f.T - interval
		if i > 0 {
			from = p.Frames[i-1].T
		}
		from = max(from, start)
		on := 0.0
		for _, ts := range f.ThreadSamples {
			if ts.PID == pid {
				on += ts.CPU
			}
		}
		if f.T > from && on >= StartupBusyShare*(f.T-from) {
			return from, true
		}
	}
	return 0, false
}

// busySlices is busyFrom from the switch timeline: the first slice of
// process pid from whose start its slices cover at least StartupBusyShare of a
// window of one interval.
func busySlices(all []profile.Slice, pid int, window float64) (float64, bool) {
	var own []profile.Slice
	longest := 0.0
	for _, s := range all {
		if s.PID == pid {
			own = append(own, s)
			longest = max(longest, s.End-s.Start)
		}
	}
	slices.SortFunc(own, func(a, b profile.Slice) int { return cmpFloat(a.Start, b.Start) })
	// on sums the slices own[i:j], those that start within the window from
	// own[i]'s start; the part of them past its end is taken off after.
	on, j := 0.0, 0
	for i, s := range own {
		end := s.Start + window
		for j < len(own) && own[j].Start < end {
			on += own[j].End - own[j].Start
			j++
		}
		past := 0.0 // only slices that start less than the longest slice before the end can reach past it
		for k := j - 1; k >= i && own[k].Start > end-longest; k-- {
			past += max(0, own[k].End-end)
		}
		if on-past >= StartupBusyShare*window {
			return s.Start, true
		}
		on -= s.End - s.Start
	}
	return 0, false
}
