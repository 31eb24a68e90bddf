package recorder

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"corescope/probes"
	"corescope/profile"
	"corescope/runners"
	"corescope/spec"
)

// ErrStopped is returned by Record and Compare when ctx was cancelled
// before the subject finished; the profile keeps what was sampled.
var ErrStopped = errors.New(profile.StoppedByUser + " before the subject finished")

// ErrUnsupported is returned by Record where it cannot yet make sure every
// process of a run ends with it: on Windows, which has no process groups and
// would need a job object.
var ErrUnsupported = errors.New("recording is not supported on Windows yet")

// Options configure Record.
type Options struct {
	// Self is the corescope executable the Go backend runs as `Self worker ...`;
	// empty means os.Executable().
	Self string
	// OnFrame, when set, is called on the sampling goroutine with each new frame.
	OnFrame func(profile.Frame)
	// Lead and Tail are the idle edges sampled before the subject starts and
	// after it exits; zero means DefaultEdge.
	Lead, Tail time.Duration
	// Machine describes the computer; nil means ThisMachine. The Python
	// version is added per run, from the interpreter the run uses.
	Machine *profile.Machine
	// Stdout and Stderr, when set, get what the subject writes as it writes
	// it: its stdout without the event lines, and its stderr.
	Stdout, Stderr io.Writer
	// Nodes, when set, are other machines' exporters (see
	// nodes.ParseAddress) scraped at every tick beside the local sample:
	// the profile's nodes are this machine first, then these, and each
	// frame's Busy holds all their cores (see Node). The subject's figures
	// stay this machine's; SubjectBusy is Missing on the other nodes' cores.
	// The spec's interval must then be nodes.MinInterval or longer.
	Nodes []string

	// openExact opens exact attribution; nil means openExact. Tests make
	// it fail to exercise the approximate path.
	openExact func(pid, cpus int, started time.Time) (*exactAttribution, error)
}

// DefaultEdge is the idle time sampled before and after a subject, so the
// picture shows its edges.
const DefaultEdge = 300 * time.Millisecond

// switchRecordRate is the most switch records a second one CPU's ring is
// drained in time for, with room for a drain that comes late on a busy
// machine: some five times the 16,000-20,000 that the busier of 2 CPUs
// here took from a GIL-bound Python subject of 64 threads (two a slice).
// At twice that rate, a drain 200 ms apart lost 2,035 records once while
// other work ran.
const switchRecordRate = 80_000

// drainEvery is the longest the switch records may wait in their rings at
// switchRecordRate (about 100 ms). Each tick drains them, so only a longer
// interval than the default needs a drain of its own in between.
const drainEvery = time.Duration(probes.SwitchRingRecords) * time.Second / switchRecordRate

// Record runs spec's subject in its own process group and samples it until it
// exits plus a short idle tail. The returned profile is non-nil whenever the
// subject started, even when err is not nil (a failed run, ErrStopped). Where
// there are no process groups (Windows) it returns ErrUnsupported at once.
// The profile holds figures only: runtext.Conclude sets its speedup and
// verdict.
func Record(ctx context.Context, s spec.Spec, opt Options) (*profile.Profile, error) {
	group, err := newProcessGroup()
	if err != nil {
		return nil, err
	}
	defer group.release()
	if opt.Self == "" {
		self, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("cannot find the corescope executable to run workers: %w", err)
		}
		opt.Self = self
	}
	subject, err := runners.Prepare(s, opt.Self) // validates spec
	if err != nil {
		return nil, err
	}
	defer subject.Close()
	if opt.Lead == 0 {
		opt.Lead = DefaultEdge
	}
	if opt.Tail == 0 {
		opt.Tail = DefaultEdge
	}
	if opt.Machine == nil {
		m := ThisMachine(ctx)
		opt.Machine = &m
	}
	if opt.openExact == nil {
		opt.openExact = openExact
	}
	tree, err := probes.NewTreeProber()
	if err != nil {
		return nil, err
	}
	tree.CtxSwitches = false // the subject's rusage at exit has them all
	tree.Waits = true        // what each thread waits on: the evidence of why
	var remote *cluster
	if len(opt.Nodes) > 0 {
		if remote, err = newCluster(opt.Nodes, s.Interval.D()); err != nil {
			return nil, err
		}
		defer remote.close()
	}
	r := &recording{
		group:         group,
		tree:          tree,
		spec:          s,
		opt:           opt,
		cpu:           probes.NewCPUSampler(),
		self:          probes.NewSelfMeter(),
		prevCPU:       map[int]float64{},
		prevThreadCPU: map[int]float64{},
		prevRunWait:   map[int]float64{},
		threads:       map[int]profile.Thread{},
		cpuLimits:     newCPULimits(),
		stderr:        stream{out: opt.Stderr, gather: gatherWait},
		remote:        remote,
	}
	r.stdout = stream{events: &r.events, out: opt.Stdout, gather: gatherWait}
	return r.run(ctx, subject)
}

// recording holds the state of one recording; only its run goroutine touches it,
// except the event and stderr readers, which go through events and stderr.
type recording struct {
	spec spec.Spec
	opt  Options
	cpu  *probes.CPUSampler
	self *probes.SelfMeter
	tree *probes.TreeProber
	// group holds the subject and every process it starts.
	group processGroup

	prof          *profile.Profile
	lastSample    time.Time              // when the previous frame ended
	prevCPU       map[int]float64        // cumulative CPU seconds of each subject pid seen
	prevThreadCPU map[int]float64        // the same for each thread, by tid
	prevRunWait   map[int]float64        // each thread's cumulative seconds runnable, waiting for a core, by tid
	threads       map[int]profile.Thread // every subject thread seen, by tid
	listedThreads []profile.ThreadSample // the threads the previous tick listed
	tasksDone     int
	stats         *spec.Event

	// The subject's output: events from stdout, the rest passed on.
	events         eventQueue
	stdout, stderr stream

	// exact measures the subject per core once it started, when perf
	// allows; attributionNote says why it does not otherwise.
	exact           *exactAttribution
	attributionNote string
	slices          sliceTimeline   // the slices drained so far
	drained         []profile.Slice // the last drain's, reused
	pendingSlices   []profile.Slice // drained since the last frame, for OnFrame

	// limit is the subject's share of the user's process limit, which it
	// is watched for reaching; nil where it has none.
	limit *processLimit
	// cpuLimits follows the CPU affinity and quota the subject runs under.
	cpuLimits *cpuLimits

	// remote scrapes the other nodes, when there are any; their cores
	// follow this machine's in every frame.
	remote      *cluster
	subjectLoad []float64 // the subject's per-core load before it is quantised, reused
}

func (r *recording) run(ctx context.Context, subject *runners.Subject) (*profile.Profile, error) {
	started := time.Now()
	r.prof = &profile.Profile{
		Label:    r.spec.Label(),
		Spec:     r.spec,
		Started:  started,
		Machine:  withPython(ctx, *r.opt.Machine, r.spec),
		ExitCode: -1,
	}
	// The first readings are baselines: they are never shown as a frame.
	r.sample(ctx, 0)
	r.self.Delta()

	ticker := time.NewTicker(r.spec.Interval.D())
	defer ticker.Stop()
	lead := time.NewTimer(r.opt.Lead)
	defer lead.Stop()
	for waiting := true; waiting; {
		select {
		case <-ctx.Done():
			return nil, ErrStopped
		case <-ticker.C:
			r.sample(ctx, 0)
		case <-lead.C:
			waiting = false
		}
	}

	proc, err := r.start(subject)
	if err != nil {
		return nil, err
	}
	if r.exact != nil {
		defer r.exact.close()
	}
	r.prof.Summary.SubjectStartS = proc.startedAt.Sub(started).Seconds()

	// The subject runs; Stop kills its whole group and waits for the exit.
	// The switch records are drained at each tick, and in between when
	// ticks are too far apart for their rings (see drainEvery).
	var drain <-chan time.Time
	if r.exact != nil && r.spec.Interval.D() > drainEvery {
		t := time.NewTicker(drainEvery)
		defer t.Stop()
		drain = t.C
	}
	var ended exit
	stopped := false
	done := ctx.Done()
	for running := true; running; {
		select {
		case <-done:
			stopped, done = true, nil
			r.group.kill()
		case ended = <-proc.exited:
			running = false
		case <-ticker.C:
			r.sample(ctx, proc.pid)
			r.observeLimit()
		case <-drain:
			r.drainSlices()
		}
	}
	r.group.kill() // no process of the run outlives the subject
	r.prof.Summary.SubjectEndS = ended.at.Sub(started).Seconds()

	// The idle tail shows the edge; a stopped run ends at once.
	if !stopped {
		tail := time.NewTimer(r.opt.Tail)
		defer tail.Stop()
		for inTail := true; inTail; {
			select {
			case <-ctx.Done():
				inTail = false
			case <-tail.C:
				inTail = false
			case <-ticker.C:
				r.sample(ctx, 0)
			}
		}
	}
	proc.waitReaders()
	r.drainEvents()
	return r.finish(ended, stopped)
}

// observeLimit watches the subject's share of the process limit with the
// subject's tasks as the last frame sampled them.
func (r *recording) observeLimit() {
	if n := len(r.prof.Frames); n > 0 {
		r.limit.observe(r.prof.Frames[n-1].Threads)
	}
}
