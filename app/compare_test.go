package app

import (
	"image"
	"image/color"
	"math"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"corescope/heatmap"
	"corescope/levels"
	"corescope/profile"
	"corescope/runtext"
	"corescope/spec"
)

// TestCompareLaneShowsTheSubject checks that a run's lane draws the
// subject's own cores, and the whole machine only for a file that has
// nothing else.
func TestCompareLaneShowsTheSubject(t *testing.T) {
	frame := profile.Frame{T: 0.1, Busy: levels.Row{levels.Steps, levels.Steps}}
	withSubject := frame
	withSubject.SubjectBusy = levels.Row{levels.Steps, 0}
	tests := []struct {
		name  string
		frame profile.Frame
		core1 float64 // what core 1's pixel shows
	}{
		{"the subject's load", withSubject, 0},
		{"an old file: the machine's", frame, 1},
	}
	var pr heatmap.Painter
	for _, tt := range tests {
		img := image.NewRGBA(image.Rect(0, 0, 4, 2))
		paintLane(&pr, img, &profile.Profile{Frames: []profile.Frame{tt.frame}}, 0, 0.1, nil)
		if got, want := img.RGBAAt(0, 1), heatmap.Color(tt.core1); got != want {
			t.Errorf("%s: core 1 drawn %v; want %v", tt.name, got, want)
		}
	}
}

// TestCompareLaneTimeScale checks that lanes share one time axis: a run
// half as long as the window fills half the lane, and a zoomed window
// shows only the samples inside it.
func TestCompareLaneTimeScale(t *testing.T) {
	busy := func(t float64, v float64) profile.Frame {
		return profile.Frame{T: t, Busy: levels.Row{levels.Of(v)}, SubjectBusy: levels.Row{levels.Of(v)}}
	}
	p := &profile.Profile{Frames: []profile.Frame{busy(0.1, 1), busy(0.2, 0), busy(0.3, 1), busy(0.4, 0)}}
	p.Spec.Interval = 100e6
	var pr heatmap.Painter
	tests := []struct {
		name     string
		from, to float64
		want     []float64 // each pixel's load; -1 clear (after the run)
	}{
		{"the whole run", 0, 0.4, []float64{1, 1, 0, 0, 1, 1, 0, 0}},
		{"twice as long a window", 0, 0.8, []float64{1, 0, 1, 0, -1, -1, -1, -1}},
		{"zoomed to the third sample", 0.2, 0.3, []float64{1, 1, 1, 1, 1, 1, 1, 1}},
	}
	for _, tt := range tests {
		img := image.NewRGBA(image.Rect(0, 0, 8, 1))
		paintLane(&pr, img, p, tt.from, tt.to, nil)
		for x, v := range tt.want {
			want := color.RGBA{}
			if v >= 0 {
				want = heatmap.Color(v)
			}
			if got := img.RGBAAt(x, 0); got != want {
				t.Errorf("%s: pixel %d = %v; want %v", tt.name, x, got, want)
			}
		}
	}
}

// TestCompareLanesZoomTogether checks that the Compare tab's runs share one
// time view: a wheel notch zooms every lane, a drag pans them, the zoom
// stops at two samples, Fit (or 0) shows the longest run whole again, + zooms
// around the middle, and hovering
// a cell names its run, time, core and loads.
func TestCompareLanesZoomTogether(t *testing.T) {
	test.NewTempApp(t)
	run := func(label string, n int) *profile.Profile {
		p := &profile.Profile{Label: label}
		p.Spec.Interval = spec.Duration(100 * time.Millisecond)
		for i := 1; i <= n; i++ {
			p.Frames = append(p.Frames, profile.Frame{T: float64(i) / 10, Busy: levels.Row{levels.Steps, levels.Of(0.5)}, SubjectBusy: levels.Row{levels.Of(0.75), 0}})
		}
		return p
	}
	l := newRunLanes()
	w := test.NewTempWindow(t, l)
	w.Resize(fyne.NewSize(600, 200))
	l.set([]*profile.Profile{run("long", 8), run("short", 4)}, nil)
	window := func() (float64, float64) { return l.view.Window() }

	if from, to := window(); from != 0 || to != 0.8 {
		t.Fatalf("fitted window = %v..%v; want 0..0.8, the longer run", from, to)
	}
	middle := fyne.NewPos(l.x0+l.width/2, laneHeight/2)
	l.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: middle}, Scrolled: fyne.Delta{DY: scrollPerDoubling}})
	if from, to := window(); math.Abs(from-0.2) > 1e-9 || math.Abs(to-0.6) > 1e-9 {
		t.Errorf("window after a zoom in around the middle = %v..%v; want 0.2..0.6", from, to)
	}
	short := test.WidgetRenderer(l).(*runLanesRenderer).imgs[1].Image.(*image.RGBA)
	if x := short.Rect.Dx() - 1; short.RGBAAt(x, 0) != (color.RGBA{}) || short.RGBAAt(0, 0) != heatmap.Color(levels.Of(0.75).Fraction()) {
		t.Errorf("the short run zoomed to 0.2..0.6 s: first pixel %v, last %v; want its load, then clear after its end at 0.4 s",
			short.RGBAAt(0, 0), short.RGBAAt(x, 0))
	}
	l.Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DX: -l.width / 4}})
	if from, to := window(); math.Abs(from-0.3) > 1e-9 || math.Abs(to-0.7) > 1e-9 {
		t.Errorf("window after dragging a quarter left = %v..%v; want 0.3..0.7", from, to)
	}
	for range 20 {
		l.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: middle}, Scrolled: fyne.Delta{DY: scrollPerDoubling}})
	}
	if from, to := window(); math.Abs(to-from-0.2) > 1e-9 {
		t.Errorf("window zoomed all the way in = %v..%v; want two samples, 0.2 s", from, to)
	}
	l.Fit()
	if from, to := window(); from != 0 || to != 0.8 {
		t.Errorf("window after Fit = %v..%v; want 0..0.8", from, to)
	}
	l.TypedRune('+')
	if from, to := window(); math.Abs(from-0.2) > 1e-9 || math.Abs(to-0.6) > 1e-9 {
		t.Errorf("window after + = %v..%v; want 0.2..0.6, zoomed around the middle", from, to)
	}
	l.TypedRune('0')
	if from, to := window(); from != 0 || to != 0.8 {
		t.Errorf("window after 0 = %v..%v; want 0..0.8", from, to)
	}

	// Fitted, 0.25 s is in the long run's third sample.
	at := fyne.NewPos(l.x0+l.width*0.25/0.8, laneHeight/4)
	if got, want := l.readout(at), "long · 0.200–0.300 s, 100.0 ms · core 0\nsubject 75% · machine 100%"; got != want {
		t.Errorf("readout at 0.25 s, core 0 = %q; want %q", got, want)
	}
	after := fyne.NewPos(l.x0+l.width*0.6/0.8, laneHeight+laneGap+laneHeight/4)
	if got := l.readout(after); got != "" {
		t.Errorf("readout after the short run ended = %q; want none", got)
	}
}

// TestVerdictNamesTheModel checks that a run's verdict line says how it ran
// where its name does not: the table has no model column.
func TestVerdictNamesTheModel(t *testing.T) {
	python := &profile.Profile{Label: "threads · CPython 3.11.2", Spec: spec.Spec{Backend: spec.BackendPython,
		Workload: spec.CPU, Model: spec.Threads, Workers: 5, SwitchInterval: spec.Duration(5 * time.Millisecond)}}
	sequential := &profile.Profile{Label: "sequential", Spec: spec.Spec{Backend: spec.BackendGo, Workload: spec.CPU,
		Model: spec.Sequential, Workers: 1}}
	for _, tt := range []struct {
		p    *profile.Profile
		want string
	}{
		{python, "threads · CPython 3.11.2 (threads, 5 workers, switch 5ms): "},
		{sequential, "sequential: "},
	} {
		if got := verdictText(runName(tt.p), runtext.Rows([]*profile.Profile{tt.p})[0]).String(); !strings.HasPrefix(got, tt.want) {
			t.Errorf("verdict line = %q; want it to begin %q", got, tt.want)
		}
	}
}
