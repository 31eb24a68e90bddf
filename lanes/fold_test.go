package lanes

import (
	"cmp"
	"fmt"
	"image"
	"slices"
	"testing"
	"time"

	"corescope/profile"
	"corescope/spec"
)

func TestFoldOf(t *testing.T) {
	shim := func(n int, name string, onS float64) []ProcessTime {
		var ps []ProcessTime
		for i := range n {
			ps = append(ps, ProcessTime{PID: 1000 + len(name)*100 + i, Name: name, Threads: 1, OnS: onS})
		}
		return ps
	}
	python := ProcessTime{PID: 10, Name: "python3", Threads: 5, OnS: 0.7}
	tests := []struct {
		name   string
		procs  []ProcessTime
		pids   []int // folded
		detail string
	}{
		{"a pyenv shim's processes fold",
			slices.Concat([]ProcessTime{python}, shim(20, "bash", 0.0003), shim(8, "pyenv", 0.002), shim(3, "", 0.0001)),
			nil, "0.02 s on a core in all: bash ×20, pyenv ×8, 3 unnamed"},
		{"one small process keeps its lane",
			[]ProcessTime{python, {PID: 11, Name: "sh", Threads: 1, OnS: 0.0001}}, []int{}, ""},
		{"over 1% of the subject's time is not folded",
			[]ProcessTime{{PID: 1, OnS: 0.2}, {PID: 2, OnS: 0.003}, {PID: 3, OnS: 0.003}}, []int{}, ""},
		{"10 ms or more is not folded, however long the run",
			[]ProcessTime{{PID: 1, OnS: 100}, {PID: 2, OnS: 0.010}, {PID: 3, OnS: 0.010}, {PID: 4, OnS: 0.0099}, {PID: 5, OnS: 0}},
			[]int{4, 5}, "0.01 s on a core in all: 2 unnamed"},
		{"the busiest process stays though all are small", shim(150, "x", 0.0001), nil, "0.01 s on a core in all: x ×149"},
		{"nothing on a core: nothing folds", []ProcessTime{{PID: 1}, {PID: 2}, {PID: 3}}, []int{}, ""},
		{"at most four names",
			[]ProcessTime{python, {PID: 1, Name: "a"}, {PID: 2, Name: "b"}, {PID: 3, Name: "c"}, {PID: 4, Name: "d"}, {PID: 5, Name: "e"}, {PID: 6, Name: "e"}},
			[]int{1, 2, 3, 4, 5, 6}, "0.00 s on a core in all: e ×2, a, b, c, …"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := FoldOf(tt.procs)
			want := tt.pids
			if want == nil { // every process but the first
				for _, p := range tt.procs[1:] {
					want = append(want, p.PID)
				}
			}
			var got []int
			for _, p := range tt.procs {
				if f.Has(p.PID) {
					got = append(got, p.PID)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("folded = %v; want %v", got, want)
			}
			if f.Processes != len(want) || f.Empty() != (len(want) == 0) {
				t.Errorf("Processes = %d, Empty = %v; want %d", f.Processes, f.Empty(), len(want))
			}
			if !f.Empty() && f.Detail() != tt.detail {
				t.Errorf("Detail() = %q; want %q", f.Detail(), tt.detail)
			}
		})
	}
}

// shimRun is a recorded run like `python3 gil.py` through a pyenv shim:
// process 10 with 4 busy threads (0.2 s each, on cores 0 and 1) and 30
// processes of one thread, 1 ms each, the first 20 named bash.
func shimRun() *profile.Profile {
	p := &profile.Profile{}
	for k := range 4 {
		tid := 10 + k
		p.Threads = append(p.Threads, profile.Thread{PID: 10, TID: tid, Name: "python3", Process: "python3"})
		p.Slices = append(p.Slices, profile.Slice{PID: 10, TID: tid, CPU: k % 2, Start: 0.1 + 0.2*float64(k), End: 0.3 + 0.2*float64(k)})
	}
	for k := range 30 {
		pid, name := 100+k, ""
		if k < 20 {
			name = "bash"
		}
		p.Threads = append(p.Threads, profile.Thread{PID: pid, TID: pid, Name: name, Process: name})
		start := 0.01 + 0.002*float64(k)
		p.Slices = append(p.Slices, profile.Slice{PID: pid, TID: pid, CPU: 1, Start: start, End: start + 0.001})
	}
	slices.SortFunc(p.Slices, func(a, b profile.Slice) int { return cmp.Compare(a.End, b.End) })
	return p
}

func TestNewFold(t *testing.T) {
	f := NewFold(shimRun())
	if f.Processes != 30 || f.Threads != 30 || f.Has(10) || !f.Has(100) {
		t.Errorf("fold of a shim's run: %d processes, %d threads, python3 folded %v; want 30, 30, false", f.Processes, f.Threads, f.Has(10))
	}
	if got, want := f.Title()+": "+f.Detail(), "30 processes, each under 2 ms on a core: 0.03 s on a core in all: bash ×20, 10 unnamed"; got != want {
		t.Errorf("fold = %q; want %q", got, want)
	}
}

// TestSetProfileFolds checks that a recorded run's small processes share
// one lane, last, which holds their slices, and that a hit on it names the
// fold and the process there.
func TestSetProfileFolds(t *testing.T) {
	l := New()
	l.SetProfile(shimRun())
	names := l.Names()
	want := []string{"python3 10", "python3 11", "python3 12", "python3 13", "30 processes"}
	if !slices.Equal(names, want) {
		t.Fatalf("lanes = %q; want %q", names, want)
	}
	h, ok := l.At(4, 0.0105, 0.0106) // process 100's slice: 0.010 to 0.011
	if !ok || h.PID != 100 || h.Core != 1 || h.Fold == "" {
		t.Errorf("At(fold lane, 10.5 ms) = %+v, %v; want process 100 on core 1, with the fold's summary", h, ok)
	}
	if h, _ := l.At(4, 0.5, 0.51); h.Core != -1 {
		t.Errorf("At(fold lane, 0.5 s) = %+v; want no core", h)
	}
	l.Reset(l.t0, 0.1, 0)
	l.AddSlices([]profile.Slice{{PID: 100, TID: 100, Start: 0, End: 0.001}, {PID: 101, TID: 101, Start: 0, End: 0.001}})
	if got := fmt.Sprint(l.Names()); got != "[100/100 101/101]" {
		t.Errorf("live lanes after Reset = %s; want a lane each: a live run does not fold", got)
	}
}

// TestSampledLanesFold folds a run without slices by its samples' CPU: two
// processes seen once, each 0.1 ms, beside a thread busy all along.
func TestSampledLanesFold(t *testing.T) {
	p := &profile.Profile{Spec: spec.Spec{Interval: spec.Duration(100 * time.Millisecond)}}
	for i := range 10 {
		f := profile.Frame{T: 0.1 * float64(i+1), ThreadSamples: []profile.ThreadSample{{PID: 1, TID: 1, CPU: 0.1, Core: 0}}}
		if i == 3 {
			f.ThreadSamples = append(f.ThreadSamples, profile.ThreadSample{PID: 7, TID: 7, CPU: 0.0001, Core: 1},
				profile.ThreadSample{PID: 8, TID: 8, CPU: 0.0001, Core: 1})
		}
		p.Frames = append(p.Frames, f)
	}
	l := New()
	l.SetProfile(p)
	if got, want := l.Names(), []string{"1/1", "2 processes"}; !slices.Equal(got, want) {
		t.Fatalf("lanes = %q; want %q", got, want)
	}
	dst := image.NewRGBA(image.Rect(0, 0, 100, l.Len()*Rows))
	l.Paint(dst, 0, 1)
	if got := dst.RGBAAt(35, Rows); got != CorePalette[1] {
		t.Errorf("the fold's lane in sample 4 = %v; want core 1's %v", got, CorePalette[1])
	}
	if h, _ := l.At(1, 0.35, 0.36); h.PID != 8 || h.Core != 1 || h.Fold != "2 processes, each under 1 ms on a core" {
		t.Errorf("At(fold lane, sample 4) = %+v; want process 8 on core 1, in the fold", h)
	}
}
