//go:build !unix

package probes

// processGroup is 0: this system has no process groups, so a root adopts no
// orphans.
func processGroup(int) int { return 0 }
