package recorder

import (
	"cmp"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"time"

	"corescope/probes"
	"corescope/profile"
	"corescope/runners"
)

// processGroup holds a subject and every process it starts, so that they all
// end with the run: Stop, a crash of the subject, and corescope being killed
// all leave no process behind. Each system makes its own (newProcessGroup).
type processGroup interface {
	// start starts cmd as the group's first process.
	start(cmd *exec.Cmd) error
	// watch makes the group end even if corescope dies before the run ends.
	watch() error
	// kill ends every process of the group.
	kill()
	// release stops watching and frees what the group holds once kill
	// has ended it (a cgroup, once empty).
	release()
	// outside says how processes that left the group are followed, and
	// which kill found and ended, or could not end.
	outside() (followedBy string, escaped []profile.EscapedProcess)
}

// exit is how the subject ended.
type exit struct {
	at    time.Time
	state *os.ProcessState
	err   error
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
// stderr on pipes that this recording reads.
func (r *recording) start(subject *runners.Subject) (*running, error) {
	outR, outW, err := outputPipe()
	if err != nil {
		return nil, fmt.Errorf("cannot start the subject: %w", err)
	}
	errR, errW, err := outputPipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return nil, fmt.Errorf("cannot start the subject: %w", err)
	}
	cmd := exec.Command(subject.Argv[0], subject.Argv[1:]...)
	cmd.Env = append(os.Environ(), subject.Env...)
	cmd.Stdout, cmd.Stderr = outW, errW
	// The subject waits behind a gate until its perf probes are open, so
	// they see every thread and child it starts; without a gate (no perf
	// on this system) attribution is approximate.
	gate, gateErr := probes.GateCommand(cmd)

	p := &running{exited: make(chan exit, 1), pipes: []*os.File{outR, errR}}
	started := make(chan error, 1)
	go func() {
		// Linux's Pdeathsig fires when the thread that started the child
		// exits, so this goroutine keeps its thread for the child's whole
		// life; the runtime retires the thread when the goroutine returns
		// still locked.
		runtime.LockOSThread()
		if err := r.group.start(cmd); err != nil {
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
		if gate != nil {
			gate.Release()
		}
		outR.Close()
		errR.Close()
		return nil, fmt.Errorf("cannot start %s: %w", subject.Argv[0], err)
	}
	p.pid = cmd.Process.Pid
	// Killed before it runs: it has started nothing yet.
	abort := func(err error) (*running, error) {
		r.group.kill()
		<-p.exited
		if gate != nil {
			gate.Release() // frees the pipe
		}
		outR.Close()
		errR.Close()
		return nil, err
	}
	// The watchdog is up, and the subject's share of the process limit
	// set, before the subject runs: no moment of the run goes without.
	if err := r.group.watch(); err != nil {
		return abort(err)
	}
	r.limit = limitProcesses(p.pid)
	r.cpuLimits.start(p.pid) // in the run's cgroup, before anything runs
	if gate != nil {
		r.openAttribution(p.pid)
		if err := gate.Release(); err != nil {
			return abort(err)
		}
		p.startedAt = time.Now() // the program's first instruction is now
	} else {
		r.attributionNote = "exact per-core figures need perf events: " + gateErr.Error()
	}
	p.readers.Add(2)
	go func() {
		defer p.readers.Done()
		r.stdout.readFrom(outR)
	}()
	go func() {
		defer p.readers.Done()
		r.stderr.readFrom(errR)
	}()
	return p, nil
}

// waitReaders waits for the subject's pipes to reach their end. A process
// that escaped the group may hold them open: after a second the run goes on
// without what it writes, and the readers end with it. (A blocking read
// cannot be interrupted by closing its file.)
func (p *running) waitReaders() {
	done := make(chan struct{})
	go func() {
		p.readers.Wait()
		for _, f := range p.pipes {
			f.Close()
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
	}
}

// openAttribution opens the exact per-core probes on the gated subject, or
// notes why the run's attribution is approximate.
func (r *recording) openAttribution(pid int) {
	exact, err := r.opt.openExact(pid, r.cores(), r.prof.Started)
	if err != nil {
		r.attributionNote = "exact per-core figures need perf events: " + err.Error()
		return
	}
	r.exact = exact
	// The switch records say where each thread ran, so the tree probe
	// need not read every running thread's stat for its last core.
	r.tree.LastCores = false
}

// cores is how many CPUs the per-core figures have: as /proc/stat counts
// them in the frames so far, else as the machine reports.
func (r *recording) cores() int {
	if len(r.prof.Frames) > 0 {
		local, _ := r.prof.LocalNode() // other nodes' cores are not this machine's
		return local.Cores
	}
	return cmp.Or(r.opt.Machine.LogicalCores, runtime.NumCPU())
}
