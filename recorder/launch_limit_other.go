//go:build !linux

package recorder

import "corescope/profile"

// processLimit is nothing here: only Linux lets corescope set another
// process's limit of processes (prlimit) before it runs.
type processLimit struct{}

func limitProcesses(int) *processLimit { return nil }

func (l *processLimit) observe(int) {}

func (l *processLimit) reached() *profile.ProcessLimit { return nil }
