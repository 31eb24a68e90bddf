package diagnosis

import (
	"slices"
	"testing"

	"corescope/profile"
	"corescope/profile/profiletest"
)

func TestKind(t *testing.T) {
	for syscall, want := range map[string]string{
		"futex": WaitLock, "recvfrom": WaitIO, "epoll_wait": WaitIO, "read": WaitIO, "accept4": WaitIO,
		"clock_nanosleep": WaitSleep, "wait4": WaitChild, "rt_sigtimedwait": WaitOther, "syscall 999": WaitOther, "": WaitOther,
	} {
		if got := Kind(syscall); got != want {
			t.Errorf("Kind(%q) = %q; want %q", syscall, got, want)
		}
	}
}

// TestStretches checks each thread's time off a core: runnable after a
// preempted slice, blocked after a blocked one (on what a sample found it
// in, or the nearest sample within an interval, or unknown), nothing after
// an exited slice or one whose end is not said; a last blocked slice is
// followed to the subject's end.
func TestStretches(t *testing.T) {
	sample := func(t float64, tid int, wait, lock string) profile.Frame {
		return profile.Frame{T: t, ThreadSamples: []profile.ThreadSample{{PID: 1, TID: tid, State: profile.StateBlocked, Wait: wait, Lock: lock}}}
	}
	pr := &profile.Profile{
		Spec:    profiletest.Command("app", 1, 1).Spec,
		Summary: profile.Summary{SubjectEndS: 2},
		Frames:  []profile.Frame{sample(0.1, 1, "recvfrom", ""), sample(0.6, 2, "futex", "0x10"), sample(0.7, 2, "futex", "0x10"), sample(0.8, 2, "read", "")},
		Slices: []profile.Slice{
			{PID: 1, TID: 1, Start: 0, End: 0.05, Ended: p}, {PID: 1, TID: 1, Start: 0.06, End: 0.08, Ended: b},
			{PID: 1, TID: 1, Start: 0.12, End: 0.13, Ended: b}, {PID: 1, TID: 1, Start: 0.3, End: 0.31, Ended: b},
			{PID: 1, TID: 1, Start: 0.6, End: 0.61, Ended: x},
			{PID: 1, TID: 2, Start: 0.5, End: 0.55, Ended: b}, {PID: 1, TID: 2, Start: 0.9, End: 1, Ended: ""},
			{PID: 1, TID: 3, Start: 1.5, End: 1.6, Ended: b},
		},
	}
	want := []Stretch{
		{PID: 1, TID: 1, From: 0.05, To: 0.06, State: Runnable},
		{PID: 1, TID: 1, From: 0.08, To: 0.12, State: Blocked, Kind: WaitIO, Wait: "recvfrom"},             // the sample within
		{PID: 1, TID: 1, From: 0.13, To: 0.3, State: Blocked, Kind: WaitIO, Wait: "recvfrom"},              // the nearest, 0.03 s before
		{PID: 1, TID: 1, From: 0.31, To: 0.6, State: Blocked, Kind: WaitUnknown},                           // none within 0.1 s
		{PID: 1, TID: 2, From: 0.55, To: 0.9, State: Blocked, Kind: WaitLock, Wait: "futex", Lock: "0x10"}, // the most common within
		{PID: 1, TID: 3, From: 1.6, To: 2, State: Blocked, Kind: WaitUnknown},
	}
	got := Stretches(pr)
	if len(got) != len(want) {
		t.Fatalf("%d stretches %+v; want %d", len(got), got, len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.TID != w.TID || g.CPU != 0 || g.State != w.State || g.Kind != w.Kind || g.Wait != w.Wait || g.Lock != w.Lock ||
			abs(g.From-w.From) > 1e-9 || abs(g.To-w.To) > 1e-9 {
			t.Errorf("stretch %d = %+v; want %+v", i, g, w)
		}
	}
}

func abs(v float64) float64 { return max(v, -v) }

// TestPhases checks the rule that splits a run into phases: frames of one
// class (idle, one core, parallel) form a segment, and one shorter than
// MinPhaseFrames and MinPhaseShare of the run joins its longer neighbour.
func TestPhases(t *testing.T) {
	// cpu is a run of frames 0.1 s apart with these cores' worth each.
	cpu := func(cores ...float64) *profile.Profile {
		pr := profiletest.Command("app", float64(len(cores))/10, 1)
		pr.Summary.SubjectEndS = pr.Summary.WallS
		for i, c := range cores {
			pr.Frames = append(pr.Frames, profile.Frame{T: float64(i+1) / 10, SubjectCPU: c / 10})
		}
		return pr
	}
	repeat := func(n int, c float64) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = c
		}
		return out
	}
	runnable := cpu(repeat(10, 0.1)...) // throttled: little CPU, but wanting a core
	for i := range runnable.Frames {
		runnable.Frames[i].ThreadSamples = []profile.ThreadSample{{PID: 1, TID: 1, CPU: 0.01, RunQS: 0.09, State: profile.StateRunning}}
	}
	tests := []struct {
		name string
		p    *profile.Profile
		want []float64 // each phase's end
	}{
		{"one phase", cpu(repeat(10, 1)...), []float64{1}},
		{"two frames of parallel join the one-core phase", cpu(slices.Concat(repeat(4, 1), repeat(2, 2), repeat(4, 1))...), []float64{1}},
		{"three frames make a phase", cpu(slices.Concat(repeat(4, 1), repeat(3, 2), repeat(4, 1))...), []float64{0.4, 0.7, 1.1}},
		// 100 frames: a phase is 5 frames (5%), so 4 join their longer neighbour.
		{"a long run's short segment joins the longer neighbour", cpu(slices.Concat(repeat(30, 1), repeat(4, 0), repeat(66, 2))...), []float64{3, 10}},
		{"a long run's 5% segment stays", cpu(slices.Concat(repeat(30, 1), repeat(5, 0), repeat(65, 2))...), []float64{3, 3.5, 10}},
		{"1.14 cores is one core, 1.16 parallel", cpu(slices.Concat(repeat(5, 1.14), repeat(5, 1.16))...), []float64{0.5, 1}},
		{"0.19 cores is idle, 0.21 is not", cpu(slices.Concat(repeat(5, 0.21), repeat(5, 0.19))...), []float64{0.5, 1}},
		{"a frame wanting a core is not idle", runnable, []float64{1}},
	}
	for _, tt := range tests {
		f := Of(tt.p)
		var ends []float64
		for _, ph := range f.Phases {
			ends = append(ends, ph.EndS)
		}
		if !slices.EqualFunc(ends, tt.want, func(a, b float64) bool { return abs(a-b) < 1e-9 }) {
			t.Errorf("%s: phases end at %v; want %v", tt.name, ends, tt.want)
		}
	}
}
