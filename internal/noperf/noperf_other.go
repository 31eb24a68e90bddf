//go:build !linux

package noperf

import "testing"

// Under reports whether this test binary runs under the filter: never,
// where there is none.
func Under() bool { return false }

// Rerun skips: only Linux has the filter.
func Rerun(t *testing.T, _, _ string) {
	t.Helper()
	t.Skip("perf events are refused to one process only on Linux")
}
