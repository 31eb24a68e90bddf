package recorder

import (
	"math/bits"
	"slices"

	"corescope/probes"
	"corescope/profile"
)

// limitsEvery is how many ticks may pass between two reads of a process's
// CPU limits (its status and cgroups, some 50 us): they can change while it
// runs. A program's limits are mostly set as it starts, by a launcher that
// sets its own and execs it (taskset, numactl, cgexec), so each process is
// read when first seen, 1, 2, 4 and 8 ticks later, and then every
// limitsEvery ticks, a different share of a large tree at each; and at
// once when its affinity moved (taskset -p), which one system call a tick
// checks. The limiting quota's throttling counters are read at every tick.
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
	// read; union and affinity are scratch.
	ended, union cpuSet
	affinity     []int
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
	pid int
	// firstAt, readAt and seen are the ticks it was first read, last read
	// and last in the tree.
	firstAt, readAt, seen uint64
	allowed               cpuSet
	quota                 *probes.Quota
	// affinity is its affinity as the system call said it when its limits
	// were read, or since: what the next check compares with.
	affinity []int
}

func newCPULimits() *cpuLimits {
	return &cpuLimits{reader: probes.NewLimitsReader(), procs: map[int]*procLimits{}}
}

// start reads the subject's limits as it starts, before it runs: a run
// too short for a tick has them, and the first tick's throttling is
// counted from here.
func (l *cpuLimits) start(pid int) {
	if pl := l.read(pid); pl != nil && pl.quota != nil {
		l.follow(pl.quota.Group, pl.quota.Version, pl.quota.Throttle)
	}
}

// observe reads the limits of the tree's processes that are due (see
// limitsEvery) and sets f's allowed cores and its quota's throttling since
// the last tick.
func (l *cpuLimits) observe(procs []probes.Proc, f *profile.Frame) {
	l.ticks++
	for _, p := range procs {
		pl := l.procs[p.PID]
		if pl == nil || l.due(pl) || l.affinityMoved(pl) {
			pl = l.read(p.PID)
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
		l.follow("", 0, probes.Throttle{})
		return
	}
	q, now := limiting.quota, limiting.quota.Throttle
	if limiting.readAt != l.ticks {
		var err error
		if now, err = l.reader.Throttle(q); err != nil {
			l.follow("", 0, probes.Throttle{}) // the group is gone: the next one starts afresh
			return
		}
	}
	if q.Group == l.group && q.Version == l.version {
		d := now.Since(l.throttle)
		f.QuotaPeriods, f.ThrottledPeriods = int(d.Periods), int(d.Throttled)
		f.ThrottledS = profile.Round(d.ThrottledTime.Seconds(), 1e6)
	}
	l.follow(q.Group, q.Version, now)
}

// due reports whether pl's process is due a read of its limits on the
// schedule of limitsEvery.
func (l *cpuLimits) due(pl *procLimits) bool {
	age := l.ticks - pl.firstAt
	return age < limitsEvery && age&(age-1) == 0 || (uint64(pl.pid)+l.ticks)%limitsEvery == 0
}

// affinityMoved checks pl's process's affinity with one system call and
// says whether it moved since its limits were read; where the call fails,
// the limits are read on their schedule only.
func (l *cpuLimits) affinityMoved(pl *procLimits) bool {
	var err error
	l.affinity, err = l.reader.Affinity(pl.pid, l.affinity[:0])
	return err == nil && !slices.Equal(l.affinity, pl.affinity)
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
func (l *cpuLimits) read(pid int) *procLimits {
	lim, err := l.reader.Read(pid)
	if err != nil {
		return l.procs[pid]
	}
	pl := l.procs[pid]
	if pl == nil {
		pl = &procLimits{pid: pid, firstAt: l.ticks}
		l.procs[pid] = pl
	}
	pl.readAt, pl.quota = l.ticks, lim.Quota
	pl.allowed = cpuSetOf(pl.allowed[:0], lim.AllowedCPUs)
	pl.affinity, _ = l.reader.Affinity(pid, pl.affinity[:0])
	if q := lim.Quota; q != nil && (l.tightest == nil || q.Cores() < l.tightest.Cores()) {
		l.tightest = q
	}
	return pl
}

// follow makes a group's counters the baseline of the next tick's
// throttling; "" follows none.
func (l *cpuLimits) follow(group string, version int, counters probes.Throttle) {
	l.group, l.version, l.throttle = group, version, counters
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
