package cli

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"corescope/diagnosis"
	"corescope/profile"
	"corescope/recorder"
	"corescope/runtext"
	"corescope/spec"
)

// printSummary writes one run's figures for a person to read: row r's
// run, and with repeats the spread of its group's walls and which run the
// other figures are.
func printSummary(w io.Writer, r runtext.Row) {
	p := r.Run
	s := p.Summary
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	printf(tw, "%s\n", runtext.Spec(p.Spec))
	if p.Failed() {
		printf(tw, "  result\t%s\n", p.Error)
	}
	printf(tw, "  wall\t%s\n", runtext.ColWall.RowCell(r))
	if which := runtext.Which(r.Group, p); which != "" {
		printf(tw, "  repeats\t%s; the figures below are of %s\n", walls(r.Group), which)
	}
	if noise := runtext.Noise(r.Group); noise != "" {
		printf(tw, "  noise\t%s\n", noise)
	}
	printf(tw, "  CPU\t%s\t(%.2f cores used)\n", runtext.Seconds(s.CPUS), s.CoresUsed)
	printf(tw, "  machine\t%.2f busy cores on average, peak %.2f of %d; other programs %.2f\n",
		s.MachineBusyCores, s.PeakBusyCores, p.Machine.LogicalCores, s.OthersBusyCores)
	if s.Attribution != "" {
		how := runtext.Attribution(p) // what is not exact, if anything
		if how == "" {
			how = s.Attribution + ": " + s.AttributionNote
		}
		printf(tw, "  per core\t%s\n", how)
	}
	if s.TasksEndS > 0 {
		printf(tw, "  tasks\t%s from the first start to the last end (%.2f cores used), after %s of start-up\n",
			runtext.Seconds(s.TasksEndS-s.TasksStartS), s.TasksCoresUsed, runtext.Seconds(s.StartupS))
	}
	if st := runtext.Startup(p); st != "" {
		printf(tw, "  start-up\t%s\n", st)
	}
	if s.Speedup != nil {
		printf(tw, "  speedup\t%s against %s; %s over the work after start-up\n", runtext.ColSpeedup.RowCell(r),
			diagnosis.BaselineName(p), runtext.ColWorkSpeedup.RowCell(r))
	}
	printf(tw, "  threads\t%s\tprocesses %s, context switches %d\n",
		runtext.Sampled(s, s.Threads), runtext.Sampled(s, s.Procs), s.CtxSwitches)
	printf(tw, "  max RSS\t%s\n", runtext.MaxRSS(s))
	if d := runtext.Dropped(p); d != "" {
		printf(tw, "  switch timeline\t%s\n", d)
	}
	if p.Spec.Backend.Builtin() {
		printf(tw, "  tasks done\t%d of %d\tchecksum %s\n", s.TasksDone, p.Spec.Tasks, runtext.OrDash(s.Checksum))
	}
	if p.Machine.Python != "" {
		printf(tw, "  python\t%s\n", runtext.Python(p))
	}
	if s.GILHoldS > 0 || s.GILWaitS > 0 {
		printf(tw, "  GIL\theld %s, waited for %s (all threads)\n", runtext.Seconds(s.GILHoldS), runtext.Seconds(s.GILWaitS))
	}
	for _, g := range s.GILThreads {
		printf(tw, "  \tthread %d held %s, waited for %s\n", g.TID, runtext.Seconds(g.HoldS), runtext.Seconds(g.WaitS))
	}
	if limits := runtext.Limits(p); limits != "" {
		printf(tw, "  limits\t%s\n", limits)
	}
	printf(tw, "  corescope\t%s\n", runtext.Cost(s))
	printf(tw, "  verdict\t%s\n", runtext.Outcome(p))
	for i, ph := range runtext.Phases(p) {
		printf(tw, "  phase %d\t%s\n", i+1, ph.Head)
		for _, r := range ph.Reasons {
			printf(tw, "  \t  %s\n", r)
		}
	}
	tw.Flush()
}

// walls lists a group's runs' walls in the order they ran, "1.20, 1.22,
// 1.25 s (and a warm-up: 1.41 s)", those left out marked.
func walls(g diagnosis.Group) string {
	var measured, left []string
	for _, p := range g.Runs {
		switch {
		case p.Warmup:
			left = append(left, fmt.Sprintf("warm-up %.2f s", p.Summary.WallS))
		case p.Failed():
			left = append(left, fmt.Sprintf("repeat %d failed", p.Repeat))
		default:
			measured = append(measured, fmt.Sprintf("%.2f", p.Summary.WallS))
		}
	}
	text := fmt.Sprintf("%d runs, walls %s s", g.Repeats(), strings.Join(measured, ", "))
	if len(left) > 0 {
		text += " (left out: " + strings.Join(left, ", ") + ")"
	}
	return text
}

// tableColumns are the comparison's figures, after each run's name and,
// for models, how each ran (see runtext.Model).
var tableColumns = []runtext.Column{runtext.ColWall, runtext.ColStartup, runtext.ColSpeedup, runtext.ColWorkSpeedup,
	runtext.ColCoresUsed, runtext.ColCPU, runtext.ColThreads, runtext.ColProcs, runtext.ColCtxSwitches, runtext.ColNoise, runtext.ColVerdict}

// printTable writes the comparison a learner wants, one line a run (a
// group of repeats, runtext.Rows): the models of one workload, each with
// its workers and Python settings, or commands under their labels, each
// command then written out in full; then what each run's start-up was.
func printTable(w io.Writer, ps []*profile.Profile) {
	if len(ps) == 0 {
		return
	}
	rows := runtext.Rows(ps)
	shown := runtext.Shown(rows)
	cols, commands := tableColumns, runtext.Commands(shown)
	switch {
	case commands:
		printf(w, "%s, %d logical cores\n", runtext.Count(len(rows), "command"), ps[0].Machine.LogicalCores)
	case ps[0].Spec.Backend == spec.BackendPython:
		printf(w, "%s, %s, %d logical cores\n", runtext.Workload(ps[0].Spec), runtext.OrDash(runtext.Pythons(ps)), ps[0].Machine.LogicalCores)
	default:
		printf(w, "%s, %d logical cores\n", runtext.Workload(ps[0].Spec), ps[0].Machine.LogicalCores)
	}
	if each := runtext.Repeats(runtext.Groups(rows)); each != "" {
		printf(w, "%s\n", each)
	}
	fmt.Fprintln(w)
	if !commands { // a command is written out under the table: it may be long
		cols = append([]runtext.Column{runtext.ColModel}, cols...)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	printRow(tw, append([]string{"run"}, runtext.Heads(cols)...)...)
	names := runtext.Names(shown)
	for i, r := range rows {
		printRow(tw, append([]string{runtext.Mark(names[i], r.Run)}, runtext.RowCells(r, cols)...)...)
	}
	tw.Flush()
	if commands {
		fmt.Fprint(w, "\ncommands:\n")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for i, p := range shown {
			printf(tw, "  %s\t%s\n", names[i], runtext.Model(p.Spec))
		}
		tw.Flush()
	}
	printStartups(w, names, shown)
}

// printStartups writes what each run's start-up was, for the runs that
// had one its evidence tells apart.
func printStartups(w io.Writer, names []string, shown []*profile.Profile) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	heading := "\nstart-up:\n"
	for i, p := range shown {
		if st := runtext.Startup(p); st != "" {
			fmt.Fprint(tw, heading)
			heading = ""
			printf(tw, "  %s\t%s\n", names[i], st)
		}
	}
	tw.Flush()
}

// progress shows the running run on one stderr line, when stderr is a terminal.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	on      bool
	label   string
	tasks   int
	n, i    int
	started time.Time
	shown   bool
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := w.(interface{ Fd() uintptr }); ok {
		p.on = term.IsTerminal(int(f.Fd()))
	}
	return p
}

// startRun is called before each run.
func (p *progress) startRun(i, n int, run recorder.Planned) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := run.Spec
	p.label, p.tasks, p.i, p.n, p.started = runtext.Repeat(s.Label(), run.Repeat, run.Of, run.Warmup), s.Tasks, i, n, time.Now()
	p.draw(0)
}

// frame is called with each sampled frame.
func (p *progress) frame(f profile.Frame) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(f.TasksDone)
}

func (p *progress) draw(done int) {
	line := fmt.Sprintf("%s  %.1f s", p.label, time.Since(p.started).Seconds())
	if p.tasks > 0 {
		line = fmt.Sprintf("%s  %d/%d tasks  %.1f s", p.label, done, p.tasks, time.Since(p.started).Seconds())
	}
	if p.n > 1 {
		line = fmt.Sprintf("[%d of %d] %s", p.i+1, p.n, line)
	}
	p.redraw(line)
}

// redraw puts line in place of the progress line, on a terminal; p.mu is
// held. The line names runs and nodes: it goes through termSafe.
func (p *progress) redraw(line string) {
	if !p.on {
		return
	}
	fmt.Fprintf(p.w, "\r\033[K%s", termSafe(line))
	p.shown = true
}

// show replaces the progress line with line.
func (p *progress) show(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.redraw(line)
}

// note writes a line that stays, on any stderr, above the progress line
// (which the next show draws again); it goes through termSafe.
func (p *progress) note(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
	fmt.Fprintln(p.w, termSafe(line))
}

// passThrough is w for the subject's own output: the progress line is
// cleared before each write, and drawn again with the next frame.
func (p *progress) passThrough(w io.Writer) io.Writer {
	return writerFunc(func(b []byte) (int, error) {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.shown {
			fmt.Fprint(p.w, "\r\033[K")
			p.shown = false
		}
		return w.Write(b)
	})
}

// writerFunc is a function as an io.Writer.
type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

// clear removes the progress line before the results are printed.
func (p *progress) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}
