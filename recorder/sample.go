package recorder

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"corescope/levels"
	"corescope/nodes"
	"corescope/probes"
	"corescope/profile"
	"corescope/spec"
)

// sample takes one tick: per-core load, corescope's own cost, and, while the
// subject runs (pid > 0), its process tree. The first call only sets the
// CPU baseline and makes no frame.
func (r *recording) sample(ctx context.Context, pid int) {
	if r.exact != nil {
		r.drainSlices() // every tick, with a frame or not (see drainEvery)
	}
	r.sampleAt(ctx, pid, time.Now())
}

// sampleAt takes the tick that came at now; tests choose now to make ticks
// late.
func (r *recording) sampleAt(ctx context.Context, pid int, now time.Time) {
	if now.Sub(r.lastSample) < r.spec.Interval.D()/2 {
		// A tick right after a late one: a frame of a few milliseconds
		// would read as noise (an idle column, a dip to 0 in the line
		// chart). The next frame covers this time.
		return
	}
	remote := r.scrapeRemote(ctx)
	loads, err := r.cpu.Sample(ctx)
	if err != nil || loads == nil {
		r.lastSample = now
		remote() // a baseline too
		return   // a baseline, or /proc/stat could not be read this tick: no frame
	}
	dt := now.Sub(r.lastSample).Seconds()
	r.lastSample = now
	f := profile.Frame{
		T:    profile.Round(now.Sub(r.prof.Started).Seconds(), 1e3),
		Busy: make(levels.Row, len(loads)),
	}
	for i, l := range loads {
		f.Busy[i] = levels.Of(l.Busy)
	}
	if self, err := r.self.Delta(); err == nil {
		f.SelfCPU = profile.Round(self, 1e6)
	}
	if pid > 0 {
		r.probeTree(ctx, pid, &f)
	}
	r.attribute(&f, dt)
	r.addRemote(&f, remote())
	f.Events = r.drainEvents()
	f.TasksDone = r.tasksDone
	kept := f
	kept.Slices, kept.ThreadNames = nil, nil // the profile keeps them once, in Profile.Slices and Threads
	r.prof.Frames = append(r.prof.Frames, kept)
	if r.opt.OnFrame != nil {
		r.opt.OnFrame(f)
	}
}

// scrapeRemote starts scraping the other nodes, if any, beside the local
// sample, and returns what waits for their tick: at most the scraper's
// timeout (80% of the interval), however slow a node is.
func (r *recording) scrapeRemote(ctx context.Context) func() *nodes.Tick {
	if r.remote == nil {
		return func() *nodes.Tick { return nil }
	}
	done := make(chan nodes.Tick, 1)
	go func() {
		t, err := r.remote.scraper.Scrape(ctx)
		if err != nil { // the recording was stopped: no node was asked
			t = nodes.Tick{Time: time.Now(), Nodes: make([]nodes.Reading, len(r.remote.errs))}
			for i := range t.Nodes {
				t.Nodes[i].Err = fmt.Errorf("not asked: %w", err)
			}
		}
		done <- t
	}()
	return func() *nodes.Tick { t := <-done; return &t }
}

// addRemote lays the other nodes' cores out after this machine's in f,
// fixing the profile's nodes at the first frame (a node that has not
// answered by then has no cores in it), and pads SubjectBusy with Missing
// over them: the subject is measured on this machine only.
func (r *recording) addRemote(f *profile.Frame, t *nodes.Tick) {
	if t == nil {
		return
	}
	local := len(f.Busy)
	if r.remote.layout == nil {
		r.remote.fixLayout(local)
		r.prof.Nodes = append([]profile.Node{{Name: cmp.Or(r.prof.Machine.Hostname, "local"), Cores: local}}, r.remote.layout...)
	}
	f.Busy = append(f.Busy, make(levels.Row, r.remote.cores())...)
	r.remote.fill(f.Busy[local:], *t)
	copy(r.prof.Nodes[1:], r.remote.layout)
	if len(f.SubjectBusy) > 0 {
		for range len(f.Busy) - local {
			f.SubjectBusy = append(f.SubjectBusy, levels.Missing)
		}
	}
}

// probeTree fills f with the subject tree's figures. CPU is the growth of
// each process's and thread's counters since the previous tick.
func (r *recording) probeTree(ctx context.Context, pid int, f *profile.Frame) {
	tree, err := r.tree.Probe(ctx, pid, true)
	if err != nil {
		return // the subject exited between the tick and the read
	}
	cpu := 0.0
	procCPU := make(map[int]float64, len(tree.Procs))
	for _, p := range tree.Procs {
		procCPU[p.PID] = grow(r.prevCPU, p.PID, p.UserS+p.SystemS)
		cpu += procCPU[p.PID]
		f.RSS += p.RSS
		f.Threads += p.Threads
	}
	f.SubjectCPU = profile.Round(cpu, 1e6)
	f.Procs = len(tree.Procs)
	r.cpuLimits.observe(tree.Procs, f)
	names := make(map[int]string, len(tree.Procs))
	for _, p := range tree.Procs {
		names[p.PID] = p.Name
	}
	f.ThreadSamples = make([]profile.ThreadSample, 0, len(tree.Threads))
	for _, t := range tree.Threads {
		state, wait, lock := threadState(t)
		f.ThreadSamples = append(f.ThreadSamples, profile.ThreadSample{
			PID:   t.PID,
			TID:   t.TID,
			CPU:   profile.Round(grow(r.prevThreadCPU, t.TID, t.CPUS), 1e6),
			Core:  t.Core,
			RunQS: profile.Round(grow(r.prevRunWait, t.TID, t.RunWait.Seconds()), 1e6),
			State: state,
			Wait:  wait,
			Lock:  lock,
		})
		th := profile.Thread{PID: t.PID, TID: t.TID, Name: t.Name, Process: names[t.PID]}
		if was, seen := r.threads[t.TID]; r.opt.OnFrame != nil && (!seen || was.Name != th.Name || was.Process != th.Process) {
			f.ThreadNames = append(f.ThreadNames, th)
		}
		r.threads[t.TID] = th
	}
	listed := len(f.ThreadSamples)
	f.ThreadSamples = creditVanished(f.ThreadSamples, procCPU, r.listedThreads)
	r.listedThreads = append(r.listedThreads[:0], f.ThreadSamples[:listed]...)
}

// threadState is how a thread sample spells what the thread was doing at
// the probe: running (or runnable), or blocked, in which system call and,
// for a futex, on which lock; "" where the probe did not read it.
func threadState(t probes.ThreadInfo) (state, wait, lock string) {
	switch t.State {
	case probes.Running:
		return profile.StateRunning, "", ""
	case probes.Sleeping:
		if t.Blocked == "futex" && t.BlockedOn != 0 {
			lock = "0x" + strconv.FormatUint(t.BlockedOn, 16)
		}
		return profile.StateBlocked, t.Blocked, lock
	}
	return "", "", ""
}

// attribute sets the frame's per-core subject load, over the dt seconds
// since the previous frame: exact once perf probes are open (their clocks
// count on after the subject exits, so the interval it ended in is whole),
// else from the thread samples.
func (r *recording) attribute(f *profile.Frame, dt float64) {
	if r.exact == nil && !r.tree.ThreadCores() {
		return // no per-core figure of the subject to be had: the views draw the machine
	}
	r.subjectLoad = append(r.subjectLoad[:0], make([]float64, len(f.Busy))...)
	load := r.subjectLoad
	if r.exact != nil {
		r.exact.coreLoad(load, dt)
		f.Slices, r.pendingSlices = r.pendingSlices, nil
		f.Attribution = profile.AttributionExact
	} else {
		approximateCoreLoad(load, f.ThreadSamples, dt)
		f.Attribution = profile.AttributionApproximate
	}
	f.SubjectBusy = levels.Quantise(nil, load)
}

// drainSlices moves the slices that ended to the timeline, and holds them
// for the next frame too where Options.OnFrame wants them.
func (r *recording) drainSlices() {
	r.drained = r.exact.drain(r.drained[:0])
	r.slices.add(r.drained)
	if r.opt.OnFrame != nil {
		r.pendingSlices = append(r.pendingSlices, r.drained...)
	}
}

// grow records a cumulative counter's new value and returns how much it grew;
// a counter seen for the first time grew from zero.
func grow(prev map[int]float64, id int, now float64) float64 {
	d := now - prev[id]
	prev[id] = now
	return math.Max(d, 0)
}

// drainEvents moves the events that arrived since the last call into the
// profile and returns them.
func (r *recording) drainEvents() []spec.Event {
	evs := r.events.take()
	for i := range evs {
		switch evs[i].Ev {
		case spec.EvTaskEnd:
			r.tasksDone++
		case spec.EvStats:
			r.stats = &evs[i]
		}
	}
	r.prof.Events = append(r.prof.Events, evs...)
	return evs
}
