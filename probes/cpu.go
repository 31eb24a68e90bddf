package probes

import "context"

// CoreLoad is one logical core's load over a sampling interval, as fractions
// 0..1 of the interval. Busy is everything but idle and I/O wait, so it also
// holds steal time; User and System split most of it.
type CoreLoad struct{ Busy, User, System float64 }

// maxCore bounds the core numbers accepted from the counters, so a corrupt
// line cannot make Sample allocate a huge slice. Linux supports at most 8192
// CPUs on any architecture today.
const maxCore = 1 << 16

// coreTimes is one core's cumulative counters, folded into the groups the
// loads are made of, in the counters' own unit (ticks on Linux, seconds
// elsewhere): only their ratios are used. Idle holds idle and iowait
// together: the kernel moves time between the two while a core sleeps, so
// iowait alone can go backwards while their sum does not.
type coreTimes struct {
	ok                        bool // a reading exists for this core
	user, system, idle, steal float64
}

// total is all the time the core accounted for. Guest time is not added: the
// kernel already counts it in user and nice.
func (c coreTimes) total() float64 { return c.user + c.system + c.idle + c.steal }

// CPUSampler turns the per-core cumulative CPU counters into per-core loads
// over the time between two calls of Sample. It keeps its own previous
// reading, unlike cpu.Percent, whose baseline is shared by the whole process.
// The zero value is not ready for use; call NewCPUSampler.
type CPUSampler struct {
	stat     statReader  // the per-core counters, read the system's way
	prev     []coreTimes // the baseline, indexed by core number
	spare    []coreTimes // the reading before it, reused for the next one
	loads    []CoreLoad  // what Sample returned last, reused for the next one
	haveBase bool
}

// NewCPUSampler returns a sampler with no baseline: its first Sample only
// takes one.
func NewCPUSampler() *CPUSampler { return &CPUSampler{} }

// Sample reads the counters and returns each core's load since the previous
// call, indexed by logical core number (cpu0 -> 0). The first call only takes
// the baseline and returns (nil, nil): it is never shown as 0% busy.
//
// The returned slice is valid until the next call, which overwrites it: a
// sampler running for hours at 256 cores then allocates nothing per tick.
// Copy the values to keep them.
//
// The slice is sized by the highest core number present now. A core with no
// previous reading (it just came online, or its number is missing from the
// counters) reports zero load for this interval; a core that went offline is
// dropped. A core whose counters went backwards, or did not move at all,
// reports zero load for the interval rather than a negative or made-up figure.
//
// When the counters cannot be read, Sample returns an error and keeps the
// previous baseline, so the next good read reports the load over the whole
// time since the last good one.
func (s *CPUSampler) Sample(ctx context.Context) ([]CoreLoad, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	next, err := s.stat.times(ctx, s.spare[:0])
	if err != nil {
		return nil, err
	}
	var loads []CoreLoad
	if s.haveBase {
		loads = s.loads[:0]
		for i, now := range next {
			l := CoreLoad{}
			if i < len(s.prev) {
				l = load(s.prev[i], now)
			}
			loads = append(loads, l)
		}
		s.loads = loads
	}
	s.spare, s.prev, s.haveBase = s.prev, next, true
	return loads, nil
}

// load is a core's load between two readings; zero when either reading is
// missing, when any counter went backwards, or when no time passed.
func load(before, after coreTimes) CoreLoad {
	if !before.ok || !after.ok ||
		after.user < before.user || after.system < before.system ||
		after.idle < before.idle || after.steal < before.steal {
		return CoreLoad{}
	}
	total := after.total() - before.total()
	if total <= 0 {
		return CoreLoad{}
	}
	return CoreLoad{
		Busy:   min(max(1-(after.idle-before.idle)/total, 0), 1),
		User:   min(max((after.user-before.user)/total, 0), 1),
		System: min(max((after.system-before.system)/total, 0), 1),
	}
}
