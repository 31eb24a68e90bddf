//go:build !linux

package probes

import (
	"fmt"
	"os/exec"
	"runtime"
	"time"
)

// Perf events are Linux's: elsewhere every constructor says so, and the
// caller takes the approximate path.

var errNoPerf = fmt.Errorf("%w on %s: per-core figures are approximate", ErrPerfUnsupported, runtime.GOOS)

// CoreClock is Linux's per-CPU clock of a subject; see perf_linux.go.
type CoreClock struct{}

// OpenCoreClock always fails outside Linux.
func OpenCoreClock(pid, cpus int) (*CoreClock, error) { return nil, errNoPerf }

// Read always fails outside Linux.
func (c *CoreClock) Read(dst []time.Duration) error { return errNoPerf }

// Close does nothing outside Linux.
func (c *CoreClock) Close() error { return nil }

// SwitchRecorder is Linux's switch timeline; see switches_linux.go.
type SwitchRecorder struct{}

// OpenSwitches always fails outside Linux.
func OpenSwitches(pid, cpus int) (*SwitchRecorder, error) { return nil, errNoPerf }

// Drain has nothing to drain outside Linux.
func (r *SwitchRecorder) Drain(dst []Slice) ([]Slice, error) { return dst, errNoPerf }

// Lost is 0 outside Linux.
func (r *SwitchRecorder) Lost() uint64 { return 0 }

// Names is nil outside Linux.
func (r *SwitchRecorder) Names() map[int]string { return nil }

// Now is 0 outside Linux.
func (r *SwitchRecorder) Now() time.Duration { return 0 }

// Close does nothing outside Linux.
func (r *SwitchRecorder) Close() error { return nil }

// Gate is Linux's start gate; without perf nothing needs holding back.
type Gate struct{}

// GateCommand always fails outside Linux: run the command ungated.
func GateCommand(cmd *exec.Cmd) (*Gate, error) { return nil, errNoPerf }

// Release does nothing outside Linux.
func (g *Gate) Release() error { return nil }
