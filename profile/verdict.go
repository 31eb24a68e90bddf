package profile

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"corescope/spec"
)

// Verdict says in one sentence what the run's figures show: how many cores'
// worth of CPU it kept busy (over its tasks' span when it reported tasks, so
// start-up does not decide it), why when the reason is known, how much
// faster than sequential it finished, and whether other programs competed
// for the cores; then what became of processes that left the subject's
// group, and the process limit if the subject reached it (a failed run's
// Error says those). Every number in it is measured.
func Verdict(p *Profile) string {
	v := figuresVerdict(p)
	if note := ProcessNote(p.Summary); note != "" && !p.Failed() {
		v += "; " + note
	}
	return v
}

// figuresVerdict is the verdict on the run's figures alone.
func figuresVerdict(p *Profile) string {
	s := p.Summary
	if p.Failed() {
		return "failed: " + p.Error
	}
	if p.Watched() {
		return clusterVerdict(p)
	}
	used := UsedCores(p)
	var v string
	switch {
	case s.WallS <= 0:
		v = "no run time was measured"
	case s.WallS < tooShort.Seconds():
		return fmt.Sprintf("too short to judge: it ran for %.3f s, and its figures are those of starting a process", s.WallS)
	case used < 0.8:
		v = lowCPU(p, used)
	case used <= 1.15:
		v = oneCore(p, used)
	default:
		v = fmt.Sprintf("parallel: %.2f of %d cores busy", used, p.Machine.LogicalCores)
	}
	if s.Speedup != nil && !isBaseline(p) {
		switch x, base := *s.Speedup, BaselineName(p); {
		case x >= 1.1:
			v += fmt.Sprintf("; %.2fx faster than %s", x, base)
		case x <= 0.9:
			v += fmt.Sprintf("; %.2fx %s's speed: slower", x, base)
		default:
			v += fmt.Sprintf("; no faster than %s (%.2fx)", base, x)
		}
	}
	if competed(p) && !strings.Contains(v, "other programs") {
		v += fmt.Sprintf("; other programs kept %.2f cores busy beside it", s.OthersBusyCores)
	}
	return v
}

// tooShort is the run time under which a verdict would judge the cost of
// starting a process (exec, the dynamic loader, a runtime's start-up)
// rather than the program: /bin/true takes about 2 ms.
const tooShort = 25 * time.Millisecond

// UsedCores is the cores' worth of CPU the verdict judges: over the tasks'
// span when the subject reported tasks, so start-up does not decide it,
// else over its whole run.
func UsedCores(p *Profile) float64 {
	return cmp.Or(p.Summary.TasksCoresUsed, p.Summary.CoresUsed)
}

// Crowded reports whether the subject used about all the cores other
// programs left it (within half a core): then a run held to few cores may
// only have been squeezed, and whether it could use more, or something
// such as a lock holds it back, this run cannot tell.
func Crowded(p *Profile) bool {
	free := float64(p.Machine.LogicalCores) - p.Summary.OthersBusyCores
	return free < UsedCores(p)+0.5
}

// competed reports whether other programs used enough of the machine over
// the subject's life to have held it back: above 0.25 cores, or above 10%
// of the cores on a big machine.
func competed(p *Profile) bool {
	return p.Summary.OthersBusyCores > max(0.25, 0.1*float64(p.Machine.LogicalCores))
}

// lowCPU words a run that used well under one core: waiting on I/O, or, for
// work that never waits, starved by other programs on the machine. Between
// "mostly waiting" and one core's worth it says "partly waiting". A command
// does not say which work it does, so when other programs competed, being
// squeezed by them is named beside waiting and idling as a cause.
func lowCPU(p *Profile, used float64) string {
	s := p.Summary
	waiting := "mostly waiting"
	if used >= 0.3 {
		waiting = "partly waiting"
	}
	switch {
	case p.Spec.Backend.Builtin() && p.Spec.Workload == spec.CPU && s.Attribution != "":
		return fmt.Sprintf("starved: %.2f cores' worth of CPU while other programs kept %.2f cores busy", used, s.OthersBusyCores)
	case p.Spec.Backend.Builtin() && p.Spec.Workload == spec.CPU:
		return fmt.Sprintf("starved: %.2f cores' worth of CPU while the machine kept %.2f cores busy", used, s.MachineBusyCores)
	case p.Spec.Backend.Builtin():
		return fmt.Sprintf("%s on I/O: %.2f cores' worth of CPU", waiting, used)
	case competed(p):
		return fmt.Sprintf("%s, idle or squeezed by other programs: %.2f cores' worth of CPU while they kept %.2f cores busy", waiting, used, s.OthersBusyCores)
	default:
		return fmt.Sprintf("%s or idle: %.2f cores' worth of CPU", waiting, used)
	}
}

// oneCore words a run that kept about one core busy, naming why for the
// models that cannot do better, and calling out a program whose several
// threads were held to one core: with CPython, that is its GIL.
func oneCore(p *Profile, used float64) string {
	switch p.Spec.Model {
	case spec.Sequential:
		return fmt.Sprintf("one task at a time: %.2f cores' worth", used)
	case spec.Threads:
		if strings.HasSuffix(p.Machine.Python, "no GIL") { // a free-threaded Python: something else held it
			return fmt.Sprintf("one core's worth of CPU at a time (%.2f), though this Python has no GIL", used)
		}
		return fmt.Sprintf("GIL-bound: one core's worth of CPU at a time (%.2f)", used)
	case spec.Async:
		return fmt.Sprintf("one event loop: one core's worth of CPU at a time (%.2f)", used)
	}
	n := BusyThreads(p)
	if n < 2 || p.Summary.Procs > 1 {
		return fmt.Sprintf("one core's worth of CPU at a time (%.2f)", used)
	}
	if Crowded(p) { // it got all there was room for: only the timeline tells a lock from the crowd
		switch together, timeline := TogetherShare(p); {
		case !timeline:
			return fmt.Sprintf("%d busy threads got %.2f cores' worth of CPU, all there was room for: too crowded to tell whether something holds them to one core", n, used)
		case together >= TakingTurns:
			return fmt.Sprintf("%d busy threads got %.2f cores' worth of CPU, all there was room for, and ran at the same time whenever they could (two on cores at once for %.0f%% of the run)", n, used, 100*together)
		}
	}
	if isCPython(p) {
		return fmt.Sprintf("%d busy threads held to one core's worth of CPU (%.2f): CPython's GIL runs one thread's Python code at a time", n, used)
	}
	return fmt.Sprintf("%d busy threads held to one core's worth of CPU (%.2f): something, such as a lock, lets one run at a time", n, used)
}

// TakingTurns is the share of a run under which a process's busy threads
// that were on cores at the same time took turns: held by a lock, not by the
// cores. Measured here, threads under one GIL were together 0.1% to 1% of a
// run, with a busy loop beside them or not; goroutines squeezed by a busy
// loop to 1.24 cores' worth, 26%: a scheduler that shares the cores fairly
// runs free threads together often, however crowded.
const TakingTurns = 0.05

// TogetherShare is the share of run p's life during which two or more of
// its threads were on cores at once (see Together), and whether its switch
// timeline could tell. It sorts every slice: call it once, where needed.
func TogetherShare(p *Profile) (share float64, known bool) {
	if len(p.Slices) == 0 {
		return 0, false
	}
	return Together(p.Slices, ByThread, p.Summary.SubjectStartS, p.Summary.SubjectEndS), true
}

// BusyThreads counts the subject's threads that each used at least a tenth
// of its CPU: from the switch timeline when there is one, else from the
// thread samples.
func BusyThreads(p *Profile) int {
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
func isCPython(p *Profile) bool {
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

// Speedups sets each run's speedup against its baseline among ps (nil where
// there is none) and rewrites its verdict to match. A run's baseline is the
// run its spec names (Spec.Baseline, by label: compare --baseline, or the
// first of compare --cmd), else the sequential run of the same backend,
// interpreter, workload, tasks, size and latency.
func Speedups(ps []*Profile) {
	for _, p := range ps {
		p.Summary.Speedup = nil
		if base := baseline(ps, p); base != nil && p.Summary.WallS > 0 && !p.Failed() {
			x := Round(base.Summary.WallS/p.Summary.WallS, 1e3)
			p.Summary.Speedup = &x
		}
		p.Summary.Verdict = Verdict(p)
	}
}

// baseline finds the latest successful run p is measured against.
func baseline(ps []*Profile, p *Profile) *Profile {
	var base *Profile
	for _, q := range ps {
		a, b := q.Spec, p.Spec
		switch {
		case q.Failed():
		case b.Baseline != "":
			if label(q) == b.Baseline {
				base = q
			}
		case a.Backend.Builtin() && a.Backend == b.Backend && a.Python == b.Python && a.Model == spec.Sequential &&
			a.Workload == b.Workload && a.Tasks == b.Tasks && a.Size == b.Size && a.Latency == b.Latency:
			base = q
		}
	}
	return base
}

// isBaseline reports whether p is the run speedups are measured against.
func isBaseline(p *Profile) bool {
	if p.Spec.Baseline != "" {
		return label(p) == p.Spec.Baseline
	}
	return p.Spec.Model == spec.Sequential
}

// label is what p is called: its label, else its spec's.
func label(p *Profile) string { return cmp.Or(p.Label, p.Spec.Label()) }

// BaselineName is what p's speedup is measured against, for its verdict
// and the report's speedup chart.
func BaselineName(p *Profile) string {
	if p.Spec.Baseline != "" {
		return p.Spec.Baseline
	}
	return "sequential"
}

// String says what the subject reached, for the verdict.
func (l ProcessLimit) String() string {
	return fmt.Sprintf("the subject reached the process limit: %d processes and threads of its user counted at once, against its limit of %d (ulimit -u %d, less %d kept for corescope's own threads)",
		l.Peak, l.Limit, l.Ulimit, l.Ulimit-l.Limit)
}

// ProcessNote says what became of the run's processes beyond its verdict's
// figures: those that left the subject's process group, ended or not, and
// the process limit, when the subject reached it. Empty when neither.
func ProcessNote(s Summary) string {
	var notes []string
	for _, ended := range []bool{true, false} {
		var named []string
		for _, e := range s.Escaped {
			if e.Ended != ended {
				continue
			}
			if ended {
				named = append(named, fmt.Sprintf("%s (pid %d)", e.Command, e.PID))
			} else {
				named = append(named, fmt.Sprintf("%s (pid %d: %s)", e.Command, e.PID, e.Why))
			}
		}
		if len(named) == 0 {
			continue
		}
		what, processes := "ended", fmt.Sprintf("%d processes", len(named))
		if !ended {
			what = "could not end"
		}
		if len(named) == 1 {
			processes = "1 process"
		}
		notes = append(notes, fmt.Sprintf("%s %s that had left the subject's process group: %s", what, processes, strings.Join(named, ", ")))
	}
	if s.ProcessLimit != nil {
		notes = append(notes, s.ProcessLimit.String())
	}
	return strings.Join(notes, "; ")
}
