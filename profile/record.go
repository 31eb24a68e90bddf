package profile

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"corescope/probes"
	"corescope/runners"
)

// ErrStopped is returned by Record and Compare when ctx was cancelled
// before the subject finished; the profile keeps what was sampled.
var ErrStopped = errors.New("stopped before the subject finished")

// Options configure Record.
type Options struct {
	// Self is the corescope executable the Go backend runs as `Self worker ...`;
	// empty means os.Executable().
	Self string
	// OnFrame, when set, is called on the sampling goroutine with each new frame.
	OnFrame func(Frame)
	// Lead and Tail are the idle edges sampled before the subject starts and
	// after it exits; zero means DefaultEdge.
	Lead, Tail time.Duration
	// Machine describes the computer; nil means Record looks it up (which
	// runs python3 for its version), as Compare does once for all its runs.
	Machine *Machine
}

// DefaultEdge is the idle time sampled before and after a subject, so the
// picture shows its edges.
const DefaultEdge = 300 * time.Millisecond

// stderrKeep is how many of the subject's last stderr lines a profile keeps.
const stderrKeep = 12

// Record runs spec's subject in its own process group and samples it until it
// exits plus a short idle tail. The returned profile is non-nil whenever the
// subject started, even when err is not nil (a failed run, ErrStopped).
func Record(ctx context.Context, spec runners.Spec, opt Options) (*Profile, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if opt.Self == "" {
		self, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("cannot find the corescope executable to run workers: %w", err)
		}
		opt.Self = self
	}
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
	subject, err := runners.Prepare(spec, opt.Self)
	if err != nil {
		return nil, err
	}
	defer subject.Close()
	tree, err := probes.NewTreeProber()
	if err != nil {
		return nil, err
	}
	tree.CtxSwitches = false // the subject's rusage at exit has them all
	r := &recorder{
		tree:          tree,
		spec:          spec,
		opt:           opt,
		cpu:           probes.NewCPUSampler(),
		self:          probes.NewSelfMeter(),
		prevCPU:       map[int]float64{},
		prevThreadCPU: map[int]float64{},
		threads:       map[int]Thread{},
	}
	return r.run(ctx, subject)
}

// recorder holds the state of one recording; only its run goroutine touches it,
// except the event and stderr readers, which go through events and stderr.
type recorder struct {
	spec runners.Spec
	opt  Options
	cpu  *probes.CPUSampler
	self *probes.SelfMeter
	tree *probes.TreeProber

	prof          *Profile
	prevCPU       map[int]float64 // cumulative CPU seconds of each subject pid seen
	prevThreadCPU map[int]float64 // the same for each thread, by tid
	threads       map[int]Thread  // every subject thread seen, by tid
	tasksDone     int
	stats         *runners.Event

	events eventQueue
	stderr tailBuffer
}

// exit is how the subject ended.
type exit struct {
	at    time.Time
	state *os.ProcessState
	err   error
}

func (r *recorder) run(ctx context.Context, subject *runners.Subject) (*Profile, error) {
	started := time.Now()
	r.prof = &Profile{
		Label:    r.spec.Label(),
		Spec:     r.spec,
		Started:  started,
		Machine:  *r.opt.Machine,
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
	stopWatchdog, err := startWatchdog(proc.pid)
	if err != nil {
		killGroup(proc.pid)
		<-proc.exited
		return nil, err
	}
	defer stopWatchdog()
	r.prof.Summary.SubjectStartS = proc.startedAt.Sub(started).Seconds()

	// The subject runs; Stop kills its whole group and waits for the exit.
	var ended exit
	stopped := false
	done := ctx.Done()
	for running := true; running; {
		select {
		case <-done:
			stopped, done = true, nil
			killGroup(proc.pid)
		case ended = <-proc.exited:
			running = false
		case <-ticker.C:
			r.sample(ctx, proc.pid)
		}
	}
	killGroup(proc.pid) // no process of the run outlives the subject
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

// running is a started subject.
type running struct {
	pid       int
	startedAt time.Time
	exited    chan exit
	readers   sync.WaitGroup
	pipes     []*os.File // the read ends, closed by the readers
}

// start launches the subject in its own process group with its stdout and
// stderr on pipes that this recorder reads.
func (r *recorder) start(subject *runners.Subject) (*running, error) {
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("cannot start the subject: %w", err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return nil, fmt.Errorf("cannot start the subject: %w", err)
	}
	cmd := exec.Command(subject.Argv[0], subject.Argv[1:]...)
	cmd.Env = append(os.Environ(), subject.Env...)
	cmd.Stdout, cmd.Stderr = outW, errW
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}

	p := &running{exited: make(chan exit, 1), pipes: []*os.File{outR, errR}}
	started := make(chan error, 1)
	go func() {
		// Pdeathsig fires when the thread that started the child exits, so
		// this goroutine keeps its thread for the child's whole life; the
		// runtime retires the thread when the goroutine returns still locked.
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		p.startedAt = time.Now()
		started <- nil
		err := cmd.Wait()
		p.exited <- exit{at: time.Now(), state: cmd.ProcessState, err: err}
	}()
	err = <-started
	outW.Close()
	errW.Close()
	if err != nil {
		outR.Close()
		errR.Close()
		return nil, fmt.Errorf("cannot start %s: %w", subject.Argv[0], err)
	}
	p.pid = cmd.Process.Pid
	p.readers.Add(2)
	go func() {
		defer p.readers.Done()
		r.events.readFrom(outR)
	}()
	go func() {
		defer p.readers.Done()
		r.stderr.readFrom(errR)
	}()
	return p, nil
}

// waitReaders waits for the subject's pipes to reach their end. A process
// that escaped the group may hold them open: after a second they are closed.
func (p *running) waitReaders() {
	done := make(chan struct{})
	go func() {
		p.readers.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
		for _, f := range p.pipes {
			f.Close()
		}
		<-done
	}
	for _, f := range p.pipes {
		f.Close()
	}
}

// killGroup ends every process of the subject's group.
func killGroup(pid int) {
	if pid > 0 {
		syscall.Kill(-pid, syscall.SIGKILL)
	}
}

// startWatchdog starts a small process that kills the subject's group if
// corescope dies before the run ends, even by SIGKILL, which no handler of
// corescope's own can catch: it waits for the end of a pipe whose only
// writer is corescope. It ignores the terminal's signals, so Ctrl-C leaves
// the stopping to corescope. The returned stop ends it without killing.
func startWatchdog(pgid int) (stop func(), err error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("cannot start the watchdog: %w", err)
	}
	defer r.Close()
	cmd := exec.Command("/bin/sh", "-c", `trap "" INT TERM HUP QUIT; read _; kill -KILL -"$1" 2>/dev/null`,
		"corescope-watchdog", strconv.Itoa(pgid))
	cmd.Stdin = r
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, fmt.Errorf("cannot start the watchdog: %w", err)
	}
	return func() {
		cmd.Process.Kill() // first, so it cannot kill a group whose id was reused
		cmd.Wait()
		w.Close()
	}, nil
}

// eventQueue carries events from the stdout reader to the sampling loop.
type eventQueue struct {
	mu      sync.Mutex
	pending []runners.Event
}

func (q *eventQueue) readFrom(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if ev, ok := runners.ParseEvent(sc.Bytes()); ok {
			q.mu.Lock()
			q.pending = append(q.pending, ev)
			q.mu.Unlock()
		}
	}
}

func (q *eventQueue) take() []runners.Event {
	q.mu.Lock()
	defer q.mu.Unlock()
	evs := q.pending
	q.pending = nil
	return evs
}

// tailBuffer keeps the last lines the subject wrote to stderr.
type tailBuffer struct {
	mu    sync.Mutex
	lines []string
}

func (t *tailBuffer) readFrom(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		t.mu.Lock()
		t.lines = append(t.lines, sc.Text())
		if len(t.lines) > stderrKeep {
			t.lines = t.lines[len(t.lines)-stderrKeep:]
		}
		t.mu.Unlock()
	}
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}
