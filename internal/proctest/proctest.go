package proctest

import (
	"testing"
	"time"

	"github.com/prometheus/procfs"
)

// GroupMembers lists the live (not zombie) processes of process group pgid.
func GroupMembers(t testing.TB, pgid int) []int {
	t.Helper()
	return where(t, func(st procfs.ProcStat) bool { return st.PGRP == pgid && st.State != "Z" })
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
	if kids := where(t, func(st procfs.ProcStat) bool { return st.PPID == parent }); len(kids) > 0 {
		return kids[0]
	}
	return 0
}

func where(t testing.TB, match func(procfs.ProcStat) bool) []int {
	t.Helper()
	fs, err := procfs.NewDefaultFS()
	if err != nil {
		t.Fatal(err)
	}
	procs, err := fs.AllProcs()
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, p := range procs {
		if st, err := p.Stat(); err == nil && match(st) {
			pids = append(pids, p.PID)
		}
	}
	return pids
}
