package recorder

import (
	"math"
	"slices"
	"testing"
	"time"

	"corescope/levels"
	"corescope/profile"
	"corescope/spec"
)

func TestSummarizeFramesWeightsEdges(t *testing.T) {
	p := &profile.Profile{Spec: spec.Spec{Interval: spec.Duration(100 * time.Millisecond)}}
	// The subject lives from 0.15 to 0.35 s: half of frame 0.2, all of 0.3, half of 0.4.
	p.Summary.SubjectStartS, p.Summary.SubjectEndS = 0.15, 0.35
	for i, busy := range []float64{0.1, 1.0, 2.0, 1.0, 0.1} {
		p.Frames = append(p.Frames, profile.Frame{T: 0.1 * float64(i+1), Busy: row(busy/2, busy/2), SubjectCPU: 0.1, SelfCPU: 0.01})
	}
	summarizeFrames(p)
	s := p.Summary
	// (1.0*0.5 + 2.0*1 + 1.0*0.5) / 2 = 1.5
	if math.Abs(s.MachineBusyCores-1.5) > 1e-9 {
		t.Errorf("machine busy cores = %v; want 1.5", s.MachineBusyCores)
	}
	if s.PeakBusyCores != 2 {
		t.Errorf("peak = %v; want 2", s.PeakBusyCores)
	}
	if math.Abs(s.CPUS-0.5) > 1e-9 || math.Abs(s.SelfCPUS-0.05) > 1e-9 {
		t.Errorf("cpu = %v, self = %v; want 0.5 and 0.05", s.CPUS, s.SelfCPUS)
	}
	if math.Abs(s.SelfCores-0.1) > 1e-9 {
		t.Errorf("self cores = %v; want 0.05 s over 0.5 s = 0.1", s.SelfCores)
	}
}

// TestTreeSampled checks the sign of a summary whose process figures were
// never measured: /bin/true exits before any tick reads its tree.
func TestTreeSampled(t *testing.T) {
	p := &profile.Profile{Spec: spec.Spec{Interval: spec.Duration(100 * time.Millisecond)},
		Frames: []profile.Frame{{T: 0.1, Busy: row(0.1, 0)}, {T: 0.2, Busy: row(0, 0.1)}}}
	p.Summary.SubjectStartS, p.Summary.SubjectEndS = 0.15, 0.151
	summarizeFrames(p)
	if s := p.Summary; s.TreeSampled() || s.MaxRSS != 0 || s.Threads != 0 {
		t.Errorf("no frame read the tree: sampled %v, max RSS %d, threads %d; want false, 0, 0", s.TreeSampled(), s.MaxRSS, s.Threads)
	}
	p.Frames[1].Procs, p.Frames[1].Threads, p.Frames[1].RSS = 1, 1, 1<<20
	summarizeFrames(p)
	if s := p.Summary; !s.TreeSampled() || s.MaxRSS != 1<<20 {
		t.Errorf("one frame read the tree: sampled %v, max RSS %d; want true, %d", s.TreeSampled(), s.MaxRSS, 1<<20)
	}
}

func TestSummarizeSlicesAndTasks(t *testing.T) {
	t0 := time.Unix(1000, 0)
	p := &profile.Profile{Started: t0, Spec: spec.Spec{Interval: spec.Duration(100 * time.Millisecond)},
		Threads: []profile.Thread{{PID: 1, TID: 1, Name: "main"}},
		Slices: []profile.Slice{{PID: 1, TID: 1, CPU: 0, Start: 0.1, End: 0.2}, {PID: 1, TID: 1, CPU: 1, Start: 0.2, End: 0.25},
			{PID: 1, TID: 1, CPU: 1, Start: 0.3, End: 0.4}, {PID: 1, TID: 7, CPU: 0, Start: 0.2, End: 0.21}},
		Events: []spec.Event{{Ev: spec.EvTaskStart, TNs: t0.Add(300 * time.Millisecond).UnixNano()},
			{Ev: spec.EvTaskEnd, TNs: t0.Add(500 * time.Millisecond).UnixNano()}},
		Frames: []profile.Frame{{T: 0.4, SubjectBusy: row(1, 0)}, {T: 0.5, SubjectBusy: row(1, 1)}},
	}
	p.Summary.SubjectStartS = 0.1
	summarizeSlices(p)
	summarizeTasks(p)
	want := []profile.Thread{{PID: 1, TID: 1, Name: "main", OnCPUS: 0.25, Switches: 3, Migrations: 1}, {PID: 1, TID: 7, OnCPUS: 0.01, Switches: 1}}
	if len(p.Threads) != 2 || p.Threads[0] != want[0] || p.Threads[1] != want[1] {
		t.Errorf("threads = %+v; want %+v", p.Threads, want)
	}
	s := p.Summary
	if s.TasksStartS != 0.3 || s.TasksEndS != 0.5 || s.StartupS != 0.2 {
		t.Errorf("tasks %v..%v, start-up %v; want 0.3..0.5 after 0.2 s", s.TasksStartS, s.TasksEndS, s.StartupS)
	}
	// Frame 0.4 covers 0.3..0.4 with 1 core, frame 0.5 covers 0.4..0.5 with 2.
	if s.TasksCoresUsed != 1.5 {
		t.Errorf("cores used over the tasks = %v; want 1.5", s.TasksCoresUsed)
	}
}

// TestCreditUnsampled checks that CPU no sample saw lands, as approximate
// attribution puts all CPU, on the cores the threads last ran on, in the
// frame the subject exited in.
func TestCreditUnsampled(t *testing.T) {
	p := &profile.Profile{Spec: spec.Spec{Interval: spec.Duration(100 * time.Millisecond)},
		Frames: []profile.Frame{
			{T: 0.1, SubjectBusy: row(0.5, 0, 0), SubjectCPU: 0.1,
				ThreadSamples: []profile.ThreadSample{{TID: 1, CPU: 0.05, Core: 0}, {TID: 2, CPU: 0.05, Core: 2}}},
			{T: 0.2, SubjectBusy: row(0, 0, 0)}, // the subject exited at 0.15, unsampled
		}}
	p.Summary.SubjectEndS = 0.15
	creditUnsampled(p, 0.2) // the kernel counted 0.1 s more than the samples
	if got, want := p.Frames[1].SubjectBusy, row(0.5, 0, 0.5); !slices.Equal(got, want) {
		t.Errorf("exit frame's subject load = %v; want %v", got, want)
	}
	creditUnsampled(p, 0.05) // the samples saw more than the kernel: nothing to credit
	if got, want := p.Frames[1].SubjectBusy, row(0.5, 0, 0.5); !slices.Equal(got, want) {
		t.Errorf("after a credit of nothing: %v; want %v", got, want)
	}
}

func TestApproximateCoreLoad(t *testing.T) {
	tests := []struct {
		name    string
		samples []profile.ThreadSample
		want    []float64
	}{
		{"each on its core", []profile.ThreadSample{{TID: 1, CPU: 0.05, Core: 0}, {TID: 2, CPU: 0.1, Core: 2}}, []float64{0.5, 0, 1}},
		{"two busy threads last seen on one core", []profile.ThreadSample{{TID: 1, CPU: 0.1, Core: 1}, {TID: 2, CPU: 0.1, Core: 1}},
			[]float64{1, 1, 0}},
		{"more than the machine", []profile.ThreadSample{{TID: 1, CPU: 0.2, Core: 0}, {TID: 2, CPU: 0.2, Core: 0}}, []float64{1, 1, 1}},
		{"idle and unknown cores", []profile.ThreadSample{{TID: 1, CPU: 0, Core: 0}, {TID: 2, CPU: 0.1, Core: -1}}, []float64{0, 0, 0}},
	}
	for _, tt := range tests {
		busy := make([]float64, 3)
		approximateCoreLoad(busy, tt.samples, 0.1)
		if !slices.Equal(busy, tt.want) {
			t.Errorf("%s: approximateCoreLoad = %v; want %v", tt.name, busy, tt.want)
		}
	}
}

// TestSummarizeWatch checks a watch's summary: its length, from the first
// frame's tick to the last's end, and its nodes' known cores.
func TestSummarizeWatch(t *testing.T) {
	p := &profile.Profile{
		Spec:  spec.Spec{Interval: spec.Duration(time.Second)},
		Nodes: []profile.Node{{Name: "a:9100", Cores: 2}, {Name: "b:9100", Cores: 1, First: 2, MissedTicks: 1}},
		Frames: []profile.Frame{
			{T: 1, Busy: row(0.5, 1, 0.25)},
			{T: 2, Busy: levels.Row{levels.Of(0.5), levels.Of(0.5), levels.Missing}},
		},
	}
	summarizeWatch(p)
	s := p.Summary
	busy, peak := p.ClusterBusy()
	if s.WallS != 2 || s.MachineBusyCores != busy || s.PeakBusyCores != peak {
		t.Errorf("summary = wall %v, busy %v, peak %v; want 2, %v, %v", s.WallS, s.MachineBusyCores, s.PeakBusyCores, busy, peak)
	}
}

// row quantises fractions into a frame's row.
func row(v ...float64) levels.Row { return levels.Quantise(nil, v) }
