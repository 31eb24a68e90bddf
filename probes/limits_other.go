//go:build !linux

package probes

import "errors"

// LimitsReader reads the CPU limits of processes; only Linux tells them.
type LimitsReader struct{}

// NewLimitsReader returns a reader that knows no limits on this system.
func NewLimitsReader() *LimitsReader { return &LimitsReader{} }

// Read says the limits are unknown here.
func (r *LimitsReader) Read(pid int) (Limits, error) {
	return Limits{}, errors.New("CPU limits are read on Linux only")
}

// Throttle says the throttling is unknown here.
func (r *LimitsReader) Throttle(q *Quota) (Throttle, error) {
	return Throttle{}, errors.New("CPU quotas are read on Linux only")
}

// Affinity says the affinity is unknown here.
func (r *LimitsReader) Affinity(pid int, dst []int) ([]int, error) {
	return dst, errors.New("CPU affinity is read on Linux only")
}
