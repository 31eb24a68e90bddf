package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"corescope/probes"
)

// The fixture both sides read must hold 256 cores the sampler accepts, or
// the comparison would time a parser that gave up.
func TestStat256HoldsEveryCore(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "stat"), stat256(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOST_PROC", dir)
	s := probes.NewCPUSampler()
	for range 2 {
		if _, err := s.Sample(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	loads, _ := s.Sample(context.Background())
	if len(loads) != 256 {
		t.Errorf("the sampler read %d cores from the fixture; want 256", len(loads))
	}
}

func TestCPUSecondsOfThisProcess(t *testing.T) {
	// Spin until the kernel has charged the test a tick (10 ms) or 5 s pass.
	var got float64
	var err error
	for deadline := time.Now().Add(5 * time.Second); got == 0 && err == nil && time.Now().Before(deadline); {
		got, err = cpuSeconds(os.Getpid())
	}
	if err != nil || got <= 0 {
		t.Errorf("cpuSeconds(self) = %v, %v; want the test's own positive CPU time", got, err)
	}
	if _, err := cpuSeconds(-1); err == nil {
		t.Error("cpuSeconds(-1) gave no error")
	}
}
