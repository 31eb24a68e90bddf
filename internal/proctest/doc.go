// Package proctest finds a run's processes for tests that check none
// survives: the members of a process group, and a process's children. It
// reads Linux's /proc; elsewhere the tests that need it are skipped.
package proctest
