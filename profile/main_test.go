package profile

import (
	"os"
	"testing"

	"corescope/runners"
)

// TestMain lets the test binary act as corescope itself: the Go backend runs
// `<self> worker ...`, and the kill tests run `<self>` as a profiler.
func TestMain(m *testing.M) {
	runners.ExitIfWorker()
	if os.Getenv(profilerEnv) != "" {
		os.Exit(runAsProfiler())
	}
	os.Exit(m.Run())
}
