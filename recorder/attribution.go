package recorder

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"corescope/probes"
	"corescope/profile"
)

// exactAttribution measures the subject's time on each core with perf's
// per-CPU task clocks and its on-core slices with switch records. Both are
// opened on the gated subject before it runs, so they see every thread and
// child it starts.
type exactAttribution struct {
	clock    *probes.CoreClock
	switches *probes.SwitchRecorder
	now, was []time.Duration // clock readings, reused

	// mono0 and axis0 are one moment on the switch records' clock and on
	// the profile's time axis, to place slices on the axis.
	mono0 time.Duration
	axis0 float64

	buf []probes.Slice // reused by drain
}

// openExact opens the perf probes of the subject pid on cpus CPUs; started
// is the profile's time 0. The error says why there is no exact figure.
func openExact(pid, cpus int, started time.Time) (*exactAttribution, error) {
	clock, err := probes.OpenCoreClock(pid, cpus)
	if err != nil {
		return nil, err
	}
	switches, err := probes.OpenSwitches(pid, cpus)
	if err != nil {
		clock.Close()
		return nil, err
	}
	a := &exactAttribution{clock: clock, switches: switches, now: make([]time.Duration, cpus), was: make([]time.Duration, cpus)}
	a.mono0, a.axis0 = switches.Now(), time.Since(started).Seconds()
	if err := clock.Read(a.was); err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

// coreLoad sets busy[core] to the fraction of the frame's dt seconds that
// the subject ran on each core since the previous call. The frame's length,
// not the time since the counters opened, is the denominator: a subject that
// started late in a frame used only part of it.
func (a *exactAttribution) coreLoad(busy []float64, dt float64) {
	if err := a.clock.Read(a.now); err != nil || dt <= 0 {
		return // left idle: the tick is lost, not invented
	}
	for cpu := range min(len(busy), len(a.now)) {
		busy[cpu] = min(max((a.now[cpu]-a.was[cpu]).Seconds()/dt, 0), 1)
	}
	a.now, a.was = a.was, a.now
}

// drain appends the slices that ended since the last call to dst, placed on
// the profile's time axis.
func (a *exactAttribution) drain(dst []profile.Slice) []profile.Slice {
	a.buf, _ = a.switches.Drain(a.buf[:0])
	for _, s := range a.buf {
		dst = append(dst, profile.Slice{PID: s.PID, TID: s.TID, CPU: s.CPU,
			Start: profile.Round(a.axis(s.Start), 1e6), End: profile.Round(a.axis(s.End), 1e6), Ended: sliceEnded(s.Ended)})
	}
	return dst
}

// sliceEnded is how a profile spells how a slice ended: what the thread did
// until its next one.
func sliceEnded(e probes.SliceEnd) string {
	switch e {
	case probes.EndPreempted:
		return profile.SlicePreempted
	case probes.EndBlocked:
		return profile.SliceBlocked
	case probes.EndExited:
		return profile.SliceExited
	}
	return ""
}

func (a *exactAttribution) axis(mono time.Duration) float64 {
	return max(a.axis0+(mono-a.mono0).Seconds(), 0)
}

// names is each subject thread's name as the kernel's records tell it, by
// thread id.
func (a *exactAttribution) names() map[int]string { return a.switches.Names() }

// lost is how many switch records the kernel could not deliver.
func (a *exactAttribution) lost() uint64 { return a.switches.Lost() }

func (a *exactAttribution) close() {
	a.clock.Close()
	a.switches.Close()
}

// timelineBlock is how many slices one block of a sliceTimeline holds
// (320 KB).
const timelineBlock = 8192

// sliceTimeline holds a recording's latest slices in blocks that are never
// copied as it grows, unlike one array, which appending copies whole again
// and again (about 4 times its final size, with the page faults of each new
// copy). Once the blocks after the oldest hold MaxSlices, the oldest is
// dropped whole and refilled as the newest.
type sliceTimeline struct {
	blocks  [][]profile.Slice
	n       int             // slices in blocks
	dropped int             // slices dropped with their blocks
	spare   []profile.Slice // the last block dropped, emptied for reuse
}

// add copies ss to the end of the timeline.
func (t *sliceTimeline) add(ss []profile.Slice) {
	for len(ss) > 0 {
		if len(t.blocks) == 0 || len(t.blocks[len(t.blocks)-1]) == timelineBlock {
			block := t.spare
			if block == nil {
				block = make([]profile.Slice, 0, timelineBlock)
			}
			t.blocks, t.spare = append(t.blocks, block), nil
		}
		last := &t.blocks[len(t.blocks)-1]
		k := min(len(ss), timelineBlock-len(*last))
		*last = append(*last, ss[:k]...)
		t.n += k
		ss = ss[k:]
	}
	for len(t.blocks) > 0 && t.n-len(t.blocks[0]) >= profile.MaxSlices {
		t.n -= len(t.blocks[0])
		t.dropped += len(t.blocks[0])
		t.spare = t.blocks[0][:0]
		t.blocks = slices.Delete(t.blocks, 0, 1)
	}
}

// latest returns the last MaxSlices slices (all if fewer) in one array, and
// how many slices came before them.
func (t *sliceTimeline) latest() (ss []profile.Slice, dropped int) {
	skip := max(t.n-profile.MaxSlices, 0)
	ss = make([]profile.Slice, 0, t.n-skip)
	for _, b := range t.blocks {
		k := min(skip, len(b))
		skip -= k
		ss = append(ss, b[k:]...)
	}
	return ss, t.dropped + max(t.n-profile.MaxSlices, 0)
}

// approximateCoreLoad puts each thread's CPU over an interval of dt seconds
// on the core it last ran on, as /proc reports it at the sample. Two busy
// threads last seen on one core cannot both have run there all along: what
// a core cannot hold goes to the cores with room, least busy first, so the
// per-core sum keeps the CPU the threads used.
func approximateCoreLoad(busy []float64, samples []profile.ThreadSample, dt float64) {
	if dt <= 0 {
		return
	}
	for _, s := range samples {
		if s.Core >= 0 && s.Core < len(busy) && s.CPU > 0 {
			busy[s.Core] += s.CPU / dt
		}
	}
	spill := 0.0
	for i := range busy {
		spill += max(busy[i]-1, 0)
		busy[i] = min(max(busy[i], 0), 1)
	}
	for spill > 0 {
		least := slices.Index(busy, slices.Min(busy))
		if busy[least] >= 1 {
			return // every core is full
		}
		add := min(spill, 1-busy[least])
		busy[least] += add
		spill -= add
	}
}

// creditVanished adds to samples, for each process, the CPU its counter
// grew by that its listed threads do not hold: the last stretch of threads
// that ended since the previous tick, prev. Only the process's counter keeps
// it; a process that exited but is not yet reaped lists its leader alone
// while its counter holds every thread's time, so a pool's workers ending
// together would otherwise lose their last interval from the per-core view.
// The CPU goes to the vanished threads, on the cores they were last seen
// on, in proportion to their CPU then.
func creditVanished(samples []profile.ThreadSample, procCPU map[int]float64, prev []profile.ThreadSample) []profile.ThreadSample {
	unheld := maps.Clone(procCPU)
	listed := make(map[int]bool, len(samples))
	for _, s := range samples {
		unheld[s.PID] -= s.CPU
		listed[s.TID] = true
	}
	var vanished []profile.ThreadSample
	weight := map[int]float64{} // each process's vanished threads' CPU then
	count := map[int]int{}
	for _, s := range prev {
		if !listed[s.TID] && unheld[s.PID] > 0 {
			vanished = append(vanished, s)
			weight[s.PID] += s.CPU
			count[s.PID]++
		}
	}
	for _, s := range vanished {
		share := 1 / float64(count[s.PID])
		if weight[s.PID] > 0 {
			share = s.CPU / weight[s.PID]
		}
		samples = append(samples, profile.ThreadSample{PID: s.PID, TID: s.TID, Core: s.Core, CPU: profile.Round(unheld[s.PID]*share, 1e6)})
	}
	return samples
}

// exactNote says what exact attribution measured, with the slices the
// kernel lost, if any.
func exactNote(lost uint64) string {
	note := "perf events: per-CPU task clocks and every switch of the subject's threads"
	if lost > 0 {
		note += fmt.Sprintf("; the kernel lost %d switch records (the timeline has gaps)", lost)
	}
	return note
}
