package probes

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// limitsFixture lays out files under a temporary root: proc/... and the
// cgroup mounts, each path relative to the root.
func limitsFixture(t *testing.T, files map[string]string) *LimitsReader {
	t.Helper()
	root := t.TempDir()
	for name, text := range files {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return newLimitsReader(filepath.Join(root, "proc"), root)
}

const status42 = "Name:\tpython3\nCpus_allowed:\t10f\nCpus_allowed_list:\t0-3,8\nMems_allowed_list:\t0\n"

func TestLimitsCgroupV2(t *testing.T) {
	r := limitsFixture(t, map[string]string{
		"proc/self/mountinfo":                             "30 23 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n",
		"proc/42/status":                                  status42,
		"proc/42/cgroup":                                  "0::/user.slice/app.scope\n",
		"sys/fs/cgroup/cpu.stat":                          "usage_usec 5\n",
		"sys/fs/cgroup/user.slice/cpu.max":                "max 100000\n",
		"sys/fs/cgroup/user.slice/app.scope/cpu.max":      "50000 100000\n",
		"sys/fs/cgroup/user.slice/app.scope/cpu.stat":     "usage_usec 900\nnr_periods 90\nnr_throttled 77\nthrottled_usec 3200000\n",
		"sys/fs/cgroup/user.slice/app.scope/cgroup.procs": "42\n",
	})
	l, err := r.Read(42)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 2, 3, 8}; !slices.Equal(l.AllowedCPUs, want) {
		t.Errorf("AllowedCPUs = %v; want %v", l.AllowedCPUs, want)
	}
	q := l.Quota
	if q == nil {
		t.Fatal("Quota = nil; want app.scope's 50000/100000")
	}
	if q.Cores() != 0.5 || q.Group != "/user.slice/app.scope" || q.Version != 2 {
		t.Errorf("Quota = %.2f cores of %s (v%d); want 0.50 of /user.slice/app.scope (v2)", q.Cores(), q.Group, q.Version)
	}
	want := Throttle{Periods: 90, Throttled: 77, ThrottledTime: 3200 * time.Millisecond}
	if q.Throttle != want {
		t.Errorf("Throttle = %+v; want %+v", q.Throttle, want)
	}

	// A tick later the group has run on: Throttle reads its counters again.
	stat := filepath.Join(r.root, "sys/fs/cgroup/user.slice/app.scope/cpu.stat")
	if err := os.WriteFile(stat, []byte("nr_periods 95\nnr_throttled 81\nthrottled_usec 3400000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	th, err := r.Throttle(q)
	if want := (Throttle{95, 81, 3400 * time.Millisecond}); err != nil || th != want {
		t.Errorf("Throttle(q) = %+v, %v; want %+v", th, err, want)
	}
	if _, err := r.Affinity(42, nil); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Affinity of a fixture's process = %v; want ErrUnsupported: its PIDs are not this system's", err)
	}
}

// TestLimitsRunCgroupUnderAQuota reads a subject that corescope moved
// into a cgroup of the run's own (recorder's follower makes one below its
// own group, with no quota: "max") inside a container whose group has a
// quota of 2 cores: the container's quota is the subject's.
func TestLimitsRunCgroupUnderAQuota(t *testing.T) {
	const run = "sys/fs/cgroup/pod/app/corescope-12-1-1700000000"
	r := limitsFixture(t, map[string]string{
		"proc/self/mountinfo":           "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
		"proc/5/status":                 status42,
		"proc/5/cgroup":                 "0::/pod/app/corescope-12-1-1700000000\n",
		"sys/fs/cgroup/pod/cpu.max":     "200000 100000\n",
		"sys/fs/cgroup/pod/cpu.stat":    "nr_periods 40\nnr_throttled 3\nthrottled_usec 1000\n",
		"sys/fs/cgroup/pod/app/cpu.max": "max 100000\n",
		run + "/cpu.max":                "max 100000\n",
		run + "/cpu.stat":               "nr_periods 0\nnr_throttled 0\nthrottled_usec 0\n",
	})
	l, err := r.Read(5)
	if err != nil {
		t.Fatal(err)
	}
	if q := l.Quota; q == nil || q.Cores() != 2 || q.Group != "/pod" || q.Throttle.Periods != 40 {
		t.Errorf("Quota = %+v; want /pod's 2 cores and its 40 periods, found above the run's own group", q)
	}
}

func TestLimitsCgroupV1TakesTheTightestAncestor(t *testing.T) {
	r := limitsFixture(t, map[string]string{
		"proc/self/mountinfo": "25 24 0:22 / /sys/fs/cgroup/cpu rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct\n" +
			"26 24 0:23 / /sys/fs/cgroup/memory rw,relatime shared:10 - cgroup cgroup rw,memory\n",
		"proc/7/status":                                 status42,
		"proc/7/cgroup":                                 "5:memory:/other\n4:cpu,cpuacct:/ci/job\n",
		"sys/fs/cgroup/cpu/cpu.cfs_quota_us":            "-1\n",
		"sys/fs/cgroup/cpu/cpu.cfs_period_us":           "100000\n",
		"sys/fs/cgroup/cpu/ci/cpu.cfs_quota_us":         "100000\n",
		"sys/fs/cgroup/cpu/ci/cpu.cfs_period_us":        "100000\n",
		"sys/fs/cgroup/cpu/ci/cpu.stat":                 "nr_periods 10\nnr_throttled 2\nthrottled_time 5000000\n",
		"sys/fs/cgroup/cpu/ci/job/cpu.cfs_quota_us":     "300000\n",
		"sys/fs/cgroup/cpu/ci/job/cpu.cfs_period_us":    "100000\n",
		"sys/fs/cgroup/memory/other/memory.limit_bytes": "1\n",
	})
	l, err := r.Read(7)
	if err != nil {
		t.Fatal(err)
	}
	q := l.Quota
	if q == nil || q.Cores() != 1 || q.Group != "/ci" || q.Version != 1 {
		t.Fatalf("Quota = %+v; want the parent /ci's 1 core (v1), tighter than /ci/job's 3", q)
	}
	if want := (Throttle{10, 2, 5 * time.Millisecond}); q.Throttle != want {
		t.Errorf("Throttle = %+v; want %+v (throttled_time is in ns)", q.Throttle, want)
	}
}

func TestLimitsWithoutQuota(t *testing.T) {
	r := limitsFixture(t, map[string]string{
		"proc/self/mountinfo":          "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
		"proc/9/status":                "Cpus_allowed_list:\t0\n",
		"proc/9/cgroup":                "0::/\n",
		"sys/fs/cgroup/cgroup.procs":   "9\n",
		"sys/fs/cgroup/a/cpu.max":      "20000 100000\n", // a sibling's quota is not ours
		"sys/fs/cgroup/cpu.pressure":   "some avg10=0.00\n",
		"sys/fs/cgroup/cgroup.threads": "9\n",
	})
	l, err := r.Read(9)
	if err != nil {
		t.Fatal(err)
	}
	if l.Quota != nil || !slices.Equal(l.AllowedCPUs, []int{0}) {
		t.Errorf("Read = %+v (quota %+v); want core 0 and no quota", l, l.Quota)
	}
	if _, err := r.Read(10); err == nil {
		t.Error("Read of a process that is not there: no error")
	}
}

func TestParseCPUList(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []int
		ok   bool
	}{
		{"0-1", []int{0, 1}, true},
		{"0,2-3,7\n", []int{0, 2, 3, 7}, true},
		{"", nil, true},
		{"3-1", nil, false},
		{"0-99999999", nil, false},
		{"a", nil, false},
		{"-1", nil, false},
	} {
		got, err := parseCPUList(tt.in)
		if (err == nil) != tt.ok || !slices.Equal(got, tt.want) {
			t.Errorf("parseCPUList(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestUnescapeMount(t *testing.T) {
	if got := unescapeMount(`/mnt/a\040b\134`); got != `/mnt/a b\` {
		t.Errorf("unescapeMount = %q", got)
	}
}

// TestLimitsLive reads this process's own affinity as the kernel reports
// it, and, where the v1 cpu controller can be written (root on these
// machines), a quota the test sets on a group of its own.
func TestLimitsLive(t *testing.T) {
	r := NewLimitsReader()
	l, err := r.Read(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		t.Fatal(err)
	}
	if len(l.AllowedCPUs) != set.Count() {
		t.Errorf("AllowedCPUs = %v; the kernel allows %d cores", l.AllowedCPUs, set.Count())
	}
	if cpus, err := r.Affinity(os.Getpid(), nil); err != nil || len(cpus) != set.Count() || !slices.IsSorted(cpus) {
		t.Errorf("Affinity = %v, %v; want the kernel's %d cores, ascending", cpus, err, set.Count())
	}

	const top = "/sys/fs/cgroup/cpu"
	group := filepath.Join(top, "corescope-limits-test-"+strconv.Itoa(os.Getpid()))
	if err := os.Mkdir(group, 0o755); err != nil {
		t.Skipf("no writable v1 cpu controller here (%v): the quota is tested on fixtures only", err)
	}
	child := exec.Command("sleep", "5")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		child.Process.Kill()
		child.Wait()
		os.Remove(group)
	})
	for name, value := range map[string]string{"cpu.cfs_period_us": "100000", "cpu.cfs_quota_us": "25000", "cgroup.procs": strconv.Itoa(child.Process.Pid)} {
		if err := os.WriteFile(filepath.Join(group, name), []byte(value), 0o644); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	l, err = NewLimitsReader().Read(child.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	if l.Quota == nil || l.Quota.Cores() != 0.25 || l.Quota.Group != "/"+filepath.Base(group) {
		t.Fatalf("Quota = %+v; want 0.25 cores of /%s", l.Quota, filepath.Base(group))
	}
	if _, err := NewLimitsReader().Throttle(l.Quota); err != nil {
		t.Errorf("Throttle(the group's quota) = %v", err)
	}
}
