package app

import (
	"math"
	"slices"
	"testing"
)

func TestRingKeepsTheNewestSamplesInOrder(t *testing.T) {
	var r ring
	r.reset(2, 3, 0.1)
	for i := range 5 {
		r.push(float64(i), []float64{float64(i), float64(10 * i)})
	}
	var got [][]float64
	for _, c := range r.cols() {
		got = append(got, slices.Clone(c))
	}
	want := [][]float64{{2, 20}, {3, 30}, {4, 40}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("cols after 5 pushes into 3 slots = %v; want %v", got, want)
	}
	if from, length := r.window(); math.Abs(from-1.9) > 1e-9 || math.Abs(length-0.3) > 1e-9 {
		t.Errorf("window() = %v, %v; want %v, %v", from, length, 2-0.1, 3*0.1)
	}
	if got := r.last(); !slices.Equal(got, []float64{4, 40}) {
		t.Errorf("last() = %v; want [4 40]", got)
	}
}

func TestRingPadsAndTruncatesSamples(t *testing.T) {
	var r ring
	r.reset(3, 2, 0.1)
	r.push(0, []float64{1, 1, 1})
	r.push(1, []float64{0.5})           // missing cores count as idle
	r.push(2, []float64{1, 1, 1, 1, 1}) // extra cores are ignored
	cols := r.cols()
	if !slices.Equal(cols[0], []float64{0.5, 0, 0}) || !slices.Equal(cols[1], []float64{1, 1, 1}) {
		t.Errorf("cols = %v; want [[0.5 0 0] [1 1 1]]", cols)
	}
}

func TestRingPushDoesNotAllocate(t *testing.T) {
	var r ring
	r.reset(256, 600, 0.1)
	busy := make([]float64, 256)
	if n := testing.AllocsPerRun(100, func() { r.push(1, busy); r.cols() }); n != 0 {
		t.Errorf("push+cols allocates %v times; want 0", n)
	}
}
