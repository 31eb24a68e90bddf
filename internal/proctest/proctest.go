package proctest

import (
	"testing"
	"time"
)

// proc is what the helpers need to know of a process.
type proc struct {
	pid, ppid, pgrp int
	zombie          bool
}

// GroupMembers lists the live (not zombie) processes of process group pgid.
func GroupMembers(t testing.TB, pgid int) []int {
	t.Helper()
	return where(t, func(p proc) bool { return p.pgrp == pgid && !p.zombie })
}

// WaitGroupGone fails the test unless group pgid is empty within limit.
func WaitGroupGone(t testing.TB, pgid int, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		left := GroupMembers(t, pgid)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("processes of the run still alive %v later: %v", limit, left)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ChildOf returns the lowest-numbered child of parent, usually the first
// it started, or 0 when it has none.
func ChildOf(t testing.TB, parent int) int {
	t.Helper()
	if kids := where(t, func(p proc) bool { return p.ppid == parent }); len(kids) > 0 {
		return kids[0]
	}
	return 0
}

func where(t testing.TB, match func(proc) bool) []int {
	t.Helper()
	var pids []int
	for _, p := range processes(t) {
		if match(p) {
			pids = append(pids, p.pid)
		}
	}
	return pids
}
