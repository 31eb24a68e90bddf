//go:build !linux

package proctest

import "testing"

// processes skips the test: the helpers read Linux's /proc.
func processes(t testing.TB) []proc {
	t.Helper()
	t.Skip("checking a run's processes needs Linux's /proc")
	return nil
}

// WatchLoad skips the test: it reads Linux's /proc.
func WatchLoad(t testing.TB, pid int) func() Load {
	t.Helper()
	t.Skip("measuring the load beside a run needs Linux's /proc")
	return nil
}

// WatchPrograms skips the test: it reads Linux's /proc.
func WatchPrograms(t testing.TB, pid int) func() []string {
	t.Helper()
	t.Skip("watching a process's children needs Linux's /proc")
	return nil
}
