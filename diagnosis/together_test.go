package diagnosis

import (
	"math"
	"testing"

	"corescope/profile"
)

func TestTogether(t *testing.T) {
	sl := func(tid int, start, end float64) profile.Slice {
		return profile.Slice{PID: 100 + tid%2, TID: tid, Start: start, End: end}
	}
	cases := []struct {
		name     string
		ss       []profile.Slice
		group    func(profile.Slice) int
		from, to float64
		want     float64
	}{
		{"none", nil, ByThread, 0, 1, 0},
		{"empty span", []profile.Slice{sl(1, 0, 1), sl(2, 0, 1)}, ByThread, 1, 1, 0},
		{"taking turns", []profile.Slice{sl(1, 0, 0.5), sl(2, 0.5, 1)}, ByThread, 0, 1, 0},
		{"a quarter at once", []profile.Slice{sl(1, 0, 0.5), sl(2, 0.25, 1)}, ByThread, 0, 1, 0.25},
		// One thread's touching slices count once, not as two groups.
		{"one thread's slices touch", []profile.Slice{sl(1, 0, 0.5), sl(1, 0.5, 1)}, ByThread, 0, 1, 0},
		{"clipped to the span", []profile.Slice{sl(1, 0, 2), sl(2, 0, 2)}, ByThread, 0.5, 1, 1},
		// Threads 1 and 3 share process 101: together by thread, not by process.
		{"same process", []profile.Slice{sl(1, 0, 1), sl(3, 0, 1)}, ByThread, 0, 1, 1},
		{"same process by process", []profile.Slice{sl(1, 0, 1), sl(3, 0, 1)}, ByProcess, 0, 1, 0},
		{"three at once counts as together", []profile.Slice{sl(1, 0, 1), sl(2, 0, 1), sl(3, 0.5, 1)}, ByThread, 0, 1, 1},
	}
	for _, c := range cases {
		if got := Together(c.ss, c.group, c.from, c.to); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: Together = %v; want %v", c.name, got, c.want)
		}
	}
}
