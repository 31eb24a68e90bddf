package app

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"corescope/heatmap"
	"corescope/lanes"
	"corescope/levels"
	"corescope/profile"
	"corescope/spec"
)

// recordedHeatmap shows a finished 1 s run of 10 samples on 2 cores: core 0
// of the machine at i/10 in sample i, the subject at half of it, core 1 idle.
func recordedHeatmap(t *testing.T) (*heatmapWidget, *heatmapRenderer) {
	t.Helper()
	test.NewTempApp(t)
	h := newHeatmapWidget(2, 10, 0.1)
	for i := range 10 {
		v := float64(i) / 10
		h.Push(float64(i+1)*0.1, levels.Row{levels.Of(v), 0}, levels.Row{levels.Of(v / 2), 0})
	}
	h.SetWholeMachine(true)
	return h, showHeatmap(t, h, fyne.NewSize(800, 300))
}

func TestHeatmapZoomLimits(t *testing.T) {
	h, _ := recordedHeatmap(t)
	at := fyne.NewPos(h.x0+h.width*0.35, 10) // 0.35 s
	for range 100 {
		h.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: at}, Scrolled: fyne.NewDelta(0, 25)})
	}
	from, to := h.window()
	if math.Abs(to-from-0.2) > 1e-9 || from > 0.35 || to < 0.35 {
		t.Errorf("window after zooming in over 0.35 s = %v..%v; want two samples (0.2 s) around 0.35", from, to)
	}
	for range 50 {
		h.Dragged(&fyne.DragEvent{Dragged: fyne.NewDelta(-h.width, 0)})
	}
	if _, to := h.window(); math.Abs(to-1) > 1e-9 {
		t.Errorf("window after dragging far left ends at %v; want the run's end 1", to)
	}
	for range 50 {
		h.TypedKey(&fyne.KeyEvent{Name: fyne.KeyLeft})
	}
	if from, _ := h.window(); math.Abs(from) > 1e-9 {
		t.Errorf("window after panning far left with the keys starts at %v; want the run's start 0", from)
	}
	for range 20 {
		h.TypedRune('-')
	}
	if from, to := h.window(); h.view.Zoomed() || math.Abs(from) > 1e-9 || math.Abs(to-1) > 1e-9 {
		t.Errorf("window after zooming out 20 times = %v..%v; want the whole run 0..1", from, to)
	}
	h.TypedRune('+')
	h.TypedKey(&fyne.KeyEvent{Name: fyne.KeyHome})
	if h.view.Zoomed() {
		t.Error("Home left the view zoomed; want it fitted")
	}
}

// TestHeatmapDrawsTheZoomedColumns zooms to samples 4 and 5 and checks
// that they, and only they, fill the width, and the axis follows.
func TestHeatmapDrawsTheZoomedColumns(t *testing.T) {
	h, r := recordedHeatmap(t)
	h.view.Zoom(0.2, 0.5) // 0.4..0.6
	h.Refresh()
	w := r.pix.Rect.Dx()
	if want := int(h.width); w != want {
		t.Fatalf("zoomed image is %d pixels wide; want the widget's %d", w, want)
	}
	for _, x := range []int{0, w/2 - 2, w/2 + 2, w - 1} { // a pixel from the edge, which may round either way
		want := heatmap.Color(0.4)
		if x >= w/2 {
			want = heatmap.Color(0.5)
		}
		if got := r.pix.RGBAAt(x, 0); got != want {
			t.Errorf("zoomed to 0.4..0.6 s: pixel %d of core 0 = %v; want %v", x, got, want)
		}
	}
	first := ""
	for _, tick := range r.axis.ticks {
		if !tick.Hidden {
			first = tick.Text
			break
		}
	}
	if first != "0.4 s" {
		t.Errorf("first tick of the zoomed axis = %q; want \"0.4 s\"", first)
	}
}

// TestHeatmapHover checks the readout of a known cell and strip column,
// and that moving within the cell changes nothing.
func TestHeatmapHover(t *testing.T) {
	h, _ := recordedHeatmap(t)
	cell := fyne.NewPos(h.x0+h.width*0.45, h.heatH/4) // sample 4, core 0
	h.MouseIn(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: cell}})
	want := "0.400–0.500 s, 100.0 ms · core 0\nsubject 20% · machine 40%"
	if h.hoverReadout.text != want {
		t.Errorf("readout over sample 4, core 0 = %q; want %q", h.hoverReadout.text, want)
	}
	at := h.hoverReadout.bg.Position()
	h.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: cell.AddXY(3, 3)}})
	if h.hoverReadout.bg.Position() != at {
		t.Error("moving within one cell moved the readout; want it left alone")
	}
	strip := fyne.NewPos(h.x0+h.width*0.95, h.stripY+stripHeight/2) // sample 9
	h.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: strip}})
	want = "0.900–1.000 s, 100.0 ms\nsubject 0.45 cores · other programs 0.45 cores"
	if h.hoverReadout.text != want {
		t.Errorf("readout over the strip at sample 9 = %q; want %q", h.hoverReadout.text, want)
	}
	h.SetWholeMachine(false)
	h.SetSorted(true)
	h.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: cell.AddXY(0, h.heatH/2)}}) // the lower row
	want = "0.400–0.500 s, 100.0 ms · #2 busiest core\nsubject 0% · machine 0%"
	if h.hoverReadout.text != want {
		t.Errorf("sorted readout of the lower row at sample 4 = %q; want %q", h.hoverReadout.text, want)
	}
	h.MouseOut()
	if !h.hoverReadout.bg.Hidden {
		t.Error("readout still shown after the pointer left; want it hidden")
	}
}

// TestHeatmapHoverOfManyCores checks the readout where a pixel row of the
// picture holds several cores: it names them all and reads the busiest, as
// the pixel shows it, not one core the pixel may not show.
func TestHeatmapHoverOfManyCores(t *testing.T) {
	test.NewTempApp(t)
	const cores = 512
	h := newHeatmapWidget(cores, 10, 0.1)
	for i := range 10 {
		busy := make([]float64, cores)
		busy[301] = 1 // one busy core among idle ones
		row := levels.Quantise(nil, busy)
		h.Push(float64(i+1)*0.1, row, row)
	}
	showHeatmap(t, h, fyne.NewSize(800, 300))
	if h.rows >= cores {
		t.Fatalf("the picture has %d pixel rows for %d cores; want fewer, a pixel row holding several", h.rows, cores)
	}
	row, c0, c1 := -1, 0, 0 // the pixel row that shows core 301
	for r := range h.rows {
		if lo, hi := heatmap.RowCores(r, h.rows, cores); lo <= 301 && 301 < hi {
			row, c0, c1 = r, lo, hi
		}
	}
	if row < 0 || c1-c0 < 2 {
		t.Fatalf("core 301 is on pixel row %d with cores %d..%d; want a row of several", row, c0, c1)
	}
	y := (float32(row) + 0.5) / float32(h.rows) * h.heatH
	h.MouseIn(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(h.x0+h.width*0.45, y)}})
	want := fmt.Sprintf("cores %d–%d\nbusiest: subject 100%% · machine 100%%", c0, c1-1)
	if !strings.HasSuffix(h.hoverReadout.text, want) {
		t.Errorf("readout over the pixel row of core 301 = %q; want it to end %q", h.hoverReadout.text, want)
	}
}

// TestLaneHover shows a run with a slice and a task and checks the
// readout of the lane under the pointer.
func TestLaneHover(t *testing.T) {
	test.NewTempApp(t)
	l := newThreadLanes()
	w := test.NewTempWindow(t, l)
	w.Resize(fyne.NewSize(600, 300))
	start := time.Unix(100, 0)
	at := func(s float64) int64 { return start.Add(time.Duration(s * float64(time.Second))).UnixNano() }
	p := &profile.Profile{Spec: resolvedSpec(t, spec.Spec{Workload: spec.CPU, Model: spec.Threads}), Started: start,
		Frames:  []profile.Frame{{T: 0.1}, {T: 0.2}, {T: 0.3}, {T: 0.4}},
		Threads: []profile.Thread{{PID: 3, TID: 3, Name: "worker", Process: "worker"}, {PID: 3, TID: 4, Name: "gil-1", Process: "worker"}},
		Slices:  []profile.Slice{{PID: 3, TID: 3, CPU: 0, Start: 0.0, End: 0.4}, {PID: 3, TID: 4, CPU: 1, Start: 0.1, End: 0.2}},
		Events: []spec.Event{{Ev: spec.EvTaskStart, Task: 5, TID: 4, TNs: at(0.05)},
			{Ev: spec.EvTaskEnd, Task: 5, TID: 4, TNs: at(0.3)}}}
	l.SetProfile(p)
	l.Refresh()
	pos := fyne.NewPos(l.x0+l.width*0.375, l.areaH*3/4) // 0.15 s, lane 2
	l.MouseIn(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos}})
	want := "worker (pid 3) tid 4 gil-1\n0.150 s · core 1 (0.100–0.200 s, 100.0 ms) · task 5"
	if l.hoverReadout.text != want {
		t.Errorf("readout over lane 2 at 0.15 s = %q; want %q", l.hoverReadout.text, want)
	}
	l.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos.AddXY(l.width/2, 0)}}) // 0.35 s
	want = "worker (pid 3) tid 4 gil-1\n0.350 s · not on a core · no task"
	if l.hoverReadout.text != want {
		t.Errorf("readout over lane 2 at 0.35 s = %q; want %q", l.hoverReadout.text, want)
	}
	// Where the slice says it blocked, and a sample found it in a futex.
	p.Slices[1].Ended = profile.SliceBlocked
	p.Frames[3].ThreadSamples = []profile.ThreadSample{{PID: 3, TID: 3, CPU: 0.1, State: profile.StateRunning},
		{PID: 3, TID: 4, State: profile.StateBlocked, Wait: "futex", Lock: "0x10"}}
	l.SetProfile(p)
	l.Refresh()
	l.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos.AddXY(l.width/2, 0)}})
	want = "worker (pid 3) tid 4 gil-1\n0.350 s · blocked in futex: a lock · no task"
	if l.hoverReadout.text != want {
		t.Errorf("readout over lane 2 at 0.35 s, blocked = %q; want %q", l.hoverReadout.text, want)
	}
}

// TestSampledLanesZoom zooms lanes without slices to their two-sample limit.
func TestSampledLanesZoom(t *testing.T) {
	test.NewTempApp(t)
	l := newThreadLanes()
	w := test.NewTempWindow(t, l)
	w.Resize(fyne.NewSize(600, 300))
	l.Reset(time.Unix(0, 0), 0.1, liveColumns)
	for i := range 10 {
		l.Add(float64(i+1)*0.1, []profile.ThreadSample{{PID: 1, TID: 1, CPU: 0.1, Core: i % 2}}, nil)
	}
	l.Refresh()
	for range 50 {
		l.TypedRune('+')
	}
	from, to := l.Window()
	if math.Abs(to-from-0.2) > 1e-9 {
		t.Errorf("sampled lanes zoomed in 50 times show %v..%v; want two samples, 0.2 s", from, to)
	}
	r := test.WidgetRenderer(l).(*lanesRenderer)
	if got, want := r.pix.RGBAAt(0, 0), lanes.CorePalette[int(math.Round(from/0.1))%2]; got != want {
		t.Errorf("zoomed sampled lane starts with %v; want the core of the sample from %v s, %v", got, from, want)
	}
}

// TestReadoutFollowsTheKeys pans under a still pointer: the readout then
// names the sample now under it.
func TestReadoutFollowsTheKeys(t *testing.T) {
	h, _ := recordedHeatmap(t)
	h.view.Zoom(0.2, 0.5) // 0.4..0.6
	h.Refresh()
	h.MouseIn(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(h.x0+h.width/4, h.heatH/4)}})
	for range 5 {
		h.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight}) // a tenth of the view each: 0.1 s in all
	}
	if want := "0.500–0.600 s, 100.0 ms · core 0\nsubject 25% · machine 50%"; h.hoverReadout.text != want {
		t.Errorf("readout after panning 0.1 s under a still pointer = %q; want %q", h.hoverReadout.text, want)
	}
}

// TestOtherKeysGoToTheWindow checks that Escape reaches the window's own
// handler (Stop) while a picture has the focus.
func TestOtherKeysGoToTheWindow(t *testing.T) {
	test.NewTempApp(t)
	h := newHeatmapWidget(2, 10, 0.1)
	w := test.NewTempWindow(t, h)
	var got fyne.KeyName
	w.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) { got = k.Name })
	test.Tap(h)
	if w.Canvas().Focused() != h {
		t.Fatal("tapping the heatmap did not focus it; want it focused for the keys")
	}
	h.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if got != fyne.KeyEscape {
		t.Errorf("the window's key handler got %q; want Escape", got)
	}
}

// TestLiveZoomFreezesTheFollow zooms a live heatmap: new samples no longer
// move the view until Fit, which follows the run again.
func TestLiveZoomFreezesTheFollow(t *testing.T) {
	test.NewTempApp(t)
	h := newHeatmapWidget(2, 600, 0.1)
	h.ResetLive(2, 600, 0.1)
	push := func(from, n int) {
		for i := from; i < from+n; i++ {
			h.Push(float64(i+1)*0.1, levels.Row{levels.Steps, 0}, nil)
		}
	}
	push(0, 20)
	showHeatmap(t, h, fyne.NewSize(800, 300))
	h.TypedRune('+')
	from, to := h.window()
	push(20, 60)
	h.Refresh()
	if f, tt := h.window(); f != from || tt != to {
		t.Errorf("zoomed live view moved from %v..%v to %v..%v as samples came; want it still", from, to, f, tt)
	}
	h.TypedRune('0')
	if from, to := h.window(); from != 0 || to != 10 {
		t.Errorf("live view after Fit = %v..%v; want the growing axis 0..10 s", from, to)
	}
}
