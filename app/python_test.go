package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"corescope/levels"
	"corescope/profile"
	"corescope/recorder"
	"corescope/runners"
	"corescope/runtext"
	"corescope/spec"
)

// freeThreaded is a stand-in interpreter that answers as a free-threaded
// CPython would (none is installable here).
func freeThreaded(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "python3.13t")
	script := `#!/bin/sh
echo '{"version": "3.13.1", "implementation": "cpython", "gil": false, "ok": true}'
`
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPythonChoiceBuildsPythonSpecs(t *testing.T) {
	u, loop := newTestUI(t, Options{}, nil)
	u.ctl.model.SetSelected(modelName(spec.Goroutines))
	u.ctl.backend.SetSelected(backendPython)
	py := freeThreaded(t)
	u.ctl.python.SetText(py)
	loop.until(t, 10*time.Second, "the interpreter's answer", func() bool { return len(u.ctl.asker.asking) == 0 })

	if slices.Contains(u.ctl.model.Options, modelName(spec.Goroutines)) || u.ctl.model.Selected != compareAll {
		t.Errorf("Python's models = %q, chosen %q; want no goroutines, Compare all chosen", u.ctl.model.Options, u.ctl.model.Selected)
	}
	if got := u.ctl.pyInfo.Text; got != "CPython 3.13.1, no GIL" || u.ctl.pyInfo.Hidden {
		t.Errorf("interpreter shown = %q (hidden %v); want CPython 3.13.1, no GIL", got, u.ctl.pyInfo.Hidden)
	}
	u.ctl.start.SetSelected("spawn")
	specs, err := u.ctl.specs()
	if err != nil {
		t.Fatal(err)
	}
	var models []spec.Model
	for _, s := range specs {
		models = append(models, s.Model)
		if s.Backend != spec.BackendPython || s.Python != py {
			t.Errorf("%s spec: backend %q, python %q; want python on %s", s.Model, s.Backend, s.Python, py)
		}
		if want := map[bool]string{true: "spawn"}[s.Model == spec.Processes]; s.StartMethod != want {
			t.Errorf("%s spec: start method %q; want %q", s.Model, s.StartMethod, want)
		}
	}
	if !slices.Equal(models, spec.PythonModels) {
		t.Errorf("Compare all on Python runs %v; want %v", models, spec.PythonModels)
	}
	if u.runBtn.Disabled() {
		t.Error("Run is disabled with a working interpreter")
	}

	// The start method applies to processes only: its row goes with the model.
	u.ctl.model.SetSelected(modelName(spec.Threads))
	if specs, err := u.ctl.specs(); err != nil || specs[0].StartMethod != "" {
		t.Errorf("threads spec = %+v, %v; want no start method", specs, err)
	}
	u.ctl.backend.SetSelected(backendGo)
	if !u.ctl.pyInfo.Hidden || !slices.Contains(u.ctl.model.Options, modelName(spec.Goroutines)) {
		t.Errorf("back on Go: interpreter shown %v, models %q; want it hidden and goroutines offered", !u.ctl.pyInfo.Hidden, u.ctl.model.Options)
	}
}

func TestMissingPythonDisablesRunWithTheReason(t *testing.T) {
	u, loop := newTestUI(t, Options{}, fakeRecord(1))
	u.ctl.backend.SetSelected(backendPython)
	u.ctl.python.SetText("/nowhere/python3")

	err := u.ctl.python.Validate()
	if err == nil || !strings.Contains(err.Error(), "cannot be run") {
		t.Errorf("interpreter field's error = %v; want why /nowhere/python3 cannot be run", err)
	}
	if got := u.ctl.pyInfo.Text; !strings.HasPrefix(got, "Unavailable: ") || !strings.Contains(got, "no such file") ||
		u.ctl.pyInfo.Importance != widget.DangerImportance {
		t.Errorf("interpreter shown = %q (importance %v); want it marked unavailable, with the reason", got, u.ctl.pyInfo.Importance)
	}
	if !u.runBtn.Disabled() {
		t.Error("Run is enabled without an interpreter")
	}
	u.Run()
	if u.job != nil {
		t.Fatal("Run() started a job without an interpreter")
	}
	u.ctl.python.SetText(freeThreaded(t))
	// A new interpreter is asked off the UI goroutine (see pythonAsker).
	loop.until(t, 10*time.Second, "the interpreter's answer", func() bool { return !u.runBtn.Disabled() })
	if u.runBtn.Disabled() || u.ctl.python.Validate() != nil {
		t.Errorf("with an interpreter again: Run disabled %v, field error %v; want enabled, none", u.runBtn.Disabled(), u.ctl.python.Validate())
	}
}

// dialogTexts is the text of every label in the dialog on top of u's window.
func dialogTexts(t *testing.T, u *UI) []string {
	t.Helper()
	top := u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog shown")
	}
	return labelTexts(test.LaidOutObjects(top))
}

func TestShowCodeShowsTheModelsScript(t *testing.T) {
	u, _ := newTestUI(t, Options{}, nil)
	u.ctl.backend.SetSelected(backendPython)
	u.ctl.python.SetText(freeThreaded(t))
	u.ctl.model.SetSelected(modelName(spec.Threads))
	test.Tap(u.ctl.code)

	_, code, _ := runners.PythonScript(spec.Threads)
	if texts := dialogTexts(t, u); !slices.Contains(texts, string(code)) {
		t.Errorf("Show code for threads shows %.200q; want threads.py whole", texts)
	}
	u.win.Canvas().Overlays().Top().Hide()

	u.ctl.backend.SetSelected(backendGo)
	u.ctl.model.SetSelected(modelName(spec.Goroutines))
	u.items.code.Action()
	texts := strings.Join(dialogTexts(t, u), "\n")
	if !strings.Contains(texts, "runners/") || !strings.Contains(texts, runtext.DescribeModel(spec.Goroutines)) {
		t.Errorf("Show code for Go goroutines says %q; want the Go code's place and the model's description", texts)
	}
	u.ctl.backend.SetSelected(backendCommand)
	if !u.items.code.Disabled {
		t.Error("Show code is enabled for a command; want it disabled")
	}
}

// printingRecord is fakeRecord's subject printing lines to stdout and one to
// stderr as it starts.
func printingRecord(lines int) recorder.RecordFunc {
	frames := fakeRecord(3)
	return func(ctx context.Context, s spec.Spec, opt recorder.Options) (*profile.Profile, error) {
		var b strings.Builder
		for i := range lines {
			fmt.Fprintf(&b, "%s line %d\n", s.Label(), i)
		}
		opt.Stdout.Write([]byte(b.String()))
		opt.Stderr.Write([]byte("warning: " + s.Label() + "\n"))
		return frames(ctx, s, opt)
	}
}

func TestOutputPaneShowsTheSubjectsOutput(t *testing.T) {
	u, loop := newTestUI(t, Options{}, printingRecord(3))
	u.tabs.SelectIndex(3)
	u.ctl.model.SetSelected(compareAll)
	test.Tap(u.runBtn)
	loop.until(t, 20*time.Second, "Compare all to end", func() bool { return u.job == nil })

	var got []string
	for _, l := range u.output.shown() {
		got = append(got, l.text)
	}
	if len(got) != len(spec.Models)*5 || got[0] != "── 1 of 5: sequential ──" || got[1] != "sequential line 0" ||
		got[4] != "warning: sequential" || got[len(got)-1] != "warning: goroutines" {
		t.Errorf("output pane = %q; want each run's heading, 3 lines and its warning", got)
	}
	if k := u.output.shown()[4].kind; k != lineErr {
		t.Errorf("a stderr line is of kind %v; want %v", k, lineErr)
	}
	if n := u.output.list.Length(); n != len(got) {
		t.Errorf("the list holds %d rows; want %d", n, len(got))
	}
}

func TestOutputPaneStaysBounded(t *testing.T) {
	const lines = 3*outputKeep + 7
	u, loop := newTestUI(t, Options{}, printingRecord(lines))
	test.Tap(u.runBtn)
	loop.until(t, 20*time.Second, "the run to end", func() bool { return u.job == nil })

	shown := u.output.shown()
	if len(shown) != outputKeep || len(u.output.lines) > 2*outputKeep {
		t.Errorf("after %d lines: %d shown, %d held; want %d, at most %d", lines, len(shown), len(u.output.lines), outputKeep, 2*outputKeep)
	}
	if last, want := shown[len(shown)-2].text, fmt.Sprintf("sequential line %d", lines-1); last != want {
		t.Errorf("last stdout line shown = %q; want %q", last, want)
	}
}

func TestOutputPaneShowsAFilesKeptOutput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.json")
	p := &profile.Profile{Label: "pool.py", Spec: resolvedSpec(t, spec.Spec{Backend: spec.BackendCommand,
		Command: []string{"python3", "pool.py"}}), Started: time.Now(), Machine: profile.Machine{LogicalCores: 1},
		Frames:     []profile.Frame{{T: 0.1, Busy: levels.Row{levels.Steps}}},
		StdoutTail: "primes: 49098\ndone\n", StderrTail: "a warning\n"}
	if err := profile.Save(path, []*profile.Profile{p}); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, Options{}, nil)
	u.OpenFile(path)
	var got []string
	for _, l := range u.output.shown() {
		got = append(got, l.text)
	}
	if want := []string{"primes: 49098", "done", "a warning"}; !slices.Equal(got, want) {
		t.Errorf("output pane for the file's run = %q; want %q", got, want)
	}
	if !strings.HasPrefix(u.output.about.Text, "pool.py") {
		t.Errorf("output caption = %q; want it to name the run", u.output.about.Text)
	}
}

func TestPreferencesKeepPython(t *testing.T) {
	a := test.NewTempApp(t)
	u := New(a, Options{})
	loop := make(uiLoop)
	u.do = loop.do
	py := freeThreaded(t)
	u.ctl.backend.SetSelected(backendPython)
	u.ctl.python.SetText(py)
	loop.until(t, 10*time.Second, "the interpreter's answer", func() bool { return len(u.ctl.asker.asking) == 0 })
	u.ctl.model.SetSelected(modelName(spec.Processes))
	u.ctl.start.SetSelected("forkserver")

	again := New(a, Options{})
	specs, err := again.ctl.specs()
	if err != nil {
		t.Fatal(err)
	}
	if !again.ctl.isPython() || again.ctl.python.Text != py || len(specs) != 1 || specs[0].Python != py ||
		specs[0].Model != spec.Processes || specs[0].StartMethod != "forkserver" {
		t.Errorf("after a relaunch: backend %q, interpreter %q, specs %+v; want Python processes by forkserver on %s",
			again.ctl.backend.Selected, again.ctl.python.Text, specs, py)
	}
}

// TestSlowInterpreterKeepsTheWindowResponsive types the path of a program
// that answers only when the test lets it: typing returns while it is still
// being asked (a UI goroutine that waited for it would wait until the
// program gave up waiting, 30 s, and show its answer), the field says it is
// being asked, Run waits, and the answer shows once it comes.
func TestSlowInterpreterKeepsTheWindowResponsive(t *testing.T) {
	u, loop := newTestUI(t, Options{}, fakeRecord(1))
	dir := t.TempDir()
	slow, release := filepath.Join(dir, "python3"), filepath.Join(dir, "release")
	os.WriteFile(slow, []byte("#!/bin/sh\nfor i in $(seq 3000); do [ -e "+release+" ] && break; sleep 0.01; done\n"+
		"echo '{\"version\": \"3.12.1\", \"implementation\": \"cpython\", \"gil\": true, \"ok\": true}'\n"), 0o755)
	u.ctl.backend.SetSelected(backendPython)
	u.ctl.python.SetText(slow)
	if !u.runBtn.Disabled() || !strings.Contains(u.ctl.pyInfo.Text, "asking") {
		t.Errorf("while the interpreter is asked: Run disabled %v, shown %q; want disabled, asking", u.runBtn.Disabled(), u.ctl.pyInfo.Text)
	}
	os.WriteFile(release, nil, 0o644)
	loop.until(t, 40*time.Second, "the slow interpreter's answer", func() bool { return !u.runBtn.Disabled() })
	if got := u.ctl.pyInfo.Text; got != "CPython 3.12.1, GIL" {
		t.Errorf("interpreter shown after its answer = %q; want CPython 3.12.1, GIL", got)
	}
}
