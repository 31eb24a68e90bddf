package recorder

import (
	"os"
	"testing"

	"corescope/runners"
)

// TestMain lets the test binary act as corescope itself: the Go backend runs
// `<self> worker ...`, and the kill tests run `<self>` as a profiler.
func TestMain(m *testing.M) {
	runners.ExitIfWorker()
	// Under -race a subject would sleep a second at exit and inflate its wall time.
	os.Setenv("GORACE", "atexit_sleep_ms=0")
	if os.Getenv(profilerEnv) != "" {
		os.Exit(runAsProfiler())
	}
	os.Exit(m.Run())
}
