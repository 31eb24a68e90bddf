package runners

import (
	"testing"
)

func TestCompute(t *testing.T) {
	a := compute(taskSeed(1), 10*checkEvery, nil)
	if b := compute(taskSeed(1), 10*checkEvery, nil); a != b {
		t.Errorf("compute is not deterministic: %x then %x", a, b)
	}
	if b := compute(taskSeed(2), 10*checkEvery, nil); a == b {
		t.Errorf("compute(seed 1) = compute(seed 2) = %x; want tasks to differ", a)
	}
	if b := compute(taskSeed(1), 10*checkEvery+1, nil); a == b {
		t.Errorf("one more step gave the same state %x; want every step to count", a)
	}
	calls := 0
	compute(taskSeed(1), 10*checkEvery+1, func() { calls++ })
	if calls != 11 {
		t.Errorf("check called %d times for 10 chunks and a bit; want 11", calls)
	}
}

func TestItersFor(t *testing.T) {
	if got, want := itersFor(0.5), int64(taskIters/2); got != want {
		t.Errorf("itersFor(0.5) = %d; want %d", got, want)
	}
}

// BenchmarkKernel measures the CPU kernel per unit of Size: one op is a
// hundredth of a task at size 1; ms/task is one whole task at size 1 (the
// default run is 20 of them, calibrated to about 3 s).
func BenchmarkKernel(b *testing.B) {
	iters := itersFor(0.01)
	var sink uint64
	for b.Loop() {
		sink += compute(sink|1, iters, nil)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(iters), "ns/iter")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)*100/1e6, "ms/task")
}
