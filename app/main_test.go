package app

import (
	"os"
	"testing"

	_ "corescope/internal/cleanlocale" // before Fyne reads the locale, as in main
	"corescope/runners"
)

// TestMain lets the test binary act as corescope's worker, so tests can run
// the Go backend with os.Args[0] as Self.
func TestMain(m *testing.M) {
	runners.ExitIfWorker()
	os.Exit(m.Run())
}
