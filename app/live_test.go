package app

import (
	"image/color"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"corescope/heatmap"
	"corescope/levels"
	"corescope/profile"
	"corescope/profile/profiletest"
	"corescope/spec"
)

// TestHeatmapShowsTheSubjectOrTheMachine checks the rows' pixels: the
// subject's own load by default, the whole machine's when asked.
func TestHeatmapShowsTheSubjectOrTheMachine(t *testing.T) {
	test.NewTempApp(t)
	h := newHeatmapWidget(2, 2, 0.1)
	h.Push(0.1, levels.Row{levels.Steps, levels.Steps}, levels.Row{levels.Steps, 0})
	h.Push(0.2, levels.Row{levels.Of(0.5), levels.Steps}, levels.Row{levels.Of(0.25), 0})
	r := showHeatmap(t, h, fyne.NewSize(400, 300))
	check := func(what string, want [2][2]float64) {
		t.Helper()
		for y := range 2 {
			for x := range 2 {
				if got, want := r.pix.RGBAAt(x, y), heatmap.Color(levels.Of(want[y][x]).Fraction()); got != want {
					t.Errorf("%s: pixel (%d, %d) = %v; want %v", what, x, y, got, want)
				}
			}
		}
	}
	check("subject", [2][2]float64{{1, 0.25}, {0, 0}})
	h.SetWholeMachine(true)
	check("whole machine", [2][2]float64{{1, 0.5}, {1, 1}})
}

// TestStripStacksTheSubjectUnderOthers checks the strip's layers: the
// subject's busy cores from the bottom, other programs' above, idle above that.
func TestStripStacksTheSubjectUnderOthers(t *testing.T) {
	test.NewTempApp(t)
	h := newHeatmapWidget(4, 1, 0.1)
	h.Push(0.1, levels.Row{levels.Steps, levels.Steps, levels.Of(0.5), 0}, levels.Row{levels.Steps, 0, 0, 0}) // subject 1 core, others 1.5, idle 1.5
	r := showHeatmap(t, h, fyne.NewSize(400, 300))
	layer := func(y int) color.RGBA { return r.stripPix.RGBAAt(0, y) }
	rows := stripRows
	for _, tt := range []struct {
		y    int
		want color.RGBA
		what string
	}{
		{rows - 1, heatmap.StripColor(), "the subject at the bottom"},
		{rows - rows/4 + 1, heatmap.StripColor(), "the subject up to 1 core"},
		{rows - rows/4 - 2, heatmap.OthersColor(), "other programs above it"},
		{rows - rows*5/8 + 1, heatmap.OthersColor(), "other programs up to 2.5 cores"},
		{rows - rows*5/8 - 2, heatmap.Idle(), "idle above both"},
	} {
		if got := layer(tt.y); got != tt.want {
			t.Errorf("strip row %d = %v; want %v (%s)", tt.y, got, tt.want, tt.what)
		}
	}

	machineOnly := newHeatmapWidget(4, 1, 0.1)
	machineOnly.Push(0.1, levels.Row{levels.Steps, levels.Steps, levels.Of(0.5), 0}, nil)
	r = showHeatmap(t, machineOnly, fyne.NewSize(400, 300))
	if got := r.stripPix.RGBAAt(0, rows-rows/4-2); got != heatmap.StripColor() {
		t.Errorf("strip without the subject's load: row %d = %v; want the one layer of the whole machine %v", rows-rows/4-2, got, heatmap.StripColor())
	}
}

// TestApproximateRunSaysSo checks the note beside the live pictures and
// the thread lanes: shown for an approximate run with its reason, hidden for
// an exact one, and a run without the subject's load says the heatmap is
// the whole machine's.
func TestApproximateRunSaysSo(t *testing.T) {
	u, _ := newTestUI(t, Options{}, nil)
	u.win.Resize(fyne.NewSize(1000, 700))
	s := resolvedSpec(t, spec.Spec{Workload: spec.CPU, Model: spec.Threads})
	frames := []profile.Frame{
		{T: 0.1, Busy: levels.Row{levels.Steps, levels.Steps}, SubjectBusy: levels.Row{levels.Steps, 0}, ThreadSamples: []profile.ThreadSample{{PID: 5, TID: 5, CPU: 0.1, Core: 0}}},
		{T: 0.2, Busy: levels.Row{levels.Steps, levels.Steps}, SubjectBusy: levels.Row{0, levels.Steps}, ThreadSamples: []profile.ThreadSample{{PID: 5, TID: 5, CPU: 0.1, Core: 1}}},
	}
	approx := &profile.Profile{Label: "approx", Spec: s, Started: time.Now(), Frames: frames,
		Summary: profile.Summary{Attribution: profile.AttributionApproximate, AttributionNote: "perf is not allowed here."}}
	exact := &profile.Profile{Label: "exact", Spec: s, Started: time.Now(), Frames: frames,
		Slices:  []profile.Slice{{PID: 5, TID: 5, CPU: 0, Start: 0.01, End: 0.1}, {PID: 5, TID: 5, CPU: 1, Start: 0.1, End: 0.2}},
		Summary: profile.Summary{Attribution: profile.AttributionExact}}
	old := &profile.Profile{Label: "old", Spec: s, Started: time.Now(), Frames: []profile.Frame{{T: 0.1, Busy: levels.Row{levels.Steps, levels.Steps}}}}

	// Hidden tabs do not draw: each note is checked on its own tab.
	for tab, note := range []*widget.Label{u.live.note, u.threads.note} {
		u.tabs.SelectIndex(tab)
		u.showProfile(approx)
		if !note.Visible() || !strings.HasPrefix(note.Text, approximateNote) || !strings.HasSuffix(note.Text, "perf is not allowed here.") {
			t.Errorf("tab %d, approximate run: note %q (shown %v); want %q and the reason", tab, note.Text, note.Visible(), approximateNote)
		}
		u.showProfile(exact)
		if note.Visible() {
			t.Errorf("tab %d, exact run: note %q shown; want none", tab, note.Text)
		}
	}
	if !u.threads.zoomRow.Visible() {
		t.Error("exact run: the lanes' zoom controls are hidden; want them shown")
	}
	u.tabs.SelectIndex(0)
	u.showProfile(old)
	if !u.live.note.Visible() || u.live.note.Text != unmeasuredNote || !u.live.whole.Disabled() {
		t.Errorf("run without the subject's load: note %q (shown %v), toggle disabled %v; want %q, shown, disabled",
			u.live.note.Text, u.live.note.Visible(), u.live.whole.Disabled(), unmeasuredNote)
	}
}

// TestLiveRunSaysHowItMeasures checks that a live run's note follows what
// its frames say of their attribution, not a guess.
func TestLiveRunSaysHowItMeasures(t *testing.T) {
	test.NewTempApp(t)
	v := newLiveView(nil)
	v.visible = true
	s := resolvedSpec(t, spec.Spec{Workload: spec.CPU, Model: spec.Threads})
	for _, tt := range []struct {
		attribution string
		wantNote    bool
	}{{profile.AttributionApproximate, true}, {profile.AttributionExact, false}} {
		v.begin(s)
		v.add(&profile.Frame{T: 0.1, Busy: levels.Row{levels.Steps, 0}, SubjectBusy: levels.Row{levels.Steps, 0}, Attribution: tt.attribution})
		v.refresh()
		if v.note.Visible() != tt.wantNote {
			t.Errorf("live %s frames: note %q shown %v; want shown %v", tt.attribution, v.note.Text, v.note.Visible(), tt.wantNote)
		}
	}
}

// TestLiveFiguresNameSubjectAndOthers checks the live figures line.
func TestLiveFiguresNameSubjectAndOthers(t *testing.T) {
	test.NewTempApp(t)
	v := newLiveView(nil)
	v.add(&profile.Frame{T: 0.1, Busy: levels.Row{levels.Steps, levels.Of(0.5)}, SubjectBusy: levels.Row{levels.Of(0.75), 0}})
	for _, want := range []string{"Subject: 0.75 cores", "Other programs: 0.75 cores", "Machine: 1.50 of 2 cores busy"} {
		if !strings.Contains(v.text, want) {
			t.Errorf("live figures %q; want them to say %q", v.text, want)
		}
	}
}

func TestWholeMachinePersists(t *testing.T) {
	a := test.NewTempApp(t)
	u := New(a, Options{})
	u.live.whole.SetChecked(true)
	if again := New(a, Options{}); !again.live.heat.whole {
		t.Error("heatmap after a relaunch shows the subject; want the whole machine, as chosen")
	}
}

// saveOneHour writes profiletest's hour of 256 cores at 10 Hz to a file,
// as a user would have saved it, and returns its path.
func saveOneHour(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hour.corescope.json")
	if err := profile.Save(path, []*profile.Profile{profiletest.OneHour(256)}); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOpenOneHour opens an hour of 256 cores the way File > Open does,
// draws it in Live and Compare, and says how long that took. A redraw of
// the hour must cost about what a redraw of a minute does: the pictures
// read a column a pixel, not every sample.
func TestOpenOneHour(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and opens a 37 MB profile")
	}
	path := saveOneHour(t)
	u, _ := newTestUI(t, Options{}, nil)
	u.win.Resize(fyne.NewSize(1280, 800))

	start := time.Now()
	u.OpenFile(path)
	opened := time.Since(start)
	if len(u.runs) != 1 || u.live.heat.tl.series.Len() != 36_000 {
		t.Fatalf("opened %d runs, the heatmap holds %d samples; want 1 run of 36000", len(u.runs), u.live.heat.tl.series.Len())
	}
	heat := test.WidgetRenderer(u.live.heat).(*heatmapRenderer)
	start = time.Now()
	heat.draw()
	liveDraw := time.Since(start)
	u.tabs.SelectIndex(2) // Compare
	lanes := test.WidgetRenderer(u.compare.lanes).(*runLanesRenderer)
	start = time.Now()
	lanes.paint(pixelWidth(u.compare.lanes, lanes.l.width))
	compareDraw := time.Since(start)
	t.Logf("opening an hour of 256 cores: %v (load, series, first draws); a redraw: Live %v (%v image), Compare %v (%v image)",
		opened.Round(time.Millisecond), liveDraw.Round(time.Microsecond), heat.pix.Rect.Size(),
		compareDraw.Round(time.Microsecond), lanes.imgs[0].Image.Bounds().Size())
	// The lane's readout names what its pixel shows: many samples and
	// cores, the busiest of them.
	l := u.compare.lanes
	l.MouseIn(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(l.x0+l.width/2, laneHeight/2)}})
	if got := l.hoverReadout.text; !strings.Contains(got, " samples · cores ") || !strings.Contains(got, "\nbusiest: subject ") {
		t.Errorf("Compare readout in the middle of the hour = %q; want the busiest load of the pixel's samples and cores", got)
	}
	if heat.pix.Rect.Dx() < 600 || heat.pix.Rect.Dy() < 100 {
		t.Errorf("Live image of the hour = %v; want it about the window's pixels", heat.pix.Rect)
	}

	// The same picture of one minute of the same run.
	minute := newHeatmapWidget(256, 600, 0.1)
	p := u.runs[0]
	for i := range 600 {
		f := &p.Frames[i]
		minute.Push(f.T, f.Busy, f.SubjectBusy)
	}
	mr := showHeatmap(t, minute, u.live.heat.Size())
	if mr.pix.Rect.Dy() != heat.pix.Rect.Dy() {
		t.Fatalf("a minute's image has %d rows, the hour's %d; want the same", mr.pix.Rect.Dy(), heat.pix.Rect.Dy())
	}
	hour, minuteDraw := leastCPU(heat.draw), leastCPU(mr.draw)
	perPixel := func(d time.Duration, r *heatmapRenderer) float64 {
		return float64(d) / float64(r.pix.Rect.Dx())
	}
	// Reading a column or two a pixel costs about the same CPU a column
	// (1.1 times here, wall time when quiet); reading all 36,000 samples
	// cost 10 times as much.
	ratio := perPixel(hour, heat) / perPixel(minuteDraw, mr)
	t.Logf("a redraw's CPU: the hour %v for %d columns, a minute %v for %d: %.2f times as much a column",
		hour, heat.pix.Rect.Dx(), minuteDraw, mr.pix.Rect.Dx(), ratio)
	if ratio > 4 {
		t.Errorf("a redraw of the hour costs %v for %d columns, of a minute %v for %d: %.1f times as much a column; want about the same",
			hour, heat.pix.Rect.Dx(), minuteDraw, mr.pix.Rect.Dx(), ratio)
	}
}

// leastCPU is the least CPU time of a few runs of f on its thread: the
// least disturbed by caches other work on the machine filled.
func leastCPU(f func()) time.Duration {
	best := time.Duration(math.MaxInt64)
	for range 5 {
		best = min(best, threadCPU(f))
	}
	return best
}

// A window that has shown no run has nothing to say about how a subject's
// load was measured.
func TestLiveNoteHiddenBeforeAnyRun(t *testing.T) {
	u, _ := newTestUI(t, Options{}, nil)
	u.live.refresh()
	if u.live.note.Visible() {
		t.Errorf("Live shows %q before any run; want no note", u.live.note.Text)
	}
}
