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
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"corescope/atomicfile"
	"corescope/nodes"
	"corescope/profile"
	"corescope/recorder"
	"corescope/report"
	"corescope/runners"
	"corescope/runtext"
	"corescope/scaling"
	"corescope/spec"
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
  corescope record [flags] [--node HOST:PORT]... -- CMD [ARGS...]
                                     profile any command (run directly, no shell), with other nodes' cores beside
  corescope scale [--model M | --cmd 'CMD {workers}'] [--workers 1,2,4] [--weak]
                                     run the same work at several worker counts, fit the scaling laws, project to more cores
  corescope watch --node HOST:PORT [--node HOST:PORT]... [--duration D]
                                     watch machines' cores through their node_exporter, until Ctrl-C
  corescope report FILE.json... [--png OUT.png] [--html OUT.html]
                                     print saved profiles' table, and render them, without running anything
  corescope report --prometheus URL [--selector 'job="node"'] [--from -1h] [--to now] [--png OUT.png]
                                     the same for nodes' past load, from a Prometheus server
  corescope models                   list workloads and models
  corescope --version                print the version and the commit it was built from

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
	case "-version", "--version":
		fmt.Fprintln(stdout, versionLine(debug.ReadBuildInfo()))
		return ExitOK
	case "models":
		err = cmdModels(rest, stdout)
	case "run", "compare", "record":
		err = cmdRecord(cmd, rest, stdout, stderr)
	case "report":
		err = cmdReport(rest, stdout, stderr)
	case "watch":
		err = cmdWatch(rest, stdout, stderr)
	case "scale":
		err = cmdScale(rest, stdout, stderr)
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
		printf(stderr, "corescope %s: %v\n", cmd, err)
		return ExitUsage
	default:
		printf(stderr, "corescope %s: %v\n", cmd, err)
		return ExitFailed
	}
}

// outputs are the files a command writes its profiles to.
type outputs struct {
	json, csv, png, html, trace string
}

func (o *outputs) register(fs *flag.FlagSet, withJSON bool) {
	if withJSON {
		fs.StringVar(&o.json, "json", "", "write the profiles to `FILE` (corescope/v2 JSON)")
	}
	fs.StringVar(&o.csv, "csv", "", "write one row per sample and core to `FILE`")
	fs.StringVar(&o.png, "png", "", "write a PNG report to `FILE`")
	fs.StringVar(&o.html, "html", "", "write an HTML report to `FILE`: one page that zooms and reads out, for any browser")
	fs.StringVar(&o.trace, "trace", "", "write a Chrome trace (Perfetto, chrome://tracing) to `FILE`")
}

// check refuses, before anything runs, an output the write after the run
// would refuse, so that no run is lost to a bad name.
func (o *outputs) check() error {
	for _, f := range []struct{ flag, path string }{{"json", o.json}, {"csv", o.csv}, {"png", o.png}, {"html", o.html}, {"trace", o.trace}} {
		if f.path == "" {
			continue
		}
		if err := atomicfile.Check(f.path); err != nil {
			return usagef("--%s: %v", f.flag, err)
		}
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
		{o.html, func(path string, ps []*profile.Profile) error {
			return report.WriteHTML(path, ps, report.Options{})
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
		printf(stderr, "wrote %s\n", w.path)
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
	runs         runFlags
}

// listFlag is a flag that may be given several times, kept in order.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ", ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func (f *specFlags) register(fs *flag.FlagSet, cmd string) {
	registerInput(fs, &f.in, cmd)
	f.runs.register(fs, cmd)
	if cmd == "compare" {
		fs.Var(&f.cmds, "cmd", "a command `LINE` to run (split like a shell, run without one); give it once per command to compare them instead of the models")
		fs.Var(&f.labels, "label", "the `NAME` of each --cmd run, in order (default: its script's file name)")
		fs.StringVar(&f.in.Baseline, "baseline", "", "the `LABEL` of the run speedups are measured against (default: sequential, or the first --cmd)")
	}
}

// registerInput defines the flags that shape cmd's runs into in: the
// sampling interval for all, and for the models' commands (run, compare,
// scale) the backend, workload, model or models, tasks, workers (scale
// defines its own list), size, latency and the Python settings.
func registerInput(fs *flag.FlagSet, in *runners.Input, cmd string) {
	fs.StringVar(&in.Interval, "interval", spec.DefaultInterval.String(),
		fmt.Sprintf("sampling interval (%v..%v)", spec.MinInterval, spec.MaxInterval))
	if cmd == "record" {
		return
	}
	fs.StringVar(&in.Backend, "backend", string(spec.BackendGo), "what runs the models: go (built in) or python (CPython scripts on --python)")
	fs.Var((*listFlag)(&in.Pythons), "python", "python backend: the interpreter `PATH` (default: python3 in PATH, then /usr/bin, /usr/local/bin); "+
		"give it several times to compare interpreters")
	fs.StringVar(&in.Workload, "workload", string(spec.CPU), "what each task does: "+spec.Names(spec.Workloads))
	switch cmd {
	case "run":
		fs.StringVar(&in.Models, "model", string(spec.Sequential), "how tasks run: "+spec.Names(spec.Models))
	case "scale":
		fs.StringVar(&in.Models, "model", string(spec.Processes), "the model to sweep: threads, async, processes or goroutines (not sequential, which has one worker whatever the count)")
	default:
		fs.StringVar(&in.Models, "models", "", "comma-separated models to compare (default: all of "+spec.Names(spec.Models)+"; python: all but goroutines)")
	}
	fs.StringVar(&in.Tasks, "tasks", strconv.Itoa(spec.DefaultTasks), fmt.Sprintf("number of tasks (1..%d)", spec.MaxTasks))
	if cmd != "scale" {
		fs.StringVar(&in.Workers, "workers", "0", fmt.Sprintf("pool size (1..%d); 0 = the model's default: threads %d, processes one per core, "+
			"goroutines one per core for cpu and one per task otherwise, async one per task", spec.MaxWorkers, spec.DefaultThreadPool))
	}
	fs.StringVar(&in.Size, "size", strconv.FormatFloat(spec.DefaultSize, 'g', -1, 64), "factor on each task's CPU work (a positive number up to 1000)")
	fs.StringVar(&in.Latency, "latency", spec.DefaultLatency.String(), "I/O latency of each request to the loopback site")
	fs.StringVar(&in.SwitchInterval, "switch-interval", "", "threads: how long a thread may hold the GIL while another waits (default "+spec.DefaultSwitch.String()+")")
	fs.StringVar(&in.StartMethod, "start-method", "", "python processes: how workers start: "+strings.Join(spec.StartMethods, ", ")+
		" (default "+spec.DefaultStartMethod()+")")
}

// specs builds and validates the specs the flags ask for; command is the
// argv of record.
func (f *specFlags) specs(cmd string, command []string) ([]spec.Spec, error) {
	if len(f.cmds) > 0 {
		return f.commandSpecs()
	}
	if len(f.labels) > 0 {
		return nil, usagef("--label names --cmd runs; give a --cmd for each")
	}
	in := f.in
	if cmd == "record" {
		in.Backend, in.Argv = string(spec.BackendCommand), command
	}
	if len(in.Pythons) > 0 && in.Backend != string(spec.BackendPython) {
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
func (f *specFlags) commandSpecs() ([]spec.Spec, error) {
	if len(f.labels) > len(f.cmds) {
		return nil, usagef("--label: %d labels for %d commands; give at most one a --cmd, in order", len(f.labels), len(f.cmds))
	}
	var specs []spec.Spec
	names := map[string]bool{}
	for i, line := range f.cmds {
		in := runners.Input{Backend: string(spec.BackendCommand), CommandLine: line, Interval: f.in.Interval}
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
		s.Name = numbered(s.Name, names)
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

// numbered is name, or, when an earlier run took it, name numbered among
// the runs so named: "seq.py", "seq.py #2", "seq.py #3".
func numbered(name string, taken map[string]bool) string {
	label := name
	for n := 2; taken[label]; n++ {
		label = fmt.Sprintf("%s #%d", name, n)
	}
	return label
}

func labelsOf(specs []spec.Spec) []string {
	ls := make([]string, len(specs))
	for i, s := range specs {
		ls[i] = s.Label()
	}
	return ls
}

// canRun refuses a command that does not exist: bad input, found before
// anything runs.
func canRun(s spec.Spec) error {
	subject, err := runners.Prepare(s, "")
	if err != nil {
		return usageError{err.Error()}
	}
	return subject.Close()
}

const (
	runSynopsis     = "Usage: corescope run [flags]\n\nRuns one workload under one model and prints its summary."
	compareSynopsis = "Usage: corescope compare [flags]\n       corescope compare --cmd 'CMD' --cmd 'CMD' [--label NAME]... [--baseline NAME]\n\n" +
		"Runs the workload under every model (or --models), or each --cmd, one after another and prints a table."
	recordSynopsis = "Usage: corescope record [flags] [--node HOST:PORT]... -- CMD [ARGS...]\n\nProfiles any command, run directly (no shell), and prints its summary.\n" +
		"With --node, other machines' cores (read from their node_exporter every --interval) are recorded beside this one's."
)

// recordSynopses are run's, compare's and record's.
var recordSynopses = map[string]string{"run": runSynopsis, "compare": compareSynopsis, "record": recordSynopsis}

// recordFlags defines run's, compare's or record's flags (cmd) into sf, out
// and addrs (record's --node).
func recordFlags(cmd string, stdout io.Writer, sf *specFlags, out *outputs, addrs *listFlag) *flag.FlagSet {
	fs := newFlagSet("corescope "+cmd, recordSynopses[cmd], stdout)
	sf.register(fs, cmd)
	out.register(fs, true)
	if cmd == "record" {
		fs.Var(addrs, "node", nodeUsage+"; this machine is always the first node, and --interval must then be 100ms or longer")
	}
	return fs
}

// cmdRecord is run, compare and record: they differ only in what they run.
func cmdRecord(cmd string, args []string, stdout, stderr io.Writer) error {
	var sf specFlags
	var out outputs
	var addrs listFlag
	fs := recordFlags(cmd, stdout, &sf, &out, &addrs)

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
	repeat, warmup, err := sf.runs.parse(cmd)
	if err != nil {
		return err
	}
	noteInput(stderr, specs, sf.cmds)
	if len(addrs) > 0 {
		if err := (recorder.WatchOptions{Addresses: addrs, Interval: specs[0].Interval.D()}).Check(); err != nil {
			return usageError{err.Error()}
		}
	}
	if err := out.check(); err != nil {
		return err
	}

	ps, runErr := recordSpecs(specs, stdout, stderr, func(opt *recorder.CompareOptions) {
		opt.Nodes = addrs
		opt.Repeat, opt.Warmup = repeat, warmup
		if cmd == "record" {
			// One run: a short idle edge is enough to show it, and a quick
			// command should not wait on corescope.
			opt.Lead = min(specs[0].Interval.D(), recorder.DefaultEdge)
			opt.Tail = opt.Lead
		}
	})
	runtext.Conclude(ps)

	if cmd == "compare" {
		printTable(stdout, ps)
	} else {
		for _, r := range runtext.Rows(ps) {
			printSummary(stdout, r)
			if len(r.Run.Nodes) > 0 {
				fmt.Fprintln(stdout)
				printNodes(stdout, r.Run)
			}
		}
	}
	if err := out.write(ps, stderr); err != nil {
		return err
	}
	// The subject's stderr already came through as it wrote it: the error
	// only says how the run ended.
	return runErr
}

// recordSpecs records specs through recorder.Compare until they end or
// Ctrl-C, with the progress line on stderr, the subjects' own output going
// where corescope's goes as it comes, and the options more sets.
func recordSpecs(specs []spec.Spec, stdout, stderr io.Writer, more func(*recorder.CompareOptions)) ([]*profile.Profile, error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	prog := newProgress(stderr)
	opt := recorder.CompareOptions{
		// The subject's own output goes where corescope's goes, as it comes.
		Options: recorder.Options{OnFrame: prog.frame, Stdout: prog.passThrough(stdout), Stderr: prog.passThrough(stderr)},
		OnRun:   prog.startRun,
	}
	if more != nil {
		more(&opt)
	}
	ps, err := recorder.Compare(ctx, specs, opt)
	prog.clear()
	return ps, err
}

// cmdReport prints saved profiles' table, or nodes' past load from a
// Prometheus server, and renders them.
func cmdReport(args []string, stdout, stderr io.Writer) error {
	var (
		out    outputs
		q      nodes.HistoryQuery
		window historyWindow
	)
	fs := reportFlags(stdout, &out, &q, &window)
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if q.Server != "" {
		if len(files) > 0 {
			return usagef("give profile files or --prometheus, not both (%q)", files[0])
		}
		if err := historyFlags(&q, window); err != nil {
			return err
		}
	} else if len(files) == 0 {
		return usagef("give at least one profile file (written by --json or Save profile), or --prometheus URL")
	}
	if err := out.check(); err != nil {
		return err
	}
	var ps []*profile.Profile
	if q.Server != "" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		p, err := reportHistory(ctx, q, stdout)
		if err != nil {
			return err
		}
		return out.write([]*profile.Profile{p}, stderr)
	}
	for _, f := range files {
		loaded, err := profile.Load(f)
		if err != nil {
			return usageError{err.Error()}
		}
		ps = append(ps, loaded...)
	}
	var runs []*profile.Profile
	for _, p := range ps {
		if p.Watched() {
			printWatch(stdout, p)
			fmt.Fprintln(stdout)
		} else {
			runs = append(runs, p)
		}
	}
	printTable(stdout, runs)
	if len(scaling.Sweeps(runs)) > 0 {
		fmt.Fprintln(stdout)
		printSweeps(stdout, runs)
	}
	for _, p := range runs {
		if len(p.Nodes) > 0 {
			printf(stdout, "\n%s, recorded beside other nodes:\n", runtext.Label(p))
			printNodes(stdout, p)
		}
	}
	return out.write(ps, stderr)
}

// historyWindow is report --prometheus's window, as its flags give it.
type historyWindow struct{ from, to, step, scrape string }

const reportSynopsis = "Usage: corescope report FILE.json [FILE.json ...] [--png OUT.png] [--html OUT.html] [--csv OUT.csv] [--trace OUT.json] [--json OUT.json]\n" +
	"       corescope report --prometheus URL [--selector 'job=\"node\"'] [--from -1h] [--to now] [--step S] [--scrape-interval S]\n" +
	"                        [--png OUT.png] [--html OUT.html] [--json F] [--csv F] [--trace F]\n\n" +
	"Prints the saved profiles' table, and renders them, without running anything;\n" +
	"or, with --prometheus, the per-core load of the nodes a Prometheus server scraped (node_exporter's node_cpu_seconds_total)."

// reportFlags defines report's flags into out, q and w.
func reportFlags(stdout io.Writer, out *outputs, q *nodes.HistoryQuery, w *historyWindow) *flag.FlagSet {
	fs := newFlagSet("corescope report", reportSynopsis, stdout)
	out.register(fs, true)
	fs.StringVar(&q.Server, "prometheus", "", "read nodes' past load from the Prometheus server at `URL` (http://host:9090) instead of files")
	fs.StringVar(&q.Selector, "selector", "", `--prometheus: label matchers that pick the nodes, such as 'job="node"' (default: every node_exporter the server scrapes)`)
	fs.StringVar(&w.from, "from", "-1h", "--prometheus: the window's start: RFC 3339, Unix seconds, now, or before now such as -1h or now-90m")
	fs.StringVar(&w.to, "to", "now", "--prometheus: the window's end, in the same forms")
	fs.StringVar(&w.step, "step", "", "--prometheus: one tick, such as 1s or 1m (default: the window in about 600 ticks, 1s at the least)")
	fs.StringVar(&w.scrape, "scrape-interval", "", "--prometheus: how often the server scrapes the nodes (default: measured from its samples)")
	return fs
}

// historyFlags fills q from report --prometheus's flags.
func historyFlags(q *nodes.HistoryQuery, w historyWindow) error {
	now := time.Now()
	var err error
	if q.From, err = timeFlag("from", w.from, now); err != nil {
		return err
	}
	if q.To, err = timeFlag("to", w.to, now); err != nil {
		return err
	}
	if w.step == "" {
		q.Step = max(time.Second, (q.To.Sub(q.From) / 600).Round(time.Second))
	} else if q.Step, err = durationFlag("step", w.step, "1s or 1m"); err != nil {
		return err
	}
	if w.scrape != "" {
		if q.ScrapeInterval, err = durationFlag("scrape-interval", w.scrape, "15s"); err != nil {
			return err
		}
	}
	if err := q.Check(); err != nil {
		return usageError{err.Error()}
	}
	return nil
}

const modelsSynopsis = "Usage: corescope models\n\nLists the workloads and models."

// cmdModels lists workloads and models with one line on each.
func cmdModels(args []string, stdout io.Writer) error {
	fs := newFlagSet("corescope models", modelsSynopsis, stdout)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	fmt.Fprintln(stdout, "Workloads:")
	for _, w := range spec.Workloads {
		fmt.Fprintf(stdout, "  %-11s %s\n", w, runtext.DescribeWorkload(w))
	}
	fmt.Fprintln(stdout, "\nModels:")
	for _, m := range spec.Models {
		fmt.Fprintf(stdout, "  %-11s %s\n", m, runtext.DescribeModel(m))
	}
	return nil
}
