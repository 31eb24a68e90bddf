package cli

import (
	"os"
	"testing"

	"corescope/runners"
)

// cliEnv makes the test binary run the CLI on its arguments, so a test can
// send the CLI a signal as a terminal would.
const cliEnv = "CORESCOPE_TEST_CLI"

// TestMain lets the test binary act as corescope's worker, as the real
// binary does, and as the CLI when cliEnv is set.
func TestMain(m *testing.M) {
	runners.ExitIfWorker()
	if os.Getenv(cliEnv) != "" {
		os.Exit(Run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
