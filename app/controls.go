package app

import (
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

// workloadNames and modelNames are how the controls name the engine's values.
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
	c.command.Validator = commandError
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
	c.tasks.Validator = func(s string) error { _, err := c.parseTasks(s); return err }
	c.tasks.OnChanged = func(string) { c.updateWorkersHint(); changed() }
	c.workers = widget.NewEntry()
	c.workers.Validator = func(s string) error { _, err := parseWorkers(s); return err }
	c.workers.OnChanged = changedText
	c.size = widget.NewEntry()
	c.size.Validator = func(s string) error { _, err := parseSize(s); return err }
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

	def := runners.Spec{}.WithDefaults()
	def.Workers = 0 // auto
	c.set(def, false)
	return c
}

// set shows spec in the fields; compare selects "Compare all" as the model.
func (c *controls) set(s runners.Spec, compare bool) {
	if s.Backend == runners.BackendCommand {
		c.backend.SetSelected(backendCommand)
		c.command.SetText(joinArgs(s.Command))
	} else {
		c.backend.SetSelected(backendGo)
	}
	if s.Workload == "" {
		s.Workload = runners.CPU
	}
	c.workload.SetSelected(workloadNames[s.Workload])
	switch {
	case compare:
		c.model.SetSelected(compareAll)
	case s.Model == "":
		c.model.SetSelected(modelName(runners.Sequential))
	default:
		c.model.SetSelected(modelName(s.Model))
	}
	c.tasks.SetText(strconv.Itoa(max(s.Tasks, 1)))
	if s.Workers == 0 {
		c.workers.SetText("")
	} else {
		c.workers.SetText(strconv.Itoa(s.Workers))
	}
	c.size.SetText(strconv.FormatFloat(s.Size, 'g', -1, 64))
	c.rate.SetSelected(rateName(nearestRate(s.Interval.D())))
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

// models are the models the Run button runs: one, or all of them.
func (c *controls) models() []runners.Model {
	if c.model.Selected == compareAll {
		return runners.Models
	}
	for _, m := range runners.Models {
		if modelName(m) == c.model.Selected {
			return []runners.Model{m}
		}
	}
	return []runners.Model{runners.Sequential}
}

// selectedWorkload is the workload the workload control shows.
func (c *controls) selectedWorkload() runners.Workload {
	for w, name := range workloadNames {
		if name == c.workload.Selected {
			return w
		}
	}
	return runners.CPU
}

// updateWorkersHint says what "auto" means for the chosen model.
func (c *controls) updateWorkersHint() {
	tasks, err := c.parseTasks(c.tasks.Text)
	if err != nil {
		tasks = runners.DefaultTasks
	}
	hint := "empty = model's default"
	if ms := c.models(); len(ms) == 1 {
		hint = fmt.Sprintf("empty = auto: %d for %s", runners.DefaultWorkers(ms[0], c.selectedWorkload(), tasks), ms[0])
	}
	c.workers.SetPlaceHolder("auto")
	if c.workersHint.HintText != hint {
		c.workersHint.HintText = hint
		c.goForm.Refresh()
	}
}

// specs are the runs the fields ask for: one, or one per model for
// "Compare all". The error names the first bad field.
func (c *controls) specs() ([]runners.Spec, error) {
	interval := sampleRates[max(0, indexOf(c.rate.Options, c.rate.Selected))]
	if c.isCommand() {
		argv, err := splitArgs(c.command.Text)
		if err != nil {
			return nil, fmt.Errorf("command: %w", err)
		}
		s := runners.Spec{Backend: runners.BackendCommand, Command: argv, Interval: runners.Duration(interval)}
		return []runners.Spec{s}, s.WithDefaults().Validate()
	}
	tasks, err := c.parseTasks(c.tasks.Text)
	if err != nil {
		return nil, fmt.Errorf("tasks: %w", err)
	}
	workers, err := parseWorkers(c.workers.Text)
	if err != nil {
		return nil, fmt.Errorf("workers: %w", err)
	}
	size, err := parseSize(c.size.Text)
	if err != nil {
		return nil, fmt.Errorf("size: %w", err)
	}
	workload := c.selectedWorkload()
	var specs []runners.Spec
	for _, m := range c.models() {
		s := runners.Spec{Backend: runners.BackendGo, Workload: workload, Model: m, Tasks: tasks,
			Workers: workers, Size: size, Interval: runners.Duration(interval)}
		if err := s.WithDefaults().Validate(); err != nil {
			return nil, err
		}
		specs = append(specs, s)
	}
	return specs, nil
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// fieldError checks one field by validating a Spec that differs from the
// defaults only in that field, so the messages are the engine's own.
func fieldError(field string, set func(*runners.Spec)) error {
	s := runners.Spec{Backend: runners.BackendGo, Workload: runners.CPU, Model: runners.Sequential}
	set(&s)
	var fe *runners.FieldError
	if err := s.WithDefaults().Validate(); errors.As(err, &fe) && fe.Field == field {
		return errors.New(fe.Allowed)
	}
	return nil
}

func (c *controls) parseTasks(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, errors.New("give a whole number")
	}
	if n == 0 { // 0 would mean "default" to the engine; here it is a mistake
		n = -1
	}
	return n, fieldError("tasks", func(sp *runners.Spec) { sp.Tasks = n })
}

func parseWorkers(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "auto") {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, errors.New("give a whole number, or leave empty for auto")
	}
	if n == 0 {
		return 0, nil
	}
	return n, fieldError("workers", func(sp *runners.Spec) { sp.Workers = n })
}

func parseSize(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, errors.New("give a number such as 0.5")
	}
	if v == 0 {
		v = -1 // 0 would mean "default" to the engine
	}
	return v, fieldError("size", func(sp *runners.Spec) { sp.Size = v })
}

func commandError(s string) error {
	argv, err := splitArgs(s)
	if err != nil {
		return err
	}
	sp := runners.Spec{Backend: runners.BackendCommand, Command: argv}
	var fe *runners.FieldError
	if err := sp.WithDefaults().Validate(); errors.As(err, &fe) {
		return errors.New(fe.Allowed)
	}
	return nil
}

// valid reports whether the fields make a runnable spec.
func (c *controls) valid() bool {
	_, err := c.specs()
	return err == nil
}

// joinArgs is the inverse of splitArgs for showing a saved command.
func joinArgs(argv []string) string {
	parts := make([]string, len(argv))
	for i, a := range argv {
		if a != "" && !strings.ContainsAny(a, " \t\n'\"\\") {
			parts[i] = a
			continue
		}
		parts[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(parts, " ")
}
