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
)

// printSummary writes one run's figures for a person to read.
func printSummary(w io.Writer, p *profile.Profile) {
	s := p.Summary
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\n", describeSpec(p.Spec))
	if p.Failed() {
		fmt.Fprintf(tw, "  result\t%s\n", p.Error)
	}
	fmt.Fprintf(tw, "  wall\t%.2f s\n", s.WallS)
	fmt.Fprintf(tw, "  CPU\t%.2f s\t(%.2f cores used)\n", s.CPUS, s.CoresUsed)
	fmt.Fprintf(tw, "  machine\t%.2f busy cores on average, peak %.2f of %d\n",
		s.MachineBusyCores, s.PeakBusyCores, p.Machine.LogicalCores)
	if s.Speedup != nil {
		fmt.Fprintf(tw, "  speedup\t%.2fx sequential\n", *s.Speedup)
	}
	fmt.Fprintf(tw, "  threads\t%s\tprocesses %s, context switches %d\n", sampled(s, s.Threads), sampled(s, s.Procs), s.CtxSwitches)
	fmt.Fprintf(tw, "  max RSS\t%.1f MiB\n", float64(s.MaxRSS)/(1<<20))
	if p.Spec.Backend == runners.BackendGo {
		fmt.Fprintf(tw, "  tasks done\t%d of %d\tchecksum %s\n", s.TasksDone, p.Spec.Tasks, orDash(s.Checksum))
	}
	if s.GILHoldS > 0 || s.GILWaitS > 0 {
		fmt.Fprintf(tw, "  GIL\theld %.2f s, waited for %.2f s (all threads)\n", s.GILHoldS, s.GILWaitS)
	}
	fmt.Fprintf(tw, "  corescope\t%.1f%% of one core (%.3f CPU s)\n", 100*s.SelfCores, s.SelfCPUS)
	fmt.Fprintf(tw, "  verdict\t%s\n", s.Verdict)
	tw.Flush()
}

// printTable writes the comparison a learner wants, one line a run.
func printTable(w io.Writer, ps []*profile.Profile) {
	if len(ps) > 0 {
		fmt.Fprintf(w, "%s, %d logical cores\n\n", describeWorkload(ps[0].Spec), ps[0].Machine.LogicalCores)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "model\twall\tspeedup\tcores used\tCPU s\tthreads\tprocs\tctx sw\tverdict")
	for _, p := range ps {
		s := p.Summary
		speedup := "-"
		if s.Speedup != nil {
			speedup = fmt.Sprintf("%.2fx", *s.Speedup)
		}
		fmt.Fprintf(tw, "%s\t%.2f s\t%s\t%.2f\t%.2f\t%s\t%s\t%d\t%s\n", p.Label, s.WallS, speedup,
			s.CoresUsed, s.CPUS, sampled(s, s.Threads), sampled(s, s.Procs), s.CtxSwitches, s.Verdict)
	}
	tw.Flush()
}

func describeSpec(s runners.Spec) string {
	if s.Backend == runners.BackendCommand {
		return "command: " + strings.Join(s.Command, " ")
	}
	return fmt.Sprintf("%s, %s: %d workers", s.Model, describeWorkload(s), s.Workers)
}

func describeWorkload(s runners.Spec) string {
	if s.Backend == runners.BackendCommand {
		return "command"
	}
	d := fmt.Sprintf("%s workload, %d tasks, size %g", s.Workload, s.Tasks, s.Size)
	if s.Workload != runners.CPU {
		d += fmt.Sprintf(", latency %v", s.Latency.D())
	}
	return d
}

// sampled shows a count read from the process tree, or "-" when the subject
// ended before the first sample could read it.
func sampled(s profile.Summary, n int) string {
	if s.Procs == 0 {
		return "-"
	}
	return fmt.Sprint(n)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
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
