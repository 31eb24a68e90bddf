package runners

import (
	"os"
	"testing"
)

// TestMain lets the test binary act as the corescope executable: the
// behaviour tests run it as `worker ...`, and the processes model re-executes
// it (os.Executable) for its children.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "worker" {
		os.Exit(WorkerMain(os.Args[2:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
