package diagnosis

import (
	"reflect"
	"slices"

	"corescope/profile"
)

// Group is the runs of one spec in a comparison, its repeats
// (Profile.Repeat) and warm-ups: one row of a table, judged by its
// median. A run without a repeat number (a file of corescope before
// repeats) is a group of its own.
type Group struct {
	// Runs are every run of the group in the order they ran, warm-ups and
	// failed runs included.
	Runs []*profile.Profile
}

// Groups puts runs ps, in the order they ran, into groups: a run with a
// repeat number joins the latest group of its label and spec that has no
// run of that number yet (a comparison's repeats, interleaved with the
// other specs'), else it begins a new group, as the next comparison of the
// same spec does.
func Groups(ps []*profile.Profile) []Group {
	var groups []Group
	for _, p := range ps {
		if p.Repeat == 0 { // no run repeats it: a report of 20,000 old runs asks no search
			groups = append(groups, Group{Runs: []*profile.Profile{p}})
			continue
		}
		if i := latest(groups, p); i >= 0 && !slices.ContainsFunc(groups[i].Runs, func(q *profile.Profile) bool {
			return q.Repeat == p.Repeat && q.Warmup == p.Warmup
		}) {
			groups[i].Runs = append(groups[i].Runs, p)
			continue
		}
		groups = append(groups, Group{Runs: []*profile.Profile{p}})
	}
	return groups
}

// latest is the index of the latest group whose runs p repeats, -1
// without one.
func latest(groups []Group, p *profile.Profile) int {
	for i := len(groups) - 1; i >= 0; i-- {
		if sameRun(groups[i].Runs[0], p) {
			return i
		}
	}
	return -1
}

// sameRun reports whether q and p are repeats of one run: the same label
// and spec, and both numbered.
func sameRun(q, p *profile.Profile) bool {
	return q.Repeat > 0 && p.Repeat > 0 && label(q) == label(p) && reflect.DeepEqual(q.Spec, p.Spec)
}

// GroupOf is the group among groups that holds run p, and whether one does.
func GroupOf(groups []Group, p *profile.Profile) (Group, bool) {
	for _, g := range groups {
		if slices.Contains(g.Runs, p) {
			return g, true
		}
	}
	return Group{}, false
}

// Measured are the runs whose figures count: not warm-ups, not failed
// (a stopped run measured only part of its work).
func (g Group) Measured() []*profile.Profile {
	var ms []*profile.Profile
	for _, p := range g.Runs {
		if !p.Warmup && !p.Failed() {
			ms = append(ms, p)
		}
	}
	return ms
}

// Warmups counts its warm-up runs.
func (g Group) Warmups() int {
	n := 0
	for _, p := range g.Runs {
		if p.Warmup {
			n++
		}
	}
	return n
}

// Repeats counts its measured repeats: every run but the warm-ups, failed
// ones included.
func (g Group) Repeats() int { return len(g.Runs) - g.Warmups() }

// Spread is a figure over a group's measured runs: their median, the
// smallest and the largest, and how many there were.
type Spread struct {
	Median, Min, Max float64
	N                int
}

// SpreadOf is the spread of xs; the zero Spread for none.
func SpreadOf(xs []float64) Spread {
	if len(xs) == 0 {
		return Spread{}
	}
	s := slices.Sorted(slices.Values(xs))
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return Spread{Median: m, Min: s[0], Max: s[len(s)-1], N: len(s)}
}

// Share is the spread's width over its median, (max-min)/median: how far
// the repeats disagree; 0 without a positive median.
func (s Spread) Share() float64 {
	if !(s.Median > 0) {
		return 0
	}
	return (s.Max - s.Min) / s.Median
}

// Wall is the spread of its measured runs' wall times.
func (g Group) Wall() Spread {
	return g.spread(func(p *profile.Profile) float64 { return p.Summary.WallS })
}

// Startup is the spread of its measured runs' start-ups.
func (g Group) Startup() Spread {
	return g.spread(func(p *profile.Profile) float64 { return StartupS(p) })
}

func (g Group) spread(of func(*profile.Profile) float64) Spread {
	var xs []float64
	for _, p := range g.Measured() {
		xs = append(xs, of(p))
	}
	return SpreadOf(xs)
}

// Shown is the run that stands for the group in pictures and in the
// table's figures that are not spreads: the measured run of the median
// wall (with an even count, the faster of the two in the middle, the
// earlier on a tie); without a measured run, the last run.
func (g Group) Shown() *profile.Profile {
	ms := g.Measured()
	if len(ms) == 0 {
		return g.Runs[len(g.Runs)-1]
	}
	slices.SortStableFunc(ms, func(a, b *profile.Profile) int { return cmpFloat(a.Summary.WallS, b.Summary.WallS) })
	return ms[(len(ms)-1)/2]
}
