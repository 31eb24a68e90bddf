package diagnosis

import (
	"cmp"
	"slices"

	"corescope/profile"
)

// Together is the fraction of from..to during which slices of at least two
// groups were on a core at the same time: the measure of "one at a time"
// that a thread count or a mean of cores cannot give. group names a slice's
// group (its TID for threads, its PID for processes); a group's own slices
// that touch count once. 0 when from..to is empty.
func Together(ss []profile.Slice, group func(profile.Slice) int, from, to float64) float64 {
	if to <= from {
		return 0
	}
	type edge struct {
		t     float64
		delta int
	}
	counts := map[int]int{}
	for _, s := range ss {
		counts[group(s)]++
	}
	byGroup := make(map[int][]profile.Slice, len(counts))
	for g, n := range counts {
		byGroup[g] = make([]profile.Slice, 0, n)
	}
	for _, s := range ss {
		byGroup[group(s)] = append(byGroup[group(s)], s)
	}
	edges := make([]edge, 0, 2*len(ss))
	for _, own := range byGroup {
		slices.SortFunc(own, func(a, b profile.Slice) int { return cmp.Compare(a.Start, b.Start) })
		cur := own[0]
		for _, s := range own[1:] {
			if s.Start <= cur.End {
				cur.End = max(cur.End, s.End)
				continue
			}
			edges = append(edges, edge{cur.Start, 1}, edge{cur.End, -1})
			cur = s
		}
		edges = append(edges, edge{cur.Start, 1}, edge{cur.End, -1})
	}
	slices.SortFunc(edges, func(a, b edge) int { return cmp.Compare(a.t, b.t) })
	both, on, last := 0.0, 0, from
	for _, e := range edges {
		t := min(max(e.t, from), to)
		if on >= 2 {
			both += t - last
		}
		on += e.delta
		last = t
	}
	return both / (to - from)
}

// ByThread groups slices by thread, for Together.
func ByThread(s profile.Slice) int { return s.TID }

// ByProcess groups slices by process, for Together.
func ByProcess(s profile.Slice) int { return s.PID }
