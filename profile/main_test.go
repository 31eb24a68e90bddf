package profile

import (
	"os"
	"testing"

	"corescope/runners"
)

// TestMain lets the test binary act as corescope itself: the Go backend runs
// `<self> worker ...`, and the kill tests run `<self>` as a profiler.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "worker" {
		os.Exit(runners.WorkerMain(os.Args[2:], os.Stdout, os.Stderr))
	}
	if os.Getenv(profilerEnv) != "" {
		os.Exit(runAsProfiler())
	}
	os.Exit(m.Run())
}
