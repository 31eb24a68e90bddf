//go:build goals && linux

package recorder

import (
	"context"
	"testing"
	"time"

	"corescope/diagnosis"
	"corescope/internal/goal"
	"corescope/spec"
)

// TestGoalSlices: on the switch timeline, GIL-bound threads hold a core for
// about the switch interval (the time-weighted median slice, 3.3 ms at
// 5 ms here, quiet) and almost never run at once, and the processes
// model's two workers are on cores together most of the run. Other
// programs cut slices and keep workers apart: make test checks only what
// they cannot move (TestSlicesShowTheGIL).
func TestGoalSlices(t *testing.T) {
	s := resolved(spec.Spec{Workload: spec.CPU, Model: spec.Threads, Tasks: 10, Size: 0.5,
		SwitchInterval: spec.Duration(5 * time.Millisecond)})
	p, err := Record(context.Background(), s, quickEdges)
	if err != nil {
		t.Fatal(err)
	}
	requireExact(t, p)
	median, overlap := gilSlices(t, p)
	goal.AtLeast(t, "GIL-bound threads, 5 ms switch interval: median slice, least", median*1e3, 2, "%.2f ms")
	goal.AtMost(t, "GIL-bound threads, 5 ms switch interval: median slice, most", median*1e3, 12, "%.2f ms")
	goal.AtMost(t, "GIL-bound threads: two workers on cores together", overlap*100, 10, "%.1f%% of the run")

	s = resolved(spec.Spec{Workload: spec.CPU, Model: spec.Processes, Tasks: 10, Size: 0.5})
	if p, err = Record(context.Background(), s, quickEdges); err != nil {
		t.Fatal(err)
	}
	together := diagnosis.Together(workerSlices(p, workers(p, true), diagnosis.ByProcess), diagnosis.ByProcess, p.Summary.TasksStartS, p.Summary.TasksEndS)
	goal.AtLeast(t, "worker processes: two on cores together", together*100, 50, "%.0f%% of the run")
}
