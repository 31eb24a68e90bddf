package app

import (
	"math"
	"testing"
)

func TestTimeViewLimits(t *testing.T) {
	v := timeView{MinSpan: 0.001}
	v.SetExtent(0, 1)
	for range 100 {
		v.Zoom(0.5, 0.3)
	}
	if from, to := v.Window(); math.Abs(to-from-0.001) > 1e-12 || from > 0.3 || to < 0.3 {
		t.Errorf("window after zooming in 100 times around 0.3 = %v..%v; want 1 ms around 0.3", from, to)
	}
	v.Pan(-1e9)
	if from, _ := v.Window(); from != 0 {
		t.Errorf("window after panning far left starts at %v; want the start 0", from)
	}
	v.Pan(1e9)
	if _, to := v.Window(); math.Abs(to-1) > 1e-12 {
		t.Errorf("window after panning far right ends at %v; want the end 1", to)
	}
	for range 100 {
		v.Zoom(2, 0.5)
	}
	if from, to := v.Window(); from != 0 || to != 1 || v.Zoomed() {
		t.Errorf("window after zooming out 100 times = %v..%v (zoomed %v); want the whole 0..1", from, to, v.Zoomed())
	}
	v.Zoom(0.1, 0.5)
	v.Fit()
	if from, to := v.Window(); from != 0 || to != 1 {
		t.Errorf("window after Fit = %v..%v; want 0..1", from, to)
	}
}

// TestTimeViewKeepsThePointerStill zooms around a time and checks it stays
// at the same fraction of the window.
func TestTimeViewKeepsThePointerStill(t *testing.T) {
	v := timeView{}
	v.SetExtent(0, 10)
	v.Zoom(0.5, 2.5) // a quarter across
	from, to := v.Window()
	if at := (2.5 - from) / (to - from); math.Abs(at-0.25) > 1e-12 || math.Abs(to-from-5) > 1e-12 {
		t.Errorf("window after zooming 2x around 2.5 = %v..%v; want 5 s with 2.5 a quarter across", from, to)
	}
}

// TestTimeViewFollowsAGrowingExtent checks that a fitted view follows a
// live run and a zoomed one stays inside what the data still covers.
func TestTimeViewFollowsAGrowingExtent(t *testing.T) {
	v := timeView{}
	v.SetExtent(0, 1)
	v.SetExtent(0, 2)
	if from, to := v.Window(); from != 0 || to != 2 {
		t.Errorf("fitted window after the extent grew = %v..%v; want 0..2", from, to)
	}
	v.Zoom(0.25, 0) // 0..0.5
	v.SetExtent(1, 3)
	if from, to := v.Window(); from != 1 || to != 1.5 {
		t.Errorf("zoomed window after the data moved on = %v..%v; want 1..1.5", from, to)
	}
	v.SetExtent(1, 1.2)
	if v.Zoomed() {
		t.Error("a window wider than the data is still zoomed; want it fitted")
	}
}
