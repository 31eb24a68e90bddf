package app

import (
	"context"
	"runtime"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"corescope/profile"
	"corescope/recorder"
	"corescope/runners"
	"corescope/scaling"
	"corescope/spec"
)

// TestScaleSweepShowsInScalingTab runs Run > Scale sweep of the processes
// model: a run at each default worker count, one comparison, which the
// Scaling tab shows as a chart, a table and the fit; tapping a point shows
// the run that stands for it in Live and Threads.
func TestScaleSweepShowsInScalingTab(t *testing.T) {
	fake := fakeRecord(5)
	u, loop := newTestUI(t, Options{}, func(ctx context.Context, s spec.Spec, opt recorder.Options) (*profile.Profile, error) {
		p, err := fake(ctx, s, opt)
		p.Machine.LogicalCores = 2
		return p, err
	})
	if got := labelTexts(u.scaling.box.Objects); len(got) != 1 || got[0] != noSweepText {
		t.Errorf("Scaling tab before a sweep: %q; want it to say how to make one", got)
	}
	u.ctl.model.SetSelected(modelName(spec.Processes))
	u.ctl.tasks.SetText("4")
	u.RunSweep()
	loop.until(t, 30*time.Second, "the sweep to end", func() bool { return u.job == nil })

	counts := runners.DefaultCounts(runtime.NumCPU())
	if len(u.runs) != len(counts) || len(u.groups) != 1 {
		t.Fatalf("%d runs in %d groups; want %d in one comparison", len(u.runs), len(u.groups), len(counts))
	}
	var chart *scaleChart
	for _, o := range u.scaling.box.Objects {
		if c, ok := o.(*scaleChart); ok {
			chart = c
		}
	}
	if chart == nil {
		t.Fatal("the Scaling tab shows no chart")
	}
	sw := scaling.Sweeps(u.group.runs)[0]
	if sw.Fit == nil || len(sw.Points) != len(counts) {
		t.Fatalf("sweep %+v; want a point a count and a fit", sw)
	}
	chart.Resize(fyne.NewSize(600, 360))
	test.WidgetRenderer(chart).Layout(chart.Size())
	if len(chart.plot.Points) != len(counts) {
		t.Fatalf("%d points drawn; want %d", len(chart.plot.Points), len(counts))
	}
	pt := chart.plot.Points[1]
	chart.Tapped(&fyne.PointEvent{Position: fyne.NewPos(float32(pt.X)+3, float32(pt.Y)-2)})
	if want := sw.Run(1); u.shown != want {
		t.Errorf("tapping the point of %d workers showed %v; want its run %s", counts[1], u.shown.Label, want.Label)
	}
	chart.Tapped(&fyne.PointEvent{Position: fyne.NewPos(float32(chart.plot.Plot.Max.X), float32(chart.plot.Plot.Min.Y))})
	if want := sw.Run(1); u.shown != want {
		t.Error("tapping far from every point changed the run shown")
	}
}
