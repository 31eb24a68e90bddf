package runtext

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"corescope/diagnosis"
	"corescope/profile"
	"corescope/spec"
)

// Why explains in plain sentences what run p's pictures show and why. A
// run of a built-in model first gets what the primer teaches of it (one GIL
// for threads, one event loop for async, one interpreter per process),
// with the run's own measured figures: the lock's waits and hand-overs,
// the tasks in flight at once, the workers and their start-up. Then every
// run gets its findings explained (explain). It is "" for a run that failed
// or has no wall time. It is shown after the verdict, so it does not
// repeat what the verdict says (the main phase's first reason and its
// evidence, the speedup).
func Why(p *profile.Profile) string {
	if (p.Failed() && !p.Stopped()) || p.Summary.WallS <= 0 {
		return ""
	}
	f := figuresOf(p)
	var teach string
	switch {
	case p.Spec.Backend == spec.BackendCommand:
	case p.Spec.Model == spec.Sequential:
		teach = f.sequential()
	case p.Spec.Model == spec.Threads:
		teach = f.threads()
	case p.Spec.Model == spec.Async:
		teach = f.async()
	case p.Spec.Model == spec.Processes:
		teach = f.processes()
	case p.Spec.Model == spec.Goroutines:
		teach = f.goroutines()
	}
	return strings.TrimSpace(teach + " " + explain(p, f.Findings, teach != ""))
}

// figures are what Why words, taken from one run: its findings (see
// findings) and the figures of its tasks and lock.
type figures struct {
	diagnosis.Findings
	p        *profile.Profile
	s        profile.Summary
	tasks    string // "20 tasks"
	inFlight int    // the most tasks running at once, 0 without task events
	switches int64  // times the GIL changed hands, from the stats event
	waits    bool   // the workload waits on I/O
}

func figuresOf(p *profile.Profile) figures {
	f := figures{Findings: findings(p), p: p, s: p.Summary, inFlight: InFlight(p.Events),
		tasks: Count(p.Spec.Tasks, "task"), waits: p.Spec.Workload != spec.CPU}
	for _, e := range p.Events {
		if e.Ev == spec.EvStats {
			f.switches = e.GILSwitches
		}
	}
	return f
}

// cores words the CPU the run kept busy: "1.02 cores' worth of CPU".
func (f figures) cores() string { return fmt.Sprintf("%.2f cores' worth of CPU", f.Used) }

// flying words the tasks in flight at once, "" without task events.
func (f figures) flying(what string) string {
	if f.inFlight == 0 {
		return ""
	}
	return fmt.Sprintf("up to %s were in flight at once", Count(f.inFlight, what))
}

func (f figures) sequential() string {
	how := "so at most one core did the work"
	if f.waits {
		how = "each waiting for its answer before the next began"
	}
	return fmt.Sprintf("One thread ran the %s one after another, %s: %s over %s. The other models' speedups are measured against this run.",
		f.tasks, how, f.cores(), Seconds(f.s.WallS))
}

func (f figures) threads() string {
	n := Count(f.p.Spec.Workers, "thread")
	var text string
	switch {
	case f.FreeThreaded:
		text = fmt.Sprintf("This Python has no global interpreter lock, so its %s can compute on different cores at the same time: here %s.", n, f.cores())
		if fl := f.flying("task"); fl != "" && f.waits {
			text = strings.TrimSuffix(text, ".") + ", and " + fl + "."
		}
	case f.waits:
		text = fmt.Sprintf("%s shared one global interpreter lock (GIL), but a thread lets go of it while it waits for an answer", n)
		if fl := f.flying("request"); fl != "" {
			text += ", so " + fl
		}
		text += fmt.Sprintf(" on %s.", f.cores())
	default:
		text = fmt.Sprintf("%s shared one global interpreter lock (GIL): only the thread holding it computes.", n)
		if f.Named(profile.ReasonGIL) || f.Named(profile.ReasonTookTurns) {
			text = strings.TrimSuffix(text, ".") + fmt.Sprintf(", so they took turns on %s however many cores there are.", f.cores())
		}
	}
	if f.s.GILWaitS <= 0 && f.switches <= 0 {
		return text
	}
	ratio := fmt.Sprintf("%.0f%% of the run's %s", 100*f.s.GILWaitS/f.s.WallS, Seconds(f.s.WallS))
	if f.s.GILWaitS > f.s.WallS {
		ratio = fmt.Sprintf("%.1f times the run's %s: several waited at once", f.s.GILWaitS/f.s.WallS, Seconds(f.s.WallS))
	}
	wait := fmt.Sprintf(" Together they waited %s for the lock (%s)", Seconds(f.s.GILWaitS), ratio)
	if f.switches > 0 {
		wait += fmt.Sprintf(" and it changed hands %d times, every %.2f ms on average", f.switches, 1000*f.s.WallS/float64(f.switches))
	}
	return text + wait + "."
}

func (f figures) async() string {
	text := fmt.Sprintf("One event loop on one thread runs all %s, and a task hands the loop back only where it awaits. ", f.tasks)
	if !f.waits {
		return text + fmt.Sprintf("Computing never awaits, so the tasks ran one after another on %s, as sequential does.", f.cores())
	}
	if fl := f.flying("request"); fl != "" {
		return text + fmt.Sprintf("Waiting for an answer does, so %s on %s: the waits overlapped, the computing did not.", fl, f.cores())
	}
	return text + fmt.Sprintf("Waiting for an answer does, so the waits overlapped on %s.", f.cores())
}

func (f figures) processes() string {
	own := "its own interpreter with its own GIL"
	if f.FreeThreaded {
		own = "its own interpreter"
	}
	text := fmt.Sprintf("A pool of %s, each %s, can run the tasks on different cores at the same time: here %s on %d cores",
		Count(f.p.Spec.Workers, "worker process"), own, f.cores(), f.p.Machine.LogicalCores)
	if fl := f.flying("task"); fl != "" && f.waits {
		text += ", and " + fl
	}
	text += "."
	if starting := poolStart(f.p); starting > 0 {
		how := ""
		if m := f.p.Spec.StartMethod; m != "" {
			how = " (" + m + ")"
		}
		text += fmt.Sprintf(" Starting them%s cost %s before the first task began (%s at most at once).",
			how, Seconds(starting), Count(f.s.Procs, "process"))
	}
	return text
}

func (f figures) goroutines() string {
	if !f.waits {
		return fmt.Sprintf("Go's scheduler runs the goroutines on every core (%d here) in one process, with no lock between them, so they can compute at the same time without starting processes: here %s.",
			f.p.Machine.LogicalCores, f.cores())
	}
	text := "Go's scheduler parks a goroutine while it waits for an answer and runs another, on every core, with no lock between them"
	if fl := f.flying("request"); fl != "" {
		text += ": " + fl
	}
	return text + fmt.Sprintf(" on %s.", f.cores())
}

// InFlight is the most tasks running at once among events: each task from
// its task-start to its task-end (a task that ends at the moment another
// starts does not overlap it). 0 without task events.
func InFlight(events []spec.Event) int {
	type edge struct {
		t     int64
		delta int
	}
	var edges []edge
	for _, e := range events {
		switch e.Ev {
		case spec.EvTaskStart:
			edges = append(edges, edge{e.TNs, 1})
		case spec.EvTaskEnd:
			edges = append(edges, edge{e.TNs, -1})
		}
	}
	slices.SortFunc(edges, func(a, b edge) int { return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.delta, b.delta)) })
	most, now := 0, 0
	for _, e := range edges {
		now += e.delta
		most = max(most, now)
	}
	return most
}

// NoThreads says why run p has no thread lanes to draw, "" when it has
// them: it is a watch of nodes, which runs nothing; the run ended before a
// sample read its threads; its system does not list them; or its file was
// saved without them.
func NoThreads(p *profile.Profile) string {
	if len(p.Slices) > 0 || slices.ContainsFunc(p.Frames, func(f profile.Frame) bool { return len(f.ThreadSamples) > 0 }) {
		return ""
	}
	every := fmt.Sprintf("sampled every %d ms", p.Spec.Interval.D().Milliseconds())
	switch {
	case p.Watched():
		return "a watch of nodes runs no program of its own, so it has no threads to draw"
	case len(p.Frames) == 0:
		return fmt.Sprintf("this run has no samples: it ended after %s, before the first one (%s)", Seconds(p.Summary.WallS), every)
	case p.Summary.Procs == 0:
		return fmt.Sprintf("this run ended before the first sample could read its threads (%s, %s)", Seconds(p.Summary.WallS), every)
	case p.Summary.Attribution == "":
		return "the system it was recorded on does not tell corescope a process's threads (it reads them from Linux's /proc)"
	default:
		return "this file was saved without thread samples"
	}
}

// Count words n things: "1 thread", "5 threads", "2 processes", "1,024
// threads".
func Count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	if strings.HasSuffix(thing, "s") {
		return Thousands(n) + " " + thing + "es"
	}
	return Thousands(n) + " " + thing + "s"
}
