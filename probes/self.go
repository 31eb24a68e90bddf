package probes

import "fmt"

// SelfMeter measures corescope's own CPU cost, so a profile can show what
// watching cost next to what it saw.
type SelfMeter struct {
	last float64 // CPU seconds at the previous call
}

// NewSelfMeter returns a meter whose first Delta counts from the start of
// the process.
func NewSelfMeter() *SelfMeter { return &SelfMeter{} }

// Delta returns the CPU seconds, user and system, this process used since
// the previous call (first call: since start).
func (m *SelfMeter) Delta() (float64, error) {
	now, err := selfCPUSeconds()
	if err != nil {
		return 0, fmt.Errorf("cannot read corescope's own CPU time: %w", err)
	}
	d := max(now-m.last, 0)
	m.last = now
	return d, nil
}
