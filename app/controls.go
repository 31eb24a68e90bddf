package app

import (
	"cmp"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"corescope/runners"
)

// Choices the controls offer besides the engine's own lists.
const (
	backendGo      = "Go built-in"
	backendCommand = "Command..."
	compareAll     = "Compare all"
)

// workloadNames name the engine's workloads in the controls; sampleRates
// are the sampling intervals offered.
var (
	workloadNames = map[runners.Workload]string{runners.CPU: "CPU-bound", runners.IO: "I/O-bound", runners.Mixed: "Mixed"}
	sampleRates   = []time.Duration{10 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond,
		100 * time.Millisecond, 200 * time.Millisecond, 500 * time.Millisecond, time.Second}
)

func modelName(m runners.Model) string {
	s := string(m)
	return strings.ToUpper(s[:1]) + s[1:]
}

func rateName(d time.Duration) string {
	return fmt.Sprintf("%v (%g/s)", d, float64(time.Second)/float64(d))
}

// controls are the fields that make a runners.Spec.
type controls struct {
	backend  *widget.Select
	command  *widget.Entry
	workload *widget.Select
	model    *widget.Select
	tasks    *widget.Entry
	workers  *widget.Entry
	size     *widget.Entry
	rate     *widget.Select

	goForm, cmdForm *widget.Form
	workersHint     *widget.FormItem
	content         *fyne.Container

	// onChange is called after any field changed.
	onChange func()
}

func newControls() *controls {
	c := &controls{}
	changed := func() {
		if c.onChange != nil {
			c.onChange()
		}
	}
	changedText := func(string) { changed() }

	c.command = widget.NewEntry()
	c.command.SetPlaceHolder("python3 -c 'print(1)'")
	c.command.Validator = c.validator("command", func(in *runners.Input, s string) { in.CommandLine = s })
	c.command.OnChanged = changedText

	var wl, ml []string
	for _, w := range runners.Workloads {
		wl = append(wl, workloadNames[w])
	}
	for _, m := range runners.Models {
		ml = append(ml, modelName(m))
	}
	c.workload = widget.NewSelect(wl, func(string) { c.updateWorkersHint(); changed() })
	c.model = widget.NewSelect(append(ml, compareAll), func(string) { c.updateWorkersHint(); changed() })

	c.tasks = widget.NewEntry()
	c.tasks.Validator = c.validator("tasks", func(in *runners.Input, s string) { in.Tasks = s })
	c.tasks.OnChanged = func(string) { c.updateWorkersHint(); changed() }
	c.workers = widget.NewEntry()
	c.workers.Validator = c.validator("workers", func(in *runners.Input, s string) { in.Workers = s })
	c.workers.OnChanged = changedText
	c.size = widget.NewEntry()
	c.size.Validator = c.validator("size", func(in *runners.Input, s string) { in.Size = s })
	c.size.OnChanged = changedText

	var rl []string
	for _, d := range sampleRates {
		rl = append(rl, rateName(d))
	}
	c.rate = widget.NewSelect(rl, changedText)

	c.workersHint = &widget.FormItem{Text: "Workers", Widget: c.workers}
	c.goForm = widget.NewForm(
		&widget.FormItem{Text: "Workload", Widget: c.workload, HintText: "what each task does"},
		&widget.FormItem{Text: "Model", Widget: c.model, HintText: "how the tasks run at once"},
		&widget.FormItem{Text: "Tasks", Widget: c.tasks, HintText: "how many tasks to run"},
		c.workersHint,
		&widget.FormItem{Text: "Size", Widget: c.size, HintText: "work per task; 1 = default"},
	)
	c.cmdForm = widget.NewForm(
		&widget.FormItem{Text: "Command", Widget: c.command, HintText: "program and arguments; quotes group words, no shell"},
	)
	rateForm := widget.NewForm(&widget.FormItem{Text: "Sampling", Widget: c.rate, HintText: "how often cores are read"})
	c.backend = widget.NewSelect([]string{backendGo, backendCommand}, func(string) { c.showBackend(); changed() })
	backendForm := widget.NewForm(&widget.FormItem{Text: "Run", Widget: c.backend, HintText: "built-in models or any program"})
	c.content = container.NewVBox(backendForm, c.goForm, c.cmdForm, rateForm)

	c.set(defaultInput)
	return c
}

// defaultInput is what the fields show before the user chose anything.
var defaultInput = runners.Input{Workload: string(runners.CPU), Models: string(runners.Sequential),
	Tasks: strconv.Itoa(runners.DefaultTasks), Size: strconv.FormatFloat(runners.DefaultSize, 'g', -1, 64),
	Interval: runners.DefaultInterval.String()}

// set shows in in the fields: the controls are a view of a runners.Input.
func (c *controls) set(in runners.Input) {
	if in.Backend == string(runners.BackendCommand) {
		c.backend.SetSelected(backendCommand)
	} else {
		c.backend.SetSelected(backendGo)
	}
	c.command.SetText(in.CommandLine)
	c.workload.SetSelected(workloadNames[runners.Workload(cmp.Or(in.Workload, string(runners.CPU)))])
	switch in.Models {
	case "", runners.AllModels:
		c.model.SetSelected(compareAll)
	default:
		c.model.SetSelected(modelName(runners.Model(in.Models)))
	}
	c.tasks.SetText(in.Tasks)
	c.workers.SetText(in.Workers)
	c.size.SetText(in.Size)
	interval, err := time.ParseDuration(in.Interval)
	if err != nil {
		interval = runners.DefaultInterval
	}
	c.rate.SetSelected(rateName(nearestRate(interval)))
	c.showBackend()
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

func (c *controls) isCommand() bool { return c.backend.Selected == backendCommand }

func (c *controls) showBackend() {
	if c.isCommand() {
		c.goForm.Hide()
		c.cmdForm.Show()
	} else {
		c.cmdForm.Hide()
		c.goForm.Show()
	}
}

// input is what the fields hold, as the runners package reads user input.
func (c *controls) input() runners.Input {
	in := runners.Input{
		Backend:     string(runners.BackendGo),
		Workload:    string(runners.CPU),
		Models:      runners.AllModels,
		Tasks:       c.tasks.Text,
		Workers:     c.workers.Text,
		Size:        c.size.Text,
		Interval:    sampleRates[max(0, indexOf(c.rate.Options, c.rate.Selected))].String(),
		CommandLine: c.command.Text,
	}
	if c.isCommand() {
		in.Backend = string(runners.BackendCommand)
	}
	for w, name := range workloadNames {
		if name == c.workload.Selected {
			in.Workload = string(w)
		}
	}
	for _, m := range runners.Models {
		if modelName(m) == c.model.Selected {
			in.Models = string(m)
		}
	}
	return in
}

// validator checks one entry as runners.Input would, whatever the other
// fields hold; the entry shows only what is allowed, its label names it.
func (c *controls) validator(field string, set func(*runners.Input, string)) fyne.StringValidator {
	return func(s string) error {
		in := c.input()
		set(&in, s)
		var fe *runners.FieldError
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
	in.Workers = ""
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
func (c *controls) specs() ([]runners.Spec, error) { return c.input().Specs() }

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// valid reports whether the fields make a runnable spec.
func (c *controls) valid() bool {
	_, err := c.specs()
	return err == nil
}
