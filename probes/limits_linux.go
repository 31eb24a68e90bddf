package probes

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// LimitsReader reads the CPU limits of processes: their affinity from
// /proc/PID/status and their cgroup's CPU quota from the cgroup file
// systems, v1 (cpu.cfs_quota_us) and v2 (cpu.max), as /proc/self/mountinfo
// places them. It reads under HOST_PROC like the other probes; the cgroup
// mounts are read once, when it is made. Not safe for concurrent use.
type LimitsReader struct {
	proc   string
	root   string // prefixed to mount points: "" on a live system, a fixture's folder in tests
	mounts []cgroupMount
	quotas map[string]*quotaSource // by the text of /proc/PID/cgroup
}

// cgroupMount is one mounted cgroup hierarchy that can limit CPU: v1 with
// the cpu controller, or v2.
type cgroupMount struct {
	version int
	root    string // the part of the hierarchy mounted (mountinfo's root)
	point   string // where
}

// quotaSource is where one cgroup's tightest quota is read: the group that
// sets it and its version; nil dir when no group on the path has one.
type quotaSource struct {
	dir, group string
	version    int
}

// NewLimitsReader finds the cgroup mounts of this system.
func NewLimitsReader() *LimitsReader {
	proc := os.Getenv("HOST_PROC")
	if proc == "" {
		proc = "/proc"
	}
	return newLimitsReader(proc, "")
}

func newLimitsReader(proc, root string) *LimitsReader {
	r := &LimitsReader{proc: proc, root: root, quotas: map[string]*quotaSource{}}
	if data, err := os.ReadFile(filepath.Join(proc, "self", "mountinfo")); err == nil {
		r.mounts = parseCgroupMounts(data)
	}
	return r
}

// parseCgroupMounts picks the cgroup hierarchies out of a mountinfo file:
// "36 25 0:31 / /sys/fs/cgroup/cpu rw,relatime shared:9 - cgroup cgroup rw,cpu".
func parseCgroupMounts(data []byte) []cgroupMount {
	var ms []cgroupMount
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		sep := -1
		for i, f := range fields {
			if f == "-" {
				sep = i
				break
			}
		}
		if sep < 5 || len(fields) < sep+4 {
			continue
		}
		m := cgroupMount{root: unescapeMount(fields[3]), point: unescapeMount(fields[4])}
		switch fields[sep+1] {
		case "cgroup2":
			m.version = 2
		case "cgroup":
			for _, opt := range strings.Split(fields[sep+3], ",") {
				if opt == "cpu" {
					m.version = 1
				}
			}
		}
		if m.version != 0 {
			ms = append(ms, m)
		}
	}
	return ms
}

// unescapeMount undoes mountinfo's octal escapes of spaces, tabs, newlines
// and backslashes ("\040").
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Read returns process pid's limits. A process that is gone gives an
// error; a limit that cannot be read is left unknown.
func (r *LimitsReader) Read(pid int) (Limits, error) {
	var l Limits
	status, err := os.ReadFile(filepath.Join(r.proc, strconv.Itoa(pid), "status"))
	if err != nil {
		return l, err
	}
	if list, ok := statusLine(status, "Cpus_allowed_list"); ok {
		if l.AllowedCPUs, err = parseCPUList(list); err != nil {
			return l, err
		}
	}
	groups, err := os.ReadFile(filepath.Join(r.proc, strconv.Itoa(pid), "cgroup"))
	if err != nil {
		return l, nil // a system without cgroups: no quota
	}
	src, ok := r.quotas[string(groups)]
	if !ok {
		src = r.findQuota(string(groups))
		r.quotas[string(groups)] = src
	}
	if src != nil {
		l.Quota = r.readQuota(src)
	}
	return l, nil
}

// statusLine is the value of a "Key:\tvalue" line of a status file.
func statusLine(status []byte, key string) (string, bool) {
	for _, line := range bytes.Split(status, []byte("\n")) {
		k, v, ok := bytes.Cut(line, []byte(":"))
		if ok && string(k) == key {
			return string(bytes.TrimSpace(v)), true
		}
	}
	return "", false
}

// findQuota walks from each of the process's CPU cgroups up to its
// hierarchy's root and keeps the group with the tightest quota, or nil.
func (r *LimitsReader) findQuota(groups string) *quotaSource {
	var best *quotaSource
	bestCores := 0.0
	for _, line := range strings.Split(groups, "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		version := 2
		if parts[0] != "0" || parts[1] != "" {
			if !hasController(parts[1], "cpu") {
				continue
			}
			version = 1
		}
		for _, m := range r.mounts {
			if m.version != version {
				continue
			}
			rel, ok := strings.CutPrefix(parts[2], m.root)
			if !ok || (rel != "" && m.root != "/" && !strings.HasPrefix(rel, "/")) {
				continue
			}
			top := filepath.Join(r.root, m.point)
			for dir := filepath.Join(top, rel); ; dir = filepath.Dir(dir) {
				if q, ok := readQuotaFiles(dir, version); ok && (best == nil || q.Cores() < bestCores) {
					group := "/" + strings.TrimPrefix(strings.TrimPrefix(dir, top), "/")
					best, bestCores = &quotaSource{dir: dir, group: group, version: version}, q.Cores()
				}
				if dir == top || len(dir) <= len(top) {
					break
				}
			}
		}
	}
	return best
}

func hasController(list, name string) bool {
	for _, c := range strings.Split(list, ",") {
		if c == name {
			return true
		}
	}
	return false
}

// readQuota reads the source's quota and its throttling counters now.
func (r *LimitsReader) readQuota(src *quotaSource) *Quota {
	q, ok := readQuotaFiles(src.dir, src.version)
	if !ok {
		return nil
	}
	q.Group, q.dir = src.group, src.dir
	q.Throttle, _ = r.Throttle(&q)
	return &q
}

// Throttle reads q's group's throttling counters now (its cpu.stat): a
// caller that follows a quota reads them at every tick, and the quota
// itself, with Read, now and then.
func (r *LimitsReader) Throttle(q *Quota) (Throttle, error) {
	stat, err := os.ReadFile(filepath.Join(q.dir, "cpu.stat"))
	if err != nil {
		return Throttle{}, err
	}
	return parseThrottle(string(stat)), nil
}

// Affinity appends to dst the cores process pid may run on now, ascending,
// with one system call (sched_getaffinity), a hundredth of Read's cost: a
// caller that reads the limits now and then checks with it, at every tick,
// whether they moved in between (taskset, which sets its own affinity and
// execs the program). The kernel leaves out cores that are offline, which
// Limits.AllowedCPUs may list, so compare one Affinity with another. Under
// HOST_PROC, whose PIDs may be another namespace's, it fails.
func (r *LimitsReader) Affinity(pid int, dst []int) ([]int, error) {
	if r.proc != "/proc" {
		return dst, fmt.Errorf("the affinity of a process of %s: %w", r.proc, errors.ErrUnsupported)
	}
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(pid, &set); err != nil {
		return dst, err
	}
	for c, n := 0, set.Count(); n > 0; c++ {
		if set.IsSet(c) {
			dst = append(dst, c)
			n--
		}
	}
	return dst, nil
}

// readQuotaFiles reads one group's quota: ok is false where it sets none.
func readQuotaFiles(dir string, version int) (Quota, bool) {
	q := Quota{Version: version}
	if version == 2 {
		data, err := os.ReadFile(filepath.Join(dir, "cpu.max"))
		if err != nil {
			return q, false
		}
		max, period, _ := strings.Cut(strings.TrimSpace(string(data)), " ")
		us, err1 := strconv.ParseInt(max, 10, 64)
		per, err2 := strconv.ParseInt(period, 10, 64)
		if err1 != nil || err2 != nil || us <= 0 || per <= 0 {
			return q, false // "max": no limit
		}
		q.Max, q.Period = time.Duration(us)*time.Microsecond, time.Duration(per)*time.Microsecond
		return q, true
	}
	us, err1 := readInt(filepath.Join(dir, "cpu.cfs_quota_us"))
	per, err2 := readInt(filepath.Join(dir, "cpu.cfs_period_us"))
	if err1 != nil || err2 != nil || us <= 0 || per <= 0 {
		return q, false // -1: no limit
	}
	q.Max, q.Period = time.Duration(us)*time.Microsecond, time.Duration(per)*time.Microsecond
	return q, true
}

func readInt(path string) (int64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
	if err != nil {
		return 0, errors.New(path + ": " + err.Error())
	}
	return n, nil
}
