package recorder

import (
	"cmp"
	"fmt"
	"slices"
	"syscall"
	"time"

	"corescope/levels"
	"corescope/profile"
	"corescope/spec"
)

// RunError is a subject that did not exit cleanly.
type RunError struct {
	Label string
	// ExitCode is the subject's exit status, -1 when a signal ended it.
	ExitCode int
	Signal   string
	// StderrTail is the last lines of its stderr.
	StderrTail string
}

func (e *RunError) Error() string {
	how := fmt.Sprintf("exited with code %d", e.ExitCode)
	if e.Signal != "" {
		how = "was killed by " + e.Signal
	}
	return fmt.Sprintf("%s: the subject %s", e.Label, how)
}

// finish builds the summary's figures once the subject has exited and
// says how the run ended (its Error); what the run concludes, its speedup
// and verdict, is runtext.Conclude's.
func (r *recording) finish(ended exit, stopped bool) (*profile.Profile, error) {
	p := r.prof
	s := &p.Summary
	if r.exact != nil {
		r.drainSlices() // a stopped run had no tail to drain them
		p.Slices, p.SlicesDropped = r.slices.latest()
	}
	s.WallS = profile.Round(s.SubjectEndS-s.SubjectStartS, 1e4)
	exitCPU := 0.0
	if st := ended.state; st != nil {
		p.ExitCode = st.ExitCode()
		// The subject's rusage at exit covers every child it waited for,
		// including workers that lived and died between two samples.
		exitCPU = (st.UserTime() + st.SystemTime()).Seconds()
		if ctxSwitches, ok := exitCtxSwitches(st); ok {
			s.CtxSwitches = ctxSwitches
		}
	}
	if r.exact == nil {
		creditUnsampled(p, exitCPU)
	}
	summarizeFrames(p)
	s.CPUS = profile.Round(max(s.CPUS, exitCPU), 1e4)
	if s.WallS > 0 {
		s.CoresUsed = profile.Round(s.CPUS/s.WallS, 1e3)
	}
	s.TasksDone = r.tasksDone
	if r.stats != nil {
		s.Checksum = r.stats.Checksum
		s.GILHoldS = profile.Round(time.Duration(r.stats.GILHoldNs).Seconds(), 1e4)
		s.GILWaitS = profile.Round(time.Duration(r.stats.GILWaitNs).Seconds(), 1e4)
		for _, g := range r.stdout.gil {
			s.GILThreads = append(s.GILThreads, profile.ThreadGIL{TID: g.TID,
				HoldS: profile.Round(time.Duration(g.HoldNs).Seconds(), 1e4), WaitS: profile.Round(time.Duration(g.WaitNs).Seconds(), 1e4)})
		}
	}
	r.summarizeAttribution()
	r.cpuLimits.summarize(s)
	s.FollowedBy, s.Escaped = r.group.outside()
	s.ProcessLimit = r.limit.reached()
	summarizeTasks(p)
	for _, t := range r.threads {
		p.Threads = append(p.Threads, t)
	}
	slices.SortFunc(p.Threads, func(a, b profile.Thread) int { return a.TID - b.TID })
	summarizeSlices(p)
	if r.exact != nil {
		nameUnread(p.Threads, r.exact.names())
	}
	p.StderrTail = r.stderr.tail.String()
	p.StdoutTail = r.stdout.tail.String()

	var err error
	switch {
	case stopped:
		p.Error = fmt.Sprintf("%s after %.1f s", profile.StoppedByUser, s.WallS)
		err = ErrStopped
	case ended.err != nil:
		re := &RunError{Label: p.Label, ExitCode: p.ExitCode, StderrTail: p.StderrTail}
		if ended.state != nil {
			if ws, ok := ended.state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				re.Signal = ws.Signal().String()
			}
		}
		p.Error = re.Error()
		err = re
	}
	return p, err
}

// creditUnsampled puts the subject's CPU that no sample saw, as the kernel's
// accounting at exit tells it, on the cores its threads last ran on, in the
// frame the subject exited in: what approximate attribution does with every
// interval. Without it, the stretch from the last sample to the exit, when a
// pool's workers finish together, would be missing from the per-core view.
func creditUnsampled(p *profile.Profile, exitCPU float64) {
	sampled, last := 0.0, -1
	for i := range p.Frames {
		sampled += p.Frames[i].SubjectCPU
		if len(p.Frames[i].ThreadSamples) > 0 {
			last = i
		}
	}
	exitFrame := slices.IndexFunc(p.Frames, func(f profile.Frame) bool { return f.T >= p.Summary.SubjectEndS })
	if exitFrame < 0 {
		exitFrame = len(p.Frames) - 1
	}
	missing := exitCPU - sampled
	if last < 0 || exitFrame < 0 || missing <= 0 || len(p.Frames[exitFrame].SubjectBusy) == 0 {
		return
	}
	dt := p.Spec.Interval.D().Seconds()
	if exitFrame > 0 {
		dt = p.Frames[exitFrame].T - p.Frames[exitFrame-1].T
	}
	lastSeen := p.Frames[last].ThreadSamples
	seen := 0.0
	for _, ts := range lastSeen {
		seen += ts.CPU
	}
	if seen <= 0 {
		return
	}
	credit := make([]profile.ThreadSample, len(lastSeen))
	for i, ts := range lastSeen {
		credit[i] = profile.ThreadSample{TID: ts.TID, Core: ts.Core, CPU: missing * ts.CPU / seen}
	}
	f := &p.Frames[exitFrame]
	load := f.SubjectBusy.Fractions(nil)
	approximateCoreLoad(load, credit, dt)
	f.SubjectBusy = levels.Quantise(f.SubjectBusy, load)
}

// summarizeFrames derives the sampled figures over the subject's life:
// the machine's and the other programs' mean busy cores, the peak, and
// totals of the frames (its quota's throttling among them). The machine is
// this one, without other nodes.
func summarizeFrames(p *profile.Profile) {
	s := &p.Summary
	var sampledCPU, selfCPU float64
	for i := range p.Frames {
		f := &p.Frames[i]
		sampledCPU += f.SubjectCPU
		selfCPU += f.SelfCPU
		s.Threads = max(s.Threads, f.Threads)
		s.Procs = max(s.Procs, f.Procs)
		s.MaxRSS = max(s.MaxRSS, f.RSS)
		s.QuotaPeriods += f.QuotaPeriods
		s.ThrottledPeriods += f.ThrottledPeriods
		s.ThrottledS += f.ThrottledS
	}
	s.ThrottledS = profile.Round(s.ThrottledS, 1e6)
	// The machine is the one the subject ran on: other nodes' cores
	// (record --node) are not the subject's competition.
	local, _ := p.LocalNode()
	machine := func(f *profile.Frame) float64 { return local.Row(f.Busy).Sum() }
	busy, peak := meanOver(p, s.SubjectStartS, s.SubjectEndS, machine)
	others, _ := meanOver(p, s.SubjectStartS, s.SubjectEndS, func(f *profile.Frame) float64 {
		return max(machine(f)-local.Row(f.SubjectBusy).Sum(), 0)
	})
	s.MachineBusyCores, s.PeakBusyCores, s.OthersBusyCores = profile.Round(busy, 1e3), profile.Round(peak, 1e3), profile.Round(others, 1e3)
	s.CPUS = profile.Round(sampledCPU, 1e4)
	s.SelfCPUS = profile.Round(selfCPU, 1e4)
	if n := len(p.Frames); n > 0 && p.Frames[n-1].T > 0 {
		s.SelfCores = profile.Round(selfCPU/p.Frames[n-1].T, 1e4)
	}
}

// meanOver is the mean of value over the frames' time from..to, each frame
// weighted by how many seconds of its interval fall in it, and the peak
// among the frames that mostly do (or, when none does, all that overlap).
func meanOver(p *profile.Profile, from, to float64, value func(*profile.Frame) float64) (mean, peak float64) {
	prevT := 0.0
	if len(p.Frames) > 0 {
		prevT = p.Frames[0].T - p.Spec.Interval.D().Seconds()
	}
	var sum, weight, peakMost, peakAny float64
	for i := range p.Frames {
		f := &p.Frames[i]
		dt := f.T - prevT
		prevT = f.T
		overlap := min(f.T, to) - max(f.T-dt, from)
		if overlap <= 0 || dt <= 0 {
			continue
		}
		v := value(f)
		sum += v * overlap
		weight += overlap
		peakAny = max(peakAny, v)
		if overlap >= dt/2 {
			peakMost = max(peakMost, v)
		}
	}
	if weight == 0 {
		return 0, 0
	}
	if peakMost == 0 {
		peakMost = peakAny
	}
	return sum / weight, peakMost
}

// summarizeTasks places the tasks' span on the time axis when the subject
// reported tasks, and takes the subject's cores used over it: what the
// verdict judges, so that interpreter start-up and imports do not.
func summarizeTasks(p *profile.Profile) {
	s := &p.Summary
	var first, last int64
	for _, e := range p.Events {
		switch {
		case e.Ev == spec.EvTaskStart && (first == 0 || e.TNs < first):
			first = e.TNs
		case e.Ev == spec.EvTaskEnd && e.TNs > last:
			last = e.TNs
		}
	}
	if first == 0 || last <= first {
		return
	}
	axis := func(ns int64) float64 { return profile.Round(float64(ns-p.Started.UnixNano())/1e9, 1e4) }
	s.TasksStartS, s.TasksEndS = axis(first), axis(last)
	s.StartupS = profile.Round(max(s.TasksStartS-s.SubjectStartS, 0), 1e4)
	cores, _ := meanOver(p, s.TasksStartS, s.TasksEndS, (*profile.Frame).SubjectCores)
	s.TasksCoresUsed = profile.Round(cores, 1e3)
}

// summarizeSlices adds each thread's on-core time, switches and migrations
// from the switch timeline; threads that lived between two samples are
// known only from it.
func summarizeSlices(p *profile.Profile) {
	if len(p.Slices) == 0 {
		return
	}
	index := make(map[int]int, len(p.Threads))
	for i, t := range p.Threads {
		index[t.TID] = i
	}
	lastCPU := map[int]int{}
	for _, sl := range p.Slices {
		i, ok := index[sl.TID]
		if !ok {
			i = len(p.Threads)
			index[sl.TID] = i
			p.Threads = append(p.Threads, profile.Thread{PID: sl.PID, TID: sl.TID})
		}
		t := &p.Threads[i]
		t.OnCPUS += sl.End - sl.Start
		t.Switches++
		if prev, seen := lastCPU[sl.TID]; seen && prev != sl.CPU {
			t.Migrations++
		}
		lastCPU[sl.TID] = sl.CPU
	}
	for i := range p.Threads {
		p.Threads[i].OnCPUS = profile.Round(p.Threads[i].OnCPUS, 1e6)
	}
	slices.SortFunc(p.Threads, func(a, b profile.Thread) int { return a.TID - b.TID })
}

// nameUnread names the threads that /proc never read (those that lived
// between two samples, such as a shell script's helpers) by names, the
// kernel's names by thread id: each thread by its own, its process by the
// one /proc read for another of its threads or else by its leader's. The
// names /proc read are kept.
func nameUnread(threads []profile.Thread, names map[int]string) {
	process := map[int]string{}
	for _, t := range threads {
		if t.Process != "" {
			process[t.PID] = t.Process
		}
	}
	for i := range threads {
		t := &threads[i]
		t.Name = cmp.Or(t.Name, names[t.TID])
		t.Process = cmp.Or(t.Process, process[t.PID], names[t.PID])
	}
}

// summarizeAttribution says how the run's per-core figures were measured.
func (r *recording) summarizeAttribution() {
	s := &r.prof.Summary
	if r.exact != nil {
		s.Attribution, s.AttributionNote = profile.AttributionExact, exactNote(r.exact.lost())
		return
	}
	if !r.tree.ThreadCores() {
		return // neither exact nor approximate: this system tells no thread's core
	}
	s.Attribution, s.AttributionNote = profile.AttributionApproximate, r.attributionNote
}
