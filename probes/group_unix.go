//go:build unix

package probes

import "golang.org/x/sys/unix"

// processGroup is the process group of pid; 0 when it cannot be read.
func processGroup(pid int) int {
	pgid, err := unix.Getpgid(pid)
	if err != nil {
		return 0
	}
	return pgid
}
