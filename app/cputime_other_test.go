//go:build !unix

package app

import "time"

// threadCPU is f's wall time where no thread's CPU clock is at hand.
func threadCPU(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}
