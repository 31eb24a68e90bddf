package report

import (
	"fmt"
	"math"
	"time"

	"corescope/levels"
	"corescope/profile"
	"corescope/spec"
)

// started is when every fixture run began.
var started = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// interval is the fixtures' sampling period in seconds.
const interval = 0.1

// fixture synthesises a run of n samples of cores cores, one every interval
// from interval on, core c of sample s busy busy(s, c). The subject lives
// from the second sample to the one before last; it ran four tasks on two
// threads (tids 101, 102), two of them overlapping on thread 102, and a
// fifth that never ended.
func fixture(label string, model spec.Model, cores, n int, busy func(s, c int) float64) *profile.Profile {
	p := &profile.Profile{
		Label:   label,
		Spec:    spec.Spec{Backend: spec.BackendGo, Workload: spec.CPU, Model: model, Tasks: 5, Size: 1},
		Started: started,
		Machine: profile.Machine{CPUModel: "Test CPU 9000", LogicalCores: cores, PhysicalCores: max(1, cores/2),
			OS: "linux", Kernel: "6.1", GoVersion: "go1.26"},
		Threads: []profile.Thread{{PID: 100, TID: 101, Name: "worker", Process: "corescope"},
			{PID: 100, TID: 102, Name: "worker", Process: "corescope"}},
	}
	cpu := 0.0
	for s := range n {
		f := profile.Frame{T: float64(s+1) * interval}
		for c := range cores {
			v := busy(s, c)
			f.Busy = append(f.Busy, levels.Of(v))
		}
		cpu += f.BusyCores() * interval
		p.Frames = append(p.Frames, f)
	}
	end := float64(n) * interval
	wall := max(0, end-2*interval)
	speedup := 1.0
	p.Summary = profile.Summary{WallS: wall, CPUS: cpu, CoresUsed: cpu / max(wall, interval), Speedup: &speedup,
		Threads: 2, Procs: 1, CtxSwitches: 1234, SelfCPUS: 0.02, SelfCores: 0.01, TasksDone: 4,
		SubjectStartS: interval, SubjectEndS: max(interval, end-interval),
		Verdict: string(model) + " kept cores busy"}
	at := func(frac float64) int64 {
		return started.Add(time.Duration(frac * end * float64(time.Second))).UnixNano()
	}
	ev := func(kind string, task, tid int, frac float64) spec.Event {
		return spec.Event{Ev: kind, Task: task, Worker: tid - 100, PID: 100, TID: tid, TNs: at(frac)}
	}
	p.Events = []spec.Event{
		ev(spec.EvTaskStart, 0, 101, 0.1), ev(spec.EvTaskEnd, 0, 101, 0.4),
		ev(spec.EvTaskStart, 1, 101, 0.4), ev(spec.EvTaskEnd, 1, 101, 0.8),
		ev(spec.EvTaskStart, 2, 102, 0.2), ev(spec.EvTaskStart, 3, 102, 0.3),
		ev(spec.EvTaskEnd, 2, 102, 0.5), ev(spec.EvTaskEnd, 3, 102, 0.6),
		ev(spec.EvTaskStart, 4, 101, 0.85),
	}
	return p
}

// Busy patterns for fixtures.
var (
	// gradient makes core c of cores busy c/(cores-1), whatever the time.
	gradient = func(cores int) func(s, c int) float64 {
		return func(_, c int) float64 { return float64(c) / float64(max(1, cores-1)) }
	}
	// secondHalf keeps every core idle for the first half of n samples, busy after.
	secondHalf = func(n int) func(s, c int) float64 {
		return func(s, _ int) float64 { return b2f(s >= n/2) }
	}
	// wave moves load across cores and time.
	wave = func(s, c int) float64 { return math.Abs(math.Sin(float64(s)/25 + float64(c)/7)) }
)

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// approximateNote is the fixtures' reason for approximate attribution.
const approximateNote = "perf events are refused (perf_event_paranoid is 4): sudo sysctl kernel.perf_event_paranoid=2 makes it exact"

// withSubject gives every sample of p the subject's load on each core,
// subj(s, c) but never more than the machine's, and attribution; others
// get the rest.
func withSubject(p *profile.Profile, attribution string, subj func(s, c int) float64) *profile.Profile {
	others := 0.0
	for s := range p.Frames {
		f := &p.Frames[s]
		f.SubjectBusy = make(levels.Row, len(f.Busy))
		for c, b := range f.Busy {
			f.SubjectBusy[c] = min(b, levels.Of(subj(s, c)))
		}
		others += f.OthersCores()
	}
	p.Summary.Attribution = attribution
	p.Summary.OthersBusyCores = others / float64(max(1, len(p.Frames)))
	if attribution == profile.AttributionApproximate {
		p.Summary.AttributionNote = approximateNote
	}
	return p
}

// withSlices gives p n back-to-back on-core slices over the subject's life,
// as GIL-bound threads take turns: slice k belongs to thread k%threads
// (tids 101 on; the first half in process 100, "corescope", the rest in
// process 200, "python3") and runs on core (k/threads)%cores. The threads
// get their on-core time, switches and migrations.
func withSlices(p *profile.Profile, threads, n int) *profile.Profile {
	s := p.Summary
	d := (s.SubjectEndS - s.SubjectStartS) / float64(n)
	cores := max(1, p.Machine.LogicalCores)
	p.Threads = nil
	for t := range threads {
		pid, process := 100, "corescope"
		if t >= (threads+1)/2 {
			pid, process = 200, "python3"
		}
		p.Threads = append(p.Threads, profile.Thread{PID: pid, TID: 101 + t, Name: fmt.Sprintf("worker-%d", t), Process: process})
	}
	p.Slices = make([]profile.Slice, n)
	last := map[int]int{}
	for k := range n {
		th := &p.Threads[k%threads]
		start := s.SubjectStartS + float64(k)*d
		sl := profile.Slice{PID: th.PID, TID: th.TID, CPU: (k / threads) % cores, Start: start, End: start + d}
		p.Slices[k] = sl
		th.OnCPUS += d
		th.Switches++
		if c, ok := last[sl.TID]; ok && c != sl.CPU {
			th.Migrations++
		}
		last[sl.TID] = sl.CPU
	}
	return p
}
