package app

import (
	"math"
	"slices"
	"testing"
)

func TestRingKeepsTheNewestSamplesInOrder(t *testing.T) {
	var r ring
	r.reset(2, 3, 0.1, 0)
	for i := range 5 {
		r.push(float64(i), []float64{float64(i), float64(10 * i)}, nil)
	}
	var got [][]float64
	for _, c := range r.cols(layerMachine) {
		got = append(got, slices.Clone(c))
	}
	want := [][]float64{{2, 20}, {3, 30}, {4, 40}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("cols after 5 pushes into 3 slots = %v; want %v", got, want)
	}
	if from, length := r.window(); math.Abs(from-1.9) > 1e-9 || math.Abs(length-0.3) > 1e-9 {
		t.Errorf("window() = %v, %v; want %v, %v", from, length, 2-0.1, 3*0.1)
	}
}

func TestRingPadsAndTruncatesSamples(t *testing.T) {
	var r ring
	r.reset(3, 2, 0.1, 0)
	r.push(0, []float64{1, 1, 1}, nil)
	r.push(1, []float64{0.5}, nil)           // missing cores count as idle
	r.push(2, []float64{1, 1, 1, 1, 1}, nil) // extra cores are ignored
	cols := r.cols(layerMachine)
	if !slices.Equal(cols[0], []float64{0.5, 0, 0}) || !slices.Equal(cols[1], []float64{1, 1, 1}) {
		t.Errorf("cols = %v; want [[0.5 0 0] [1 1 1]]", cols)
	}
}

func TestRingPushDoesNotAllocate(t *testing.T) {
	var r ring
	r.reset(256, 600, 0.1, 0)
	busy := make([]float64, 256)
	if n := testing.AllocsPerRun(100, func() { r.push(1, busy, nil); r.cols(layerMachine) }); n != 0 {
		t.Errorf("push+cols allocates %v times; want 0", n)
	}
}

func TestRingWindowGrowsThenScrolls(t *testing.T) {
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
		{590, 0, 60},   // 59 s: capped at the ring's 60 s
		{700, 10, 60},  // full: scrolls by the 100 samples that were dropped
		{1200, 60, 60}, // still scrolling
	}
	for _, tt := range tests {
		var r ring
		r.reset(1, 600, 0.1, 5)
		for i := range tt.pushes {
			r.push(float64(i+1)*0.1, []float64{1}, nil)
		}
		from, length := r.window()
		if math.Abs(from-tt.wantFrom) > 1e-9 || math.Abs(length-tt.wantLength) > 1e-9 {
			t.Errorf("window() after %d pushes = %v, %v; want %v, %v", tt.pushes, from, length, tt.wantFrom, tt.wantLength)
		}
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

// TestRingMergesAShortFrame checks that the frame of a few milliseconds
// right after a late sample joins the column before it, weighted by time,
// rather than making a column of its own that reads as idle.
func TestRingMergesAShortFrame(t *testing.T) {
	var r ring
	r.reset(1, 10, 0.1, 0)
	r.push(0.1, []float64{1}, []float64{0.5})
	r.push(0.298, []float64{1}, []float64{0.5}) // late
	r.push(0.300, []float64{0}, []float64{0})   // 2 ms: too short for /proc's ticks
	r.push(0.400, []float64{1}, []float64{0.5})
	machine, subject := r.cols(layerMachine), r.cols(layerSubject)
	if len(machine) != 3 {
		t.Fatalf("columns after a 2 ms frame = %d; want 3 (merged into the late one)", len(machine))
	}
	if got, want := machine[1][0], 0.99; math.Abs(got-want) > 1e-9 {
		t.Errorf("merged machine column = %v; want %v (198 ms busy, 2 ms idle)", got, want)
	}
	if got, want := subject[1][0], 0.495; math.Abs(got-want) > 1e-9 {
		t.Errorf("merged subject column = %v; want %v", got, want)
	}
	if got := r.times[(r.start+1)%r.capacity]; got != 0.300 {
		t.Errorf("merged column ends at %v; want 0.3", got)
	}
}

func TestRingPushDoesNotAllocateWhenScrolling(t *testing.T) {
	var r ring
	r.reset(256, 600, 0.1, 0)
	busy := make([]float64, 256)
	tick := 0.0
	if n := testing.AllocsPerRun(100, func() {
		tick += 0.1
		r.push(tick, busy, busy)
		r.cols(layerMachine)
		r.cols(layerSubject)
	}); n != 0 {
		t.Errorf("push+cols of both layers allocates %v times; want 0", n)
	}
}
