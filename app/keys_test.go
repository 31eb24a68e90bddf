package app

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"corescope/spec"
)

// pressShortcut delivers a shortcut as the desktop driver does: the main
// menu's items first, whatever has the focus.
func pressShortcut(t *testing.T, u *UI, s fyne.Shortcut) {
	t.Helper()
	for _, m := range u.win.MainMenu().Items {
		for _, item := range m.Items {
			if item.Shortcut != nil && item.Shortcut.ShortcutName() == s.ShortcutName() {
				item.Action()
				return
			}
		}
	}
	t.Fatalf("no menu item has the shortcut %s", s.ShortcutName())
}

// pressKey delivers a key as the desktop driver does: to the focused widget
// if there is one, else to the canvas.
func pressKey(c fyne.Canvas, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	c.OnTypedKey()(ev)
}

var ctrlR = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}

func TestRunAndStopKeysWorkWhateverHasFocus(t *testing.T) {
	tests := []struct {
		name  string
		focus func(c *controls) fyne.Focusable // nil: no focus
	}{
		{"no focus", func(*controls) fyne.Focusable { return nil }},
		{"command", func(c *controls) fyne.Focusable { return c.command }},
		{"tasks", func(c *controls) fyne.Focusable { return c.tasks }},
		{"workers", func(c *controls) fyne.Focusable { return c.workers }},
		{"latency", func(c *controls) fyne.Focusable { return c.latency }},
		{"switch interval", func(c *controls) fyne.Focusable { return c.switches }},
		{"size", func(c *controls) fyne.Focusable { return c.size }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, loop := newTestUI(t, Options{}, fakeRecord(0))
			u.win.Resize(fyne.NewSize(1280, 800))
			// Every field shown: the I/O workload and Compare all.
			u.ctl.workload.SetSelected(workloadNames[spec.IO])
			u.ctl.model.SetSelected(compareAll)
			if tt.name == "command" {
				u.ctl.backend.SetSelected(backendCommand)
				u.ctl.command.SetText("sleep 30")
			}
			c := u.win.Canvas()
			if f := tt.focus(u.ctl); f != nil {
				c.Focus(f)
				if c.Focused() != f {
					t.Fatalf("could not focus the %s field", tt.name)
				}
				pressKey(c, fyne.KeyEscape) // idle: nothing to stop, nothing breaks
			}

			pressShortcut(t, u, ctrlR)
			if u.job == nil {
				t.Fatalf("Ctrl+R with focus in %s started no run", tt.name)
			}
			if f := c.Focused(); f != nil {
				t.Errorf("focus during the run is on %T; want none (a focused field blinks, and keeps Escape)", f)
			}
			if !u.ctl.tasks.Disabled() || !u.ctl.command.Disabled() || !u.ctl.backend.Disabled() {
				t.Error("fields are enabled during the run; want them disabled")
			}
			// A focus that stays on a field (as it did before) must not keep
			// Escape from the window either.
			if f := tt.focus(u.ctl); f != nil {
				if e, ok := f.(*field); ok {
					e.FocusGained()
					e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
				}
			} else {
				pressKey(c, fyne.KeyEscape)
			}
			loop.until(t, 5*time.Second, "Escape to stop the run", func() bool { return u.job == nil })
			if !strings.HasPrefix(u.status.Text, "Stopped") {
				t.Errorf("status after Escape = %q; want Stopped...", u.status.Text)
			}
			if u.ctl.tasks.Disabled() || u.ctl.command.Disabled() {
				t.Error("fields are disabled after the run; want them enabled")
			}
		})
	}
}

func TestFieldsShowOnlyWhereTheyApply(t *testing.T) {
	tests := []struct {
		workload spec.Workload
		model    string
		want     []string // the optional rows shown
	}{
		{spec.CPU, modelName(spec.Sequential), nil},
		{spec.CPU, modelName(spec.Threads), []string{"Workers", "Switch"}},
		{spec.CPU, modelName(spec.Processes), []string{"Workers"}},
		{spec.IO, modelName(spec.Sequential), []string{"Latency"}},
		{spec.IO, modelName(spec.Async), []string{"Workers", "Latency"}},
		{spec.Mixed, modelName(spec.Threads), []string{"Workers", "Latency", "Switch"}},
		{spec.CPU, compareAll, []string{"Workers", "Switch"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.workload)+" "+tt.model, func(t *testing.T) {
			c := newControls(func(f func()) { f() })
			c.workload.SetSelected(workloadNames[tt.workload])
			c.model.SetSelected(tt.model)
			var got []string
			for _, item := range c.goForm.Items {
				if c.optional[item] != nil {
					got = append(got, item.Text)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("optional rows = %v; want %v", got, tt.want)
			}
		})
	}
}

func TestStatusAndHintFitTheMode(t *testing.T) {
	u, _ := newTestUI(t, Options{}, nil)
	if !strings.Contains(u.status.Text, "workload") {
		t.Errorf("status for the Go models = %q; want it to mention the workload", u.status.Text)
	}
	u.ctl.backend.SetSelected(backendCommand)
	if strings.Contains(u.status.Text, "workload") || !strings.Contains(u.status.Text, "command") {
		t.Errorf("status in Command mode = %q; want it to ask for a command", u.status.Text)
	}
	// The hint must fit the sidebar, where a longer one was cut off.
	hint := u.ctl.cmdForm.Items[0].HintText
	size := fyne.MeasureText(hint, theme.Size(theme.SizeNameCaptionText), fyne.TextStyle{})
	if size.Width > sidebarWidth-100 {
		t.Errorf("command hint %q is %.0f wide; want it to fit beside the labels (%d)", hint, size.Width, sidebarWidth-100)
	}
}

func TestFieldDozesAndWakes(t *testing.T) {
	u, _ := newTestUI(t, Options{}, nil)
	f := u.ctl.tasks
	u.win.Canvas().Focus(f)
	f.doze(f.naps)
	if !f.dozing || u.win.Canvas().Focused() != f {
		t.Fatalf("after the doze: dozing %v, focus on %T; want dozing with the focus kept", f.dozing, u.win.Canvas().Focused())
	}
	f.SetText("")
	test.Type(f, "7")
	if f.dozing || f.Text != "7" {
		t.Errorf("typing in a dozing field: dozing %v, text %q; want awake with %q", f.dozing, f.Text, "7")
	}
	stale := f.naps - 1
	f.doze(stale)
	if f.dozing {
		t.Error("a doze timer from before the last key put the field to sleep")
	}
}

func TestBusyBarMovesOnlyWhenStarted(t *testing.T) {
	test.NewTempApp(t)
	b := newBusyBar()
	w := test.NewWindow(b)
	defer w.Close()
	w.Resize(fyne.NewSize(400, 30))
	block := test.WidgetRenderer(b).Objects()[1]
	before := block.Position()
	time.Sleep(50 * time.Millisecond)
	if block.Position() != before {
		t.Error("the busy bar moved by itself")
	}
	b.Start()
	if block.Position() == before {
		t.Error("Start did not move the busy bar")
	}
}

func TestEscapeOnTheFocusedStopButtonStops(t *testing.T) {
	u, loop := newTestUI(t, Options{}, fakeRecord(0))
	pressShortcut(t, u, ctrlR)
	c := u.win.Canvas()
	c.Focus(u.stopBtn) // Tab can put it there
	pressKey(c, fyne.KeyEscape)
	loop.until(t, 5*time.Second, "Escape to stop the run", func() bool { return u.job == nil })
}

func TestHiddenFieldNeitherAppliesNorBlocksRun(t *testing.T) {
	u, _ := newTestUI(t, Options{}, nil)
	u.ctl.workload.SetSelected(workloadNames[spec.IO])
	u.ctl.latency.SetText("slow")
	if !u.runBtn.Disabled() {
		t.Fatal("Run is enabled with a bad latency shown")
	}
	u.ctl.workload.SetSelected(workloadNames[spec.CPU]) // hides Latency
	if u.runBtn.Disabled() {
		t.Error("Run is disabled by the hidden latency row; want enabled")
	}
	if u.ctl.latency.Text != "slow" {
		t.Errorf("hidden latency = %q; want the text kept", u.ctl.latency.Text)
	}
}

func TestWorkersHintAfterACommandLaunch(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefBackend, backendCommand)
	a.Preferences().SetString(prefCommand, "sleep 1")
	a.Preferences().SetString(prefModel, modelName(spec.Threads))
	u := New(a, Options{})
	u.ctl.backend.SetSelected(backendGo)
	if want := "5 for threads"; !strings.Contains(u.ctl.workersHint.HintText, want) {
		t.Errorf("workers hint after switching from Command = %q; want it to contain %q", u.ctl.workersHint.HintText, want)
	}
}

// TestLiveTogglesLeaveEscapeToTheWindow puts the focus on each of the Live
// tab's toggles, where a click puts it in the real window, and checks that
// Escape still stops the run.
func TestLiveTogglesLeaveEscapeToTheWindow(t *testing.T) {
	u, loop := newTestUI(t, Options{}, fakeRecord(0))
	for _, toggle := range []fyne.Focusable{u.live.whole, u.live.order} {
		test.Tap(u.runBtn)
		u.win.Canvas().Focus(toggle)
		pressKey(u.win.Canvas(), fyne.KeyEscape)
		loop.until(t, 10*time.Second, fmt.Sprintf("Escape on a focused %T to stop the run", toggle), func() bool { return u.job == nil })
	}
}
