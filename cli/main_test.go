package cli

import (
	"os"
	"strings"
	"testing"

	"corescope/runners"
)

// cliEnv makes the test binary run the CLI on its arguments, so a test can
// send the CLI a signal as a terminal would.
const cliEnv = "CORESCOPE_TEST_CLI"

// TestMain lets the test binary act as corescope's worker, as the real
// binary does, as the CLI when cliEnv is set, and as a subject of Amdahl's
// law when amdahlEnv is (and it is not run as the tests).
func TestMain(m *testing.M) {
	runners.ExitIfWorker()
	if os.Getenv(amdahlEnv) != "" && len(os.Args) > 1 && !strings.HasPrefix(os.Args[1], "-test.") {
		os.Exit(amdahlSubject(os.Args[1:]))
	}
	if os.Getenv(cliEnv) != "" {
		os.Exit(Run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
