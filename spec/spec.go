package spec

import (
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Backend says what kind of subject a Spec runs.
type Backend string

// Backends.
const (
	// BackendGo runs the built-in Go models in the hidden `corescope worker` subcommand.
	BackendGo Backend = "go"
	// BackendPython runs the models as CPython scripts (assets/python) on
	// the interpreter Spec.Python names.
	BackendPython Backend = "python"
	// BackendCommand runs the user's command as given, without a shell.
	BackendCommand Backend = "command"
)

// Builtin reports whether b runs corescope's own models (Go or Python), whose
// workloads, tasks and checksums it knows, rather than a user's command.
func (b Backend) Builtin() bool { return b == BackendGo || b == BackendPython }

// Workload is what each task does.
type Workload string

// Workloads.
const (
	CPU   Workload = "cpu"   // a pure computation
	IO    Workload = "io"    // one HTTP GET to the loopback site
	Mixed Workload = "mixed" // a request, then a computation
)

// Model is how the tasks are run concurrently.
type Model string

// Models, named after their Python namesakes.
const (
	Sequential Model = "sequential"
	Threads    Model = "threads"
	Async      Model = "async"
	Processes  Model = "processes"
	Goroutines Model = "goroutines"
)

// Workloads lists every workload in the order the UI and CLI show them.
var Workloads = []Workload{CPU, IO, Mixed}

// Models lists every model in the order the UI and CLI show them;
// sequential comes first so a comparison has its baseline before the rest.
var Models = []Model{Sequential, Threads, Async, Processes, Goroutines}

// PythonModels are the models the Python backend runs: Python has no goroutines.
var PythonModels = []Model{Sequential, Threads, Async, Processes}

// StartMethods are multiprocessing's ways to start a processes-model worker:
// fork copies the parent, spawn starts a fresh interpreter, forkserver forks
// from a clean server process.
var StartMethods = []string{"fork", "spawn", "forkserver"}

// DefaultStartMethod is the processes model's start method where none is
// given: fork on Linux and the BSDs, spawn where fork is unsafe (macOS) or
// missing (Windows), as CPython chooses for them.
func DefaultStartMethod() string {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		return "spawn"
	}
	return "fork"
}

// Limits and defaults of a Spec.
const (
	MaxTasks          = 100000
	MaxWorkers        = 1024
	DefaultTasks      = 20
	DefaultSize       = 1.0
	DefaultLatency    = 50 * time.Millisecond
	DefaultSwitch     = 5 * time.Millisecond
	DefaultInterval   = 100 * time.Millisecond
	MinInterval       = 10 * time.Millisecond
	MaxInterval       = 5 * time.Second
	DefaultThreadPool = 5 // like the classic article's ThreadPoolExecutor(max_workers=5)
)

// Duration is a time.Duration that reads and writes JSON as a Go duration
// string ("50ms"), so profile files stay readable by people.
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// MarshalJSON writes d as a string such as "50ms".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads a string such as "50ms".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string such as \"50ms\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// Spec is everything needed to run and sample one subject. Specs come from
// runners.Input (what a person typed) or from a profile file, and both go
// through Resolve once; past that boundary every field is set and valid.
type Spec struct {
	Backend  Backend  `json:"backend"`
	Workload Workload `json:"workload,omitempty"`
	Model    Model    `json:"model,omitempty"`
	Tasks    int      `json:"tasks,omitempty"`
	// Workers is the pool size; 0 means the model's default (see DefaultWorkers).
	Workers int `json:"workers,omitempty"`
	// Size multiplies the CPU work of one task.
	Size float64 `json:"size,omitempty"`
	// Latency is how long the loopback site waits before answering a request.
	Latency Duration `json:"latency,omitempty"`
	// SwitchInterval is how long a threads-model thread may hold the GIL while
	// another waits (CPython's sys.getswitchinterval()); 0 for other models.
	SwitchInterval Duration `json:"switch_interval,omitempty"`
	// Interval is the sampling period of the profiler.
	Interval Duration `json:"interval,omitempty"`
	// Command is the argv of a BackendCommand subject.
	Command []string `json:"command,omitempty"`
	// Python is the interpreter a BackendPython subject runs on, as found
	// (see runners.FindPython); StartMethod is its processes model's start
	// method.
	Python      string `json:"python,omitempty"`
	StartMethod string `json:"start_method,omitempty"`
	// PythonShim is the interpreter as it was given, when it was a shim or
	// a wrapper (pyenv's, asdf's) that Python was resolved from: Python is
	// then the interpreter the shim starts, which ran (runners.Interpreter's
	// Resolved). Empty for an interpreter given as itself, and in files of
	// corescope before it, whose Python is what was given.
	PythonShim string `json:"python_shim,omitempty"`
	// Name, when set, is the run's label (see Label): a command's --label or
	// script name, or the model and interpreter when several are compared.
	Name string `json:"name,omitempty"`
	// Baseline, when set, is the label of the run this one's speedup is
	// measured against (compare --baseline); empty means the sequential run.
	Baseline string `json:"baseline,omitempty"`
	// Scale places the run in a sweep of worker counts (corescope scale);
	// zero for a run of no sweep.
	Scale Scale `json:"scale,omitzero"`
	// Env is extra environment the subject runs with, NAME=value each: a
	// sweep tells a command its worker count so.
	Env []string `json:"env,omitempty"`
}

// DefaultWorkers is the pool size a model uses for a workload when
// Spec.Workers is 0: threads like the classic ThreadPoolExecutor(5), one
// worker per core for processes and for CPU-bound goroutines, and every task
// in flight at once for async and for I/O-bound goroutines.
func DefaultWorkers(m Model, w Workload, tasks int) int {
	allAtOnce := min(max(tasks, 1), MaxWorkers)
	switch {
	case m == Threads:
		return DefaultThreadPool
	case m == Processes, m == Goroutines && w == CPU:
		return runtime.NumCPU()
	case m == Async, m == Goroutines:
		return allAtOnce
	default:
		return 1
	}
}

// Resolve fills every zero field of s with its default and validates the
// result: what every spec from outside (a person, a file) goes through once.
// Zero means "default" only here: the CLI and the window refuse a typed 0
// for every field but workers, where 0 and "auto" mean the model's default
// (see runners.Input), and code past Resolve never sees a zero field.
func (s Spec) Resolve() (Spec, error) {
	s = s.withDefaults()
	return s, s.Validate()
}

// withDefaults returns s with every zero field set to its default.
func (s Spec) withDefaults() Spec {
	if s.Backend == "" {
		s.Backend = BackendGo
	}
	if s.Interval == 0 {
		s.Interval = Duration(DefaultInterval)
	}
	if s.Backend == BackendCommand {
		return s
	}
	if s.Tasks == 0 {
		s.Tasks = DefaultTasks
	}
	if s.Workers == 0 {
		s.Workers = DefaultWorkers(s.Model, s.Workload, s.Tasks)
	}
	if s.Size == 0 {
		s.Size = DefaultSize
	}
	if s.Latency == 0 {
		s.Latency = Duration(DefaultLatency)
	}
	if s.Model == Threads && s.SwitchInterval == 0 {
		s.SwitchInterval = Duration(DefaultSwitch)
	}
	if s.Backend == BackendPython && s.Model == Processes && s.StartMethod == "" {
		s.StartMethod = DefaultStartMethod()
	}
	return s
}

// Label names a run in tables and pictures: the model, or the command's name.
func (s Spec) Label() string {
	if s.Name != "" {
		return s.Name
	}
	if s.Backend == BackendCommand {
		if len(s.Command) == 0 {
			return "command"
		}
		name := s.Command[0]
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			name = name[i+1:]
		}
		return name
	}
	return string(s.Model)
}

// FieldError is a bad Spec value: it names the field and what is allowed.
type FieldError struct {
	Field   string
	Value   string
	Allowed string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("%s: %s is not allowed; %s", e.Field, e.Value, e.Allowed)
}

// Problems are what is wrong with a form's fields, in the order of the
// form: what runners.Input and a watch's input collect, each field read on
// its own.
type Problems []*FieldError

// First is the first problem, for a form's one error; nil without any.
func (ps Problems) First() error {
	if len(ps) == 0 {
		return nil
	}
	return ps[0]
}

// Of is field's problem, what a form shows beside it whatever the other
// fields hold; nil when it is fine.
func (ps Problems) Of(field string) error {
	for _, p := range ps {
		if p.Field == field {
			return p
		}
	}
	return nil
}

// durationLimits are the allowed ranges of the duration fields, by name.
var durationLimits = map[string][2]time.Duration{
	"interval":        {MinInterval, MaxInterval},
	"latency":         {time.Millisecond, time.Minute},
	"switch-interval": {100 * time.Microsecond, time.Second},
}

// CheckDuration is the *FieldError of duration field ("interval",
// "latency" or "switch-interval") when d is outside its limits, or nil:
// what Validate says, and a form that reads the field as text.
func CheckDuration(field string, d Duration) error {
	lim := durationLimits[field]
	if d.D() < lim[0] || d.D() > lim[1] {
		return &FieldError{field, d.D().String(), fmt.Sprintf("use %v..%v", lim[0], lim[1])}
	}
	return nil
}

// CheckBackend is the *FieldError of a backend that is none of the
// backends, or nil.
func CheckBackend(b Backend) error {
	switch b {
	case BackendGo, BackendPython, BackendCommand:
		return nil
	}
	return &FieldError{"backend", strconv.Quote(string(b)), "use go, python or command"}
}

// SizeAllowed says what Size may be.
const SizeAllowed = "use a positive number up to 1000"

// CheckSize is the *FieldError of a Size outside what SizeAllowed says, or nil.
func CheckSize(v float64) error {
	if v > 0 && v <= 1000 {
		return nil
	}
	return &FieldError{"size", fmt.Sprint(v), SizeAllowed}
}

// Validate checks every field of s and returns a *FieldError for the first
// bad one. It fills in nothing: a zero field is an error here (see Resolve).
func (s Spec) Validate() error {
	if err := CheckDuration("interval", s.Interval); err != nil {
		return err
	}
	if err := s.checkScale(); err != nil {
		return err
	}
	switch s.Backend {
	case BackendCommand:
		if len(s.Command) == 0 || s.Command[0] == "" {
			return &FieldError{"command", "an empty command", "give the program to run and its arguments"}
		}
		return nil
	case BackendGo:
	case BackendPython:
		if s.Python == "" {
			return &FieldError{"python", "an empty path", "give the interpreter to run, such as /usr/bin/python3"}
		}
	default:
		return CheckBackend(s.Backend)
	}
	if !slices.Contains(Workloads, s.Workload) {
		return &FieldError{"workload", strconv.Quote(string(s.Workload)), "use one of " + Names(Workloads)}
	}
	if s.Backend == BackendPython && !slices.Contains(PythonModels, s.Model) {
		return &FieldError{"model", strconv.Quote(string(s.Model)), "use one of " + Names(PythonModels) + " (Python has no goroutines)"}
	}
	if !slices.Contains(Models, s.Model) {
		return &FieldError{"model", strconv.Quote(string(s.Model)), "use one of " + Names(Models)}
	}
	switch {
	case s.Backend == BackendPython && s.Model == Processes && !slices.Contains(StartMethods, s.StartMethod):
		return &FieldError{"start-method", strconv.Quote(s.StartMethod), "use one of " + Names(StartMethods)}
	case s.StartMethod != "" && (s.Backend != BackendPython || s.Model != Processes):
		return &FieldError{"start-method", strconv.Quote(s.StartMethod), "it applies to the Python processes model only"}
	}
	if s.Tasks < 1 || s.Tasks > MaxTasks {
		return &FieldError{"tasks", fmt.Sprint(s.Tasks), fmt.Sprintf("use 1..%d", MaxTasks)}
	}
	if s.Workers < 1 || s.Workers > MaxWorkers {
		return &FieldError{"workers", fmt.Sprint(s.Workers), fmt.Sprintf("use 1..%d (or 0 for the model's default)", MaxWorkers)}
	}
	if err := CheckSize(s.Size); err != nil {
		return err
	}
	if err := CheckDuration("latency", s.Latency); err != nil {
		return err
	}
	if s.Model != Threads && s.SwitchInterval == 0 {
		return nil // only threads have a lock; older files gave every model one, still checked
	}
	return CheckDuration("switch-interval", s.SwitchInterval)
}

// Names lists a vocabulary's values, comma-separated, as errors and usage
// texts say what is allowed: "cpu, io, mixed".
func Names[T ~string](list []T) string {
	parts := make([]string, len(list))
	for i, x := range list {
		parts[i] = string(x)
	}
	return strings.Join(parts, ", ")
}
