package probes

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Limits are the CPU limits a process runs under: the cores its affinity
// allows (taskset, sched_setaffinity, a cpuset), and its cgroup's CPU quota
// with how often the kernel throttled the group for it. Zero values mean
// unknown: a system without them, or files that could not be read.
type Limits struct {
	// AllowedCPUs are the logical cores the process may run on, ascending.
	AllowedCPUs []int
	// Quota is the cgroup's CPU bandwidth limit, nil when there is none
	// (or none that could be read).
	Quota *Quota
}

// Quota is a cgroup's CPU bandwidth limit: at most Max of CPU time every
// Period, shared by every thread of the group, whatever the cores. Where
// several groups on the path from the root limit it, the tightest one.
type Quota struct {
	Max, Period time.Duration
	// Group is the cgroup that sets it, as /proc/PID/cgroup names it.
	Group string
	// Version is 1 (cpu.cfs_quota_us) or 2 (cpu.max).
	Version int
	// Throttle is the group's cpu.stat when it was read.
	Throttle Throttle

	dir string // the group's folder, where LimitsReader.Throttle reads it again
}

// Cores is the quota as cores' worth of CPU: Max / Period.
func (q *Quota) Cores() float64 {
	if q == nil || q.Period <= 0 {
		return 0
	}
	return float64(q.Max) / float64(q.Period)
}

// Throttle is a cgroup's CPU bandwidth counters (cpu.stat): the periods in
// which its threads wanted to run, those in which it ran out of quota and
// was held off every core, and the time it was held off.
type Throttle struct {
	Periods, Throttled uint64
	ThrottledTime      time.Duration
}

// Since is t less an earlier reading of the same group: the counts of the
// span between them. A counter that went back (the group was made anew)
// gives the later reading whole.
func (t Throttle) Since(before Throttle) Throttle {
	if t.Periods < before.Periods || t.Throttled < before.Throttled || t.ThrottledTime < before.ThrottledTime {
		return t
	}
	return Throttle{t.Periods - before.Periods, t.Throttled - before.Throttled, t.ThrottledTime - before.ThrottledTime}
}

// maxCPUs bounds a CPU list read from a file: far beyond any machine
// (Linux's NR_CPUS is at most 8192), so a corrupt list cannot make a
// slice of billions.
const maxCPUs = 1 << 14

// parseCPUList reads a kernel CPU list such as "0-3,8,10-11".
func parseCPUList(s string) ([]int, error) {
	s = strings.TrimSpace(s)
	var cpus []int
	if s == "" {
		return cpus, nil
	}
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		b := a
		if err == nil && isRange {
			b, err = strconv.Atoi(hi)
		}
		if err != nil || a < 0 || b < a || b >= maxCPUs || len(cpus)+b-a >= maxCPUs {
			return nil, fmt.Errorf("not a CPU list: %q", s)
		}
		for c := a; c <= b; c++ {
			cpus = append(cpus, c)
		}
	}
	return cpus, nil
}

// parseThrottle reads a cgroup's cpu.stat: v2 counts throttled_usec, v1
// throttled_time in nanoseconds.
func parseThrottle(data string) Throttle {
	var t Throttle
	for _, line := range strings.Split(data, "\n") {
		key, value, _ := strings.Cut(line, " ")
		n, err := strconv.ParseUint(strings.TrimSpace(value), 10, 64)
		if err != nil {
			continue
		}
		switch key {
		case "nr_periods":
			t.Periods = n
		case "nr_throttled":
			t.Throttled = n
		case "throttled_usec":
			t.ThrottledTime = time.Duration(n) * time.Microsecond
		case "throttled_time":
			t.ThrottledTime = time.Duration(n)
		}
	}
	return t
}
