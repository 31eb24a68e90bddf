package runners

import (
	"os"
	"testing"
)

// TestMain lets the test binary act as the corescope executable: the
// behaviour tests run it as `worker ...`, and the processes model re-executes
// it (os.Executable) for its children.
func TestMain(m *testing.M) {
	ExitIfWorker()
	os.Exit(m.Run())
}
