package app

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"corescope/lanes"
	"corescope/levels"
	"corescope/profile"
	"corescope/spec"
)

func TestThreadsDrawOnlyWhenShown(t *testing.T) {
	u, loop := newTestUI(t, Options{}, fakeRecord(0))
	u.win.Resize(fyne.NewSize(1000, 700))
	r := test.WidgetRenderer(u.threads.lanes).(*lanesRenderer)
	test.Tap(u.runBtn)
	loop.until(t, 10*time.Second, "a few frames", func() bool { return u.threads.lanes.Columns() >= 3 })
	if got := r.pix.Rect.Dx(); got != 1 {
		t.Errorf("hidden lanes image is %d samples wide; want the untouched 1", got)
	}
	u.tabs.SelectIndex(1)
	if got, want := r.pix.Rect.Dx(), int(r.area.Width); got != want {
		t.Errorf("lanes image once shown is %d pixels wide; want the lanes' %d", got, want)
	}
	u.tabs.SelectIndex(0)
	heat := test.WidgetRenderer(u.live.heat).(*heatmapRenderer)
	if heat.pix.Rect.Dx() <= 1 {
		t.Errorf("live heatmap image once shown is %v; want it drawn", heat.pix.Rect)
	}
}

// TestLiveLanesAreNamed checks that a live run's lanes take the names its
// frames bring, not pid/tid until the run ends.
func TestLiveLanesAreNamed(t *testing.T) {
	u, loop := newTestUI(t, Options{}, fakeRecord(0))
	u.tabs.SelectIndex(1)
	test.Tap(u.runBtn)
	loop.until(t, 10*time.Second, "a few frames", func() bool { return u.threads.lanes.Columns() >= 3 })
	if got, want := laneNames(u), []string{"python3 11"}; !slices.Equal(got, want) {
		t.Errorf("live lanes = %q; want %q", got, want)
	}
	r := test.WidgetRenderer(u.threads.lanes).(*lanesRenderer)
	if len(r.labels.texts) != 1 || r.labels.texts[0].Text != "python3 11" {
		t.Errorf("%d live lane labels drawn; want one, python3 11", len(r.labels.texts))
	}
	test.Tap(u.stopBtn)
	loop.until(t, 10*time.Second, "the run to stop", func() bool { return u.job == nil })
}

func TestThreadLanesAreNamedOnceKnown(t *testing.T) {
	test.NewTempApp(t)
	l := newThreadLanes()
	test.NewTempWindow(t, l)
	samples := []profile.ThreadSample{{PID: 7, TID: 7, CPU: 0.1, Core: 0}, {PID: 7, TID: 9, CPU: 0.1, Core: 1}}
	l.Reset(time.Now(), 0.1, liveColumns)
	l.Add(0.1, samples, nil)
	l.Refresh()
	r := test.WidgetRenderer(l).(*lanesRenderer)
	labels := func() []string {
		var s []string
		for _, t := range r.labels.texts {
			s = append(s, t.Text)
		}
		return s
	}
	if got, want := labels(), []string{"7/7", "7/9"}; !slices.Equal(got, want) {
		t.Errorf("live lane labels = %q; want %q", got, want)
	}
	p := &profile.Profile{Spec: resolvedSpec(t, spec.Spec{Workload: spec.CPU, Model: spec.Threads}), Started: time.Now(),
		Frames:  []profile.Frame{{T: 0.1, ThreadSamples: samples}},
		Threads: []profile.Thread{{PID: 7, TID: 7, Name: "python3", Process: "python3"}, {PID: 7, TID: 9, Name: "worker-1"}}}
	l.SetProfile(p)
	l.Refresh()
	if got, want := labels(), []string{"python3 7", "worker-1 9"}; !slices.Equal(got, want) {
		t.Errorf("lane labels of a finished run = %q; want %q", got, want)
	}
}

// TestExactLanesZoom shows a run with slices: the image is as wide as the
// lanes on screen, a slice lands in its lane and x range, and the wheel and
// keys zoom around the pointer within the limits.
func TestExactLanesZoom(t *testing.T) {
	test.NewTempApp(t)
	l := newThreadLanes()
	w := test.NewTempWindow(t, l)
	w.Resize(fyne.NewSize(600, 300))
	p := &profile.Profile{Spec: resolvedSpec(t, spec.Spec{Workload: spec.CPU, Model: spec.Threads}), Started: time.Now(),
		Frames: []profile.Frame{{T: 0.1}, {T: 0.2}, {T: 0.3}, {T: 0.4}},
		Slices: []profile.Slice{{PID: 3, TID: 3, CPU: 0, Start: 0.0, End: 0.4}, {PID: 3, TID: 4, CPU: 1, Start: 0.1, End: 0.2}}}
	l.SetProfile(p)
	l.Refresh()
	r := test.WidgetRenderer(l).(*lanesRenderer)
	width := r.pix.Rect.Dx()
	if want := int(r.area.Width); width != want || width < 100 {
		t.Fatalf("exact lanes image is %d pixels wide; want the lanes' %d", width, want)
	}
	lane := func(y, x int) color.RGBA { return r.pix.RGBAAt(x, y*lanes.Rows) }
	for _, x := range []int{width/4 + 1, width/2 - 1} {
		if got := lane(1, x); got != lanes.CorePalette[1] {
			t.Errorf("lane 3/4 at x %d = %v; want core 1's %v", x, got, lanes.CorePalette[1])
		}
	}
	for _, x := range []int{width/4 - 1, width/2 + 1} {
		if got := lane(1, x); got != (color.RGBA{}) {
			t.Errorf("lane 3/4 at x %d, outside its slice, = %v; want blank", x, got)
		}
	}

	// The wheel over the middle of the slice zooms around it (test.Scroll
	// does not say where the pointer is).
	mid := fyne.NewPos(r.l.x0+r.area.Width*3/8, 10)
	for range 200 {
		l.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: mid}, Scrolled: fyne.NewDelta(0, 25)})
	}
	from, to := l.Window()
	if math.Abs(to-from-lanes.MinSpan) > 1e-12 || from < 0.1 || to > 0.2 {
		t.Errorf("window after zooming in over 0.15 s = %v..%v; want %v s inside the slice 0.1..0.2", from, to, lanes.MinSpan)
	}
	if got := lane(1, width/2); got != lanes.CorePalette[1] {
		t.Errorf("zoomed into the slice: lane 3/4 = %v; want core 1 across", got)
	}
	for range 20 {
		l.TypedRune('-')
	}
	if from, to := l.Window(); from != 0 || math.Abs(to-0.4) > 1e-12 {
		t.Errorf("window after zooming out 20 times = %v..%v; want the whole run 0..0.4", from, to)
	}
}

// TestThreadsTabFitsASmallWindow checks that the Threads tab with its zoom
// row shown fits the tab's share of an 800-wide window.
func TestThreadsTabFitsASmallWindow(t *testing.T) {
	test.NewTempApp(t)
	v := newThreadsView()
	v.visible = true
	test.NewTempWindow(t, v.content)
	v.show(&profile.Profile{Spec: resolvedSpec(t, spec.Spec{Workload: spec.CPU, Model: spec.Threads}), Started: time.Now(),
		Frames: []profile.Frame{{T: 0.1}, {T: 0.2}},
		Slices: []profile.Slice{{PID: 3, TID: 3, CPU: 0, Start: 0.0, End: 0.2}}})
	if !v.zoomRow.Visible() {
		t.Fatal("zoom row hidden with lanes shown; want it shown")
	}
	if got := v.content.MinSize().Width; got > 500 {
		t.Errorf("Threads tab needs %v units wide; want it to fit the 500 an 800-wide window leaves it", got)
	}
}

// TestThreadsTabTakesNegativeTaskIDs shows the Threads tab of a run whose
// subject wrote one event line with task -1, live and saved and opened
// again: it draws the task (it once took the id as an index and took the
// window down) and names it when pointed at.
func TestThreadsTabTakesNegativeTaskIDs(t *testing.T) {
	v, _ := threadsTab(t, 800, 500)
	t0 := time.Now()
	frame := profile.Frame{T: 0.1, Busy: levels.Row{0}, ThreadSamples: []profile.ThreadSample{{PID: 7, TID: 7, CPU: 0.1, Core: 0}},
		Events: []spec.Event{{Ev: spec.EvTaskStart, Task: -1, PID: 7, TID: 7, TNs: t0.UnixNano()}}}
	v.begin(t0, 0.1)
	v.add(&frame)
	v.refresh()
	h, _ := v.lanes.At(0, 0.05, 0.06)
	if got := laneText(h, 0.05); !strings.Contains(got, "task -1") {
		t.Errorf("live lane with task -1 reads %q; want it to name task -1", got)
	}

	p := &profile.Profile{Spec: resolvedSpec(t, spec.Spec{Workload: spec.CPU, Model: spec.Threads}), Started: t0,
		Frames: []profile.Frame{frame}, Events: frame.Events}
	path := filepath.Join(t.TempDir(), "task-1.json")
	if err := profile.Save(path, []*profile.Profile{p}); err != nil {
		t.Fatal(err)
	}
	saved, err := profile.Load(path)
	if err != nil {
		t.Fatalf("Load(a run with task -1) = %v; want it read", err)
	}
	v.show(saved[0])
	if h, _ := v.lanes.At(0, 0.05, 0.06); !h.InTask || h.Task != -1 {
		t.Errorf("saved lane with task -1 = %+v; want task -1", h)
	}
}

// TestThreadsTabShowsManyThreads shows a run of 300,000 threads: the tab
// shows as many lanes as its height has room for, the last merging the
// rest, named and said so above the lanes, so its picture, labels and
// paints are those of the lanes shown. A taller window shows more.
func TestThreadsTabShowsManyThreads(t *testing.T) {
	const n = 300000
	v, w := threadsTab(t, 1000, 700)
	p := tenFrames(t)
	for k := range n {
		f := &p.Frames[k*len(p.Frames)/n]
		f.ThreadSamples = append(f.ThreadSamples, profile.ThreadSample{PID: 100, TID: 100 + k, CPU: 0.001, Core: k % 8})
	}
	v.show(p)
	r := test.WidgetRenderer(v.lanes).(*lanesRenderer)
	shown := v.lanes.Len()
	if fit := pixelWidth(v.lanes, r.area.Height) / lanes.Rows; shown != fit || fit < 100 {
		t.Errorf("%d lanes shown in %v units; want as many as fit, %d", shown, r.area.Height, fit)
	}
	if got := r.pix.Rect.Dy(); got != shown*lanes.Rows {
		t.Errorf("picture %d pixels high; want %d lanes of %d", got, shown, lanes.Rows)
	}
	last := r.labels.texts[len(r.labels.texts)-1]
	if len(r.labels.texts) != shown || last.Hidden || last.Text != fmt.Sprintf("%d more threads", n-shown+1) {
		t.Errorf("%d labels, the last %q (hidden %v); want %d, the last naming the %d threads it merges", len(r.labels.texts), last.Text, last.Hidden, shown, n-shown+1)
	}
	want := fmt.Sprintf("Only %d of %d lanes fit", shown, n)
	if !strings.Contains(v.about.Text, want) {
		t.Errorf("Threads tab says %q; want it to say %q", v.about.Text, want)
	}
	w.Resize(fyne.NewSize(1000, 1000))
	if v.lanes.Len() <= shown || !strings.Contains(v.about.Text, fmt.Sprintf("Only %d of", v.lanes.Len())) {
		t.Errorf("a taller window shows %d lanes and says %q; want more than %d, and said so", v.lanes.Len(), v.about.Text, shown)
	}
}

// TestThreadLanesSayWhyTheyCannotDraw makes the lanes' paint fail, as a
// bug the data finds in a painter would: the lanes say so where they draw
// and stay empty, and the window, with its session, stays.
func TestThreadLanesSayWhyTheyCannotDraw(t *testing.T) {
	test.NewTempApp(t)
	l := newThreadLanes()
	w := test.NewTempWindow(t, l)
	w.Resize(fyne.NewSize(600, 300))
	l.Reset(time.Now(), 0.1, liveColumns)
	l.Add(0.1, []profile.ThreadSample{{PID: 7, TID: 7, CPU: 0.1, Core: 0}}, nil)
	l.Refresh()
	r := test.WidgetRenderer(l).(*lanesRenderer)
	r.pix = &image.RGBA{Rect: r.pix.Rect, Stride: 4 * r.pix.Rect.Dx()} // no pixels to paint into
	r.paint()
	if r.empty.Hidden || !strings.Contains(r.empty.Text, "The thread lanes could not be drawn") {
		t.Errorf("lanes whose paint failed say %q (hidden %v); want why", r.empty.Text, r.empty.Hidden)
	}
	r.pix = image.NewRGBA(r.pix.Rect)
	r.paint()
	if !r.empty.Hidden {
		t.Errorf("lanes painted again still say %q; want the error gone", r.empty.Text)
	}
}

// threadsTab is the Threads tab, shown, alone in a window of w x h.
func threadsTab(t *testing.T, w, h float32) (*threadsView, fyne.Window) {
	test.NewTempApp(t)
	v := newThreadsView()
	win := test.NewTempWindow(t, v.content)
	win.Resize(fyne.NewSize(w, h))
	v.visible = true
	return v, win
}

// tenFrames is a recorded run of the threads model, ten frames 0.1 s
// apart, no thread in them yet.
func tenFrames(t *testing.T) *profile.Profile {
	p := &profile.Profile{Spec: resolvedSpec(t, spec.Spec{Workload: spec.CPU, Model: spec.Threads}), Started: time.Now()}
	for i := range 10 {
		p.Frames = append(p.Frames, profile.Frame{T: 0.1 * float64(i+1)})
	}
	return p
}
