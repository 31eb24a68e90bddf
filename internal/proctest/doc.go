// Package proctest finds a run's processes for tests that check none
// survives: the members of a process group, a process's children, and the
// processes a test marked, wherever they went (a daemon); and the load
// beside a run (WatchLoad), for tests whose figures that load moves. It
// reads Linux's /proc; elsewhere the tests that need it are skipped.
//
// Imports: the standard library and prometheus/procfs only.
package proctest
