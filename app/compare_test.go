package app

import (
	"image"
	"testing"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"corescope/heatmap"
	"corescope/profile"
)

// TestComparePictureShowsTheSubject checks that a run's small heatmap draws
// the subject's own cores, and the whole machine only for a file that has
// nothing else.
func TestComparePictureShowsTheSubject(t *testing.T) {
	test.NewTempApp(t)
	v := newCompareView(func() {})
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
	for _, tt := range tests {
		img := v.picture(&profile.Profile{Frames: []profile.Frame{tt.frame}}).(*canvas.Image).Image.(*image.RGBA)
		if got, want := img.RGBAAt(0, 1), heatmap.Color(tt.core1); got != want {
			t.Errorf("%s: core 1 drawn %v; want %v", tt.name, got, want)
		}
	}
}
