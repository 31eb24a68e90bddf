//go:build !linux

package proctest

import "testing"

// processes skips the test: the helpers read Linux's /proc.
func processes(t testing.TB) []proc {
	t.Helper()
	t.Skip("checking a run's processes needs Linux's /proc")
	return nil
}
