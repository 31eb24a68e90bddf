//go:build linux

package probes

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shirou/gopsutil/v4/cpu"
	"golang.org/x/sys/unix"
)

// core is one per-core line of /proc/stat, in USER_HZ ticks.
type core struct {
	n                                                            int
	user, nice, system, idle, iowait, irq, softirq, steal, guest uint64
}

func (c core) String() string {
	return fmt.Sprintf("cpu%d %d %d %d %d %d %d %d %d %d 0",
		c.n, c.user, c.nice, c.system, c.idle, c.iowait, c.irq, c.softirq, c.steal, c.guest)
}

// procStat is the text of a /proc/stat holding the given cores in the given
// order, with the aggregate line gopsutil skips and the lines that follow.
func procStat(cores ...core) string {
	var b strings.Builder
	b.WriteString("cpu  1 2 3 4 5 6 7 8 0 0\n")
	for _, c := range cores {
		b.WriteString(c.String() + "\n")
	}
	b.WriteString("intr 12345 0 0\nctxt 67890\nbtime 1700000000\nprocesses 42\n")
	return b.String()
}

// cpuStep is one Sample call: the /proc/stat it reads ("" for an unreadable
// one) and what it must return.
type cpuStep struct {
	stat    string
	want    []CoreLoad
	wantErr bool
}

func TestCPUSamplerSample(t *testing.T) {
	base := []core{
		{n: 0, user: 1000, nice: 100, system: 300, idle: 5000, iowait: 50, irq: 10, softirq: 20, steal: 5},
		{n: 1, user: 2000, nice: 0, system: 400, idle: 4000, iowait: 30, irq: 0, softirq: 10},
	}
	// after moves core 0 by 100 ticks: user 50, nice 10, system 15, irq 3,
	// softirq 2, idle 15, iowait 5. Core 1 by 200 ticks: user 100, system 50,
	// idle 50.
	after := []core{
		{n: 0, user: 1050, nice: 110, system: 315, idle: 5015, iowait: 55, irq: 13, softirq: 22, steal: 5},
		{n: 1, user: 2100, nice: 0, system: 450, idle: 4050, iowait: 30, irq: 0, softirq: 10},
	}
	wantAfter := []CoreLoad{
		{Busy: 0.8, User: 0.6, System: 0.2},
		{Busy: 0.75, User: 0.5, System: 0.25},
	}
	with := func(cores []core, i int, f func(*core)) []core {
		out := append([]core(nil), cores...)
		f(&out[i])
		return out
	}

	tests := []struct {
		name  string
		steps []cpuStep
	}{
		{
			name: "first call is only the baseline",
			steps: []cpuStep{
				{stat: procStat(base...)},
				{stat: procStat(after...), want: wantAfter},
			},
		},
		{
			name: "cores are indexed by number, not by line order",
			steps: []cpuStep{
				{stat: procStat(base[1], base[0])},
				{stat: procStat(after[1], after[0]), want: wantAfter},
			},
		},
		{
			// Guest time is already inside user: 40 ticks of it must not
			// make the total 140.
			name: "guest is not counted twice",
			steps: []cpuStep{
				{stat: procStat(base...)},
				{stat: procStat(with(after, 0, func(c *core) { c.guest += 40 })...), want: wantAfter},
			},
		},
		{
			// 20 ticks of steal out of 120: busy, but neither user nor system.
			name: "steal is busy time outside user and system",
			steps: []cpuStep{
				{stat: procStat(base...)},
				{stat: procStat(with(after, 0, func(c *core) { c.steal += 20 })...), want: []CoreLoad{
					{Busy: 100.0 / 120, User: 60.0 / 120, System: 20.0 / 120},
					wantAfter[1],
				}},
			},
		},
		{
			name: "a counter going backwards gives that core zero load",
			steps: []cpuStep{
				{stat: procStat(base...)},
				{stat: procStat(with(after, 1, func(c *core) { c.user = 1990 })...), want: []CoreLoad{wantAfter[0], {}}},
				{stat: procStat(with(after, 1, func(c *core) { c.user = 2090 })...), want: []CoreLoad{{}, {Busy: 1, User: 1}}},
			},
		},
		{
			// The kernel moves sleeping time from iowait to idle: only their
			// sum is monotonic. Core 0: iowait -5, idle +25, so idle+iowait
			// moves by 20 of 100 ticks.
			name: "iowait going backwards while idle absorbs it is normal",
			steps: []cpuStep{
				{stat: procStat(base...)},
				{stat: procStat(with(after, 0, func(c *core) { c.iowait, c.idle = 45, 5025 })...), want: wantAfter},
			},
		},
		{
			name: "counters that did not move give zero load",
			steps: []cpuStep{
				{stat: procStat(base...)},
				{stat: procStat(base...), want: []CoreLoad{{}, {}}},
			},
		},
		{
			name: "a core that appears gets zero load, then its real load",
			steps: []cpuStep{
				{stat: procStat(base...)},
				{stat: procStat(after[0], after[1], core{n: 3, user: 10, idle: 10}), want: []CoreLoad{wantAfter[0], wantAfter[1], {}, {}}},
				{stat: procStat(after[0], after[1], core{n: 3, user: 40, idle: 20}), want: []CoreLoad{{}, {}, {}, {Busy: 0.75, User: 0.75}}},
			},
		},
		{
			name: "a core that vanishes is dropped",
			steps: []cpuStep{
				{stat: procStat(base...)},
				{stat: procStat(after[0]), want: wantAfter[:1]},
				{stat: procStat(after...), want: []CoreLoad{{}, {}}},
			},
		},
		{
			name: "an unreadable stat is an error and the next good read works",
			steps: []cpuStep{
				{stat: procStat(base...)},
				{stat: "", wantErr: true},
				{stat: procStat(after...), want: wantAfter},
			},
		},
		{
			name: "a failed first read leaves no baseline",
			steps: []cpuStep{
				{stat: "", wantErr: true},
				{stat: procStat(base...)},
				{stat: procStat(after...), want: wantAfter},
			},
		},
		{
			name: "a stat without per-core lines is an error",
			steps: []cpuStep{
				{stat: procStat(base...)},
				{stat: procStat(), wantErr: true},
				{stat: procStat(after...), want: wantAfter},
			},
		},
		{
			name: "lines that name no core are skipped",
			steps: []cpuStep{
				{stat: procStat(base...) + "cpux 1 2 3 4 5 6 7 8 0 0\n"},
				{stat: strings.Replace(procStat(after...), "intr", "cpu99999999 1 1 1 1 1 1 1 1 0 0\nintr", 1), want: wantAfter},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv("HOST_PROC", dir)
			s := NewCPUSampler()
			for i, step := range tt.steps {
				writeStat(t, dir, step.stat)
				got, err := s.Sample(context.Background())
				if step.wantErr {
					if err == nil {
						t.Fatalf("step %d: Sample() = %v, nil; want an error", i, got)
					}
					continue
				}
				if err != nil {
					t.Fatalf("step %d: Sample() error: %v", i, err)
				}
				if !loadsEqual(got, step.want) {
					t.Errorf("step %d: Sample() = %v; want %v", i, got, step.want)
				}
			}
		})
	}
}

func TestCPUSamplerErrorIsWorded(t *testing.T) {
	t.Setenv("HOST_PROC", t.TempDir())
	_, err := NewCPUSampler().Sample(context.Background())
	if err == nil || !strings.Contains(err.Error(), "per-core CPU times") {
		t.Errorf("Sample() on a missing /proc/stat = %v; want an error about per-core CPU times", err)
	}
}

func TestCPUSamplerCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewCPUSampler().Sample(ctx); err == nil {
		t.Error("Sample(cancelled ctx) = nil error; want the context's error")
	}
}

// TestCPUSamplerLive spins one thread for 0.3s of CPU between two samples of
// the real counters: the machine must show at least a third of a core busy.
func TestCPUSamplerLive(t *testing.T) {
	ctx := context.Background()
	s := NewCPUSampler()
	if _, err := s.Sample(ctx); err != nil {
		t.Fatalf("Sample() error: %v", err)
	}
	if err := spin(300 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	got, err := s.Sample(ctx)
	if err != nil {
		t.Fatalf("Sample() error: %v", err)
	}
	if len(got) < 1 || len(got) > runtime.NumCPU()*4 {
		t.Fatalf("Sample() returned %d cores; this machine has %d", len(got), runtime.NumCPU())
	}
	busy := 0.0
	for i, l := range got {
		if l.Busy < 0 || l.Busy > 1 || l.User+l.System > l.Busy+1e-9 {
			t.Errorf("core %d: load %+v; want 0 <= user+system <= busy <= 1", i, l)
		}
		busy += l.Busy
	}
	if busy < 0.33 {
		t.Errorf("busy cores while spinning one goroutine = %.2f; want >= 0.33", busy)
	}
}

// spin keeps one OS thread busy until it has used d of CPU time, however
// long other load on the machine makes that take.
func spin(d time.Duration) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start, err := threadCPU()
	if err != nil {
		return err
	}
	x := 1.0
	for now := start; now-start < d; {
		for range 10000 {
			x = math.Sqrt(x + 1)
		}
		if now, err = threadCPU(); err != nil {
			return err
		}
	}
	_ = x
	return nil
}

// threadCPU is the CPU time the calling OS thread has used.
func threadCPU() (time.Duration, error) {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

func writeStat(tb testing.TB, dir, text string) {
	tb.Helper()
	path := filepath.Join(dir, "stat")
	if text == "" {
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			tb.Fatal(err)
		}
		return
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		tb.Fatal(err)
	}
}

func loadsEqual(a, b []CoreLoad) bool {
	if len(a) != len(b) || (a == nil) != (b == nil) {
		return false
	}
	for i := range a {
		if !near(a[i].Busy, b[i].Busy) || !near(a[i].User, b[i].User) || !near(a[i].System, b[i].System) {
			return false
		}
	}
	return true
}

// TestCPUSamplerSampleAllocatesNothing holds the sampler to what an hour's
// recording at 256 cores needs: once warm, a tick allocates nothing.
func TestCPUSamplerSampleAllocatesNothing(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOST_PROC", dir)
	writeStat(t, dir, procStat(fixtureCores(256)...))
	ctx := context.Background()
	s := NewCPUSampler()
	if _, err := s.Sample(ctx); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { s.Sample(ctx) }); n != 0 {
		t.Errorf("Sample() makes %v allocations a call; want 0", n)
	}
}

// fixtureCores is n cores with counters of their own, the per-core lines of
// the 256-core fixture the benchmark measures.
func fixtureCores(n int) []core {
	cores := make([]core, n)
	for i := range cores {
		cores[i] = core{n: i, user: uint64(1000 + i), system: 300, idle: 90000, iowait: 7, irq: 1, softirq: 2}
	}
	return cores
}

// BenchmarkCPUSamplerSample reads this machine's /proc/stat (named by its
// core count, "2-cores" here) and a generated 256-core one.
func BenchmarkCPUSamplerSample(b *testing.B) {
	s := NewCPUSampler()
	for range 2 {
		if _, err := s.Sample(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.Run(fmt.Sprintf("%d-cores", len(s.loads)), func(b *testing.B) { benchSample(b) })
	b.Run("256-cores", func(b *testing.B) {
		dir := b.TempDir()
		writeStat(b, dir, procStat(fixtureCores(256)...))
		b.Setenv("HOST_PROC", dir)
		benchSample(b)
	})
}

func benchSample(b *testing.B) {
	ctx := context.Background()
	s := NewCPUSampler()
	if _, err := s.Sample(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Sample(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCPUSamplerAgreesWithGopsutil runs the sampler and gopsutil's
// cpu.Times, as the sampler used it before it parsed /proc/stat itself, over
// the same ticks: large counters, steal and guest, iowait handed to idle, a
// counter going backwards, cores leaving and coming back.
func TestCPUSamplerAgreesWithGopsutil(t *testing.T) {
	ticks := []struct {
		cores []core
		want  []CoreLoad // nil for the baseline
	}{
		{cores: []core{
			{n: 0, user: 100000, nice: 500, system: 30000, idle: 9000000, iowait: 2000, irq: 100, softirq: 200},
			{n: 1, user: 200000, system: 40000, idle: 8000000, iowait: 1000},
			{n: 2, user: 300000, system: 50000, idle: 7000000, iowait: 3000},
			{n: 3, user: 400000, nice: 10, system: 60000, idle: 6000000, steal: 700, guest: 5000},
		}},
		{cores: []core{
			{n: 0, user: 100040, nice: 510, system: 30020, idle: 9000020, iowait: 2000, irq: 105, softirq: 205},
			{n: 1, user: 200000, system: 40000, idle: 8000100, iowait: 1000},
			{n: 2, user: 300070, system: 50020, idle: 7000040, iowait: 2970},
			{n: 3, user: 400025, nice: 10, system: 60000, idle: 6000025, steal: 750, guest: 5025},
		}, want: []CoreLoad{
			{Busy: 0.8, User: 0.5, System: 0.3},
			{},
			{Busy: 0.9, User: 0.7, System: 0.2},
			{Busy: 0.75, User: 0.25},
		}},
		{cores: []core{
			{n: 0, user: 100039, nice: 510, system: 30020, idle: 9000070, iowait: 2000, irq: 105, softirq: 205},
			{n: 2, user: 300170, system: 50020, idle: 7000040, iowait: 2970},
			{n: 3, user: 400025, nice: 10, system: 60000, idle: 6000025, steal: 750, guest: 5025},
			{n: 5, user: 10, idle: 10},
		}, want: []CoreLoad{{}, {}, {Busy: 1, User: 1}, {}, {}, {}}},
		{cores: []core{
			{n: 0, user: 100069, nice: 510, system: 30020, idle: 9000140, iowait: 2000, irq: 105, softirq: 205},
			{n: 1, user: 200050, system: 40000, idle: 8000150, iowait: 1000},
			{n: 2, user: 300170, system: 50080, idle: 7000080, iowait: 2970},
			{n: 3, user: 400025, nice: 10, system: 60000, idle: 6000025, steal: 750, guest: 5025},
			{n: 5, user: 40, idle: 20},
		}, want: []CoreLoad{{Busy: 0.3, User: 0.3}, {}, {Busy: 0.6, System: 0.6}, {}, {}, {Busy: 0.75, User: 0.75}}},
	}
	dir := t.TempDir()
	t.Setenv("HOST_PROC", dir)
	ctx := context.Background()
	s := NewCPUSampler()
	var before []cpu.TimesStat
	for i, tick := range ticks {
		writeStat(t, dir, procStat(tick.cores...))
		got, err := s.Sample(ctx)
		if err != nil {
			t.Fatalf("tick %d: Sample() error: %v", i, err)
		}
		after, err := cpu.TimesWithContext(ctx, true)
		if err != nil {
			t.Fatalf("tick %d: cpu.Times() error: %v", i, err)
		}
		if !loadsEqual(got, tick.want) {
			t.Errorf("tick %d: Sample() = %v; want %v", i, got, tick.want)
		}
		if ref := gopsutilLoads(before, after); !loadsEqual(ref, tick.want) {
			t.Errorf("tick %d: from gopsutil = %v; want %v", i, ref, tick.want)
		}
		before = after
	}
}

// gopsutilLoads is each core's load between two gopsutil readings, by the
// rules Sample documents; nil without a first reading.
func gopsutilLoads(before, after []cpu.TimesStat) []CoreLoad {
	if before == nil {
		return nil
	}
	prev, next := gopsutilTimes(before, 1), gopsutilTimes(after, 1)
	loads := make([]CoreLoad, len(next))
	for n, a := range next {
		if n >= len(prev) || !prev[n].ok || !a.ok {
			continue
		}
		b := prev[n]
		user, system, idle, steal := a.user-b.user, a.system-b.system, a.idle-b.idle, a.steal-b.steal
		total := user + system + idle + steal
		if user < 0 || system < 0 || idle < 0 || steal < 0 || total <= 0 {
			continue
		}
		loads[n] = CoreLoad{Busy: 1 - idle/total, User: user / total, System: system / total}
	}
	return loads
}

// TestParseStatAgreesWithGopsutil feeds the parser and gopsutil the lines
// that test a parser's edges: which they skip, and the counters of the rest.
func TestParseStatAgreesWithGopsutil(t *testing.T) {
	stat := strings.Join([]string{
		"cpu  1 2 3 4 5 6 7 8 9 10",
		"cpu0 1 2 3 4 5 6 7 8 9 10",
		"cpu1\t10  20 30 40 50 60 70",                 // seven counters, tabs and double spaces
		"cpu2 1 2 3 4 5 6",                            // too few counters
		"cpu3 1 2 x 4 5 6 7 8 9 10",                   // not a number
		"cpu4 1 2 3 4 5 6 7 8 9 10 11 x",              // past the tenth: ignored
		"cpu5 18446744073709551615 0 0 1 0 0 0 0 0 0", // the largest counter
		"cpu6 18446744073709551616 0 0 1 0 0 0 0 0 0", // one more: skipped
		"cpu7 -1 0 0 1 0 0 0 0 0 0",
		"cpu 1 2 3 4 5 6 7 8 9 10",
		"cpu9 1 2 3 4 5 6 7 8 9 10",
		"intr 1 2 3",
		"cpu10 1 2 3 4 5 6 7 8 9 10", // after the per-core lines: not read
	}, "\n")
	dir := t.TempDir()
	t.Setenv("HOST_PROC", dir)
	writeStat(t, dir, stat)
	times, err := cpu.Times(true)
	if err != nil {
		t.Fatal(err)
	}
	want := gopsutilTimes(times, cpu.ClocksPerSec)
	got := parseStat(nil, []byte(stat))
	if len(got) != len(want) {
		t.Fatalf("parseStat() = %+v; gopsutil reads %+v", got, want)
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.ok != w.ok || !nearRel(g.user, w.user) || !nearRel(g.system, w.system) ||
			!nearRel(g.idle, w.idle) || !nearRel(g.steal, w.steal) {
			t.Errorf("core %d: parseStat() = %+v; gopsutil reads %+v", i, g, w)
		}
	}
}

// gopsutilTimes is gopsutil's readings in seconds times scale, indexed by
// core number.
func gopsutilTimes(times []cpu.TimesStat, scale float64) []coreTimes {
	var dst []coreTimes
	for _, t := range times {
		n, err := strconv.Atoi(strings.TrimPrefix(t.CPU, "cpu"))
		if err != nil {
			continue
		}
		for len(dst) <= n {
			dst = append(dst, coreTimes{})
		}
		dst[n] = coreTimes{
			ok:     true,
			user:   (t.User + t.Nice) * scale,
			system: (t.System + t.Irq + t.Softirq) * scale,
			idle:   (t.Idle + t.Iowait) * scale,
			steal:  t.Steal * scale,
		}
	}
	return dst
}

func nearRel(x, y float64) bool { return math.Abs(x-y) <= 1e-12*math.Max(math.Abs(x), math.Abs(y)) }
