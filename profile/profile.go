package profile

import (
	"math"
	"strings"
	"time"

	"corescope/levels"
	"corescope/spec"
)

// Frame is one sampling tick.
type Frame struct {
	// T is seconds since the profile started (the start of the idle lead-in).
	T float64 `json:"t_s"`
	// Busy is each logical core's busy fraction over the interval that
	// ended at T, indexed by core, to within levels.MaxError. The user and
	// system split is not kept: two rows more would triple a frame.
	Busy levels.Row `json:"busy"`
	// SubjectBusy is the fraction of the interval the subject tree ran on
	// each core: exact from perf's per-CPU clocks, or approximate, each
	// thread's CPU put on the core it last ran on (Summary.Attribution says
	// which). Empty where it was not measured, and in files of corescope
	// before it.
	SubjectBusy levels.Row `json:"subject_busy,omitempty"`
	// SubjectCPU is the CPU seconds the subject tree used over the interval.
	SubjectCPU float64 `json:"subject_cpu_s"`
	// SelfCPU is the CPU seconds corescope itself used over the interval.
	SelfCPU float64 `json:"self_cpu_s"`
	// RSS, Threads and Procs describe the subject tree at T.
	RSS     uint64 `json:"rss_bytes"`
	Threads int    `json:"threads"`
	Procs   int    `json:"procs"`
	// ThreadSamples are each subject thread's CPU over the interval and the
	// core it last ran on (Linux only; -1 with exact attribution, whose
	// Slices say where threads ran). A thread that ended since the previous
	// frame is here once more, with the last stretch its process's counter
	// kept.
	ThreadSamples []ThreadSample `json:"thread_samples,omitempty"`
	// TasksDone counts task-end events up to T.
	TasksDone int `json:"tasks_done"`
	// AllowedCores is how many cores the subject's processes were allowed
	// to run on at T (the union of their CPU affinities: taskset, a
	// cpuset); 0 where it was not read.
	AllowedCores int `json:"allowed_cores,omitempty"`
	// QuotaPeriods, ThrottledPeriods and ThrottledS are the subject's cgroup
	// CPU quota's bandwidth periods over the interval in which it wanted to
	// run, those in which it used up its quota and was held off every core,
	// and the time held off; all 0 without a quota (Summary.CPUQuotaCores).
	QuotaPeriods     int     `json:"quota_periods,omitempty"`
	ThrottledPeriods int     `json:"throttled_periods,omitempty"`
	ThrottledS       float64 `json:"throttled_s,omitempty"`
	// Events are the events that arrived since the previous frame. They are
	// kept once, in Profile.Events, in the file.
	Events []spec.Event `json:"-"`
	// Slices are the on-core slices that ended since the previous frame
	// (exact attribution only), for Options.OnFrame: a profile keeps them
	// once, in Profile.Slices, not in its frames.
	Slices []Slice `json:"-"`
	// ThreadNames are the subject threads first seen this frame, or renamed
	// since the previous one (an exec), for Options.OnFrame: a profile keeps
	// the last names once, in Profile.Threads.
	ThreadNames []Thread `json:"-"`
	// Attribution says, while the run goes, how SubjectBusy was measured:
	// AttributionExact, AttributionApproximate, or "" where it was not.
	// The file keeps it once, in Summary.Attribution.
	Attribution string `json:"-"`
}

// BusyCores is the sum of the per-core busy fractions: how many cores'
// worth of CPU the whole machine used over the interval, or with nodes
// every node's (Summary keeps this machine's apart: see Profile.LocalNode).
func (f *Frame) BusyCores() float64 { return f.Busy.Sum() }

// SubjectCores is the sum of SubjectBusy: how many cores' worth of CPU the
// subject used over the interval.
func (f *Frame) SubjectCores() float64 { return f.SubjectBusy.Sum() }

// OthersCores is how many cores' worth of CPU everything but the subject
// used over the interval: other programs, corescope itself, the kernel.
func (f *Frame) OthersCores() float64 { return max(f.BusyCores()-f.SubjectCores(), 0) }

// ThreadSample is one subject thread in one Frame.
type ThreadSample struct {
	PID  int     `json:"pid"`
	TID  int     `json:"tid"`
	CPU  float64 `json:"cpu_s"`
	Core int     `json:"core"`
	// RunQS is the thread's time over the interval runnable but waiting
	// for a core (the kernel's schedstat run_delay); 0 where not kept.
	RunQS float64 `json:"runq_s,omitempty"`
	// State is what the thread was doing at T: StateRunning (on a core or
	// waiting for one) or StateBlocked; "" where it was not read. Wait
	// names the system call a blocked thread slept in ("futex",
	// "epoll_wait", "clock_nanosleep"), and Lock a futex's address (hex):
	// threads waiting on one lock share it.
	State string `json:"state,omitempty"`
	Wait  string `json:"wait,omitempty"`
	Lock  string `json:"lock,omitempty"`
}

// What a thread was doing at a sample (ThreadSample.State).
const (
	StateRunning = "R"
	StateBlocked = "S"
)

// Thread names a subject thread seen during the run and, with exact
// attribution, sums up its slices.
type Thread struct {
	PID  int    `json:"pid"`
	TID  int    `json:"tid"`
	Name string `json:"name"`
	// Process is the name of the process the thread belongs to.
	Process string `json:"process"`
	// OnCPUS is the thread's time on a core, Switches its slices (times it
	// was switched in), Migrations the slices that began on another core
	// than the one before. From the switch timeline only.
	OnCPUS     float64 `json:"on_cpu_s,omitempty"`
	Switches   int     `json:"switches,omitempty"`
	Migrations int     `json:"migrations,omitempty"`
}

// Slice is one interval a subject thread spent on one core, from the
// kernel's switch records, on the frames' time axis.
type Slice struct {
	PID   int     `json:"pid"`
	TID   int     `json:"tid"`
	CPU   int     `json:"cpu"`
	Start float64 `json:"start_s"`
	End   float64 `json:"end_s"`
	// Ended is how the slice ended, which says what the thread did until
	// its next one: SlicePreempted (runnable: it waited for a core),
	// SliceBlocked (it waited on something else), SliceExited; "" in files
	// of corescope before it.
	Ended string `json:"end,omitempty"`
}

// How a slice ended (Slice.Ended), from the kernel's switch records.
const (
	SlicePreempted = "p"
	SliceBlocked   = "b"
	SliceExited    = "x"
)

// Machine is what the profile was recorded on.
type Machine struct {
	CPUModel      string `json:"cpu_model"`
	LogicalCores  int    `json:"logical_cores"`
	PhysicalCores int    `json:"physical_cores"`
	OS            string `json:"os"`
	Kernel        string `json:"kernel,omitempty"`
	Hostname      string `json:"hostname,omitempty"`
	GoVersion     string `json:"go_version"`
	PythonVersion string `json:"python_version,omitempty"`
	// Python names the interpreter the run used: "CPython 3.11.2", or with
	// ", no GIL" for a free-threaded one.
	Python string `json:"python,omitempty"`
}

// Summary is a run in figures. Every figure is measured.
type Summary struct {
	// WallS is the subject's own time, start to exit, without the idle edges.
	WallS float64 `json:"wall_s"`
	// CPUS is the CPU seconds of every process of the run, including workers
	// that exited between two samples.
	CPUS float64 `json:"cpu_s"`
	// CoresUsed is CPUS / WallS.
	CoresUsed float64 `json:"cores_used"`
	// MachineBusyCores is the mean, over the subject's lifetime, of the per-core busy sum.
	MachineBusyCores float64 `json:"machine_busy_cores"`
	// OthersBusyCores is the mean busy cores of everything but the subject
	// over the subject's lifetime: what competed with it.
	OthersBusyCores float64 `json:"others_busy_cores"`
	// PeakBusyCores is the highest per-core busy sum of one frame.
	PeakBusyCores float64 `json:"peak_busy_cores"`
	// Speedup is its baseline's wall time over this one's (the sequential
	// run of the same workload and size, or the run its spec names); nil
	// without one (see diagnosis.Speedups). With repeats, it is the ratio
	// of the two groups' median walls, and SpeedupRange its range: the
	// baseline's fastest wall over this group's slowest, to the baseline's
	// slowest over this group's fastest; nil when both sides ran once.
	// WorkSpeedup and WorkSpeedupRange are the same for the work span,
	// the wall after start-up (diagnosis.Startup).
	Speedup          *float64 `json:"speedup"`
	SpeedupRange     *Range   `json:"speedup_range,omitempty"`
	WorkSpeedup      *float64 `json:"work_speedup,omitempty"`
	WorkSpeedupRange *Range   `json:"work_speedup_range,omitempty"`
	// Threads and Procs are the most seen at once in the subject tree.
	Threads int `json:"threads"`
	Procs   int `json:"procs"`
	// CtxSwitches is voluntary plus involuntary context switches.
	CtxSwitches uint64 `json:"ctx_switches"`
	MaxRSS      uint64 `json:"max_rss_bytes"`
	// SelfCPUS is corescope's own CPU seconds over the whole recording;
	// SelfCores is that over the recording's length.
	SelfCPUS  float64 `json:"self_cpu_s"`
	SelfCores float64 `json:"self_cores"`
	TasksDone int     `json:"tasks_done"`
	Checksum  string  `json:"checksum,omitempty"`
	// GIL totals of a threads run, from the subject's stats event.
	GILHoldS float64 `json:"gil_hold_s,omitempty"`
	GILWaitS float64 `json:"gil_wait_s,omitempty"`
	// GILThreads are the same per thread, where the subject measured them
	// (the Python threads model).
	GILThreads []ThreadGIL `json:"gil_threads,omitempty"`
	// SubjectStartS and SubjectEndS place the subject's life on the frames' time axis.
	SubjectStartS float64 `json:"subject_start_s"`
	SubjectEndS   float64 `json:"subject_end_s"`
	// TasksStartS and TasksEndS place the tasks' span (first task-start to
	// last task-end) on the same axis when the subject reported tasks;
	// StartupS is the time from the subject's start to its first task
	// (interpreter start-up, imports). TasksCoresUsed is the subject's
	// cores used over the tasks' span, what the verdict judges.
	TasksStartS    float64 `json:"tasks_start_s,omitempty"`
	TasksEndS      float64 `json:"tasks_end_s,omitempty"`
	StartupS       float64 `json:"startup_s,omitempty"`
	TasksCoresUsed float64 `json:"tasks_cores_used,omitempty"`
	// Attribution is AttributionExact or AttributionApproximate;
	// AttributionNote says what was measured or, for an approximate run,
	// why it is not exact and what the user can do about it.
	Attribution     string `json:"attribution"`
	AttributionNote string `json:"attribution_note,omitempty"`
	// FollowedBy says how the processes the subject started were followed
	// beyond its process group, which a daemon leaves (setsid): by a cgroup
	// of the run's own, or, where none could be made, by a variable in
	// their environment, saying why and what that misses. Escaped are the
	// processes so found outside the group when the run ended, each ended
	// with it or not.
	FollowedBy string           `json:"followed_by,omitempty"`
	Escaped    []EscapedProcess `json:"escaped,omitempty"`
	// ProcessLimit is set when the subject reached its limit of processes
	// and threads (see ProcessLimit).
	ProcessLimit *ProcessLimit `json:"process_limit,omitempty"`
	// AllowedCores is how many cores the subject's processes were allowed
	// to run on (the union of their CPU affinities over the run), 0 where
	// not read. CPUQuotaCores is its cgroup's CPU quota in cores (quota /
	// period), nil without one; CPUQuotaGroup names the group that sets it.
	// QuotaPeriods, ThrottledPeriods and ThrottledS sum the frames'.
	AllowedCores     int      `json:"allowed_cores,omitempty"`
	CPUQuotaCores    *float64 `json:"cpu_quota_cores,omitempty"`
	CPUQuotaGroup    string   `json:"cpu_quota_group,omitempty"`
	QuotaPeriods     int      `json:"quota_periods,omitempty"`
	ThrottledPeriods int      `json:"throttled_periods,omitempty"`
	ThrottledS       float64  `json:"throttled_s,omitempty"`
	// Phases are the spans of the run whose behaviour was alike, and
	// Reasons why it used the cores it did, each with its evidence; both
	// set where the run is concluded (runtext.Conclude), like Verdict.
	Phases  []Phase  `json:"phases,omitempty"`
	Reasons []Reason `json:"reasons,omitempty"`
	// Scaling is the run's place in its sweep's fitted law, set where a
	// sweep's runs are concluded; nil for a run of no sweep.
	Scaling *Scaling `json:"scaling,omitempty"`
	// Verdict is the run's one sentence, worded from its findings when it
	// was concluded beside the runs it was recorded with (see
	// runtext.Conclude, which sets Speedup too); a file keeps it as written.
	Verdict string `json:"verdict"`
}

// Phase is a span of the run, on the frames' time axis, in which the
// subject behaved alike: its cores used, and its threads' time on a core,
// runnable (waiting for one) and blocked (waiting on something else, by
// what: "io", "sleep", "lock", "child", "other", "unknown").
type Phase struct {
	StartS      float64            `json:"start_s"`
	EndS        float64            `json:"end_s"`
	CoresUsed   float64            `json:"cores_used"`
	BusyThreads int                `json:"busy_threads"`
	OnCoreS     float64            `json:"on_core_s"`
	RunnableS   float64            `json:"runnable_s"`
	BlockedS    float64            `json:"blocked_s"`
	BlockedBy   map[string]float64 `json:"blocked_by,omitempty"`
}

// Reason is one reason the subject used the cores it did, given only where
// its evidence holds: Name is one of the Reason* names, Phase the index of
// the phase it holds in, Figures the measured figures that show it,
// Evidence where they come from ("switch records", "schedstat", "samples",
// "cgroup", "affinity"), and Missing what evidence was lacking, where that
// left the reason undecided or weaker.
type Reason struct {
	Name     string             `json:"name"`
	Phase    int                `json:"phase"`
	Figures  map[string]float64 `json:"figures,omitempty"`
	Evidence string             `json:"evidence,omitempty"`
	Missing  string             `json:"missing,omitempty"`
}

// The reasons a run used the cores it did (Reason.Name).
const (
	ReasonOneThread = "one-thread" // one thread wanted a core at a time
	ReasonTookTurns = "took-turns" // threads handed one core to each other: a lock
	ReasonGIL       = "gil"        // took turns in CPython, waiting in futex: its GIL
	ReasonAffinity  = "affinity"   // allowed fewer cores than its threads wanted
	ReasonQuota     = "quota"      // its cgroup's CPU quota throttled it
	ReasonSqueezed  = "squeezed"   // runnable, waiting for cores other programs held
	ReasonWaiting   = "waiting"    // blocked on I/O, a sleep, a lock or a child
	ReasonParallel  = "parallel"   // its threads ran on several cores at once
	ReasonUndecided = "undecided"  // the evidence cannot tell; Missing says why
)

// EscapedProcess is a process of the run that had left the subject's
// process group when the run ended: a daemon, which calls setsid and is
// reparented to init, so that neither the group's kill nor the kernel's
// Pdeathsig reaches it.
type EscapedProcess struct {
	PID     int    `json:"pid"`
	Command string `json:"command"`
	// Ended is whether it was seen to end when corescope killed it; Why
	// says what stopped corescope otherwise.
	Ended bool   `json:"ended"`
	Why   string `json:"why,omitempty"`
}

// ProcessLimit is the subject's share of its user's limit of processes and
// threads (RLIMIT_NPROC, `ulimit -u`), which counts corescope's own threads
// too: corescope gives the subject a lower limit than its own so that a
// subject that exhausts it (a thread or fork bomb) leaves corescope room to
// run. It is kept in a profile when the subject reached it.
type ProcessLimit struct {
	// Ulimit is corescope's own limit, the one the user set.
	Ulimit int `json:"ulimit"`
	// Limit is the subject's: Ulimit less what corescope kept for itself.
	Limit int `json:"limit"`
	// Peak is the most processes and threads of the user counted at once.
	Peak int `json:"peak"`
}

// TreeSampled reports whether any sample read the subject's process tree.
// Without one (a subject that exited before the first tick after its start,
// such as /bin/true), Threads, Procs and MaxRSS are 0 because they were not
// measured, not because they were nothing: show them as not measured.
func (s Summary) TreeSampled() bool { return s.Procs > 0 }

// ThreadGIL is one thread's time holding the GIL (its computations' CPU
// time) and waiting for it (the rest of their wall time).
type ThreadGIL struct {
	TID   int     `json:"tid"`
	HoldS float64 `json:"hold_s"`
	WaitS float64 `json:"wait_s"`
}

// Profile is one recorded run.
type Profile struct {
	Label   string    `json:"label"`
	Spec    spec.Spec `json:"spec"`
	Started time.Time `json:"started"`
	Machine Machine   `json:"machine"`
	// Nodes name the machines whose cores the frames hold and which cores
	// are whose (see Node). Empty for one machine, every core local: every
	// profile of corescope before nodes, and record without --node.
	Nodes   []Node  `json:"nodes,omitempty"`
	Summary Summary `json:"summary"`
	// Repeat is which of its spec's runs of a comparison this one was,
	// counted from 1 among the measured repeats, or among the warm-ups when
	// Warmup is set; 0 in files of corescope before repeats, where each run
	// stands alone. A warm-up run is kept but left out of the figures.
	Repeat int  `json:"repeat,omitempty"`
	Warmup bool `json:"warmup,omitempty"`
	// Error says why the run failed; empty for a run that succeeded.
	Error string `json:"error,omitempty"`
	// ExitCode is the subject's exit status (-1 when killed by a signal or never started).
	ExitCode int `json:"exit_code"`
	// StderrTail is the last lines the subject wrote to stderr.
	StderrTail string `json:"stderr_tail,omitempty"`
	// StdoutTail is the last lines it wrote to stdout that were not events.
	StdoutTail string       `json:"stdout_tail,omitempty"`
	Threads    []Thread     `json:"threads,omitempty"`
	Frames     []Frame      `json:"frames"`
	Events     []spec.Event `json:"events"`
	// Slices are the subject threads' on-core intervals (exact attribution
	// only), in the order they ended; past MaxSlices the oldest are dropped
	// and counted in SlicesDropped.
	Slices        []Slice `json:"slices,omitempty"`
	SlicesDropped int     `json:"slices_dropped,omitempty"`
}

// Failed reports whether the run did not end well.
func (p *Profile) Failed() bool { return p.Error != "" }

// StoppedByUser begins the Error of a run its user stopped: the recorder
// writes it, Stopped looks for it.
const StoppedByUser = "stopped by the user"

// Stopped reports whether the run's user stopped it, rather than its
// subject failing.
func (p *Profile) Stopped() bool { return strings.HasPrefix(p.Error, StoppedByUser) }

// MaxSlices bounds the switch timeline a profile keeps: about 10 MB in
// memory and 20 MB in a file. A GIL-bound subject makes some 5,000 slices a
// second, so this holds the last 50 s of the busiest runs; past it the
// oldest slices are dropped and counted (Profile.SlicesDropped).
const MaxSlices = 250_000

// Attributions say how a profile knows which core the subject ran on:
// exact from perf's per-CPU clocks and switch records; approximate from each
// thread's CPU over an interval, put on the core /proc says it last ran on.
const (
	AttributionExact       = "exact"
	AttributionApproximate = "approximate"
)

// Round rounds a figure to 1/scale (1e3 for cores, 1e4 for seconds), as
// profiles keep their figures: a file need not carry a float's noise.
func Round(v, scale float64) float64 { return math.Round(v*scale) / scale }
