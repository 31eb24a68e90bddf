package cli

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"corescope/profile"
	"corescope/report"
	"corescope/runners"
)

// Exit codes of the CLI.
const (
	ExitOK     = 0
	ExitFailed = 1 // a run failed or was stopped
	ExitUsage  = 2 // bad arguments: nothing ran
)

// usageError is bad input: the CLI prints it and exits 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

const usageText = `corescope: see how a program uses your cores.

Usage:
  corescope                          open the window
  corescope FILE.json...             open the window showing saved profiles (paths or file:// URIs)
  corescope --demo [--exit]          open the window and compare every model on a small CPU-bound workload
  corescope run [flags]              run one workload under one model and print its summary
  corescope compare [flags]          run a workload under every model (or --models) and print a table
  corescope compare --cmd 'CMD' --cmd 'CMD' [--label L]... [--baseline L]
                                     run your own commands one after another and print the same table
  corescope record [flags] -- CMD [ARGS...]
                                     profile any command (run directly, no shell)
  corescope report FILE.json... [--png OUT.png]
                                     print saved profiles' table, and render them, without running anything
  corescope models                   list workloads and models

Run 'corescope COMMAND --help' for a command's flags.
`

// Run runs one subcommand (args[0]) and returns the process exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usageText)
		return ExitOK
	case "models":
		err = cmdModels(rest, stdout)
	case "run", "compare", "record":
		err = cmdRecord(cmd, rest, stdout, stderr)
	case "report":
		err = cmdReport(rest, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "corescope: unknown command %q\n\n%s", cmd, usageText)
		return ExitUsage
	}
	var ue usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "corescope %s: %v\n", cmd, err)
		return ExitUsage
	default:
		fmt.Fprintf(stderr, "corescope %s: %v\n", cmd, err)
		return ExitFailed
	}
}

// outputs are the files a command writes its profiles to.
type outputs struct {
	json, csv, png, trace string
}

func (o *outputs) register(fs *flag.FlagSet, withJSON bool) {
	if withJSON {
		fs.StringVar(&o.json, "json", "", "write the profiles to `FILE` (corescope/v2 JSON)")
	}
	fs.StringVar(&o.csv, "csv", "", "write one row per sample and core to `FILE`")
	fs.StringVar(&o.png, "png", "", "write a PNG report to `FILE`")
	fs.StringVar(&o.trace, "trace", "", "write a Chrome trace (Perfetto, chrome://tracing) to `FILE`")
}

// check makes sure every output can be written before anything runs.
func (o *outputs) check() error {
	for _, f := range []struct{ flag, path string }{{"json", o.json}, {"csv", o.csv}, {"png", o.png}, {"trace", o.trace}} {
		if f.path == "" {
			continue
		}
		probe, err := os.CreateTemp(filepath.Dir(f.path), ".corescope-check-*")
		if err != nil {
			return usagef("--%s: cannot write %s: %v", f.flag, f.path, errors.Unwrap(err))
		}
		probe.Close()
		os.Remove(probe.Name())
	}
	return nil
}

// write saves ps to every requested output, reporting each file it wrote.
func (o *outputs) write(ps []*profile.Profile, stderr io.Writer) error {
	writers := []struct {
		path  string
		write func(string, []*profile.Profile) error
	}{
		{o.json, profile.Save},
		{o.csv, report.WriteCSV},
		{o.trace, report.WriteTrace},
		{o.png, func(path string, ps []*profile.Profile) error {
			return report.WritePNG(path, ps, report.Options{})
		}},
	}
	var firstErr error
	for _, w := range writers {
		if w.path == "" {
			continue
		}
		if err := w.write(w.path, ps); err != nil {
			firstErr = cmp.Or(firstErr, err)
			continue
		}
		fmt.Fprintf(stderr, "wrote %s\n", w.path)
	}
	return firstErr
}

// newFlagSet makes a subcommand's flag set whose --help prints a synopsis first.
func newFlagSet(name, synopsis string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(out, "%s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseInterspersed parses flags that may stand before or after positional
// arguments, and returns the positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// specFlags are the flags that shape a Spec, kept as typed: runners.Input
// reads them, so the CLI and the window accept exactly the same values.
type specFlags struct {
	in runners.Input
	// compare --cmd: each command line, its --label (in order), --baseline.
	cmds, labels listFlag
}

// listFlag is a flag that may be given several times, kept in order.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ", ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func (f *specFlags) register(fs *flag.FlagSet, cmd string) {
	fs.StringVar(&f.in.Interval, "interval", runners.DefaultInterval.String(),
		fmt.Sprintf("sampling interval (%v..%v)", runners.MinInterval, runners.MaxInterval))
	if cmd == "record" {
		return
	}
	fs.StringVar(&f.in.Backend, "backend", string(runners.BackendGo), "what runs the models: go (built in) or python (CPython scripts on --python)")
	fs.Var((*listFlag)(&f.in.Pythons), "python", "python backend: the interpreter `PATH` (default: python3 in PATH, then /usr/bin, /usr/local/bin); "+
		"give it several times to compare interpreters")
	fs.StringVar(&f.in.Workload, "workload", string(runners.CPU), "what each task does: "+list(runners.Workloads))
	if cmd == "run" {
		fs.StringVar(&f.in.Models, "model", string(runners.Sequential), "how tasks run: "+list(runners.Models))
	} else {
		fs.StringVar(&f.in.Models, "models", "", "comma-separated models to compare (default: all of "+list(runners.Models)+"; python: all but goroutines)")
		fs.Var(&f.cmds, "cmd", "a command `LINE` to run (split like a shell, run without one); give it once per command to compare them instead of the models")
		fs.Var(&f.labels, "label", "the `NAME` of each --cmd run, in order (default: its script's file name)")
		fs.StringVar(&f.in.Baseline, "baseline", "", "the `LABEL` of the run speedups are measured against (default: sequential, or the first --cmd)")
	}
	fs.StringVar(&f.in.Tasks, "tasks", strconv.Itoa(runners.DefaultTasks), fmt.Sprintf("number of tasks (1..%d)", runners.MaxTasks))
	fs.StringVar(&f.in.Workers, "workers", "0", fmt.Sprintf("pool size (1..%d); 0 = the model's default: threads %d, processes one per core, "+
		"goroutines one per core for cpu and one per task otherwise, async one per task", runners.MaxWorkers, runners.DefaultThreadPool))
	fs.StringVar(&f.in.Size, "size", strconv.FormatFloat(runners.DefaultSize, 'g', -1, 64), "factor on each task's CPU work (a positive number up to 1000)")
	fs.StringVar(&f.in.Latency, "latency", runners.DefaultLatency.String(), "I/O latency of each request to the loopback site")
	fs.StringVar(&f.in.SwitchInterval, "switch-interval", "", "threads: how long a thread may hold the GIL while another waits (default "+runners.DefaultSwitch.String()+")")
	fs.StringVar(&f.in.StartMethod, "start-method", "", "python processes: how workers start: "+strings.Join(runners.StartMethods, ", ")+
		" (default "+runners.DefaultStartMethod()+")")
}

// specs builds and validates the specs the flags ask for; command is the
// argv of record.
func (f *specFlags) specs(cmd string, command []string) ([]runners.Spec, error) {
	if len(f.cmds) > 0 {
		return f.commandSpecs()
	}
	if len(f.labels) > 0 {
		return nil, usagef("--label names --cmd runs; give a --cmd for each")
	}
	in := f.in
	if cmd == "record" {
		in.Backend, in.Argv = string(runners.BackendCommand), command
	}
	if len(in.Pythons) > 0 && in.Backend != string(runners.BackendPython) {
		return nil, usagef("--python chooses the python backend's interpreter: add --backend python")
	}
	specs, err := in.Specs()
	if err != nil {
		return nil, usageError{err.Error()}
	}
	if cmd == "record" {
		if err := canRun(specs[0]); err != nil {
			return nil, err
		}
	}
	return specs, nil
}

// commandSpecs are compare --cmd's runs: each command named by its --label
// or its script, measured against --baseline or the first command.
func (f *specFlags) commandSpecs() ([]runners.Spec, error) {
	if len(f.labels) > len(f.cmds) {
		return nil, usagef("--label: %d labels for %d commands; give at most one a --cmd, in order", len(f.labels), len(f.cmds))
	}
	var specs []runners.Spec
	names := map[string]bool{}
	for i, line := range f.cmds {
		in := runners.Input{Backend: string(runners.BackendCommand), CommandLine: line, Interval: f.in.Interval}
		if i < len(f.labels) {
			in.Label = f.labels[i]
		}
		got, err := in.Specs()
		if err != nil {
			return nil, usageError{"--cmd " + strconv.Quote(line) + ": " + err.Error()}
		}
		s := got[0]
		if s.Name == "" {
			s.Name = runners.CommandName(s.Command)
		}
		if names[s.Name] {
			s.Name = fmt.Sprintf("%s #%d", s.Name, i+1)
		}
		names[s.Name] = true
		if err := canRun(s); err != nil {
			return nil, err
		}
		specs = append(specs, s)
	}
	base := cmp.Or(f.in.Baseline, specs[0].Name)
	if !names[base] {
		return nil, usagef("--baseline: %q is not the label of a run; use one of %s", base, strings.Join(labelsOf(specs), ", "))
	}
	for i := range specs {
		specs[i].Baseline = base
	}
	return specs, nil
}

func labelsOf(specs []runners.Spec) []string {
	ls := make([]string, len(specs))
	for i, s := range specs {
		ls[i] = s.Label()
	}
	return ls
}

// canRun refuses a command that does not exist: bad input, found before
// anything runs.
func canRun(spec runners.Spec) error {
	subject, err := runners.Prepare(spec, "")
	if err != nil {
		return usageError{err.Error()}
	}
	return subject.Close()
}

func list[T ~string](xs []T) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = string(x)
	}
	return strings.Join(parts, ", ")
}

const (
	runSynopsis     = "Usage: corescope run [flags]\n\nRuns one workload under one model and prints its summary."
	compareSynopsis = "Usage: corescope compare [flags]\n       corescope compare --cmd 'CMD' --cmd 'CMD' [--label NAME]... [--baseline NAME]\n\n" +
		"Runs the workload under every model (or --models), or each --cmd, one after another and prints a table."
	recordSynopsis = "Usage: corescope record [flags] -- CMD [ARGS...]\n\nProfiles any command, run directly (no shell), and prints its summary."
)

// cmdRecord is run, compare and record: they differ only in what they run.
func cmdRecord(cmd string, args []string, stdout, stderr io.Writer) error {
	synopsis := map[string]string{"run": runSynopsis, "compare": compareSynopsis, "record": recordSynopsis}[cmd]
	fs := newFlagSet("corescope "+cmd, synopsis, stdout)
	var sf specFlags
	var out outputs
	sf.register(fs, cmd)
	out.register(fs, true)

	var command []string
	if cmd == "record" {
		if i := slices.Index(args, "--"); i >= 0 {
			args, command = args[:i], args[i+1:]
		}
	}
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if cmd == "record" && len(command) == 0 {
		command, positional = positional, nil
	}
	if len(positional) > 0 {
		return usagef("unexpected argument %q (see --help)", positional[0])
	}
	if cmd == "record" && len(command) == 0 {
		return usagef("command: give the command to profile after --, for example: corescope record -- python3 my_script.py")
	}
	specs, err := sf.specs(cmd, command)
	if err != nil {
		return err
	}
	if err := out.check(); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	prog := newProgress(stderr)
	opt := profile.CompareOptions{
		// The subject's own output goes where corescope's goes, as it comes.
		Options: profile.Options{OnFrame: prog.frame, Stdout: prog.passThrough(stdout), Stderr: prog.passThrough(stderr)},
		OnRun:   prog.startRun,
	}
	if cmd == "record" {
		// One run: a short idle edge is enough to show it, and a quick
		// command should not wait on corescope.
		opt.Lead = min(specs[0].Interval.D(), profile.DefaultEdge)
		opt.Tail = opt.Lead
	}
	ps, runErr := profile.Compare(ctx, specs, opt)
	prog.clear()

	if cmd == "compare" {
		printTable(stdout, ps)
	} else {
		for _, p := range ps {
			printSummary(stdout, p)
		}
	}
	if err := out.write(ps, stderr); err != nil {
		return err
	}
	// The subject's stderr already came through as it wrote it: the error
	// only says how the run ended.
	return runErr
}

// cmdReport prints saved profiles' table and renders them.
func cmdReport(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("corescope report",
		"Usage: corescope report FILE.json [FILE.json ...] [--png OUT.png] [--csv OUT.csv] [--trace OUT.json]\n\n"+
			"Prints the saved profiles' table, and renders them, without running anything.", stdout)
	var out outputs
	out.register(fs, false)
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("give at least one profile file (written by --json or Save profile)")
	}
	if err := out.check(); err != nil {
		return err
	}
	var ps []*profile.Profile
	for _, f := range files {
		loaded, err := profile.Load(f)
		if err != nil {
			return usageError{err.Error()}
		}
		ps = append(ps, loaded...)
	}
	printTable(stdout, ps)
	return out.write(ps, stderr)
}

// cmdModels lists workloads and models with one line on each.
func cmdModels(args []string, stdout io.Writer) error {
	fs := newFlagSet("corescope models", "Usage: corescope models\n\nLists the workloads and models.", stdout)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	fmt.Fprintln(stdout, "Workloads:")
	for _, w := range runners.Workloads {
		fmt.Fprintf(stdout, "  %-11s %s\n", w, runners.DescribeWorkload(w))
	}
	fmt.Fprintln(stdout, "\nModels:")
	for _, m := range runners.Models {
		fmt.Fprintf(stdout, "  %-11s %s\n", m, runners.DescribeModel(m))
	}
	return nil
}
