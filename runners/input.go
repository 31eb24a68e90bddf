package runners

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"corescope/spec"
)

// Input is a run as a person asked for it, field by field, as text: the
// window's entries and choices, the CLI's flag values. An empty field means
// its default. Specs is the only way from it to runnable specs, so the
// window and the CLI accept and refuse exactly the same things.
type Input struct {
	// Backend is "go", "python" or "command"; empty means go.
	Backend string
	// Pythons are the interpreters of the python backend, each a path or a
	// name in PATH; none, or an empty one, means python3 in PATH or the usual places. With more
	// than one, every model runs on each and runs are named after both.
	Pythons []string
	// StartMethod is the Python processes model's (see StartMethods);
	// empty means DefaultStartMethod.
	StartMethod string
	// Label names a command's run; empty means its program's name (see
	// spec.Spec.Label; compare --cmd gives CommandName). Baseline is the label
	// of the run speedups are measured against (empty: the sequential run).
	Label, Baseline string
	// Workload is one of Workloads.
	Workload string
	// Models is one model, a comma-separated list of them, or "all" (or
	// empty) for every model in the order of Models.
	Models string
	// Tasks, Workers, Size, Latency, SwitchInterval and Interval are numbers
	// and Go durations ("50ms") as typed. Workers may also be "0" or "auto"
	// for the model's default.
	Tasks, Workers, Size, Latency, SwitchInterval, Interval string
	// Argv is the command of the command backend, already split into words
	// (the CLI's arguments after --). When it is nil, CommandLine is split
	// the way a shell splits words (see SplitArgs), without running a shell.
	Argv        []string
	CommandLine string
}

// AllModels is the Models value that asks for every model.
const AllModels = "all"

// Specs turns in into defaulted, validated specs: one per model, or one for
// a command. A bad field gives a *spec.FieldError that names it and says what is
// allowed; when several are bad, the first in the order of the form.
func (in Input) Specs() ([]spec.Spec, error) {
	specs, problems := in.resolve()
	if err := problems.First(); err != nil {
		return nil, err
	}
	return specs, nil
}

// Problem is what is wrong with one field of in, or nil: what a form shows
// beside that field whatever the other fields hold.
func (in Input) Problem(field string) error {
	_, problems := in.resolve()
	return problems.Of(field)
}

// resolve reads every field, collecting every field's problem.
func (in Input) resolve() ([]spec.Spec, spec.Problems) {
	var problems spec.Problems
	check := func(err error) {
		var fe *spec.FieldError
		if errors.As(err, &fe) {
			problems = append(problems, fe)
		}
	}
	base := spec.Spec{}
	var err error
	base.Interval, err = parseDuration("interval", in.Interval, spec.DefaultInterval)
	check(err)
	switch in.Backend {
	case "", string(spec.BackendGo):
		base.Backend = spec.BackendGo
	case string(spec.BackendPython):
		base.Backend = spec.BackendPython
	case string(spec.BackendCommand):
		base.Backend = spec.BackendCommand
		base.Command, err = in.command()
		check(err)
		base.Name, base.Baseline = strings.TrimSpace(in.Label), in.Baseline
		sp, err := base.Resolve()
		check(err)
		if len(problems) > 0 {
			return nil, problems
		}
		return []spec.Spec{sp}, nil
	default:
		check(spec.CheckBackend(spec.Backend(in.Backend)))
	}

	base.Workload = spec.Workload(strings.TrimSpace(in.Workload))
	if base.Workload == "" {
		base.Workload = spec.CPU
	}
	base.Tasks, err = parseCount("tasks", in.Tasks, spec.DefaultTasks, spec.MaxTasks, false)
	check(err)
	base.Workers, err = parseCount("workers", in.Workers, 0, spec.MaxWorkers, true)
	check(err)
	base.Size, err = parseSize(in.Size)
	check(err)
	base.Latency, err = parseDuration("latency", in.Latency, spec.DefaultLatency)
	check(err)
	base.SwitchInterval, err = parseDuration("switch-interval", in.SwitchInterval, spec.DefaultSwitch)
	check(err)

	base.Baseline = in.Baseline
	models := in.models(base.Backend)
	check(onlyFor("switch-interval", in.SwitchInterval, spec.Threads, models, "the threads model"))
	if strings.TrimSpace(in.StartMethod) != "" && base.Backend != spec.BackendPython {
		check(&spec.FieldError{Field: "start-method", Value: strconv.Quote(strings.TrimSpace(in.StartMethod)), Allowed: "it applies to the python backend's processes model only"})
	} else {
		check(onlyFor("start-method", in.StartMethod, spec.Processes, models, "the Python processes model"))
	}
	interpreters := []Interpreter{{}}
	if base.Backend == spec.BackendPython {
		interpreters = in.interpreters(check)
	}
	var specs []spec.Spec
	for _, py := range interpreters {
		for _, m := range models {
			s := base
			s.Model, s.Python = m, py.Path
			if real := py.Resolved(); real != "" { // a shim: run what it starts, and say what it was
				s.Python, s.PythonShim = real, py.Path
			}
			if m != spec.Threads {
				s.SwitchInterval = 0 // the threads' alone
			}
			if m == spec.Processes {
				s.StartMethod = strings.TrimSpace(in.StartMethod)
			}
			if len(interpreters) > 1 {
				s.Name = string(m) + " · " + py.Label()
			}
			s, err := s.Resolve()
			if err != nil {
				check(err)
				break // the other models would say the same of the shared fields
			}
			specs = append(specs, s)
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return specs, nil
}

// models lists the models in asks for; unknown names are left for Validate
// to refuse with the list of known ones. "all" is every model b runs.
func (in Input) models(b spec.Backend) []spec.Model {
	list := strings.TrimSpace(in.Models)
	if (list == "" || list == AllModels) && b == spec.BackendPython {
		return spec.PythonModels
	}
	if list == "" || list == AllModels {
		return spec.Models
	}
	var ms []spec.Model
	for _, m := range strings.Split(list, ",") {
		ms = append(ms, spec.Model(strings.TrimSpace(m)))
	}
	return ms
}

// onlyFor is the *spec.FieldError of a field typed as text that applies to model
// only (what), when none of models is it; nil otherwise. Only the CLI can
// ask for that (the window hides the field), so the error names its flags.
func onlyFor(field, text string, model spec.Model, models []spec.Model, what string) error {
	if strings.TrimSpace(text) == "" || slices.Contains(models, model) {
		return nil
	}
	return &spec.FieldError{Field: field, Value: strconv.Quote(strings.TrimSpace(text)), Allowed: fmt.Sprintf(
		"it applies to %s only; ask for it with --model %s (run) or add %[2]s to --models (compare)", what, model)}
}

// interpreters finds and asks each interpreter in names (see FindPython);
// one that cannot be used is the python field's problem.
func (in Input) interpreters(check func(error)) []Interpreter {
	names := in.Pythons
	if len(names) == 0 {
		names = []string{""}
	}
	var found []Interpreter
	for _, name := range names {
		py, err := FindPython(context.Background(), strings.TrimSpace(name))
		if err != nil {
			check(&spec.FieldError{Field: "python", Value: strconv.Quote(cmp.Or(name, "python3")), Allowed: err.Error() + "; give Python 3.8 or later with --python PATH"})
			continue
		}
		found = append(found, py)
	}
	return found
}

// CommandName names a command's run: the file name of the first script it
// gives its program ("python3 -X importtime pool.py" is pool.py), or the
// module a Python runs ("python3 -m json.tool" is json.tool), else the
// program's name.
func CommandName(argv []string) string {
	if len(argv) == 0 {
		return "command"
	}
	program := filepath.Base(argv[0])
	python := strings.HasPrefix(program, "python") || strings.HasPrefix(program, "pypy")
	for i, a := range argv[1:] {
		switch {
		case python && a == "-c":
			return program // the code is inline: what follows is its arguments
		case python && a == "-m" && i+2 < len(argv):
			return argv[i+2]
		case python && strings.HasPrefix(a, "-m") && !strings.HasPrefix(a, "--"):
			return a[2:] // "-mjson.tool" is read by Python as -m json.tool
		case scriptExts[filepath.Ext(a)] && !strings.HasPrefix(a, "-"):
			return filepath.Base(a)
		}
	}
	return program
}

// scriptExts are the file endings of scripts an interpreter runs.
var scriptExts = map[string]bool{".py": true, ".sh": true, ".rb": true, ".js": true, ".pl": true, ".lua": true, ".php": true, ".R": true}

// command is the command's argv, from Argv or split from CommandLine.
func (in Input) command() ([]string, error) {
	if in.Argv != nil {
		return in.Argv, nil
	}
	argv, err := SplitArgs(in.CommandLine)
	if err != nil {
		return nil, &spec.FieldError{Field: "command", Value: strconv.Quote(in.CommandLine), Allowed: err.Error()}
	}
	return argv, nil
}

// parseCount reads a whole number in 1..most. Empty gives def; 0 gives def
// only where zeroIsDefault (workers: "the model's default"), and "auto"
// means the same there. Elsewhere a typed 0 is a mistake, not a default.
func parseCount(field, text string, def, most int, zeroIsDefault bool) (int, error) {
	text = strings.TrimSpace(text)
	if text == "" || zeroIsDefault && strings.EqualFold(text, "auto") {
		return def, nil
	}
	allowed := fmt.Sprintf("use 1..%d", most)
	if zeroIsDefault {
		allowed += " (or 0 for the model's default)"
	}
	n, err := strconv.Atoi(text)
	switch {
	case err != nil:
		return 0, &spec.FieldError{Field: field, Value: strconv.Quote(text), Allowed: "give a whole number; " + allowed}
	case n == 0 && zeroIsDefault:
		return def, nil
	case n < 1 || n > most:
		return 0, &spec.FieldError{Field: field, Value: text, Allowed: allowed}
	}
	return n, nil
}

// parseSize reads the factor on each task's CPU work.
func parseSize(text string) (float64, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return spec.DefaultSize, nil
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, &spec.FieldError{Field: "size", Value: strconv.Quote(text), Allowed: "give a number such as 0.5; " + spec.SizeAllowed}
	}
	return v, spec.CheckSize(v)
}

// parseDuration reads a Go duration ("50ms", "1.5s") within the field's
// limits. Empty gives def; a typed 0 is refused, not taken for the default.
func parseDuration(field, text string, def time.Duration) (spec.Duration, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return spec.Duration(def), nil
	}
	d, err := time.ParseDuration(text)
	if err != nil {
		return 0, &spec.FieldError{Field: field, Value: strconv.Quote(text), Allowed: "give a duration such as 50ms or 1.5s"}
	}
	if err := spec.CheckDuration(field, spec.Duration(d)); err != nil {
		return 0, err
	}
	return spec.Duration(d), nil
}
