package profile

import (
	"fmt"
	"slices"
	"syscall"
	"time"
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

// finish builds the summary once the subject has exited and says how the run ended.
func (r *recorder) finish(ended exit, stopped bool) (*Profile, error) {
	p := r.prof
	s := &p.Summary
	s.WallS = round(s.SubjectEndS-s.SubjectStartS, 1e4)
	summarizeFrames(p)
	if st := ended.state; st != nil {
		p.ExitCode = st.ExitCode()
		// The subject's rusage at exit covers every child it waited for,
		// including workers that lived and died between two samples.
		if cpu := (st.UserTime() + st.SystemTime()).Seconds(); cpu > s.CPUS {
			s.CPUS = round(cpu, 1e4)
		}
		if ctxSwitches, maxRSS, ok := exitRusage(st); ok {
			s.CtxSwitches = ctxSwitches
			s.MaxRSS = max(s.MaxRSS, maxRSS)
		}
	}
	if s.WallS > 0 {
		s.CoresUsed = round(s.CPUS/s.WallS, 1e3)
	}
	s.TasksDone = r.tasksDone
	if r.stats != nil {
		s.Checksum = r.stats.Checksum
		s.GILHoldS = round(time.Duration(r.stats.GILHoldNs).Seconds(), 1e4)
		s.GILWaitS = round(time.Duration(r.stats.GILWaitNs).Seconds(), 1e4)
	}
	for _, t := range r.threads {
		p.Threads = append(p.Threads, t)
	}
	slices.SortFunc(p.Threads, func(a, b Thread) int { return a.TID - b.TID })
	p.StderrTail = r.stderr.String()

	var err error
	switch {
	case stopped:
		p.Error = fmt.Sprintf("stopped by the user after %.1f s", s.WallS)
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
	s.Verdict = Verdict(p)
	return p, err
}

// summarizeFrames derives the sampled figures. Machine busy cores is the
// mean of the per-core busy sum over the subject's life, each frame weighted
// by how much of its interval the subject was alive.
func summarizeFrames(p *Profile) {
	s := &p.Summary
	start, end := s.SubjectStartS, s.SubjectEndS
	interval := p.Spec.Interval.D().Seconds()
	var busySum, weightSum, sampledCPU, selfCPU float64
	prevT := 0.0
	for i := range p.Frames {
		f := &p.Frames[i]
		dt := interval
		if i > 0 {
			dt = f.T - prevT
		}
		prevT = f.T
		busy := f.BusyCores()
		if overlap := min(f.T, end) - max(f.T-dt, start); overlap > 0 && dt > 0 {
			w := overlap / dt
			busySum += busy * w
			weightSum += w
			if w >= 0.5 {
				s.PeakBusyCores = max(s.PeakBusyCores, busy)
			}
		}
		sampledCPU += f.SubjectCPU
		selfCPU += f.SelfCPU
		s.Threads = max(s.Threads, f.Threads)
		s.Procs = max(s.Procs, f.Procs)
		s.MaxRSS = max(s.MaxRSS, f.RSS)
	}
	if weightSum > 0 {
		s.MachineBusyCores = round(busySum/weightSum, 1e3)
	}
	s.PeakBusyCores = round(s.PeakBusyCores, 1e3)
	s.CPUS = round(sampledCPU, 1e4)
	s.SelfCPUS = round(selfCPU, 1e4)
	if n := len(p.Frames); n > 0 && p.Frames[n-1].T > 0 {
		s.SelfCores = round(selfCPU/p.Frames[n-1].T, 1e4)
	}
}
