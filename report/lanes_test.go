package report

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// firstFreeLanes is how lanesByThread placed tasks when it tried every
// lane in turn: each task on the first lane whose last span has ended.
func firstFreeLanes(tasks []task) map[int][][]task {
	slices.SortFunc(tasks, func(a, b task) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.task, b.task))
	})
	lanes := make(map[int][][]task)
	for _, t := range tasks {
		ls := lanes[t.tid]
		k := slices.IndexFunc(ls, func(l []task) bool { return l[len(l)-1].end <= t.start })
		if k < 0 {
			ls = append(ls, nil)
			k = len(ls) - 1
		}
		ls[k] = append(ls[k], t)
		lanes[t.tid] = ls
	}
	return lanes
}

// TestLanesByThread checks lanesByThread places random tasks on 3
// threads as trying every lane did, and that 100,000 tasks open at once
// take a lane each.
func TestLanesByThread(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		var tasks []task
		for k := range 200 {
			start := float64(rng.IntN(1000))
			tasks = append(tasks, task{task: k, tid: rng.IntN(3), start: start, end: start + float64(rng.IntN(100))})
		}
		got, want := lanesByThread(slices.Clone(tasks)), firstFreeLanes(tasks)
		for tid, ls := range want {
			if !slices.EqualFunc(got[tid], ls, slices.Equal) {
				t.Fatalf("thread %d: lanes %v; want %v", tid, got[tid], ls)
			}
		}
	}
	open := make([]task, 100_000)
	for k := range open {
		open[k] = task{task: k, tid: 7, start: float64(k), end: 1e9}
	}
	if n := len(lanesByThread(open)[7]); n != len(open) {
		t.Errorf("%d tasks open at once take %d lanes; want one each", len(open), n)
	}
}
