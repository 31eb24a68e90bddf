// Package proctest finds a run's processes for tests that check none
// survives: the members of a process group, and a process's children.
package proctest
