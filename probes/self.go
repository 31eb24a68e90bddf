package probes

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// SelfMeter measures corescope's own CPU cost, so a profile can show what
// watching cost next to what it saw.
type SelfMeter struct {
	last float64 // CPU seconds at the previous call
}

// NewSelfMeter returns a meter whose first Delta counts from the start of
// the process.
func NewSelfMeter() *SelfMeter { return &SelfMeter{} }

// Delta returns the CPU seconds, user and system, this process used since
// the previous call (first call: since start). It reads getrusage, which
// costs one system call and no file.
func (m *SelfMeter) Delta() (float64, error) {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0, fmt.Errorf("cannot read corescope's own CPU time: %w", err)
	}
	now := seconds(ru.Utime) + seconds(ru.Stime)
	d := max(now-m.last, 0)
	m.last = now
	return d, nil
}

func seconds(tv unix.Timeval) float64 {
	return float64(tv.Sec) + float64(tv.Usec)/1e6
}
