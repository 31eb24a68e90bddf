package app

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"corescope/levels"
	"corescope/profile"
	"corescope/recorder"
	"corescope/spec"
)

// uiLoop stands in for Fyne's main loop: the UI's goroutines hand it
// functions, and the test goroutine runs them, so the test and the UI never
// touch widgets at the same time.
type uiLoop chan func()

func (l uiLoop) do(f func()) { l <- f }

// until runs the loop until cond holds, failing after timeout.
func (l uiLoop) until(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(timeout)
	for !cond() {
		select {
		case f := <-l:
			f()
		case <-deadline:
			t.Fatalf("gave up after %v waiting for %s", timeout, what)
		}
	}
}

// newTestUI is a window on a fresh test app whose UI loop the test runs.
func newTestUI(t *testing.T, opt Options, record recorder.RecordFunc) (*UI, uiLoop) {
	t.Helper()
	a := test.NewTempApp(t)
	u := New(a, opt)
	loop := make(uiLoop)
	u.do = loop.do
	if record != nil {
		u.recorder = record
	}
	// One run of each spec, whatever Compare all's default: the tests of
	// repeats set the field themselves (repeats_test.go).
	u.ctl.repeat.SetText("1")
	t.Cleanup(func() {
		if u.job != nil { // let a test that failed early end its run
			u.Stop()
			loop.until(t, 10*time.Second, "the run to stop", func() bool { return u.job == nil })
		}
	})
	return u, loop
}

// fakeRecord plays a subject on 2 cores that does one task per frame, on
// one thread named in its first frame: it ends after frames frames, or runs
// until stopped when frames is 0.
func fakeRecord(frames int) recorder.RecordFunc {
	return func(ctx context.Context, s spec.Spec, opt recorder.Options) (*profile.Profile, error) {
		p := &profile.Profile{Label: s.Label(), Spec: s, Started: time.Now()}
		for i := 0; frames == 0 || i < frames; i++ {
			f := profile.Frame{T: float64(i+1) * 0.01, Busy: levels.Row{levels.Steps, levels.Of(0.5)}, SubjectCPU: 0.01, TasksDone: i + 1,
				ThreadSamples: []profile.ThreadSample{{PID: 10, TID: 11, CPU: 0.01, Core: i % 2}}}
			if i == 0 {
				f.ThreadNames = []profile.Thread{{PID: 10, TID: 11, Name: "worker", Process: "python3"}}
			}
			opt.OnFrame(f)
			p.Frames = append(p.Frames, f)
			select {
			case <-ctx.Done():
				return p, recorder.ErrStopped
			case <-time.After(2 * time.Millisecond):
			}
		}
		p.Summary.WallS = float64(frames) * 0.01
		return p, nil
	}
}

// resolvedSpec is spec with its defaults, failing the test if it is not valid.
func resolvedSpec(t testing.TB, sp spec.Spec) spec.Spec {
	t.Helper()
	s, err := sp.Resolve()
	if err != nil {
		t.Fatalf("%+v.Resolve() = %v", sp, err)
	}
	return s
}

// labelTexts is the text of every label among objs.
func labelTexts(objs []fyne.CanvasObject) []string {
	var texts []string
	for _, o := range objs {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	}
	return texts
}

func TestCompareAllFillsTheCompareTable(t *testing.T) {
	u, loop := newTestUI(t, Options{}, fakeRecord(5))
	u.ctl.model.SetSelected(compareAll)
	u.ctl.tasks.SetText("5")
	test.Tap(u.runBtn)
	if !u.runBtn.Disabled() || u.stopBtn.Disabled() {
		t.Errorf("while running: Run disabled = %v, Stop disabled = %v; want true, false", u.runBtn.Disabled(), u.stopBtn.Disabled())
	}
	loop.until(t, 20*time.Second, "Compare all to end", func() bool { return u.job == nil })

	if len(u.runs) != len(spec.Models) {
		t.Fatalf("runs after Compare all = %d; want %d", len(u.runs), len(spec.Models))
	}
	cells := labelTexts(u.compare.table.Objects)
	if want := len(tableHeader) * (1 + len(spec.Models)); len(cells) != want {
		t.Fatalf("compare table has %d cells; want %d", len(cells), want)
	}
	for i, m := range spec.Models {
		if got := cells[len(tableHeader)*(i+1)]; got != string(m) {
			t.Errorf("compare table row %d = %q; want %q", i+1, got, m)
		}
	}
	if got := u.progress.Value; got != 1 {
		t.Errorf("progress after the last run = %v; want 1", got)
	}
	if u.runBtn.Disabled() || !u.stopBtn.Disabled() {
		t.Errorf("after the runs: Run disabled = %v, Stop disabled = %v; want false, true", u.runBtn.Disabled(), u.stopBtn.Disabled())
	}
	test.Tap(u.compare.clearBtn)
	if len(u.runs) != 0 || len(u.compare.table.Objects) != len(tableHeader) {
		t.Errorf("after Clear: %d runs, %d table cells; want 0, %d", len(u.runs), len(u.compare.table.Objects), len(tableHeader))
	}
}

func TestStopKeepsThePartialRun(t *testing.T) {
	u, loop := newTestUI(t, Options{}, fakeRecord(0))
	u.ctl.model.SetSelected(compareAll)
	test.Tap(u.runBtn)
	loop.until(t, 10*time.Second, "the first frames", func() bool { return u.live.last != nil })
	if !strings.HasPrefix(u.progressText.Text, "1 of 5: sequential") {
		t.Errorf("progress while running = %q; want it to start with %q", u.progressText.Text, "1 of 5: sequential")
	}
	test.Tap(u.stopBtn)
	loop.until(t, 10*time.Second, "the run to stop", func() bool { return u.job == nil })

	if len(u.runs) != 1 {
		t.Fatalf("runs after Stop = %d; want the 1 partial run", len(u.runs))
	}
	p := u.runs[0]
	if len(p.Frames) == 0 || !p.Failed() || !strings.Contains(runName(p), "stopped") {
		t.Errorf("stopped run: %d frames, error %q, named %q; want frames, an error, a name marked stopped", len(p.Frames), p.Error, runName(p))
	}
	if u.runBtn.Disabled() {
		t.Error("Run is disabled after Stop; want it enabled")
	}
}

func TestInvalidFieldDisablesRun(t *testing.T) {
	tests := []struct {
		name  string
		entry func(c *controls) *field
		text  string
	}{
		{"tasks 0", func(c *controls) *field { return c.tasks }, "0"},
		{"tasks text", func(c *controls) *field { return c.tasks }, "many"},
		{"tasks too many", func(c *controls) *field { return c.tasks }, "100001"},
		{"workers negative", func(c *controls) *field { c.model.SetSelected(modelName(spec.Threads)); return c.workers }, "-1"},
		{"workers too many", func(c *controls) *field { c.model.SetSelected(modelName(spec.Threads)); return c.workers }, "5000"},
		{"size 0", func(c *controls) *field { return c.size }, "0"},
		{"size text", func(c *controls) *field { return c.size }, "big"},
		{"size huge", func(c *controls) *field { return c.size }, "1e9"},
		{"latency text", func(c *controls) *field { c.workload.SetSelected(workloadNames[spec.IO]); return c.latency }, "slow"},
		{"switch interval 0", func(c *controls) *field { c.model.SetSelected(modelName(spec.Threads)); return c.switches }, "0"},
		{"empty command", func(c *controls) *field { c.backend.SetSelected(backendCommand); return c.command }, "  "},
		{"open quote", func(c *controls) *field { c.backend.SetSelected(backendCommand); return c.command }, "echo 'hi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, _ := newTestUI(t, Options{}, fakeRecord(1))
			e := tt.entry(u.ctl)
			good := e.Text
			if e == u.ctl.command {
				good = "sleep 1"
			}
			e.SetText(tt.text)
			if err := e.Validate(); err == nil {
				t.Errorf("Validate(%q) = nil; want an error", tt.text)
			}
			if !u.runBtn.Disabled() {
				t.Errorf("Run is enabled with %q; want disabled", tt.text)
			}
			u.Run() // Ctrl+R must not bypass the check either
			if u.job != nil {
				t.Fatalf("Run() started a job with %q", tt.text)
			}
			e.SetText(good)
			if u.runBtn.Disabled() {
				t.Errorf("Run is disabled after fixing the field to %q; want enabled", good)
			}
		})
	}
}

func TestWorkersHintSaysWhatAutoMeans(t *testing.T) {
	u, _ := newTestUI(t, Options{}, nil)
	u.ctl.model.SetSelected(modelName(spec.Threads))
	want := "5 for threads"
	if got := u.ctl.workersHint.HintText; !strings.Contains(got, want) {
		t.Errorf("workers hint for threads = %q; want it to contain %q", got, want)
	}
}

func TestOpenFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	p := &profile.Profile{Label: "sequential", Spec: resolvedSpec(t, spec.Spec{Backend: spec.BackendGo, Workload: spec.CPU,
		Model: spec.Sequential}), Started: time.Now(),
		Machine: profile.Machine{LogicalCores: 2}, Frames: []profile.Frame{{T: 0.1, Busy: levels.Row{levels.Steps, 0}}}}
	if err := profile.Save(good, []*profile.Profile{p}); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.json")
	foreign := filepath.Join(dir, "foreign.json")
	// A profile travels between people: a hand-edited one is bad input too.
	edited := filepath.Join(dir, "edited.json")
	for path, text := range map[string]string{broken: `{"format": "corescope/v1", "runs": [`, foreign: `{"name": "not a profile"}`,
		edited: `{"format": "corescope/v2", "profiles": [{"label": "edited", "spec": {"backend": "go", "workload": "cpu", "model": "threads", "tasks": -5}}]}`} {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		path      string
		wantRuns  int
		wantError bool
	}{
		{broken, 0, true},
		{foreign, 0, true},
		{edited, 0, true},
		{filepath.Join(dir, "missing.json"), 0, true},
		{good, 1, false},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			u, _ := newTestUI(t, Options{}, nil)
			u.OpenFile(tt.path)
			dialogShown := u.win.Canvas().Overlays().Top() != nil
			if len(u.runs) != tt.wantRuns || dialogShown != tt.wantError {
				t.Errorf("OpenFile(%s): %d runs, error dialog %v; want %d, %v", filepath.Base(tt.path), len(u.runs), dialogShown, tt.wantRuns, tt.wantError)
			}
		})
	}
	t.Run("a bad file changes nothing", func(t *testing.T) {
		u, _ := newTestUI(t, Options{}, nil)
		u.OpenFile(good)
		shown := u.shown
		u.OpenFile(edited)
		if len(u.runs) != 1 || u.shown != shown || u.win.Canvas().Overlays().Top() == nil {
			t.Errorf("after the good file then the edited one: %d runs, shown %v (was %v), dialog %v; want 1 run, the same shown, a dialog",
				len(u.runs), u.shown, shown, u.win.Canvas().Overlays().Top() != nil)
		}
	})
}

func TestPreferencesPersist(t *testing.T) {
	a := test.NewTempApp(t)
	u := New(a, Options{})
	u.ctl.workload.SetSelected(workloadNames[spec.IO])
	u.ctl.model.SetSelected(modelName(spec.Processes))
	u.ctl.tasks.SetText("7")
	u.ctl.workers.SetText("3")
	u.ctl.latency.SetText("20ms")
	u.ctl.switches.SetText("2ms") // kept, though processes do not use it
	u.ctl.size.SetText("0.5")
	u.ctl.rate.SetSelected(rateName(50 * time.Millisecond))
	u.ctl.command.SetText(`python3 -c "print(1)"`)
	u.ctl.backend.SetSelected(backendCommand)
	u.live.order.SetSelected(orderSorted)

	again := New(a, Options{})
	if !again.ctl.isCommand() || again.ctl.command.Text != `python3 -c "print(1)"` {
		t.Errorf("after a relaunch: backend %q, command %q; want Command and the command typed", again.ctl.backend.Selected, again.ctl.command.Text)
	}
	again.ctl.backend.SetSelected(backendGo)
	specs, err := again.ctl.specs()
	if err != nil {
		t.Fatal(err)
	}
	want := spec.Spec{Backend: spec.BackendGo, Workload: spec.IO, Model: spec.Processes, Tasks: 7, Workers: 3,
		Size: 0.5, Latency: spec.Duration(20 * time.Millisecond),
		Interval: spec.Duration(50 * time.Millisecond)}
	if len(specs) != 1 || specs[0].Model != want.Model || specs[0].Workload != want.Workload || specs[0].Tasks != want.Tasks ||
		specs[0].Workers != want.Workers || specs[0].Size != want.Size || specs[0].Interval != want.Interval ||
		specs[0].Latency != want.Latency || specs[0].SwitchInterval != want.SwitchInterval {
		t.Errorf("spec after a relaunch = %+v; want %+v", specs, want)
	}
	if got := again.ctl.switches.Text; got != "2ms" {
		t.Errorf("switch interval after a relaunch = %q; want 2ms kept", got)
	}
	if !again.live.heat.sorted {
		t.Error("heatmap order after a relaunch is by core; want sorted")
	}

	demo := New(a, Options{Demo: true})
	specs, _ = demo.ctl.specs()
	if len(specs) != len(spec.Models) || strconv.Itoa(specs[0].Tasks) != demoInput.Tasks || specs[0].Workload != spec.CPU {
		t.Errorf("demo specs = %+v; want Compare all of the demo's CPU-bound tasks", specs)
	}
	if got := a.Preferences().String(prefTasks); got != "7" {
		t.Errorf("tasks preference after the demo = %q; want the user's 7 kept", got)
	}
}

// TestPreferencesRestoreWithoutWriting relaunches with the heatmap sorted
// and the whole machine shown: both come back, and restoring them writes
// no preference. Restoring the order once saved every choice, the whole
// machine not restored yet, so it came back off, and every launch rewrote
// the preferences file.
func TestPreferencesRestoreWithoutWriting(t *testing.T) {
	a := test.NewTempApp(t)
	u := New(a, Options{})
	u.live.order.SetSelected(orderSorted)
	u.live.whole.SetChecked(true)
	writes := 0
	a.Preferences().AddChangeListener(func() { writes++ })
	again := New(a, Options{})
	if !again.live.heat.sorted || !again.live.whole.Checked {
		t.Errorf("after a relaunch: sorted %v, whole machine %v; want both", again.live.heat.sorted, again.live.whole.Checked)
	}
	if writes != 0 {
		t.Errorf("restoring the preferences wrote %d; want none", writes)
	}
	again.live.whole.SetChecked(false)
	if writes == 0 || a.Preferences().Bool(prefWhole) {
		t.Error("a choice made after the relaunch was not saved")
	}
}

// TestRunRecordsARealSubject runs the Go backend for real, with this test
// binary as the worker.
func TestRunRecordsARealSubject(t *testing.T) {
	u, loop := newTestUI(t, Options{Self: os.Args[0]}, nil)
	u.ctl.model.SetSelected(modelName(spec.Goroutines))
	u.ctl.tasks.SetText("4")
	u.ctl.size.SetText("0.05")
	u.ctl.rate.SetSelected(rateName(50 * time.Millisecond))
	test.Tap(u.runBtn)
	loop.until(t, 30*time.Second, "the run to end", func() bool { return u.job == nil })

	if len(u.runs) != 1 {
		t.Fatalf("runs = %d (status %q); want 1", len(u.runs), u.status.Text)
	}
	p := u.runs[0]
	if p.Failed() || len(p.Frames) == 0 || p.Summary.TasksDone != 4 {
		t.Errorf("run: error %q, %d frames, %d tasks done; want no error, frames, 4 tasks", p.Error, len(p.Frames), p.Summary.TasksDone)
	}
	if cells := labelTexts(u.compare.table.Objects); len(cells) != 2*len(tableHeader) || cells[len(tableHeader)] != "goroutines" {
		t.Errorf("compare table = %q; want a header and a goroutines row", cells)
	}
}

// TestCompareFitsASmallWindow checks that the Compare tab of a full
// "Compare all" session, repeated, needs no sideways scrolling in an
// 800x600 window.
func TestCompareFitsASmallWindow(t *testing.T) {
	u, loop := newTestUI(t, Options{}, fakeRecord(3))
	u.ctl.model.SetSelected(compareAll)
	u.ctl.repeat.SetText("2") // every figure with its spread
	test.Tap(u.runBtn)
	loop.until(t, 20*time.Second, "Compare all to end", func() bool { return u.job == nil })
	u.runs[1].Error = "stopped by the user after 0.1 s" // the longest name a run gets
	u.compare.set(u.runs)
	u.tabs.SelectIndex(2)
	u.win.Resize(fyne.NewSize(800, 600))

	if min := u.win.Content().MinSize(); min.Width > 800 || min.Height > 600 {
		t.Errorf("window content needs %v; want it to fit 800x600", min)
	}
	table := u.compare.table
	if got, need := table.Size().Width, table.MinSize().Width; got < need || got == 0 {
		t.Errorf("compare table at 800 px is %v wide and needs %v; want it to fit", got, need)
	}
	if x := table.Position().X + table.Size().Width; x > u.compare.content.Size().Width {
		t.Errorf("compare table ends at x = %v, beyond its tab's %v", x, u.compare.content.Size().Width)
	}
}

// saveRuns writes a profile file named name in dir holding one run per model.
func saveRuns(t *testing.T, dir, name string, models ...spec.Model) string {
	t.Helper()
	var ps []*profile.Profile
	for _, m := range models {
		ps = append(ps, &profile.Profile{Label: string(m), Spec: resolvedSpec(t, spec.Spec{Backend: spec.BackendGo, Workload: spec.CPU,
			Model: m}), Started: time.Now(), Machine: profile.Machine{LogicalCores: 1},
			Frames: []profile.Frame{{T: 0.1, Busy: levels.Row{levels.Steps}}}})
	}
	path := filepath.Join(dir, name)
	if err := profile.Save(path, ps); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOptionsOpenShowsTheFilesAtStart opens files as `corescope A.json
// B.json` does: each readable file is a group of its own, each unreadable
// one a dialog that names it, and the others still open.
func TestOptionsOpenShowsTheFilesAtStart(t *testing.T) {
	dir := t.TempDir()
	a := saveRuns(t, dir, "a.json", spec.Sequential, spec.Goroutines)
	b := saveRuns(t, dir, "b.corescope.json", spec.Threads)
	broken := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(broken, []byte(`{"format": "corescope/v1", "runs": [`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		open       []string
		wantRuns   []string
		wantGroups []string // as the comparison selector lists them, newest first
		wantDialog string   // the one error dialog names this file; "" for none
	}{
		{"a broken one first", []string{broken, a}, []string{"sequential", "goroutines"}, []string{"a.json (2 runs)"}, broken},
		{"two good ones", []string{a, b}, []string{"sequential", "goroutines", "threads"}, []string{"b.corescope.json (1 run)", "a.json (2 runs)"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := test.NewTempApp(t)
			u := New(app, Options{Open: tt.open})
			if len(u.runs) != 0 {
				t.Fatalf("runs before start = %d; want the files opened once the app starts", len(u.runs))
			}
			started := app.Lifecycle().(interface{ OnStarted() func() }).OnStarted()
			if started == nil {
				t.Fatal("no start hook set for Options.Open")
			}
			started()

			var labels []string
			for _, p := range u.runs {
				labels = append(labels, p.Label)
			}
			if !slices.Equal(labels, tt.wantRuns) || !slices.Equal(u.choices(), tt.wantGroups) {
				t.Errorf("runs %q in groups %q; want %q in %q", labels, u.choices(), tt.wantRuns, tt.wantGroups)
			}
			dialogs := u.win.Canvas().Overlays().List()
			switch {
			case tt.wantDialog == "" && len(dialogs) > 0:
				t.Errorf("%d dialogs (%q on top); want none", len(dialogs), overlayText(u))
			case tt.wantDialog != "" && (len(dialogs) != 1 || !strings.Contains(overlayText(u), tt.wantDialog)):
				t.Errorf("%d dialogs, on top %q; want one naming %s", len(dialogs), overlayText(u), tt.wantDialog)
			}
		})
	}
}

func TestFailingSubjectEndsItsRunWithAMessage(t *testing.T) {
	tests := []struct {
		command  string
		wantRuns int
		want     string
	}{
		{`sh -c "echo no input file >&2; exit 3"`, 1, "exited with code 3"},
		{"corescope-no-such-program --flag", 0, "not found in PATH"},
	}
	for _, tt := range tests {
		t.Run(tt.command, func(t *testing.T) {
			u, loop := newTestUI(t, Options{}, nil)
			u.ctl.backend.SetSelected(backendCommand)
			u.ctl.command.SetText(tt.command)
			test.Tap(u.runBtn)
			loop.until(t, 30*time.Second, "the run to end", func() bool { return u.job == nil })

			if len(u.runs) != tt.wantRuns || !strings.Contains(u.status.Text, tt.want) {
				t.Errorf("after the run: %d runs, status %q; want %d and a status saying %q", len(u.runs), u.status.Text, tt.wantRuns, tt.want)
			}
			if u.win.Canvas().Overlays().Top() == nil {
				t.Error("no error dialog after a failed run")
			}
			if u.runBtn.Disabled() {
				t.Error("Run is disabled after a failed run; want the window usable")
			}
			if live := u.live.figures.Text; strings.HasPrefix(live, "Running") {
				t.Errorf("Live still says %q after the run failed", live)
			}
		})
	}
}

func TestNextRedrawBacksOffWhenDrawingIsCostly(t *testing.T) {
	frames := func(selfPerFrame float64, n int) []update {
		batch := []update{{kind: runBegan}}
		for range n {
			batch = append(batch, update{kind: frameArrived, frame: profile.Frame{SelfCPU: selfPerFrame}})
		}
		return batch
	}
	const interval = 100 * time.Millisecond
	tests := []struct {
		name   string
		period time.Duration
		batch  []update
		want   time.Duration
	}{
		{"half a core: slower", redrawEvery, frames(0.05, 2), 2 * redrawEvery},
		{"still costly: slower, up to a second", 800 * time.Millisecond, frames(0.05, 8), time.Second},
		{"cheap again: faster", 400 * time.Millisecond, frames(0.001, 4), 200 * time.Millisecond},
		{"cheap: never above 10 a second", redrawEvery, frames(0.001, 1), redrawEvery},
		{"in between: unchanged", 200 * time.Millisecond, frames(0.005, 2), 200 * time.Millisecond},
		{"no frames: unchanged", 400 * time.Millisecond, []update{{kind: runEnded}}, 400 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := nextRedraw(tt.period, interval, tt.batch); got != tt.want {
			t.Errorf("%s: nextRedraw(%v) = %v; want %v", tt.name, tt.period, got, tt.want)
		}
	}
}
