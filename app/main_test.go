package app

import (
	"os"
	"testing"
	"time"

	_ "corescope/internal/cleanlocale" // before Fyne reads the locale, as in main
	"corescope/runners"
)

// TestMain lets the test binary act as corescope's worker, so tests can run
// the Go backend with os.Args[0] as Self.
//
// Fields never doze in tests (keys_test.go calls doze itself): the test
// driver runs fyne.Do at once, so a doze timer of one test's field, firing
// seconds later on its own goroutine, would race with a later test's UI.
func TestMain(m *testing.M) {
	runners.ExitIfWorker()
	dozeAfter = time.Hour
	os.Exit(m.Run())
}
