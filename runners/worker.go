package runners

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"time"

	"corescope/spec"
)

// workerConfig is what the worker subcommand's flags say.
type workerConfig struct {
	spec   spec.Spec
	url    string // the loopback site, for the io and mixed workloads
	child  bool   // serve the processes model as one of its worker processes
	worker int    // a child's worker number
}

// workerArgv is the argument list, after "worker", that runs spec (after
// Resolve) against the site at siteURL; parseWorkerArgs reads it back.
func workerArgv(s spec.Spec, siteURL string) []string {
	args := []string{
		"--workload", string(s.Workload),
		"--model", string(s.Model),
		"--tasks", strconv.Itoa(s.Tasks),
		"--workers", strconv.Itoa(s.Workers),
		"--size", strconv.FormatFloat(s.Size, 'g', -1, 64),
		"--switch-interval", s.SwitchInterval.D().String(),
	}
	if siteURL != "" {
		args = append(args, "--url", siteURL)
	}
	return args
}

// parseWorkerArgs reads and checks the worker's flags.
func parseWorkerArgs(args []string) (workerConfig, error) {
	var (
		cfg      workerConfig
		workload string
		model    string
		interval time.Duration
	)
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by WorkerMain
	fs.StringVar(&workload, "workload", string(spec.CPU), "what each task does: "+spec.Names(spec.Workloads))
	fs.StringVar(&model, "model", string(spec.Sequential), "how the tasks run: "+spec.Names(spec.Models))
	fs.IntVar(&cfg.spec.Tasks, "tasks", 0, "number of tasks (0: default)")
	fs.IntVar(&cfg.spec.Workers, "workers", 0, "pool size (0: the model's default)")
	fs.Float64Var(&cfg.spec.Size, "size", 0, "CPU work per task (0: default)")
	fs.DurationVar(&interval, "switch-interval", 0, "threads model: GIL switch interval (0: default)")
	fs.StringVar(&cfg.url, "url", "", "the loopback site's address, for the io and mixed workloads")
	fs.BoolVar(&cfg.child, "child", false, "serve as a worker process of the processes model")
	fs.IntVar(&cfg.worker, "worker-id", 0, "a worker process's number")
	if err := fs.Parse(args); err != nil {
		return workerConfig{}, err
	}
	if fs.NArg() > 0 {
		return workerConfig{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	cfg.spec.Backend = spec.BackendGo
	cfg.spec.Workload = spec.Workload(workload)
	cfg.spec.Model = spec.Model(model)
	cfg.spec.SwitchInterval = spec.Duration(interval)
	s, err := cfg.spec.Resolve()
	if err != nil {
		return workerConfig{}, err
	}
	cfg.spec = s
	if cfg.spec.Workload != spec.CPU {
		u, err := url.Parse(cfg.url)
		if err != nil || u.Scheme != "http" || u.Host == "" {
			return workerConfig{}, fmt.Errorf("url: %q is not allowed; the %s workload needs the site's http:// address", cfg.url, cfg.spec.Workload)
		}
	}
	return cfg, nil
}

// ExitIfWorker runs the worker subcommand and exits when this process was
// started as `<self> worker ...`, and returns otherwise. main calls it
// first, and so do the TestMains of packages whose tests run Go subjects:
// there the test binary is the corescope executable that subjects re-run.
func ExitIfWorker() {
	if len(os.Args) > 1 && os.Args[1] == "worker" {
		os.Exit(WorkerMain(os.Args[2:], os.Stdout, os.Stderr))
	}
}

// WorkerMain runs the hidden worker subcommand with args (those after
// "worker") and returns its exit code: 0, 1 when a task failed, 2 for bad
// arguments. It writes JSON-line events on stdout and messages on stderr;
// a processes-model child (--child) reads its task ids from os.Stdin.
func WorkerMain(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseWorkerArgs(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			err = errors.New("the worker subcommand is started by corescope; its flags mirror a run's settings")
		}
		fmt.Fprintf(stderr, "corescope worker: %v\n", err)
		return 2
	}
	out := newEventWriter(stdout)
	j := &job{spec: cfg.spec, url: cfg.url, out: out, stderr: stderr}
	ctx := context.Background()
	if cfg.child {
		err = j.child(ctx, cfg.worker, os.Stdin)
	} else {
		var res outcome
		if res, err = j.run(ctx); err == nil {
			out.event(statsEvent(res, cfg.spec.Tasks))
		}
	}
	if err == nil && out.err() != nil {
		err = fmt.Errorf("cannot write events: %w", out.err())
	}
	if err != nil {
		fmt.Fprintf(stderr, "corescope worker: %v\n", err)
		return 1
	}
	return 0
}

// statsEvent is the final line of a run.
func statsEvent(res outcome, tasks int) spec.Event {
	ev := spec.Event{
		Ev:       spec.EvStats,
		PID:      os.Getpid(),
		TNs:      time.Now().UnixNano(),
		Checksum: fmt.Sprintf("%016x", res.sum),
		Tasks:    tasks,
	}
	if res.gil != nil {
		ev.GILHoldNs = res.gil.Hold.Nanoseconds()
		ev.GILWaitNs = res.gil.Wait.Nanoseconds()
		ev.GILSwitches = res.gil.Switches
	}
	return ev
}
