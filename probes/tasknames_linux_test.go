package probes

import "testing"

// TestTaskNamesBounded checks that a subject starting threads without end
// leaves at most maxNamedTasks named, and that a known thread may still be
// renamed past the bound.
func TestTaskNamesBounded(t *testing.T) {
	var n taskNames
	for tid := uint32(1); tid <= maxNamedTasks+10; tid++ {
		n.renamed(tid, []byte("cc1\x00\x00"), uint64(tid))
		n.forked(tid, 1, uint64(tid))
	}
	if len(n.comms) != maxNamedTasks || len(n.forks) != maxNamedTasks {
		t.Errorf("names of %d threads and forks of %d; want at most %d each", len(n.comms), len(n.forks), maxNamedTasks)
	}
	n.renamed(1, []byte("ld"), 1<<40)
	if got := n.nameAt(1, 1<<41); got != "ld" {
		t.Errorf("known thread renamed past the bound: %q; want ld", got)
	}
	if got := n.nameAt(maxNamedTasks+5, 1<<41); got != "" {
		t.Errorf("thread past the bound named %q; want none kept", got)
	}
}
