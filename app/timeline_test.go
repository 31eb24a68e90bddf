package app

import (
	"math"
	"testing"

	"corescope/levels"
)

func TestTimelineWindowGrowsThenScrolls(t *testing.T) {
	tests := []struct {
		pushes     int
		wantFrom   float64
		wantLength float64
	}{
		{0, 0, 5},      // the minimum span before any sample
		{10, 0, 5},     // 1 s: still the minimum
		{51, 0, 7.5},   // 5.1 s: the next round span
		{160, 0, 20},   // 16 s
		{450, 0, 50},   // 45 s
		{590, 0, 60},   // 59 s: capped at the 60 s span
		{700, 10, 60},  // past it: the newest 60 s
		{1200, 60, 60}, // still scrolling
	}
	for _, tt := range tests {
		var tl timeline
		tl.reset(1, 0.1, 0, 60, 5)
		for i := range tt.pushes {
			tl.series.Append(float64(i+1)*0.1, levels.Row{levels.Steps}, nil)
		}
		from, length := tl.window()
		if math.Abs(from-tt.wantFrom) > 1e-9 || math.Abs(length-tt.wantLength) > 1e-9 {
			t.Errorf("window() after %d pushes = %v, %v; want %v, %v", tt.pushes, from, length, tt.wantFrom, tt.wantLength)
		}
	}
}

func TestTimelineWindowOfARecordedRun(t *testing.T) {
	var tl timeline
	tl.reset(1, 0.1, 3, 0, 0)
	if from, length := tl.window(); from != 0 || length != 0.1 {
		t.Errorf("window() of no samples = %v, %v; want 0, an interval", from, length)
	}
	for _, end := range []float64{1.1, 1.2, 1.5} {
		tl.series.Append(end, levels.Row{0}, nil)
	}
	if from, length := tl.window(); math.Abs(from-1) > 1e-9 || math.Abs(length-0.5) > 1e-9 {
		t.Errorf("window() of samples ending at 1.1, 1.2 and 1.5 s = %v, %v; want 1, 0.5: the whole run", from, length)
	}
}

func TestNiceCeil(t *testing.T) {
	tests := []struct{ v, want float64 }{
		{0, 0}, {-1, 0}, {0.3, 0.3}, {1, 1}, {1.2, 1.5}, {2.5, 3}, {4, 5}, {5.1, 7.5}, {7.6, 10}, {12, 15}, {31, 50},
	}
	for _, tt := range tests {
		if got := niceCeil(tt.v); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("niceCeil(%v) = %v; want %v", tt.v, got, tt.want)
		}
	}
}
