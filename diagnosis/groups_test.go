package diagnosis

import (
	"fmt"
	"slices"
	"testing"

	"corescope/profile"
	"corescope/profile/profiletest"
	"corescope/spec"
)

// repeat is run p numbered as repeat n of its comparison (a warm-up when
// warmup), with its wall.
func repeat(p *profile.Profile, n int, warmup bool, wall float64) *profile.Profile {
	p.Repeat, p.Warmup, p.Summary.WallS = n, warmup, wall
	return p
}

// groupNames words groups as "label:repeats" for comparing: "sequential:w1,1,2".
func groupNames(groups []Group) []string {
	var out []string
	for _, g := range groups {
		s := label(g.Runs[0]) + ":"
		for i, p := range g.Runs {
			if i > 0 {
				s += ","
			}
			if p.Warmup {
				s += "w"
			}
			s += fmt.Sprint(p.Repeat)
		}
		out = append(out, s)
	}
	return out
}

func TestGroups(t *testing.T) {
	seq := func(n int, warmup bool) *profile.Profile {
		return repeat(profiletest.Model(spec.Sequential, 1, 1), n, warmup, 1)
	}
	thr := func(n int) *profile.Profile { return repeat(profiletest.Model(spec.Threads, 1, 1), n, false, 1) }
	otherSize := thr(1)
	otherSize.Spec.Size = 2
	tests := []struct {
		name string
		ps   []*profile.Profile
		want []string
	}{
		{"a comparison's repeats, interleaved, after a warm-up",
			[]*profile.Profile{seq(1, true), thr(1), seq(1, false), thr(2), seq(2, false), seq(3, false)},
			[]string{"sequential:w1,1,2,3", "threads:1,2"}},
		{"the next comparison of the same spec is a group of its own",
			[]*profile.Profile{seq(1, false), seq(2, false), seq(1, false), seq(2, false)},
			[]string{"sequential:1,2", "sequential:1,2"}},
		{"a run without a repeat number stands alone",
			[]*profile.Profile{seq(0, false), seq(0, false), seq(1, false)},
			[]string{"sequential:0", "sequential:0", "sequential:1"}},
		{"another spec under the same label is another group",
			[]*profile.Profile{thr(1), otherSize, thr(2)},
			[]string{"threads:1,2", "threads:1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := groupNames(Groups(tt.ps)); !slices.Equal(got, tt.want) {
				t.Errorf("Groups = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestSpreadOf(t *testing.T) {
	tests := []struct {
		xs    []float64
		want  Spread
		share float64
	}{
		{nil, Spread{}, 0},
		{[]float64{2}, Spread{2, 2, 2, 1}, 0},
		{[]float64{3, 1, 2}, Spread{2, 1, 3, 3}, 1},
		{[]float64{4, 1, 2, 3}, Spread{2.5, 1, 4, 4}, 1.2},
	}
	for _, tt := range tests {
		if got := SpreadOf(tt.xs); got != tt.want || got.Share() != tt.share {
			t.Errorf("SpreadOf(%v) = %+v, share %v; want %+v, %v", tt.xs, got, got.Share(), tt.want, tt.share)
		}
	}
}

// TestShown checks which run stands for a group: the median wall's, with
// an even count the faster of the two in the middle, never a warm-up or a
// failed run.
func TestShown(t *testing.T) {
	runs := func(walls ...float64) Group {
		var g Group
		for i, w := range walls {
			g.Runs = append(g.Runs, repeat(profiletest.Model(spec.Threads, w, 1), i+1, false, w))
		}
		return g
	}
	odd := runs(2.0, 3.0, 2.5)
	if got := odd.Shown(); got != odd.Runs[2] {
		t.Errorf("Shown of walls 2.0, 3.0, 2.5 = repeat %d; want 3, the median", got.Repeat)
	}
	even := runs(2.0, 3.0, 2.4, 9)
	if got := even.Shown(); got != even.Runs[2] {
		t.Errorf("Shown of walls 2.0, 3.0, 2.4, 9 = repeat %d; want 3, the faster of the two in the middle", got.Repeat)
	}
	warm := runs(0.1, 2.0, 2.2, 2.4)
	warm.Runs[0].Warmup = true
	warm.Runs[2].Error = "exit 1"
	if got, m := warm.Shown(), warm.Measured(); len(m) != 2 || got == warm.Runs[0] || got == warm.Runs[2] {
		t.Errorf("Shown with a warm-up and a failed run = repeat %d of %d measured; want one of the 2 that count", got.Repeat, len(m))
	}
	if w := warm.Wall(); w.N != 2 || w.Median != 2.2 {
		t.Errorf("Wall with a warm-up and a failed run = %+v; want the median of 2.0 and 2.4", w)
	}
	failed := runs(1, 1)
	failed.Runs[0].Error, failed.Runs[1].Error = "exit 1", "exit 1"
	if got := failed.Shown(); got != failed.Runs[1] {
		t.Error("Shown of a group whose runs all failed; want its last run")
	}
}

// TestSpeedupsOverRepeats checks that a speedup is the ratio of the
// groups' median walls, with its range from the baseline's fastest over
// the run's slowest to the baseline's slowest over the run's fastest, and
// that warm-ups and failed runs count in neither.
func TestSpeedupsOverRepeats(t *testing.T) {
	var ps []*profile.Profile
	add := func(m spec.Model, n int, warmup bool, wall float64) *profile.Profile {
		p := repeat(profiletest.Model(m, wall, 1), n, warmup, wall)
		ps = append(ps, p)
		return p
	}
	add(spec.Sequential, 1, true, 9) // warm-ups count in no figure
	add(spec.Processes, 1, true, 9)
	add(spec.Sequential, 1, false, 2.0)
	add(spec.Processes, 1, false, 1.3)
	add(spec.Sequential, 2, false, 2.4)
	add(spec.Processes, 2, false, 1.0)
	add(spec.Sequential, 3, false, 2.2)
	add(spec.Processes, 3, false, 1.1)
	add(spec.Processes, 4, false, 0.1).Error = "exit 1" // a failed run counts in none either
	Speedups(ps)
	pool := ps[3].Summary
	if pool.Speedup == nil || *pool.Speedup != 2 || pool.SpeedupRange == nil || *pool.SpeedupRange != (profile.Range{1.538, 2.4}) {
		t.Errorf("processes: speedup %v, range %v; want 2 (2.2 / 1.1), 1.538 (2.0 / 1.3) to 2.4 (2.4 / 1.0)", pool.Speedup, pool.SpeedupRange)
	}
	if w := ps[1].Summary; w.Speedup == nil || *w.Speedup != 2 {
		t.Errorf("a warm-up's speedup = %v; want its group's", w.Speedup)
	}
	if f := ps[8].Summary; f.Speedup != nil {
		t.Errorf("a failed repeat's speedup = %v; want none", *f.Speedup)
	}
	if seq := ps[2].Summary; seq.Speedup == nil || *seq.Speedup != 1 || seq.SpeedupRange != nil {
		t.Errorf("the baseline: speedup %v, range %v; want 1, no range", seq.Speedup, seq.SpeedupRange)
	}
	if pool.WorkSpeedup == nil || *pool.WorkSpeedup != 2 {
		t.Errorf("work speedup without start-up = %v; want the wall's, 2", pool.WorkSpeedup)
	}
	one := []*profile.Profile{profiletest.Model(spec.Sequential, 2, 1), profiletest.Model(spec.Threads, 1, 1)}
	Speedups(one)
	if s := one[1].Summary; s.Speedup == nil || *s.Speedup != 2 || s.SpeedupRange != nil {
		t.Errorf("runs alone: speedup %v, range %v; want 2 and no range", s.Speedup, s.SpeedupRange)
	}
}

// TestWorkSpeedupLeavesStartupOut checks the work span's speedup: the wall
// after each run's start-up (to its first task).
func TestWorkSpeedupLeavesStartupOut(t *testing.T) {
	seq, pool := profiletest.Model(spec.Sequential, 2.5, 1), profiletest.Model(spec.Processes, 1.5, 1.9)
	for _, p := range []*profile.Profile{seq, pool} {
		p.Summary.SubjectStartS, p.Summary.TasksEndS = 0.3, 0.3+p.Summary.WallS
	}
	seq.Summary.StartupS, seq.Summary.TasksStartS = 0.5, 0.8   // 2.0 s of work
	pool.Summary.StartupS, pool.Summary.TasksStartS = 0.5, 0.8 // 1.0 s of work
	Speedups([]*profile.Profile{seq, pool})
	if s := pool.Summary; *s.Speedup != 1.667 || s.WorkSpeedup == nil || *s.WorkSpeedup != 2 {
		t.Errorf("speedup %v, work speedup %v; want 1.667 (2.5 / 1.5) and 2 (2.0 / 1.0)", *s.Speedup, s.WorkSpeedup)
	}
}
