package diagnosis

import (
	"reflect"
	"slices"
	"testing"

	"corescope/profile"
	"corescope/profile/profiletest"
	"corescope/spec"
)

// TestCases puts runs that cannot be judged in their cases, and judges the
// rest.
func TestCases(t *testing.T) {
	failed := profiletest.Model(spec.Threads, 2, 1)
	failed.Error = "threads: the subject exited with code 1"
	tests := []struct {
		name string
		p    *profile.Profile
		want Case
	}{
		{"failed", failed, Failed},
		{"watched", &profile.Profile{Nodes: []profile.Node{{Name: "a:9100"}}}, Watched},
		{"no run time", profiletest.Command("true", 0, 0), NoRunTime},
		{"too short to judge", profiletest.Command("true", 0.002, 0.9), TooShort},
		{"judged", profiletest.GILThreads("python3").Exact(), Judged},
	}
	for _, tt := range tests {
		f := Of(tt.p)
		if f.Case != tt.want {
			t.Errorf("%s: case %d; want %d (findings %+v)", tt.name, f.Case, tt.want, f)
		}
		if judged := len(f.Phases) > 0 && len(f.Reasons) > 0; judged != (tt.want == Judged) {
			t.Errorf("%s: %d phases, %d reasons; want them only for a judged run", tt.name, len(f.Phases), len(f.Reasons))
		}
	}
}

// TestRunsWithoutFrames judges runs of a summary alone (the figures tests
// of the views make): one phase of its figures, the tasks' span deciding
// where the subject reported tasks, and what the summary cannot tell said.
func TestRunsWithoutFrames(t *testing.T) {
	startup := profiletest.Command("app", 3, 0.5) // imports took most of the run,
	startup.Summary.TasksCoresUsed = 1.9          // but the tasks ran in parallel
	tests := []struct {
		name    string
		p       *profile.Profile
		want    string
		missing string
	}{
		{"the tasks' span decides", startup, "parallel", ""},
		{"about one core, nothing else known", profiletest.Command("app", 2, 1), "undecided", "thread figures"},
		{"one busy thread on the switch timeline", profiletest.WithThreads(profiletest.Command("app", 2, 0.95), 1.9, 0.01), "one-thread", "slice ends"},
		// Two cores' worth is never one thread's, whatever the threads seen.
		{"one busy thread seen, two cores used", profiletest.WithThreads(profiletest.Command("app", 2, 1.96), 1.9), "parallel", ""},
	}
	for _, tt := range tests {
		f := Of(tt.p)
		if got := names(f); got != tt.want || f.In(0)[0].Missing != tt.missing {
			t.Errorf("%s: reasons %q, missing %q; want %q, %q\n%s", tt.name, got, f.In(0)[0].Missing, tt.want, tt.missing, dump(f))
		}
		if len(f.Phases) != 1 || f.Used != f.Phases[0].CoresUsed {
			t.Errorf("%s: %d phases, used %v; want one, its cores", tt.name, len(f.Phases), f.Used)
		}
	}
}

// TestMainPhase checks that the verdict's phase is the one that took the
// most time, and its cores the figure judged.
func TestMainPhase(t *testing.T) {
	tl := profiletest.Phased()
	tl.Threads[1].Slices = profiletest.Slices(21, 21, 0, 2, 5, 3, 0, x) // the pool's phase is now the longest
	tl.Threads[2].Slices = profiletest.Slices(22, 22, 1, 2, 5, 3, 0, x)
	tl.Threads[0].Slices = append(tl.Threads[0].Slices[:len(tl.Threads[0].Slices)-1], profile.Slice{PID: 10, TID: 10, Start: 5, End: 5.01, Ended: b})
	tl.Seconds = 7
	for _, p := range []*profile.Profile{tl.Exact(), tl.Approximate()} {
		f := Of(p)
		if len(f.Phases) != 3 || f.Main != 1 || f.Primary().Name != profile.ReasonParallel || f.Used < 1.9 {
			t.Errorf("%s: %d phases, main %d (%q), used %v; want 3, the parallel one at 2 cores\n%s", p.Summary.Attribution, len(f.Phases), f.Main, f.Primary().Name, f.Used, dump(f))
		}
	}
}

// TestOfChangesNothing checks that judging a run leaves it as it was.
func TestOfChangesNothing(t *testing.T) {
	p := profiletest.GILThreads("python3").Exact()
	slices.Reverse(p.Slices) // out of order: Of sorts its own copies
	before := *p
	before.Slices = slices.Clone(p.Slices)
	Of(p)
	if !reflect.DeepEqual(*p, before) {
		t.Errorf("Of changed the run")
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

// TestKept checks the findings a concluded run keeps: the same as those
// of its evidence, without reading it; none for a run that keeps none.
func TestKept(t *testing.T) {
	p := profiletest.Phased().Exact()
	if _, ok := Kept(p); ok {
		t.Error("a run never concluded keeps findings")
	}
	f := Of(p)
	p.Summary.Phases, p.Summary.Reasons = f.Phases, f.Reasons
	p.Slices, p.Frames = nil, nil // the evidence is not read again
	if kept, ok := Kept(p); !ok || !reflect.DeepEqual(kept, f) {
		t.Errorf("Kept = %+v, %v; want %+v", kept, ok, f)
	}
}

// BenchmarkOf judges an hour of samples of 4 threads (36,000 frames) and
// a GIL-bound run with profile.MaxSlices slices.
func BenchmarkOf(b *testing.B) {
	long := profile.MaxSlices * 0.003 / 2 // 3 ms slices, two threads
	gil := profiletest.Timeline{Argv0: "python3", Seconds: long, Allowed: 2, Threads: []profiletest.ThreadLine{
		{PID: 10, TID: 11, Wait: "futex", Lock: "0x55aa", Slices: profiletest.Slices(10, 11, 0, 0, long, 0.003, 0.003, profile.SliceBlocked)},
		{PID: 10, TID: 12, Wait: "futex", Lock: "0x55aa", Slices: profiletest.Slices(10, 12, 1, 0.003, long, 0.003, 0.003, profile.SliceBlocked)},
	}}
	for _, run := range []struct {
		name string
		p    *profile.Profile
	}{{"an hour of samples", profiletest.OneHour(4)}, {"max slices", gil.Exact()}} {
		b.Run(run.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Of(run.p)
			}
		})
	}
}
