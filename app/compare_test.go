package app

import (
	"image"
	"image/color"
	"testing"

	"corescope/heatmap"
	"corescope/profile"
)

// TestCompareLaneShowsTheSubject checks that a run's lane draws the
// subject's own cores, and the whole machine only for a file that has
// nothing else.
func TestCompareLaneShowsTheSubject(t *testing.T) {
	frame := profile.Frame{T: 0.1, Busy: []float64{1, 1}, User: []float64{1, 1}, System: []float64{0, 0}}
	withSubject := frame
	withSubject.SubjectBusy = []float64{1, 0}
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
		return profile.Frame{T: t, Busy: []float64{v}, SubjectBusy: []float64{v}}
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
