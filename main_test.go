package main

import (
	"os"
	"testing"

	"corescope/runners"
)

// TestMain lets the test binary act as corescope's worker, as the real
// binary does.
func TestMain(m *testing.M) {
	runners.ExitIfWorker()
	os.Exit(m.Run())
}
