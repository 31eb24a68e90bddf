package app

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"corescope/runners"
	"corescope/runtext"
	"corescope/spec"
)

// Choices the controls offer besides the engine's own lists.
const (
	backendGo      = "Go built-in"
	backendPython  = "Python"
	backendCommand = "Command..."
	compareAll     = "Compare all"
)

// workloadNames name the engine's workloads in the controls; sampleRates
// are the sampling intervals offered.
var (
	workloadNames = map[spec.Workload]string{spec.CPU: "CPU-bound", spec.IO: "I/O-bound", spec.Mixed: "Mixed"}
	sampleRates   = []time.Duration{10 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond,
		100 * time.Millisecond, 200 * time.Millisecond, 500 * time.Millisecond, time.Second}
)

func modelName(m spec.Model) string { return runtext.Capitalized(string(m)) }

func rateName(d time.Duration) string {
	return fmt.Sprintf("%v (%g/s)", d, float64(time.Second)/float64(d))
}

// controls are the fields that make a spec.Spec.
type controls struct {
	backend *widget.Select
	pyInfo  *widget.Label // the interpreter's version, or why it cannot run
	command *field
	// shellHint says how to run a command line with shell syntax
	// (controls_command.go).
	shellHint *widget.Label
	python    *field // the interpreter's path; empty = python3 as --python finds it
	browse    *button
	start     *widget.Select // the Python processes model's start method
	code      *button        // shows the chosen model's code
	workload  *widget.Select
	model     *widget.Select
	tasks     *field
	workers   *field
	latency   *field
	switches  *field // the threads model's switch interval

	// asker finds out, off the UI goroutine, what an interpreter is.
	asker pythonAsker
	size  *field
	rate  *widget.Select
	// repeat is how many times each run is measured (controls_repeat.go).
	repeat *field

	cluster  *clusterFields // the Cluster source's
	rateForm *widget.Form   // the sampling rate, which a cluster's interval replaces

	// goForm holds the built-in models' rows (Go and Python), cmdForm the
	// command's.
	goForm, cmdForm *widget.Form
	// goItems are every row goForm may show, in order; optional says when
	// a row applies to the chosen backend, workload and model.
	goItems     []*widget.FormItem
	optional    map[*widget.FormItem]func(runners.Input) bool
	workersHint *widget.FormItem
	content     *fyne.Container
	fields      []fyne.Disableable

	// onChange is called after any field changed; onShowCode when the
	// code button is tapped; onBrowse when the interpreter's file picker is.
	onChange, onShowCode, onBrowse func()
}

// newControls builds the fields; do runs a function on the UI goroutine.
func newControls(do func(func())) *controls {
	c := &controls{}
	changed := func() {
		if c.onChange != nil {
			c.onChange()
		}
	}
	c.asker = pythonAsker{asking: map[string]bool{}, answered: func() {
		c.python.Validate()
		c.updatePython()
		c.updateWorkersHint()
		changed()
	}}
	changedText := func(string) { changed() }
	entry := func(name string, set func(*runners.Input, string)) *field {
		f := newField(do)
		f.Validator = c.validator(name, set)
		f.OnChanged = changedText
		return f
	}

	c.command = entry("command", func(in *runners.Input, s string) { in.CommandLine = s })
	c.command.SetPlaceHolder("python3 -c 'print(1)'")

	c.python = newField(do)
	c.python.SetPlaceHolder("python3")
	c.python.AlwaysShowValidationError = true // a missing default interpreter is marked too
	c.python.Validator = func(path string) error {
		_, err, _ := c.asker.known(strings.TrimSpace(path))
		return err
	}
	c.python.OnChanged = func(string) { c.updatePython(); changed() }
	c.browse = newButton("...", func() { call(c.onBrowse) })
	c.pyInfo = widget.NewLabel("")
	c.pyInfo.Wrapping = fyne.TextWrapWord
	c.pyInfo.Hide()
	c.start = widget.NewSelect(spec.StartMethods, changedText)

	var wl []string
	for _, w := range spec.Workloads {
		wl = append(wl, workloadNames[w])
	}
	chosen := func(string) { c.updateApplies(); c.updateWorkersHint(); changed() }
	c.workload = widget.NewSelect(wl, chosen)
	c.model = widget.NewSelect(modelChoices(spec.Models), chosen)
	c.code = newButton("Code", func() { call(c.onShowCode) })

	c.tasks = entry("tasks", func(in *runners.Input, s string) { in.Tasks = s })
	c.tasks.OnChanged = func(string) { c.updateWorkersHint(); changed() }
	c.workers = entry("workers", func(in *runners.Input, s string) { in.Workers = s })
	c.latency = entry("latency", func(in *runners.Input, s string) { in.Latency = s })
	c.latency.SetPlaceHolder(spec.DefaultLatency.String())
	c.switches = entry("switch-interval", func(in *runners.Input, s string) { in.SwitchInterval = s })
	c.switches.SetPlaceHolder(spec.DefaultSwitch.String())
	c.size = entry("size", func(in *runners.Input, s string) { in.Size = s })

	var rl []string
	for _, d := range sampleRates {
		rl = append(rl, rateName(d))
	}
	c.rate = widget.NewSelect(rl, changedText)

	c.workersHint = &widget.FormItem{Text: "Workers", Widget: c.workers}
	latency := &widget.FormItem{Text: "Latency", Widget: c.latency, HintText: "each request's wait (I/O)"}
	switches := &widget.FormItem{Text: "Switch", Widget: c.switches, HintText: "GIL switch interval (threads)"}
	python := &widget.FormItem{Text: "Python", Widget: container.NewBorder(nil, nil, nil, c.browse, c.python),
		HintText: "interpreter; empty = python3"}
	start := &widget.FormItem{Text: "Start", Widget: c.start, HintText: "how workers start (processes)"}
	c.goItems = []*widget.FormItem{
		python,
		{Text: "Workload", Widget: c.workload, HintText: "what each task does"},
		{Text: "Model", Widget: container.NewBorder(nil, nil, nil, c.code, c.model), HintText: "how the tasks run at once"},
		{Text: "Tasks", Widget: c.tasks, HintText: "how many tasks to run"},
		c.workersHint, start, latency, switches,
		{Text: "Size", Widget: c.size, HintText: "work per task; 1 = default"},
	}
	isPython := func(in runners.Input) bool { return in.Backend == string(spec.BackendPython) }
	c.optional = map[*widget.FormItem]func(runners.Input) bool{
		python: isPython,
		start: func(in runners.Input) bool {
			return isPython(in) && (in.Models == runners.AllModels || in.Models == string(spec.Processes))
		},
		c.workersHint: func(in runners.Input) bool { return in.Models != string(spec.Sequential) },
		latency:       func(in runners.Input) bool { return in.Workload != string(spec.CPU) },
		switches: func(in runners.Input) bool {
			return in.Models == runners.AllModels || in.Models == string(spec.Threads)
		},
	}
	c.goForm = widget.NewForm()
	c.cmdForm = widget.NewForm(c.commandItem(changed))
	c.rateForm = widget.NewForm(&widget.FormItem{Text: "Sampling", Widget: c.rate, HintText: "how often cores are read"},
		c.repeatItem(do, changedText))
	c.cluster = newClusterFields(do, changed)
	c.backend = widget.NewSelect([]string{backendGo, backendPython, backendCommand, backendCluster}, func(string) { c.showBackend(); changed() })
	backendForm := widget.NewForm(&widget.FormItem{Text: "Run", Widget: container.NewVBox(c.backend, c.pyInfo),
		HintText: "built-in models, a program or a cluster"})
	c.content = container.NewVBox(backendForm, c.goForm, c.cmdForm, c.cluster.form, c.rateForm)
	c.fields = []fyne.Disableable{c.backend, c.command, c.python, c.browse, c.start, c.workload, c.model, c.tasks,
		c.workers, c.latency, c.switches, c.size, c.rate, c.repeat}
	c.fields = append(c.fields, c.cluster.disableables()...)

	// The sidebar is narrow: a command wraps over lines instead of hiding
	// most of itself (a newline splits words like a space).
	c.command.MultiLine = true
	c.command.Wrapping = fyne.TextWrapWord
	c.command.SetMinRowsVisible(3)

	c.set(defaultInput)
	return c
}

// call calls f if it is set.
func call(f func()) {
	if f != nil {
		f()
	}
}

// modelChoices are the model select's options for a backend's models.
func modelChoices(models []spec.Model) []string {
	var names []string
	for _, m := range models {
		names = append(names, modelName(m))
	}
	return append(names, compareAll)
}

// defaultInput is what the fields show before the user chose anything.
var defaultInput = runners.Input{Workload: string(spec.CPU), Models: string(spec.Sequential),
	Tasks: strconv.Itoa(spec.DefaultTasks), Size: strconv.FormatFloat(spec.DefaultSize, 'g', -1, 64),
	Interval: spec.DefaultInterval.String()}

// set shows in in the fields: the controls are a view of a runners.Input.
func (c *controls) set(in runners.Input) {
	switch in.Backend {
	case string(spec.BackendCommand):
		c.backend.SetSelected(backendCommand)
	case string(spec.BackendPython):
		c.backend.SetSelected(backendPython)
	default:
		c.backend.SetSelected(backendGo)
	}
	c.command.SetText(in.CommandLine)
	c.python.SetText(strings.Join(in.Pythons, " "))
	c.start.SetSelected(cmp.Or(in.StartMethod, spec.DefaultStartMethod()))
	c.workload.SetSelected(workloadNames[spec.Workload(cmp.Or(in.Workload, string(spec.CPU)))])
	switch in.Models {
	case "", runners.AllModels:
		c.model.SetSelected(compareAll)
	default:
		c.model.SetSelected(modelName(spec.Model(in.Models)))
	}
	c.tasks.SetText(in.Tasks)
	c.workers.SetText(in.Workers)
	c.latency.SetText(in.Latency)
	c.switches.SetText(in.SwitchInterval)
	c.size.SetText(in.Size)
	interval, err := time.ParseDuration(in.Interval)
	if err != nil {
		interval = spec.DefaultInterval
	}
	c.rate.SetSelected(rateName(nearestRate(interval)))
	c.showBackend()
	c.updateApplies()
	c.updateWorkersHint()
}

// nearestRate is the offered sample rate closest to d.
func nearestRate(d time.Duration) time.Duration {
	best := sampleRates[0]
	for _, r := range sampleRates {
		if (r - d).Abs() < (best - d).Abs() {
			best = r
		}
	}
	return best
}

// isCommand reports whether the Command backend is chosen.
func (c *controls) isCommand() bool { return c.backend.Selected == backendCommand }

// showBackend shows the chosen backend's rows and offers its models; a
// model the backend has not (goroutines in Python) gives way to Compare all.
func (c *controls) showBackend() {
	if c.showCluster() {
		return
	}
	if c.isCommand() {
		c.goForm.Hide()
		c.cmdForm.Show()
	} else {
		c.cmdForm.Hide()
		c.goForm.Show()
	}
	models := spec.Models
	if c.isPython() {
		models = spec.PythonModels
	}
	if names := modelChoices(models); !slices.Equal(names, c.model.Options) {
		c.model.Options = names
		if slices.Index(names, c.model.Selected) < 0 {
			c.model.SetSelected(compareAll)
		}
		c.model.Refresh()
	}
	c.updateApplies()
	c.updatePython()
}

// input is what the fields hold, as the runners package reads user input.
func (c *controls) input() runners.Input {
	in := runners.Input{
		Backend:        string(spec.BackendGo),
		Workload:       string(spec.CPU),
		Models:         runners.AllModels,
		Tasks:          c.tasks.Text,
		Workers:        c.workers.Text,
		Latency:        c.latency.Text,
		SwitchInterval: c.switches.Text,
		Size:           c.size.Text,
		Interval:       sampleRates[max(0, slices.Index(c.rate.Options, c.rate.Selected))].String(),
		CommandLine:    c.command.Text,
	}
	switch {
	case c.isCommand():
		in.Backend = string(spec.BackendCommand)
	case c.isPython():
		in.Backend = string(spec.BackendPython)
		in.Pythons = []string{strings.TrimSpace(c.python.Text)}
		in.StartMethod = c.start.Selected
	}
	for w, name := range workloadNames {
		if name == c.workload.Selected {
			in.Workload = string(w)
		}
	}
	for _, m := range spec.Models {
		if modelName(m) == c.model.Selected {
			in.Models = string(m)
		}
	}
	// A hidden row keeps its text for later, but neither applies nor can
	// keep Run disabled where nobody sees it.
	for item, applies := range c.optional {
		if !applies(in) {
			switch item.Widget {
			case c.workers:
				in.Workers = ""
			case c.latency:
				in.Latency = ""
			case c.switches:
				in.SwitchInterval = ""
			case c.start:
				in.StartMethod = ""
			}
		}
	}
	return in
}

// updateApplies shows only the rows that apply to the chosen workload and
// model (see input for the hidden ones).
func (c *controls) updateApplies() {
	in := c.input()
	var items []*widget.FormItem
	for _, item := range c.goItems {
		if applies := c.optional[item]; applies == nil || applies(in) {
			items = append(items, item)
		}
	}
	if slices.Equal(items, c.goForm.Items) {
		return
	}
	// A form cannot hide one row (its label stays), so the rows are rebuilt.
	form := widget.NewForm(items...)
	form.Hidden = c.goForm.Hidden
	for i, o := range c.content.Objects {
		if o == c.goForm {
			c.content.Objects[i] = form
		}
	}
	c.goForm = form
	c.content.Refresh()
}

// setEnabled enables or disables every field. While a run goes the fields
// are disabled: a change would not reach the run, and a disabled entry
// neither blinks its cursor (which repaints the whole window) nor keeps
// the keyboard focus.
func (c *controls) setEnabled(enabled bool) {
	for _, f := range c.fields {
		switch {
		case enabled && f.Disabled():
			f.Enable()
		case !enabled && !f.Disabled():
			f.Disable()
		}
	}
}

// validator checks one entry as runners.Input would, whatever the other
// fields hold; the entry shows only what is allowed, its label names it.
func (c *controls) validator(field string, set func(*runners.Input, string)) fyne.StringValidator {
	return func(s string) error {
		if !c.pythonKnown() {
			return nil // judged once the interpreter answered (asker.answered)
		}
		in := c.input()
		set(&in, s)
		var fe *spec.FieldError
		if errors.As(in.Problem(field), &fe) {
			return errors.New(fe.Allowed)
		}
		return nil
	}
}

// updateWorkersHint says what "auto" means for the chosen model.
func (c *controls) updateWorkersHint() {
	hint := "empty = model's default"
	in := c.input()
	in.Backend, in.Workers = string(spec.BackendGo), "" // the hint is for the Go models, whatever is chosen now
	specs, err := in.Specs()
	if err != nil { // another field is bad: say what auto means for the default tasks
		in.Tasks = ""
		specs, err = in.Specs()
	}
	if err == nil && len(specs) == 1 {
		hint = fmt.Sprintf("empty = auto: %d for %s", specs[0].Workers, specs[0].Model)
	}
	c.workers.SetPlaceHolder("auto")
	if c.workersHint.HintText != hint {
		c.workersHint.HintText = hint
		c.goForm.Refresh()
	}
}

// specs are the runs the fields ask for: one, or one per model for
// "Compare all". The error names the first bad field.
func (c *controls) specs() ([]spec.Spec, error) {
	if err := c.pythonProblem(); err != nil {
		return nil, err
	}
	return nameCommands(c.input().Specs())
}

// sweepSpecs are the runs of a sweep of worker counts of what the fields
// ask for (one model, or a command with {workers}), at the default counts.
func (c *controls) sweepSpecs() ([]spec.Spec, error) {
	if err := c.pythonProblem(); err != nil {
		return nil, err
	}
	return runners.Sweep{Input: c.input()}.Specs(time.Now().UTC().Format(time.RFC3339))
}

// pythonProblem is why the interpreter typed cannot run yet (not asked
// yet, or not a Python), nil when it can or none is needed.
func (c *controls) pythonProblem() error {
	if c.pythonKnown() {
		return nil
	}
	_, err, _ := c.asker.known(strings.TrimSpace(c.python.Text))
	return err
}

// valid reports whether the fields make a runnable spec.
func (c *controls) valid() bool {
	if c.isCluster() {
		_, err := c.cluster.options()
		return err == nil
	}
	specs, err := c.specs()
	if err != nil {
		return false
	}
	_, err = c.repeats(len(specs))
	return err == nil
}

// chosenModels are the models the model choice names: one, or every model
// of the backend for Compare all.
func (c *controls) chosenModels() []spec.Model {
	in := c.input()
	if in.Models != runners.AllModels {
		return []spec.Model{spec.Model(in.Models)}
	}
	if c.isPython() {
		return spec.PythonModels
	}
	return spec.Models
}
