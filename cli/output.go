package cli

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"corescope/profile"
	"corescope/runners"
	"corescope/runtext"
)

// printSummary writes one run's figures for a person to read.
func printSummary(w io.Writer, p *profile.Profile) {
	s := p.Summary
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\n", runtext.Spec(p.Spec))
	if p.Failed() {
		fmt.Fprintf(tw, "  result\t%s\n", p.Error)
	}
	fmt.Fprintf(tw, "  wall\t%s\n", runtext.Seconds(s.WallS))
	fmt.Fprintf(tw, "  CPU\t%s\t(%.2f cores used)\n", runtext.Seconds(s.CPUS), s.CoresUsed)
	fmt.Fprintf(tw, "  machine\t%.2f busy cores on average, peak %.2f of %d; other programs %.2f\n",
		s.MachineBusyCores, s.PeakBusyCores, p.Machine.LogicalCores, s.OthersBusyCores)
	if s.Attribution != "" {
		how := runtext.Attribution(p) // what is not exact, if anything
		if how == "" {
			how = s.Attribution + ": " + s.AttributionNote
		}
		fmt.Fprintf(tw, "  per core\t%s\n", how)
	}
	if s.TasksEndS > 0 {
		fmt.Fprintf(tw, "  tasks\t%s from the first start to the last end (%.2f cores used), after %s of start-up\n",
			runtext.Seconds(s.TasksEndS-s.TasksStartS), s.TasksCoresUsed, runtext.Seconds(s.StartupS))
	}
	if s.Speedup != nil {
		fmt.Fprintf(tw, "  speedup\t%s sequential\n", runtext.Factor(s.Speedup))
	}
	fmt.Fprintf(tw, "  threads\t%s\tprocesses %s, context switches %d\n",
		runtext.Sampled(s, s.Threads), runtext.Sampled(s, s.Procs), s.CtxSwitches)
	fmt.Fprintf(tw, "  max RSS\t%.1f MiB\n", float64(s.MaxRSS)/(1<<20))
	if p.Spec.Backend == runners.BackendGo {
		fmt.Fprintf(tw, "  tasks done\t%d of %d\tchecksum %s\n", s.TasksDone, p.Spec.Tasks, runtext.OrDash(s.Checksum))
	}
	if s.GILHoldS > 0 || s.GILWaitS > 0 {
		fmt.Fprintf(tw, "  GIL\theld %s, waited for %s (all threads)\n", runtext.Seconds(s.GILHoldS), runtext.Seconds(s.GILWaitS))
	}
	fmt.Fprintf(tw, "  corescope\t%s\n", runtext.Cost(s))
	fmt.Fprintf(tw, "  verdict\t%s\n", runtext.Verdict(p))
	tw.Flush()
}

// tableColumns are the comparison's figures, after each run's name.
var tableColumns = []runtext.Column{runtext.ColWall, runtext.ColSpeedup, runtext.ColCoresUsed, runtext.ColCPU,
	runtext.ColThreads, runtext.ColProcs, runtext.ColCtxSwitches, runtext.ColVerdict}

// printTable writes the comparison a learner wants, one line a run.
func printTable(w io.Writer, ps []*profile.Profile) {
	if len(ps) > 0 {
		fmt.Fprintf(w, "%s, %d logical cores\n\n", runtext.Workload(ps[0].Spec), ps[0].Machine.LogicalCores)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	// A comparison's runs are models of one workload: their names head "model".
	fmt.Fprintf(tw, "model\t%s\n", strings.Join(runtext.Heads(tableColumns), "\t"))
	for _, p := range ps {
		fmt.Fprintf(tw, "%s\t%s\n", runtext.Mark(runtext.Label(p), p), strings.Join(runtext.Cells(p, tableColumns), "\t"))
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
func (p *progress) startRun(i, n int, s runners.Spec) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.label, p.tasks, p.i, p.n, p.started = s.Label(), s.Tasks, i, n, time.Now()
	p.draw(0)
}

// frame is called with each sampled frame.
func (p *progress) frame(f profile.Frame) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(f.TasksDone)
}

func (p *progress) draw(done int) {
	if !p.on {
		return
	}
	line := fmt.Sprintf("%s  %.1f s", p.label, time.Since(p.started).Seconds())
	if p.tasks > 0 {
		line = fmt.Sprintf("%s  %d/%d tasks  %.1f s", p.label, done, p.tasks, time.Since(p.started).Seconds())
	}
	if p.n > 1 {
		line = fmt.Sprintf("[%d of %d] %s", p.i+1, p.n, line)
	}
	fmt.Fprintf(p.w, "\r\033[K%s", line)
	p.shown = true
}

// clear removes the progress line before the results are printed.
func (p *progress) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}
