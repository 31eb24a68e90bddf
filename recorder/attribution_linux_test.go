package recorder

import (
	"context"
	"errors"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"corescope/diagnosis"
	"corescope/internal/noperf"
	"corescope/internal/proctest"
	"corescope/probes"
	"corescope/profile"
	"corescope/runtext"
	"corescope/spec"
)

// requireExact skips a test that needs perf events where the kernel
// refuses them to this user.
func requireExact(t *testing.T, p *profile.Profile) {
	t.Helper()
	if p.Summary.Attribution != profile.AttributionExact {
		t.Skipf("perf events are refused here (%s): the exact figures cannot be checked", p.Summary.AttributionNote)
	}
}

// busyLoop keeps n threads of the test's own spinning until the test ends:
// another program competing with the subject for the cores.
func busyLoop(t *testing.T, n int) {
	var stop atomic.Bool
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			for x := 0; !stop.Load(); x++ {
			}
		}()
	}
	t.Cleanup(func() {
		stop.Store(true)
		wg.Wait()
	})
}

// TestExactWithCompetition records a one-core subject beside a busy loop:
// the machine is full, but the subject's own per-core load stays at one
// core, the rest is "other programs", and the run's noise says so.
func TestExactWithCompetition(t *testing.T) {
	busyLoop(t, max(runtime.NumCPU()-1, 1)) // the subject gets the last core if it can
	time.Sleep(200 * time.Millisecond)      // let the loop show in the lead-in
	p, err := Record(context.Background(), smallCPU(spec.Sequential), quickEdges)
	if err != nil {
		t.Fatalf("Record() = %v", err)
	}
	requireExact(t, p)
	runtext.Conclude([]*profile.Profile{p})
	s := p.Summary
	subject, _ := meanOver(p, s.SubjectStartS, s.SubjectEndS, (*profile.Frame).SubjectCores)
	t.Logf("subject %.2f cores, machine %.2f, others %.2f; %s", subject, s.MachineBusyCores, s.OthersBusyCores, s.Verdict)
	if subject > 1.1 {
		t.Errorf("the subject's per-core load sums to %.2f cores on average; want <= 1.1 for a sequential run", subject)
	}
	if s.MachineBusyCores < 1.7 {
		t.Errorf("machine busy cores = %.2f; want >= 1.7 with a busy loop on every core", s.MachineBusyCores)
	}
	if s.OthersBusyCores < 0.7 {
		t.Errorf("others' busy cores = %.2f; want >= 0.7", s.OthersBusyCores)
	}
	// The warning is the run's noise, beside its verdict: the verdict
	// names other programs only where they squeezed the subject, which a
	// free core spares it.
	if noise := runtext.Noise(diagnosis.Groups([]*profile.Profile{p})[0]); !strings.Contains(noise, "others kept") {
		t.Errorf("noise = %q (verdict %q); want it to warn about the other programs", noise, s.Verdict)
	}
}

// workerSlices are p's slices of the keys' groups (tids or pids).
func workerSlices(p *profile.Profile, keys map[int]bool, group func(profile.Slice) int) []profile.Slice {
	var ss []profile.Slice
	for _, s := range p.Slices {
		if keys[group(s)] {
			ss = append(ss, s)
		}
	}
	return ss
}

// weightedMedian is the slice length such that half the on-core time is in
// slices at least this long; a plain median would be about the 10 us
// wake-ups of threads that wait for the GIL.
func weightedMedian(ss []profile.Slice) float64 {
	var lengths []float64
	total := 0.0
	for _, s := range ss {
		lengths = append(lengths, s.End-s.Start)
		total += s.End - s.Start
	}
	slices.Sort(lengths)
	acc := 0.0
	for i := len(lengths) - 1; i >= 0; i-- {
		if acc += lengths[i]; acc >= total/2 {
			return lengths[i]
		}
	}
	return 0
}

// workers are the threads (by tid) or processes (by pid) that ran tasks.
func workers(p *profile.Profile, byPID bool) map[int]bool {
	w := map[int]bool{}
	for _, e := range p.Events {
		if e.Ev == spec.EvTaskStart {
			if byPID {
				w[e.PID] = true
			} else {
				w[e.TID] = true
			}
		}
	}
	return w
}

// TestSlicesShowTheGIL checks the threads model on the switch timeline:
// its workers almost never run at once, while the processes model's run
// together as much as the other programs on the machine let them. How long
// a thread holds the GIL is a goal (make bench): other programs cut slices.
func TestSlicesShowTheGIL(t *testing.T) {
	s := resolved(spec.Spec{Workload: spec.CPU, Model: spec.Threads, Tasks: 10, Size: 0.5,
		SwitchInterval: spec.Duration(5 * time.Millisecond)})
	p, err := Record(context.Background(), s, quickEdges)
	if err != nil {
		t.Fatalf("Record(%s) = %v", s.Model, err)
	}
	requireExact(t, p)
	median, overlap := gilSlices(t, p)
	t.Logf("threads: %d slices, weighted median %.2f ms, two workers on-core together %.1f%% of the run",
		len(p.Slices), median*1e3, overlap*100)
	if overlap > 0.10 {
		t.Errorf("threads' workers on cores together %.1f%% of the run; want <= 10%% under one GIL", overlap*100)
	}

	if runtime.NumCPU() < 2 {
		return
	}
	// Two workers that have the share of n cores other programs left
	// (1 < n < 2) are on cores together at least n-1 of the time; with
	// about one core left they need not be at all. Each attempt waits up
	// to 5 s for the machine to leave 1.5 cores free.
	s = resolved(spec.Spec{Workload: spec.CPU, Model: spec.Processes, Tasks: 10, Size: 0.5})
	left := 0.0
	for attempt := 1; attempt <= 5; attempt++ {
		free := waitForRoom(t, 1.5, 5*time.Second)
		p, err := Record(context.Background(), s, quickEdges)
		if err != nil {
			t.Fatalf("Record(%s) = %v", s.Model, err)
		}
		requireExact(t, p)
		together := diagnosis.Together(workerSlices(p, workers(p, true), diagnosis.ByProcess), diagnosis.ByProcess, p.Summary.TasksStartS, p.Summary.TasksEndS)
		left = leftOver(p)
		want := 0.5 * max(min(2, left)-1, 0)
		t.Logf("processes, attempt %d: %.2f cores free before it, other programs left the run %.2f; %d slices, workers on-core together %.1f%% of the run (want >= %.0f%%)",
			attempt, free, left, len(p.Slices), together*100, want*100)
		if left < 1.25 {
			continue
		}
		if together < want {
			t.Errorf("worker processes on cores together %.1f%% of the run with %.2f cores left them; want %.0f%% or more", together*100, left, want*100)
		}
		return
	}
	t.Skipf("other programs left the run %.2f cores or less in each of 5 attempts: too few to see two workers on cores together", left)
}

// waitForRoom waits up to limit for the machine to have cores idle (over
// 200 ms), and returns the idle cores it last measured.
func waitForRoom(t *testing.T, cores float64, limit time.Duration) float64 {
	t.Helper()
	free := 0.0
	for deadline := time.Now().Add(limit); ; {
		stop := proctest.WatchLoad(t, 0)
		time.Sleep(200 * time.Millisecond)
		if free = float64(runtime.NumCPU()) - stop().Busy; free >= cores || time.Now().After(deadline) {
			return free
		}
	}
}

// gilSlices are a threads run's time-weighted median slice and the
// fraction of the tasks' span in which two of its workers were on cores.
func gilSlices(t *testing.T, p *profile.Profile) (median, overlap float64) {
	t.Helper()
	tids := workers(p, false)
	if len(tids) < 2 {
		t.Fatalf("tasks on %d worker threads; want the pool's %d", len(tids), p.Spec.Workers)
	}
	threads := workerSlices(p, tids, diagnosis.ByThread)
	return weightedMedian(threads), diagnosis.Together(threads, diagnosis.ByThread, p.Summary.TasksStartS, p.Summary.TasksEndS)
}

// subjectCoreSeconds is the subject's per-core load summed over the frames;
// before is the part of it in the frames that ended before the subject
// exited: what each interval measured, without what the frame it exited in
// was credited (see creditUnsampled).
func subjectCoreSeconds(p *profile.Profile) (total, before float64) {
	prevT := p.Frames[0].T - p.Spec.Interval.D().Seconds()
	for i := range p.Frames {
		s := p.Frames[i].SubjectCores() * (p.Frames[i].T - prevT)
		total += s
		if p.Frames[i].T < p.Summary.SubjectEndS {
			before += s
		}
		prevT = p.Frames[i].T
	}
	return total, before
}

// TestPerCoreTimeMatchesRusage checks both attributions against the
// kernel's accounting at exit: exact within 20%, approximate (made so by a
// perf open that fails) within 25%. Exact may read more by the time the
// hypervisor stole meanwhile: perf's task clock runs on while a virtual
// core the subject holds is stolen, as /proc/stat's busy does, and rusage
// leaves steal out. Exact reads within 5% run after run; twice in some
// hundred runs here, each right after a build, it read 16% above rusage,
// steal not measured then. Approximate read half of it on a CI machine
// whose samples caught the pool's workers exited and not yet reaped (see
// creditVanished).
func TestPerCoreTimeMatchesRusage(t *testing.T) {
	refused := func(int, int, time.Time) (*exactAttribution, error) {
		return nil, errors.New("perf events refused (injected by the test)")
	}
	tests := []struct {
		name   string
		open   func(int, int, time.Time) (*exactAttribution, error)
		want   string
		margin float64
	}{
		{"exact", nil, profile.AttributionExact, 0.20},
		{"approximate", refused, profile.AttributionApproximate, 0.25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := quickEdges
			opt.openExact = tt.open
			stealBefore := stealSeconds(t)
			// Three times smallCPU's work: a worker that exits between two
			// samples takes up to an interval's CPU with it on the
			// approximate path (0.11 s of 0.43 once in six make tests),
			// which must stay a small share of the run.
			s := smallCPU(spec.Processes)
			s.Size *= 3
			p, err := Record(context.Background(), s, opt)
			if err != nil {
				t.Fatalf("Record() = %v", err)
			}
			steal := stealSeconds(t) - stealBefore
			if tt.want == profile.AttributionExact {
				requireExact(t, p)
			}
			if p.Summary.Attribution != tt.want {
				t.Fatalf("attribution = %q (%s); want %q", p.Summary.Attribution, p.Summary.AttributionNote, tt.want)
			}
			if tt.open != nil && !strings.Contains(p.Summary.AttributionNote, "injected") {
				t.Errorf("attribution note = %q; want it to say why", p.Summary.AttributionNote)
			}
			got, before := subjectCoreSeconds(p)
			want := p.Summary.CPUS
			t.Logf("%s: per-core %.3f CPU s (%.3f before the exit), rusage %.3f CPU s, steal %.3f s", tt.name, got, before, want, steal)
			if got < want*(1-tt.margin) || got > want*(1+tt.margin)+steal {
				t.Errorf("per-core subject time = %.3f s; want %.3f s (rusage) within %.0f%%, plus up to %.3f s of steal", got, want, tt.margin*100, steal)
			}
			// The run's own intervals hold most of it, not the credit at the exit.
			if before < want/2 {
				t.Errorf("per-core time before the exit = %.3f s of %.3f s; want most of it measured interval by interval", before, want)
			}
		})
	}
}

// perfRefusedMark starts the log line of a run that perf was refused to.
const perfRefusedMark = "perf refused here, approximate:"

// TestApproximateWherePerfIsRefused checks that a run's attribution is the
// machine's real answer for this process, found by trying to open what
// Record opens, on this process: exact where that opens, approximate where
// the kernel refuses it, with the refusal and what to do in the note. The
// sysctl alone cannot tell: at kernel.perf_event_paranoid 3, Debian's and
// Ubuntu's kernels refuse users perf, but upstream kernels (6.18 here)
// treat 3 as 2 and allow it. The test then runs itself again where the
// kernel does refuse, under a seccomp filter (see internal/noperf).
func TestApproximateWherePerfIsRefused(t *testing.T) {
	refusal := perfRefusal(t)
	p, err := Record(context.Background(), smallCPU(spec.Sequential), quickEdges)
	if err != nil {
		t.Fatalf("Record() = %v", err)
	}
	s := p.Summary
	switch {
	case refusal == nil && s.Attribution != profile.AttributionExact:
		t.Errorf("perf events open for this process, but the run's attribution is %q (%s); want %q", s.Attribution, s.AttributionNote, profile.AttributionExact)
	case refusal != nil && (s.Attribution != profile.AttributionApproximate || !strings.Contains(s.AttributionNote, refusal.Error())):
		t.Errorf("perf events are refused to this process (%v), but the run's attribution is %q, note %q; want %q, saying why",
			refusal, s.Attribution, s.AttributionNote, profile.AttributionApproximate)
	case refusal != nil:
		t.Logf("%s %s", perfRefusedMark, s.AttributionNote)
	}
	if !noperf.Under() {
		noperf.Rerun(t, t.Name(), perfRefusedMark)
	}
}

// perfRefusal opens on this process what Record opens on a subject and
// returns why the kernel refused it, or nil when it did not.
func perfRefusal(t *testing.T) error {
	t.Helper()
	a, err := openExact(os.Getpid(), runtime.NumCPU(), time.Now())
	switch {
	case err == nil:
		a.close()
		return nil
	case errors.Is(err, probes.ErrPerfRefused) || errors.Is(err, probes.ErrPerfUnsupported):
		return err
	}
	t.Fatalf("opening perf events on this process: %v", err)
	return nil
}

// BenchmarkRecordOwnCost records a 5-thread GIL-bound subject at 10 Hz with
// and without exact attribution and reports corescope's own CPU as a share
// of one core (self-%).
func BenchmarkRecordOwnCost(b *testing.B) {
	s := resolved(spec.Spec{Workload: spec.CPU, Model: spec.Threads, Tasks: 10, Size: 0.5})
	for _, exact := range []bool{true, false} {
		name := "approximate"
		opt := quickEdges
		if exact {
			name = "exact"
		} else {
			opt.openExact = func(int, int, time.Time) (*exactAttribution, error) { return nil, probes.ErrPerfRefused }
		}
		b.Run(name, func(b *testing.B) {
			self, wall := 0.0, 0.0
			for b.Loop() {
				p, err := Record(context.Background(), s, opt)
				if err != nil {
					b.Fatal(err)
				}
				self += p.Summary.SelfCPUS
				wall += p.Frames[len(p.Frames)-1].T
			}
			b.ReportMetric(100*self/wall, "self-%")
		})
	}
}

// TestSwitchRingsDrainedBetweenTicks records a subject that switches some
// 20,000 times a second a CPU (64 GIL-bound Python threads; two records a
// slice) at ticks a second apart, when a ring of SwitchRingRecords would
// overflow between two ticks: the drains in between (drainEvery) lose no
// record.
func TestSwitchRingsDrainedBetweenTicks(t *testing.T) {
	s := resolved(spec.Spec{Backend: spec.BackendCommand, Interval: spec.Duration(time.Second),
		Command: []string{"/usr/bin/python3", "../internal/benchpeers/peers.py", "threads", "--threads", "64", "--seconds", "2"}})
	if _, err := os.Stat(s.Command[0]); err != nil {
		t.Skipf("no Python to run the subject: %v", err)
	}
	p, err := Record(context.Background(), s, quickEdges)
	if err != nil {
		t.Fatalf("Record(%v) = %v", s.Command, err)
	}
	requireExact(t, p)
	t.Logf("%d slices in %.1f s: %s", len(p.Slices), p.Summary.WallS, p.Summary.AttributionNote)
	if strings.Contains(p.Summary.AttributionNote, "lost") {
		t.Errorf("attribution note %q; want no switch records lost", p.Summary.AttributionNote)
	}
}

// TestShortLivedProcessesNamed records a shell that runs two programs and a
// subshell, which live too briefly for /proc to be read: the kernel's
// records name them all, the subshell by the shell it was forked from.
func TestShortLivedProcessesNamed(t *testing.T) {
	s := resolved(spec.Spec{Backend: spec.BackendCommand,
		Command: []string{"/bin/sh", "-c", "/bin/true; (echo forked && exit 3); /bin/sleep 0.05"}})
	p, err := Record(context.Background(), s, quickEdges)
	if err != nil {
		t.Fatalf("Record(%v) = %v", s.Command, err)
	}
	requireExact(t, p)
	named := map[string]int{}
	for _, th := range p.Threads {
		t.Logf("thread %d of %d: %q of %q", th.TID, th.PID, th.Name, th.Process)
		if th.Name == "" || th.Process == "" {
			t.Errorf("thread %d of process %d: name %q, process %q; want both", th.TID, th.PID, th.Name, th.Process)
		}
		named[th.Name]++
	}
	for name, want := range map[string]int{"true": 1, "sleep": 1, "sh": 2} {
		if named[name] < want {
			t.Errorf("%d threads named %q; want at least %d", named[name], name, want)
		}
	}
}

// stealSeconds is the machine's steal time so far, summed over its cores,
// from /proc/stat.
func stealSeconds(t *testing.T) float64 {
	t.Helper()
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		t.Fatal(err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal ...
	if len(f) < 9 || f[0] != "cpu" {
		t.Fatalf("/proc/stat starts %q; want cpu and at least 8 counters", line)
	}
	ticks, err := strconv.ParseFloat(f[8], 64)
	if err != nil {
		t.Fatal(err)
	}
	return ticks / 100 // USER_HZ
}
