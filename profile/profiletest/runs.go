package profiletest

import (
	"time"

	"corescope/profile"
	"corescope/spec"
)

// Model is a run of the built-in CPU workload under model m on 2 cores
// that took wall seconds at cores cores' worth of CPU: what tests of
// speedups, verdicts and explanations judge.
func Model(m spec.Model, wall, cores float64) *profile.Profile {
	return &profile.Profile{
		Label:   string(m),
		Spec:    spec.Spec{Backend: spec.BackendGo, Workload: spec.CPU, Model: m, Tasks: 20, Size: 1},
		Machine: profile.Machine{LogicalCores: 2},
		Summary: profile.Summary{WallS: wall, CPUS: wall * cores, CoresUsed: cores},
	}
}

// Command is a recorded command argv0 on 2 cores, with exact attribution,
// that took wall seconds at cores cores' worth of CPU.
func Command(argv0 string, wall, cores float64) *profile.Profile {
	return &profile.Profile{
		Label:   argv0,
		Spec:    spec.Spec{Backend: spec.BackendCommand, Command: []string{argv0}, Interval: spec.Duration(100 * time.Millisecond)},
		Machine: profile.Machine{LogicalCores: 2},
		Summary: profile.Summary{WallS: wall, CPUS: wall * cores, CoresUsed: cores, Attribution: profile.AttributionExact},
	}
}

// WithThreads gives p, in one process, threads with these on-core seconds,
// each in one slice of its switch timeline from 0 s, and returns it.
func WithThreads(p *profile.Profile, onCPU ...float64) *profile.Profile {
	for i, s := range onCPU {
		p.Threads = append(p.Threads, profile.Thread{PID: 1, TID: i + 1, Process: p.Label, OnCPUS: s})
		p.Slices = append(p.Slices, profile.Slice{PID: 1, TID: i + 1, End: s})
	}
	p.Summary.Procs = 1
	return p
}

// Crowded runs are a python3 command whose 4 busy threads (0.4 s on a
// core each) got 0.87 cores' worth of CPU over 2 s while other programs
// kept 1.16 of the 2 cores busy: all there was room for. Whether they
// could have used more only their switch timeline tells: CrowdedSampled
// has none (its threads were sampled), CrowdedTakingTurns shows them one
// at a time, as a lock holds them, CrowdedTogether on cores together
// whenever they could (45% of the run).
func CrowdedSampled() *profile.Profile {
	p := crowded()
	for tid := 1; tid <= 4; tid++ {
		p.Frames = append(p.Frames, profile.Frame{T: 0.1, ThreadSamples: []profile.ThreadSample{{PID: 1, TID: tid, CPU: 0.4}}})
	}
	return p
}

// CrowdedTakingTurns: see CrowdedSampled.
func CrowdedTakingTurns() *profile.Profile {
	return crowded(profile.Slice{PID: 1, TID: 1, Start: 0, End: 0.5}, profile.Slice{PID: 1, TID: 2, Start: 0.5, End: 1},
		profile.Slice{PID: 1, TID: 3, Start: 1, End: 1.5}, profile.Slice{PID: 1, TID: 4, Start: 1.5, End: 2})
}

// CrowdedTogether: see CrowdedSampled.
func CrowdedTogether() *profile.Profile {
	return crowded(profile.Slice{PID: 1, TID: 1, Start: 0, End: 1}, profile.Slice{PID: 1, TID: 2, Start: 0.5, End: 1.5},
		profile.Slice{PID: 1, TID: 3, Start: 1.5, End: 2}, profile.Slice{PID: 1, TID: 4, Start: 1.6, End: 2})
}

// crowded is the crowded run with slices as its switch timeline.
func crowded(slices ...profile.Slice) *profile.Profile {
	p := Command("python3", 2, 0.87)
	p.Summary.OthersBusyCores, p.Summary.SubjectEndS, p.Summary.Procs = 1.16, 2, 1
	for tid := 1; tid <= 4; tid++ {
		p.Threads = append(p.Threads, profile.Thread{PID: 1, TID: tid, Process: "python3", OnCPUS: 0.4})
	}
	p.Slices = slices
	return p
}
