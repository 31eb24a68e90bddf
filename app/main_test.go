package app

import (
	"os"
	"testing"

	"corescope/runners"
)

// TestMain lets the test binary act as corescope's worker, so tests can run
// the Go backend with os.Args[0] as Self.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "worker" {
		os.Exit(runners.WorkerMain(os.Args[2:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
