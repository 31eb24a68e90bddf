//go:build unix

package recorder

import (
	"context"
	"testing"

	"corescope/spec"
)

// TestMaxRSSIsTheSubjects records /bin/sleep: its max RSS is sleep's own
// (some 1-2 MiB), not the copy of corescope it was forked from (it read
// 19 MiB when that copy was counted).
func TestMaxRSSIsTheSubjects(t *testing.T) {
	const limit = 4 << 20
	sp := resolved(spec.Spec{Backend: spec.BackendCommand, Command: []string{"/bin/sleep", "0.5"}})
	p, err := Record(context.Background(), sp, quickEdges)
	if err != nil {
		t.Fatalf("Record(%v) = %v", sp.Command, err)
	}
	s := p.Summary
	t.Logf("max RSS %.1f MiB over %d frames", float64(s.MaxRSS)/(1<<20), len(p.Frames))
	if !s.TreeSampled() || s.MaxRSS == 0 {
		t.Fatalf("no sample measured a 0.5 s subject's RSS (procs %d, max RSS %d)", s.Procs, s.MaxRSS)
	}
	if s.MaxRSS >= limit {
		t.Errorf("max RSS %.1f MiB; want under %d MiB for /bin/sleep", float64(s.MaxRSS)/(1<<20), limit>>20)
	}
}
