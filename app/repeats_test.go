package app

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"corescope/profile"
	"corescope/recorder"
	"corescope/runtext"
	"corescope/spec"
)

// TestRepeatField checks the Repeat field: a bad count keeps Run disabled
// and says what is allowed, a good one is kept for the next launch, and
// empty means 3 for Compare all and 1 for one model.
func TestRepeatField(t *testing.T) {
	a := test.NewTempApp(t)
	u := New(a, Options{})
	u.ctl.repeat.SetText("0")
	if err := u.ctl.repeat.Validate(); err == nil || err.Error() != "use 1..100" || !u.runBtn.Disabled() {
		t.Errorf("Repeat 0: %v, Run disabled %v; want \"use 1..100\" and Run disabled", err, u.runBtn.Disabled())
	}
	u.ctl.repeat.SetText("4")
	if !u.ctl.valid() {
		t.Error("Repeat 4 is refused")
	}
	if got := New(a, Options{}).ctl.repeat.Text; got != "4" {
		t.Errorf("Repeat after a relaunch = %q; want 4 kept", got)
	}
	u.ctl.repeat.SetText("")
	for _, tt := range []struct {
		runs, want int
	}{{5, 3}, {1, 1}} {
		if got, err := u.ctl.repeats(tt.runs); got != tt.want || err != nil {
			t.Errorf("empty Repeat for %d specs = %d, %v; want %d", tt.runs, got, err, tt.want)
		}
	}
}

// TestCompareAllRepeated runs Compare all twice each: the Compare tab has a
// row a model, each verdict says which repeat its figures are, and the run
// selector names every repeat.
func TestCompareAllRepeated(t *testing.T) {
	u, loop := newTestUI(t, Options{}, modelRecord)
	u.ctl.repeat.SetText("2")
	compareAllRuns(t, u, loop)
	if len(u.runs) != 10 || len(tableRows(u.compare)) != 5 || len(u.compare.verdicts.Objects) != 5 {
		t.Fatalf("%d runs, %d rows, %d verdicts; want 10, a row and a verdict a model", len(u.runs), len(tableRows(u.compare)), len(u.compare.verdicts.Objects))
	}
	if got := u.compare.verdicts.Objects[1].(interface{ String() string }).String(); !strings.Contains(got, "Shown: repeat 1 of 2, the faster of the two middle walls.") {
		t.Errorf("threads' verdict = %q; want it to say which repeat it shows", got)
	}
	if got, want := u.compare.verdicts.Objects[1].(interface{ String() string }).String(), runtext.Capitalized(runtext.Outcome(u.runs[1]))+"."; !strings.Contains(got, want) {
		t.Errorf("threads' verdict = %q; want its outcome as a sentence after the notes, %q", got, want)
	}
	names, _ := u.runChoices()
	if want := "Comparison 1 (10 runs, cpu): threads, repeat 2 of 2"; !slices.Contains(names, want) {
		t.Errorf("run choices %q; want %q among them", names, want)
	}
}

// commandRecord plays a command whose wall time is 2 s for seq.py and
// 1 s for pool.py, as a recorded python3 would.
func commandRecord(ctx context.Context, s spec.Spec, opt recorder.Options) (*profile.Profile, error) {
	wall := map[string]float64{"seq.py": 2, "pool.py": 1}[s.Label()]
	opt.OnFrame(profile.Frame{T: 0.1})
	return &profile.Profile{Label: s.Label(), Spec: s, Summary: profile.Summary{WallS: wall, CPUS: 2, CoresUsed: 2 / wall}}, ctx.Err()
}

// TestCommandsCompared runs two commands in the window: they are named by
// their scripts as compare --cmd names them, gather in one group measured
// against the first, and the picker measures them against the other.
func TestCommandsCompared(t *testing.T) {
	u, loop := newTestUI(t, Options{}, commandRecord)
	u.ctl.backend.SetSelected(backendCommand)
	for _, line := range []string{"python3 -X dev seq.py", "python3 pool.py"} {
		u.ctl.command.SetText(line)
		test.Tap(u.runBtn)
		loop.until(t, 10*time.Second, line+" to end", func() bool { return u.job == nil })
	}
	if got := u.group.String(); got != "Commands (2)" {
		t.Fatalf("the group shown is %q; want the commands'", got)
	}
	seq, pool := u.group.runs[0], u.group.runs[1]
	if runtext.Label(seq) != "seq.py" || runtext.Label(pool) != "pool.py" {
		t.Errorf("commands named %q and %q; want seq.py and pool.py", runtext.Label(seq), runtext.Label(pool))
	}
	if !u.compare.baselineRow.Visible() || !slices.Equal(u.compare.baseline.Options, []string{"seq.py", "pool.py"}) || u.compare.baseline.Selected != "seq.py" {
		t.Errorf("baseline picker shown %v, options %q, chosen %q; want seq.py of both", u.compare.baselineRow.Visible(), u.compare.baseline.Options, u.compare.baseline.Selected)
	}
	if s := pool.Summary.Speedup; s == nil || *s != 2 || !strings.Contains(pool.Summary.Verdict, "2.00x faster than seq.py") {
		t.Errorf("pool.py: speedup %v, verdict %q; want 2x faster than seq.py", s, pool.Summary.Verdict)
	}
	u.compare.baseline.SetSelected("pool.py")
	if s := seq.Summary.Speedup; s == nil || *s != 0.5 || !strings.Contains(seq.Summary.Verdict, "0.50x pool.py's speed: slower") {
		t.Errorf("against pool.py, seq.py: speedup %v, verdict %q; want 0.5, slower", s, seq.Summary.Verdict)
	}
	var cells []string
	for _, o := range u.compare.table.Objects[len(tableRows(u.compare)):] {
		cells = append(cells, o.(*widget.Label).Text)
	}
	if !slices.Contains(cells, "1.00x") || !slices.Contains(cells, "0.50x") {
		t.Errorf("table cells %q; want the commands' speedups against pool.py", cells)
	}
}

// TestShellHintInTheWindow checks that a command line with shell syntax
// gets the hint the CLI gives, under the field, and a plain one none.
func TestShellHintInTheWindow(t *testing.T) {
	u, _ := newTestUI(t, Options{}, nil)
	u.ctl.backend.SetSelected(backendCommand)
	u.ctl.command.SetText("ls | wc -l")
	if h := u.ctl.shellHint; !h.Visible() || !strings.Contains(h.Text, "give sh -c 'ls | wc -l'") {
		t.Errorf("hint shown %v: %q; want it to wrap the line in sh -c", h.Visible(), h.Text)
	}
	u.ctl.command.SetText("python3 seq.py")
	if u.ctl.shellHint.Visible() {
		t.Errorf("a plain command shows the hint %q", u.ctl.shellHint.Text)
	}
}

// TestInterpreterShimShown gives the Python backend a wrapper that execs
// the interpreter, as a shim does: the window says which interpreter runs
// instead, and the specs run it.
func TestInterpreterShimShown(t *testing.T) {
	const real = "/usr/bin/python3"
	if _, err := os.Stat(real); err != nil {
		t.Skip("needs " + real)
	}
	wrapper := filepath.Join(t.TempDir(), "python3")
	if err := os.WriteFile(wrapper, []byte("#!/bin/sh\nexec "+real+" \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	u, loop := newTestUI(t, Options{}, nil)
	u.ctl.backend.SetSelected(backendPython)
	u.ctl.python.SetText(wrapper)
	loop.until(t, 10*time.Second, "the interpreter's answer", func() bool { return len(u.ctl.asker.asking) == 0 })
	if want := wrapper + " → " + real + " (wrapper)"; !strings.HasSuffix(u.ctl.pyInfo.Text, "\n"+want) {
		t.Errorf("interpreter shown = %q; want it to end with %q", u.ctl.pyInfo.Text, want)
	}
	if specs, err := u.ctl.specs(); err != nil || specs[0].Python != real || specs[0].PythonShim != wrapper {
		t.Errorf("specs %+v, %v; want %s run, %s kept", specs, err, real, wrapper)
	}
}
