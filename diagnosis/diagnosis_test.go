package diagnosis

import (
	"reflect"
	"slices"
	"testing"

	"corescope/profile"
	"corescope/profile/profiletest"
	"corescope/spec"
)

// TestCases puts runs of known figures in their cases, with the figures
// that decide them.
func TestCases(t *testing.T) {
	approximate, turns, together := profiletest.CrowdedSampled(), profiletest.CrowdedTakingTurns(), profiletest.CrowdedTogether()
	starved := profiletest.Model(spec.Sequential, 3, 0.45)
	starved.Summary.Attribution, starved.Summary.OthersBusyCores = profile.AttributionExact, 1.5
	io := profiletest.Model(spec.Async, 2, 0.1)
	io.Spec.Workload = spec.IO
	squeezed := profiletest.Command("server", 2, 0.45)
	squeezed.Summary.OthersBusyCores = 1.1
	failed := profiletest.Model(spec.Threads, 2, 1)
	failed.Error = "threads: the subject exited with code 1"
	noGIL := profiletest.Model(spec.Threads, 2, 1)
	noGIL.Machine.Python = "CPython 3.13.1, no GIL"
	startup := profiletest.Command("app", 3, 0.5) // imports took most of the run,
	startup.Summary.TasksCoresUsed = 1.9          // but the tasks ran in parallel
	tests := []struct {
		name string
		p    *profile.Profile
		want Case
	}{
		{"failed", failed, Failed},
		{"watched", &profile.Profile{Nodes: []profile.Node{{Name: "a:9100"}}}, Watched},
		{"no run time", profiletest.Command("true", 0, 0), NoRunTime},
		{"too short to judge", profiletest.Command("true", 0.002, 0.9), TooShort},
		{"starved by others", starved, StarvedByOthers},
		{"starved, only the machine known", profiletest.Model(spec.Sequential, 3, 0.45), StarvedOnBusyMachine},
		{"an I/O model waits", io, WaitingOnIO},
		{"a command squeezed", squeezed, WaitingOrSqueezed},
		{"a command on a quiet machine", profiletest.Command("server", 2, 0.45), WaitingOrIdle},
		{"sequential", profiletest.Model(spec.Sequential, 3, 1), OneTaskAtATime},
		{"threads", profiletest.Model(spec.Threads, 3, 1), GILBound},
		{"threads without a GIL", noGIL, ThreadsWithoutGIL},
		{"async", profiletest.Model(spec.Async, 3, 1), EventLoop},
		{"one busy thread", profiletest.WithThreads(profiletest.Command("python3", 2, 0.99), 1.9, 0.01), OneCore},
		{"crowded, no timeline", approximate, CrowdedUnknown},
		{"crowded, together when they could", together, CrowdedTogether},
		{"crowded, taking turns: CPython's GIL", turns, HeldByGIL},
		{"CPython threads on a quiet machine", profiletest.WithThreads(profiletest.Command("python3", 2, 0.99), 0.6, 0.7, 0.7), HeldByGIL},
		{"other threads held to one core", profiletest.WithThreads(profiletest.Command("java", 2, 0.99), 1, 1), HeldByLock},
		{"the tasks' span decides", startup, Parallel},
	}
	for _, tt := range tests {
		if got := Of(tt.p); got.Case != tt.want {
			t.Errorf("%s: case %d; want %d (findings %+v)", tt.name, got.Case, tt.want, got)
		}
	}
	if f := Of(turns); !f.Timeline || !f.TookTurns() || f.BusyThreads != 4 || !f.Crowded || !f.Competed {
		t.Errorf("threads taking turns: %+v; want 4 busy threads, crowded, competed, a timeline of turns", f)
	}
	if f := Of(together); f.TookTurns() || f.Together < 0.4 || f.Together > 0.5 {
		t.Errorf("threads together: %+v; want them together 45%% of the run", f)
	}
}

// TestOfChangesNothing checks that judging a run leaves it as it was.
func TestOfChangesNothing(t *testing.T) {
	p := profiletest.CrowdedTogether()
	slices.Reverse(p.Slices) // out of order: Together sorts its own copy
	before := *p
	before.Slices = append([]profile.Slice(nil), p.Slices...)
	Of(p)
	if !reflect.DeepEqual(*p, before) {
		t.Errorf("Of changed the run:\n%+v\nwas\n%+v", *p, before)
	}
}

func TestSpeedups(t *testing.T) {
	seq := profiletest.Model(spec.Sequential, 3, 1)
	proc := profiletest.Model(spec.Processes, 1.5, 1.94)
	io := profiletest.Model(spec.Async, 0.2, 0.05)
	io.Spec.Workload = spec.IO // no sequential I/O run: no speedup
	bad := profiletest.Model(spec.Processes, 1, 2)
	bad.Error = "the subject exited with code 1"
	first := profiletest.Command("a.py", 2, 1)
	second := profiletest.Command("b.py", 1, 1)
	first.Spec.Baseline, second.Spec.Baseline = "a.py", "a.py"
	Speedups([]*profile.Profile{seq, proc, io, bad, first, second})
	tests := []struct {
		p    *profile.Profile
		want float64 // 0 = none
	}{{seq, 1}, {proc, 2}, {io, 0}, {bad, 0}, {first, 1}, {second, 2}}
	for _, tt := range tests {
		got := 0.0
		if tt.p.Summary.Speedup != nil {
			got = *tt.p.Summary.Speedup
		}
		if got != tt.want {
			t.Errorf("%s speedup = %v; want %v", tt.p.Label, got, tt.want)
		}
	}
	if f := Of(second); f.Speedup == nil || *f.Speedup != 2 || f.Baseline != "a.py" {
		t.Errorf("findings of the second command = %+v; want 2x against a.py", f)
	}
	if f := Of(seq); f.Speedup != nil {
		t.Errorf("findings of the baseline itself = %+v; want no speedup", f)
	}
}
