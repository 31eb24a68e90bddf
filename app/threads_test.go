package app

import (
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"corescope/profile"
	"corescope/runners"
)

func TestThreadsDrawOnlyWhenShown(t *testing.T) {
	u, loop := newTestUI(t, Options{}, fakeRecord(0))
	u.win.Resize(fyne.NewSize(1000, 700))
	r := test.WidgetRenderer(u.threads.threadLanes).(*lanesRenderer)
	test.Tap(u.runBtn)
	loop.until(t, 10*time.Second, "a few frames", func() bool { return u.threads.threadLanes.Columns() >= 3 })
	if got := r.pix.Rect.Dx(); got != 1 {
		t.Errorf("hidden lanes image is %d samples wide; want the untouched 1", got)
	}
	u.tabs.SelectIndex(1)
	if got, want := r.pix.Rect.Dx(), u.threads.threadLanes.Columns(); got != want {
		t.Errorf("lanes image once shown is %d samples wide; want %d", got, want)
	}
	u.tabs.SelectIndex(0)
	heat := test.WidgetRenderer(u.live.heat).(*heatmapRenderer)
	if heat.pix.Rect.Dx() <= 1 {
		t.Errorf("live heatmap image once shown is %v; want it drawn", heat.pix.Rect)
	}
}

func TestThreadLanesAreNamedOnceKnown(t *testing.T) {
	test.NewTempApp(t)
	l := NewThreadLanes()
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
	p := &profile.Profile{Spec: resolvedSpec(t, runners.Spec{Workload: runners.CPU, Model: runners.Threads}), Started: time.Now(),
		Frames:  []profile.Frame{{T: 0.1, ThreadSamples: samples}},
		Threads: []profile.Thread{{PID: 7, TID: 7, Name: "python3", Process: "python3"}, {PID: 7, TID: 9, Name: "worker-1"}}}
	l.SetProfile(p)
	l.Refresh()
	if got, want := labels(), []string{"python3 7", "worker-1 9"}; !slices.Equal(got, want) {
		t.Errorf("lane labels of a finished run = %q; want %q", got, want)
	}
}
