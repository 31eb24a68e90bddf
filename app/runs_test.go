package app

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"corescope/levels"
	"corescope/profile"
	"corescope/recorder"
	"corescope/runtext"
	"corescope/spec"
)

// modelRuns are figures like those of a CPU-bound comparison on 2 cores
// (see the README): wall time, cores used, whether the run's threads were
// sampled.
var modelRuns = map[spec.Model]struct {
	wall, cores float64
	threads     bool
}{
	spec.Sequential: {2.4, 1, true},
	spec.Threads:    {2.5, 1.02, true},
	spec.Async:      {2.43, 1, true},
	spec.Processes:  {1.23, 1.96, true},
	spec.Goroutines: {0.07, 1.5, false}, // ends before a sample reads its threads
}

// modelRecord plays a run of each model with modelRuns' figures, a thread
// whose tid is 100 plus the model's place in spec.Models, task events
// and, for threads, the GIL's stats.
func modelRecord(ctx context.Context, s spec.Spec, opt recorder.Options) (*profile.Profile, error) {
	m := modelRuns[s.Model]
	tid := 100 + slices.Index(spec.Models, s.Model)
	p := &profile.Profile{Label: s.Label(), Spec: s, Started: time.Unix(1000, 0), Machine: profile.Machine{LogicalCores: 2}}
	for i := 1; float64(i)*0.1 <= m.wall+0.05; i++ {
		f := profile.Frame{T: float64(i) * 0.1, Busy: levels.Row{levels.Steps, levels.Of(0.5)},
			SubjectBusy: levels.Row{levels.Of(0.9), levels.Of(0.1)}, TasksDone: i}
		if m.threads {
			// on a core all along, as a recording reads its state
			f.ThreadSamples = []profile.ThreadSample{{PID: 10, TID: tid, CPU: 0.1, Core: i % 2, State: profile.StateRunning}}
			f.Procs = 1
		}
		opt.OnFrame(f)
		p.Frames = append(p.Frames, f)
	}
	for k := range s.Tasks {
		start := p.Started.Add(time.Duration(k) * time.Millisecond).UnixNano()
		p.Events = append(p.Events, spec.Event{Ev: spec.EvTaskStart, Task: k, TNs: start},
			spec.Event{Ev: spec.EvTaskEnd, Task: k, TNs: start + int64(50*time.Millisecond)})
	}
	p.Summary = profile.Summary{WallS: m.wall, CoresUsed: m.cores, CPUS: m.wall * m.cores, SubjectStartS: 0, SubjectEndS: m.wall,
		Attribution: profile.AttributionExact}
	if m.threads {
		p.Summary.Procs, p.Summary.Threads = 1, 5
	}
	if s.Model == spec.Threads {
		p.Summary.GILWaitS = 9.84
		p.Events = append(p.Events, spec.Event{Ev: spec.EvStats, GILSwitches: 8272})
	}
	return p, ctx.Err()
}

// compareAllRuns runs Compare all of 5 tasks in u and waits for it.
func compareAllRuns(t *testing.T, u *UI, loop uiLoop) {
	t.Helper()
	u.ctl.model.SetSelected(compareAll)
	u.ctl.tasks.SetText("5")
	test.Tap(u.runBtn)
	loop.until(t, 20*time.Second, "Compare all to end", func() bool { return u.job == nil })
}

// tableRows are the Compare table's row backgrounds, one a run.
func tableRows(v *compareView) []*runRow {
	var rows []*runRow
	for _, o := range v.table.Objects {
		if r, ok := o.(*runRow); ok {
			rows = append(rows, r)
		}
	}
	return rows
}

// laneNames are the lanes the Threads tab holds.
func laneNames(u *UI) []string { return u.threads.lanes.Names() }

func TestSelectingARunShowsItInLiveAndThreads(t *testing.T) {
	u, loop := newTestUI(t, Options{}, modelRecord)
	compareAllRuns(t, u, loop)
	if u.shown != u.runs[4] {
		t.Fatalf("shown after Compare all = %v; want the last run", runName(u.shown))
	}
	for i, how := range []string{"a table row", "a lane", "the run selector"} {
		p := u.runs[i]
		switch how {
		case "a table row":
			test.Tap(tableRows(u.compare)[i])
		case "a lane":
			test.TapAt(u.compare.lanes, fyne.NewPos(100, float32(i)*(laneHeight+laneGap)+laneHeight/2))
		default:
			u.bars.live.pick.SetSelectedIndex(i)
		}
		if u.shown != p {
			t.Errorf("tapping %s of %s shows %s", how, runName(p), runName(u.shown))
		}
		if want := p.Label + ":"; !strings.HasPrefix(u.live.text, want) {
			t.Errorf("after tapping %s of %s, Live says %q; want it to start with %q", how, p.Label, u.live.text, want)
		}
		if got, want := laneNames(u), []string{fmt.Sprintf("10/%d", 100+i)}; !slices.Equal(got, want) {
			t.Errorf("after tapping %s of %s, Threads lanes = %q; want %q", how, p.Label, got, want)
		}
		if !tableRows(u.compare)[i].shown || u.compare.lanes.shown != p {
			t.Errorf("after tapping %s of %s, its row and lane are not marked shown", how, p.Label)
		}
		if got, why := u.bars.live.why.Text, runtext.Why(p); !strings.Contains(got, runtext.Outcome(p)) || !strings.Contains(got, why) || why == "" {
			t.Errorf("run bar for %s says %q; want its verdict and why (%q)", p.Label, got, why)
		}
	}
}

func TestThreadsForEveryRun(t *testing.T) {
	u, loop := newTestUI(t, Options{}, modelRecord)
	compareAllRuns(t, u, loop)
	u.tabs.SelectIndex(1)
	for i, p := range u.runs {
		u.selectRun(p)
		want := ""
		if !modelRuns[p.Spec.Model].threads {
			want = "No thread lanes: this run ended before the first sample could read its threads (0.07 s, sampled every 100 ms)."
		} else if len(laneNames(u)) != 1 {
			t.Errorf("Threads of %s has lanes %q; want its one thread", p.Label, laneNames(u))
		}
		r := test.WidgetRenderer(u.threads.lanes).(*lanesRenderer)
		if got := r.empty.Text; want != "" && (got != want || !r.empty.Visible()) {
			t.Errorf("run %d (%s): Threads says %q (shown %v); want %q", i, p.Label, got, r.empty.Visible(), want)
		}
		if want == "" && r.empty.Visible() {
			t.Errorf("run %d (%s): Threads says %q over its lanes; want nothing", i, p.Label, r.empty.Text)
		}
	}
}

func TestCompareAllStartsAFreshComparison(t *testing.T) {
	u, loop := newTestUI(t, Options{}, modelRecord)
	compareAllRuns(t, u, loop)
	first := slices.Clone(u.runs)
	compareAllRuns(t, u, loop)

	if len(u.runs) != 2*len(spec.Models) || len(u.compare.runs) != len(spec.Models) || len(tableRows(u.compare)) != len(spec.Models) {
		t.Fatalf("after two Compare all: %d runs in the session, %d in the Compare tab, %d table rows; want %d, %d, %d",
			len(u.runs), len(u.compare.runs), len(tableRows(u.compare)), 2*len(spec.Models), len(spec.Models), len(spec.Models))
	}
	if slices.Contains(u.compare.runs, first[0]) {
		t.Error("the Compare tab shows a run of the first comparison; want only the second")
	}
	want := []string{"Comparison 2 (5 runs, cpu)", "Comparison 1 (5 runs, cpu)"}
	if got := u.compare.group.Options; !slices.Equal(got, want) || u.compare.group.SelectedIndex() != 0 {
		t.Errorf("comparison selector = %q, %d selected; want %q, 0", got, u.compare.group.SelectedIndex(), want)
	}

	u.compare.group.SetSelectedIndex(1)
	if !slices.Equal(u.compare.runs, first) || u.shown != first[len(first)-1] {
		t.Errorf("choosing Comparison 1 shows %d runs (the first's: %v), run %s", len(u.compare.runs),
			slices.Equal(u.compare.runs, first), runName(u.shown))
	}
	if got := u.compare.lanes.runs; !slices.Equal(got, first) {
		t.Errorf("Comparison 1's lanes hold %d runs; want its 5", len(got))
	}

	u.ctl.model.SetSelected(modelName(spec.Threads))
	test.Tap(u.runBtn)
	loop.until(t, 10*time.Second, "the run to end", func() bool { return u.job == nil })
	if got := u.compare.group.Selected; got != "Single runs (1)" || len(u.compare.runs) != 1 {
		t.Errorf("after a single run the Compare tab shows %q with %d runs; want %q with 1", got, len(u.compare.runs), "Single runs (1)")
	}

	path := filepath.Join(t.TempDir(), "saved.json")
	u.SaveFile(path)
	u.OpenFile(path)
	if got, want := u.compare.group.Selected, "saved.json (11 runs)"; got != want {
		t.Errorf("after opening a file the Compare tab shows %q; want %q", got, want)
	}
	if got := len(u.compare.group.Options); got != 4 {
		t.Errorf("comparison selector has %d choices; want 4 (two comparisons, the single runs, the file)", got)
	}

	test.Tap(u.compare.clearBtn)
	if len(u.runs) != 0 || len(u.compare.group.Options) != 0 || u.bars.live.pick.Selected != "" {
		t.Errorf("after Clear: %d runs, %d comparisons, run bar on %q; want none", len(u.runs), len(u.compare.group.Options), u.bars.live.pick.Selected)
	}
}

func TestCompareHasWallAndSpeedupBars(t *testing.T) {
	u, loop := newTestUI(t, Options{}, modelRecord)
	compareAllRuns(t, u, loop)
	u.tabs.SelectIndex(2)
	rows := tableRows(u.compare)
	longest := 2.5 // threads
	for i, p := range u.runs {
		r := test.WidgetRenderer(rows[i]).(*runRowRenderer)
		wall, speedup := r.bars[0], r.bars[1]
		if got, want := rows[i].bars[0].frac, p.Summary.WallS/longest; got != want {
			t.Errorf("%s wall bar = %v of the longest; want %v", p.Label, got, want)
		}
		if full := rows[i].bars[0].w - 2*theme.Padding(); wall.Size().Width <= 0 || wall.Size().Width > full {
			t.Errorf("%s wall bar drawn %v wide in a %v column", p.Label, wall.Size().Width, full)
		}
		if p.Summary.Speedup == nil || (speedup.Size().Width <= 0) {
			t.Errorf("%s: speedup %v, bar %v wide; want a speedup and its bar", p.Label, runtext.Factor(p.Summary.Speedup), speedup.Size().Width)
		}
	}
	// goroutines, the fastest (2.4 / 0.07), has the full speedup bar.
	if got := rows[4].bars[1].frac; got != 1 {
		t.Errorf("the fastest run's speedup bar = %v of the column; want 1", got)
	}
}

// menuBarHeight is how much of a real window the main menu takes, which
// the test driver does not draw.
const menuBarHeight = 30

// TestCompareShowsFiveVerdictsAt1280x800 checks that the Compare tab of a
// Compare all shows every run's verdict and why without scrolling in the
// window's default size.
func TestCompareShowsFiveVerdictsAt1280x800(t *testing.T) {
	u, loop := newTestUI(t, Options{}, modelRecord)
	u.app.Settings().SetTheme(theme.DefaultTheme()) // the real sizes: the test theme's are smaller
	compareAllRuns(t, u, loop)
	u.tabs.SelectIndex(2)
	u.win.Resize(fyne.NewSize(1280, 800-menuBarHeight))
	view := u.compare.scroll.Size().Height
	bottom := u.compare.verdicts.Position().Y + u.compare.verdicts.Size().Height
	t.Logf("view %v bottom %v lanes %v table %v verdicts %v at %v tabs %v", view, bottom, u.compare.lanes.Size(), u.compare.table.Size(), u.compare.verdicts.Size(), u.compare.verdicts.Position(), u.tabs.Size())
	if len(u.compare.verdicts.Objects) != len(spec.Models) || bottom > view {
		t.Errorf("%d verdicts end %v down the Compare tab, which shows %v; want %d, all visible",
			len(u.compare.verdicts.Objects), bottom, view, len(spec.Models))
	}
	for i, o := range u.compare.verdicts.Objects {
		p := u.runs[i]
		if text, want := o.(interface{ String() string }).String(), runtext.Why(p); !strings.Contains(text, runtext.Outcome(p)) || !strings.Contains(text, want) {
			t.Errorf("verdict %d = %q; want %s's verdict and why", i, text, p.Label)
		}
	}
}

// TestRunBarWhileRecording checks that while a run records, the bars over
// Live and Threads show it rather than an earlier run's verdict, and that
// no run can be picked until it ends.
func TestRunBarWhileRecording(t *testing.T) {
	u, loop := newTestUI(t, Options{}, fakeRecord(0))
	u.ctl.tasks.SetText("5")
	u.ctl.model.SetSelected(modelName(spec.Threads))
	test.Tap(u.runBtn)
	loop.until(t, 10*time.Second, "the first frames", func() bool { return u.live.last != nil })
	test.Tap(u.stopBtn)
	loop.until(t, 10*time.Second, "the run to stop", func() bool { return u.job == nil })
	test.Tap(u.runBtn)
	loop.until(t, 10*time.Second, "the first frames", func() bool { return u.live.last != nil && u.job != nil })

	b := u.bars.live
	if b.pick.Selected != "" || b.pick.PlaceHolder != "The run in progress" || b.why.Visible() || !b.pick.Disabled() {
		t.Errorf("while recording the bar shows %q (placeholder %q), why shown %v, picker disabled %v; want the run in progress and nothing to pick",
			b.pick.Selected, b.pick.PlaceHolder, b.why.Visible(), b.pick.Disabled())
	}
	test.Tap(u.stopBtn)
	loop.until(t, 10*time.Second, "the run to stop", func() bool { return u.job == nil })
	if b.pick.Selected != "Single runs (2): threads #2 (stopped)" || !b.why.Visible() || b.pick.Disabled() {
		t.Errorf("after the run the bar shows %q, why shown %v, picker disabled %v; want the stopped run, its why, enabled",
			b.pick.Selected, b.why.Visible(), b.pick.Disabled())
	}
}
