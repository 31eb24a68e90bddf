//go:build linux

package probes

import (
	"testing"
	"time"
)

// TestSelfMeterDelta spins for a measured amount of its thread's own CPU time
// (spin), which getrusage(RUSAGE_THREAD) gives on Linux only.
func TestSelfMeterDelta(t *testing.T) {
	m := NewSelfMeter()
	sinceStart, err := m.Delta()
	if err != nil {
		t.Fatalf("Delta() error: %v", err)
	}
	if sinceStart <= 0 {
		t.Errorf("first Delta() = %v; want the CPU used since start, > 0", sinceStart)
	}
	if err := spin(200 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	busy, err := m.Delta()
	if err != nil {
		t.Fatalf("Delta() error: %v", err)
	}
	// The rest of the runtime can add to the spinner's 0.2s, never take away.
	if busy < 0.19 || busy > 2 {
		t.Errorf("Delta() after spinning 0.2s of CPU = %.3fs; want 0.2s..2s", busy)
	}
	time.Sleep(200 * time.Millisecond)
	idle, err := m.Delta()
	if err != nil {
		t.Fatalf("Delta() error: %v", err)
	}
	if idle >= busy/2 {
		t.Errorf("Delta() after sleeping 0.2s = %.3fs; want well under the %.3fs of spinning", idle, busy)
	}
}

func BenchmarkSelfMeterDelta(b *testing.B) {
	m := NewSelfMeter()
	for b.Loop() {
		if _, err := m.Delta(); err != nil {
			b.Fatal(err)
		}
	}
}
