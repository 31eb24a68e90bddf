package cli

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"text/tabwriter"
	"time"

	"corescope/profile"
	"corescope/recorder"
	"corescope/runners"
	"corescope/runtext"
	"corescope/scaling"
	"corescope/spec"
)

const scaleSynopsis = "Usage: corescope scale [--model M] [--workers 1,2,4] [--weak] [--repeat N] [flags]\n" +
	"       corescope scale --cmd 'python3 pool.py {workers}' [--label NAME] [--workers 1,2,4] [--weak] [flags]\n\n" +
	"Runs the same work at a series of worker counts (default 1, 2, 4... up to twice the logical cores),\n" +
	"for a model or a command whose worker count is the placeholder {workers} (and the variable " + spec.WorkersVariable + "),\n" +
	"and prints each count's speedup, the scaling laws fitted to them (Amdahl's serial fraction, USL's σ and κ),\n" +
	"the projection to more cores, and why the curve bends. The work stays the same at every count (strong\n" +
	"scaling); with --weak it grows with the workers (Gustafson), a model's tasks times the workers."

// scaleInput is what scale's flags give beside the run's own: the sweep,
// and a command's line and label.
type scaleInput struct {
	sweep      runners.Sweep
	cmd, label string
	runs       runFlags
}

// scaleFlags defines scale's flags into in and out.
func scaleFlags(stdout io.Writer, in *scaleInput, out *outputs) *flag.FlagSet {
	fs := newFlagSet("corescope scale", scaleSynopsis, stdout)
	registerInput(fs, &in.sweep.Input, "scale")
	in.runs.register(fs, "scale")
	fs.StringVar(&in.sweep.Counts, "workers", "", fmt.Sprintf("the worker counts, comma-separated, 1 among them (default 1, 2, 4... up to twice the cores, %v here)",
		runners.DefaultCounts(runtime.NumCPU())))
	fs.StringVar(&in.cmd, "cmd", "", "a command `LINE` to sweep instead of a model (split like a shell, run without one): "+
		spec.WorkersPlaceholder+" in it becomes each worker count, which "+spec.WorkersVariable+" in its environment gives too")
	fs.StringVar(&in.label, "label", "", "the `NAME` of the --cmd runs (default: its script's file name), each followed by its worker count")
	fs.BoolVar(&in.sweep.Weak, "weak", false, "grow the work with the workers (weak scaling, Gustafson): a model runs --tasks times the workers; a command is trusted to grow its own")
	fs.BoolVar(&in.sweep.SkipCompeted, "skip-competed", false, "leave the worker counts measured while other programs competed out of the fit (they are shown and marked either way)")
	out.register(fs, true)
	return fs
}

// cmdScale runs a sweep of worker counts and prints its points and fit.
func cmdScale(args []string, stdout, stderr io.Writer) error {
	var in scaleInput
	var out outputs
	fs := scaleFlags(stdout, &in, &out)
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(positional) > 0 {
		return usagef("unexpected argument %q (see --help)", positional[0])
	}
	specs, err := in.specs()
	if err != nil {
		return err
	}
	repeat, warmup, err := in.runs.parse("scale")
	if err != nil {
		return err
	}
	if err := out.check(); err != nil {
		return err
	}
	ps, runErr := recordSpecs(specs, stdout, stderr, func(opt *recorder.CompareOptions) {
		opt.Repeat, opt.Warmup = repeat, warmup
	})
	runtext.Conclude(ps)
	printSweeps(stdout, ps)
	if err := out.write(ps, stderr); err != nil {
		return err
	}
	return runErr
}

// specs are the sweep's specs, named by the time it starts.
func (in scaleInput) specs() ([]spec.Spec, error) {
	sw := in.sweep
	if in.cmd != "" {
		sw.Input = runners.Input{Backend: string(spec.BackendCommand), CommandLine: in.cmd, Label: in.label, Interval: sw.Interval}
	} else if in.label != "" {
		return nil, usagef("--label names the --cmd runs; give a --cmd")
	}
	if len(sw.Pythons) > 0 && sw.Backend != string(spec.BackendPython) {
		return nil, usagef("--python chooses the python backend's interpreter: add --backend python")
	}
	specs, err := sw.Specs(time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return nil, usageError{err.Error()}
	}
	if in.cmd != "" {
		if err := canRun(specs[0]); err != nil {
			return nil, err
		}
	}
	return specs, nil
}

// printSweeps writes each sweep among ps: what it ran, a row a worker
// count, the fitted law and projection, what it stands on, and why the
// curve bends.
func printSweeps(w io.Writer, ps []*profile.Profile) {
	for i, sw := range scaling.Sweeps(ps) {
		if i > 0 {
			fmt.Fprintln(w)
		}
		cores := 0
		for _, runs := range sw.Runs {
			for _, p := range runs {
				cores = max(cores, p.Machine.LogicalCores)
			}
		}
		printf(w, "%s; %d logical cores\n\n", runtext.ScaleTitle(sw), cores)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		printRow(tw, runtext.ScaleHeads...)
		for _, pt := range sw.Points {
			printRow(tw, runtext.ScaleCells(pt)...)
		}
		tw.Flush()
		printf(w, "\n%s\n", runtext.FitLine(sw))
		if note := runtext.FitNote(sw); note != "" {
			printf(w, "  (%s)\n", note)
		}
		if bends := runtext.Bends(sw); bends != "" {
			printf(w, "why it bends: %s\n", bends)
		}
	}
}
