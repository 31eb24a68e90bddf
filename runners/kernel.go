package runners

import "math"

// taskIters is how many kernel iterations one cpu task does at size 1. It is
// calibrated so that the default run (20 tasks, size 1, sequential) takes about
// 3 s on one core of the development machine (about 3.1 ns an iteration).
const taskIters = 48_000_000

// pythonTaskIters is the same for the Python backend's pure-Python kernel
// (assets/python/workload.py), about 70 times slower a step: about 0.14 s a
// task on CPython 3.11 here, so the default run takes about 3 s too.
const pythonTaskIters = 640_000

// checkEvery is how many kernel iterations run between two calls of the
// check hook: a few microseconds of work, like CPython's eval-breaker checks.
const checkEvery = 1024

// itersFor returns the kernel iterations of one task at size; Size scales the
// work linearly.
func itersFor(size float64) int64 {
	return int64(math.Round(size * taskIters))
}

// pythonItersFor is itersFor for the Python kernel.
func pythonItersFor(size float64) int {
	return int(math.Round(size * pythonTaskIters))
}

// taskSeed is the kernel's starting state for a task: distinct per task and
// never zero (the kernel maps non-zero states to non-zero states).
func taskSeed(task int) uint64 {
	return splitmix(uint64(task)+1) | 1
}

// splitmix is SplitMix64's finaliser, a cheap bijective mix of x.
func splitmix(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
	x = (x ^ (x >> 27)) * 0x94D049BB133111EB
	return x ^ (x >> 31)
}

// compute runs iters steps of the CPU kernel from seed and returns the final
// state. Each step depends on the one before (an xorshift followed by an odd
// multiply, a bijection), so no compiler can shorten the chain and no model can
// skip it. check, when not nil, is called every checkEvery steps: the threads
// model drops its GIL there when another thread asks for it.
func compute(seed uint64, iters int64, check func()) uint64 {
	x := seed | 1
	for iters > 0 {
		n := min(iters, checkEvery)
		iters -= n
		for ; n > 0; n-- {
			x ^= x >> 12
			x ^= x << 25
			x ^= x >> 27
			x *= 0x2545F4914F6CDD1D
		}
		if check != nil {
			check()
		}
	}
	return x
}
