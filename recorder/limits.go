package recorder

import (
	"math/bits"

	"corescope/probes"
	"corescope/profile"
)

// limitsEvery is how many ticks may pass between two reads of a process's
// CPU limits: its affinity can change while it runs (taskset -p), and so can
// its cgroup. The subject's own process is read at every tick, for its
// quota's throttling; the others when first seen, when renamed (an exec,
// which taskset, numactl and cgexec end with) and every limitsEvery ticks,
// a different share of a large tree at each.
const limitsEvery = 16

// cpuLimits follows the CPU limits the subject's processes run under: the
// cores each may run on and the tightest cgroup quota over them, whose
// throttling counters it reads at every tick. Linux's: elsewhere every read
// fails and the limits stay unknown.
type cpuLimits struct {
	reader *probes.LimitsReader
	ticks  uint64
	procs  map[int]*procLimits // the live processes' limits, by pid
	// ended holds the cores the processes that ended were allowed, as last
	// read; union is scratch.
	ended, union cpuSet
	// group is the limiting quota's group at the last read of it, and
	// throttle its counters then: the next reading's baseline.
	group    string
	version  int
	throttle probes.Throttle
	// tightest is the tightest quota read during the run.
	tightest *probes.Quota
}

// procLimits is one process's limits as last read.
type procLimits struct {
	pid          int
	name         string
	readAt, seen uint64 // the ticks it was last read and last in the tree
	allowed      cpuSet
	quota        *probes.Quota
}

func newCPULimits() *cpuLimits {
	return &cpuLimits{reader: probes.NewLimitsReader(), procs: map[int]*procLimits{}}
}

// start reads the subject's limits as it starts, before it runs: a run
// too short for a tick has them, and the first tick's throttling is
// counted from here.
func (l *cpuLimits) start(pid int) {
	if pl := l.read(pid, ""); pl != nil {
		l.follow(pl.quota)
	}
}

// observe reads the limits of the tree's processes that are due (see
// limitsEvery), the root's at every tick, and sets f's allowed cores and
// its quota's throttling since the last tick.
func (l *cpuLimits) observe(procs []probes.Proc, f *profile.Frame) {
	l.ticks++
	for i, p := range procs {
		pl := l.procs[p.PID]
		if pl == nil || i == 0 || pl.name != p.Name || (uint64(p.PID)+l.ticks)%limitsEvery == 0 {
			pl = l.read(p.PID, p.Name)
		}
		if pl != nil {
			pl.seen = l.ticks
		}
	}
	clear(l.union)
	var limiting *procLimits
	for pid, pl := range l.procs {
		if pl.seen != l.ticks {
			l.ended = l.ended.or(pl.allowed)
			delete(l.procs, pid)
			continue
		}
		l.union = l.union.or(pl.allowed)
		if pl.quota != nil && (limiting == nil || tighter(pl, limiting)) {
			limiting = pl
		}
	}
	f.AllowedCores = l.union.count()
	if limiting == nil {
		l.follow(nil)
		return
	}
	if limiting.readAt != l.ticks {
		l.read(limiting.pid, limiting.name)
	}
	q := limiting.quota
	if q != nil && q.Group == l.group && q.Version == l.version {
		d := q.Throttle.Since(l.throttle)
		f.QuotaPeriods, f.ThrottledPeriods = int(d.Periods), int(d.Throttled)
		f.ThrottledS = profile.Round(d.ThrottledTime.Seconds(), 1e6)
	}
	l.follow(q)
}

// tighter reports whether a's quota is tighter than b's; of two alike,
// the lower pid's (the subject's, usually), so that the limiting group
// does not change from tick to tick at the map's whim.
func tighter(a, b *procLimits) bool {
	ac, bc := a.quota.Cores(), b.quota.Cores()
	return ac < bc || ac == bc && a.pid < b.pid
}

// read reads process pid's limits now and keeps them. Where they cannot
// be read (it is gone, or this system tells none) it returns the last
// reading, nil if none.
func (l *cpuLimits) read(pid int, name string) *procLimits {
	lim, err := l.reader.Read(pid)
	if err != nil {
		return l.procs[pid]
	}
	pl := l.procs[pid]
	if pl == nil {
		pl = &procLimits{pid: pid}
		l.procs[pid] = pl
	}
	pl.name, pl.readAt, pl.quota = name, l.ticks, lim.Quota
	pl.allowed = cpuSetOf(pl.allowed[:0], lim.AllowedCPUs)
	if q := lim.Quota; q != nil && (l.tightest == nil || q.Cores() < l.tightest.Cores()) {
		l.tightest = q
	}
	return pl
}

// follow makes q's counters the baseline of the next tick's throttling.
func (l *cpuLimits) follow(q *probes.Quota) {
	if q == nil {
		l.group, l.version = "", 0
		return
	}
	l.group, l.version, l.throttle = q.Group, q.Version, q.Throttle
}

// summarize sets the run's limits in s: the cores its processes were
// allowed, each as last read, and the tightest quota read. The throttling
// is the frames' sum (summarizeFrames).
func (l *cpuLimits) summarize(s *profile.Summary) {
	all := append(cpuSet(nil), l.ended...)
	for _, pl := range l.procs {
		all = all.or(pl.allowed)
	}
	s.AllowedCores = all.count()
	if q := l.tightest; q != nil {
		cores := profile.Round(q.Cores(), 1e4)
		s.CPUQuotaCores, s.CPUQuotaGroup = &cores, q.Group
	}
}

// cpuSet is a set of logical cores, a bit each.
type cpuSet []uint64

// cpuSetOf makes the set of cpus in dst's room.
func cpuSetOf(dst cpuSet, cpus []int) cpuSet {
	for _, c := range cpus {
		for len(dst) <= c/64 {
			dst = append(dst, 0)
		}
		dst[c/64] |= 1 << (c % 64)
	}
	return dst
}

// or adds o's cores to s.
func (s cpuSet) or(o cpuSet) cpuSet {
	for len(s) < len(o) {
		s = append(s, 0)
	}
	for i, w := range o {
		s[i] |= w
	}
	return s
}

func (s cpuSet) count() int {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}
