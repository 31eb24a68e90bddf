package probes

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// CoreClock reads how long a subject tree ran on each CPU: one task-clock
// counter per CPU on the subject, inherited by the threads and children it
// starts after the counters are opened. Unlike the last core a thread ran on,
// this stays exact when other programs compete for the cores.
type CoreClock struct {
	fds []int
	buf [8]byte
}

// OpenCoreClock opens the counters of pid on CPUs 0..cpus-1 (the numbering of
// /proc/stat). Threads and children the subject started before this call are
// not counted: start the subject behind a Gate. The error wraps
// ErrPerfRefused or ErrPerfUnsupported when there is no exact figure to have.
func OpenCoreClock(pid, cpus int) (*CoreClock, error) {
	attr := unix.PerfEventAttr{
		Type:   unix.PERF_TYPE_SOFTWARE,
		Config: unix.PERF_COUNT_SW_TASK_CLOCK,
		Bits:   unix.PerfBitInherit,
	}
	fds, err := openPerCPU(&attr, pid, cpus, "the per-core clock")
	if err != nil {
		return nil, err
	}
	return &CoreClock{fds: fds}, nil
}

// Read fills dst[cpu] with the subject tree's cumulative time on that CPU,
// exited threads and children included. It allocates nothing, so a recorder
// can call it every tick.
func (c *CoreClock) Read(dst []time.Duration) error {
	if len(dst) < len(c.fds) {
		return fmt.Errorf("per-core clock: room for %d CPUs, need %d", len(dst), len(c.fds))
	}
	for cpu, fd := range c.fds {
		n, err := unix.Read(fd, c.buf[:])
		if err != nil {
			return fmt.Errorf("cannot read the per-core clock of CPU %d: %w", cpu, err)
		}
		if n != len(c.buf) {
			return fmt.Errorf("cannot read the per-core clock of CPU %d: %d bytes instead of 8", cpu, n)
		}
		dst[cpu] = time.Duration(binary.NativeEndian.Uint64(c.buf[:]))
	}
	return nil
}

// Close releases the counters.
func (c *CoreClock) Close() error {
	err := closeFDs(c.fds)
	c.fds = nil
	return err
}

// openPerCPU opens attr on pid once per CPU. At kernel.perf_event_paranoid 2
// a user may measure only user space, so a refusal is retried once with the
// kernel and hypervisor excluded, which the other CPUs then keep. That costs
// nothing here: the task clock still counts system time (a dd with 587 ms
// of it read 589 ms as nobody) and switch records still come.
func openPerCPU(attr *unix.PerfEventAttr, pid, cpus int, what string) ([]int, error) {
	if cpus < 1 {
		return nil, fmt.Errorf("cannot open %s: %d CPUs", what, cpus)
	}
	attr.Size = uint32(unsafe.Sizeof(*attr))
	fds := make([]int, 0, cpus)
	for cpu := range cpus {
		fd, err := unix.PerfEventOpen(attr, pid, cpu, -1, unix.PERF_FLAG_FD_CLOEXEC)
		if errors.Is(err, unix.EACCES) && attr.Bits&unix.PerfBitExcludeKernel == 0 {
			attr.Bits |= unix.PerfBitExcludeKernel | unix.PerfBitExcludeHv
			fd, err = unix.PerfEventOpen(attr, pid, cpu, -1, unix.PERF_FLAG_FD_CLOEXEC)
		}
		if err != nil {
			closeFDs(fds)
			paranoid, _ := os.ReadFile("/proc/sys/kernel/perf_event_paranoid")
			return nil, perfError(what, pid, cpu, err, strings.TrimSpace(string(paranoid)))
		}
		fds = append(fds, fd)
	}
	return fds, nil
}

// perfError words a failed perf_event_open for the user: what refused it and
// what to do. paranoid is the sysctl's value, "" when unreadable.
func perfError(what string, pid, cpu int, err error, paranoid string) error {
	switch {
	case errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM):
		if level, perr := strconv.Atoi(paranoid); perr != nil || level > 2 {
			// Debian's and Ubuntu's kernels refuse at 3; upstream ones treat
			// 3 as 2, so there a security policy may be the cause instead.
			return fmt.Errorf("%w (kernel.perf_event_paranoid = %s): run `sudo sysctl kernel.perf_event_paranoid=2` for exact per-core figures, or, if it is refused at 2, run outside the container or security policy that blocks perf_event_open (%w)",
				ErrPerfRefused, orUnknown(paranoid), err)
		}
		return fmt.Errorf("%w although kernel.perf_event_paranoid = %s allows them: a container or security policy blocks perf_event_open; run outside it for exact per-core figures (%w)",
			ErrPerfRefused, paranoid, err)
	case errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EOPNOTSUPP):
		return fmt.Errorf("%w by this kernel (%w)", ErrPerfUnsupported, err)
	case errors.Is(err, unix.ESRCH):
		return fmt.Errorf("cannot open %s: the subject (pid %d) is gone: %w", what, pid, err)
	case errors.Is(err, unix.EMFILE) || errors.Is(err, unix.ENFILE):
		return fmt.Errorf("cannot open %s: out of file descriptors (perf needs one per CPU): %w", what, err)
	}
	return fmt.Errorf("cannot open %s for pid %d on CPU %d: %w", what, pid, cpu, err)
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func closeFDs(fds []int) error {
	var first error
	for _, fd := range fds {
		if err := unix.Close(fd); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Gate holds a started command back before its program's first instruction,
// so that perf counters opened on its pid in between see every thread and
// child it will have (inherited events miss those started before them).
type Gate struct {
	r, w *os.File
}

// gateMaxFD is the highest descriptor the gate shell can read: dash
// redirects only 0-9.
const gateMaxFD = 9

// GateCommand rewrites cmd, before its Start, to run behind a gate: /bin/sh
// waits for Release and then execs the original program in its own process,
// so the pid the caller opens counters on stays the subject's. The order is:
// GateCommand, Start, open the counters on cmd.Process.Pid, Release. The
// program gets its path as argv[0], and one that cannot be executed ends
// with sh's status 126 or 127 instead of failing Start. If Release never
// comes (corescope died), the gate exits with status 125 without running it.
func GateCommand(cmd *exec.Cmd) (*Gate, error) {
	if cmd.Err != nil {
		return nil, cmd.Err
	}
	fd := 3 + len(cmd.ExtraFiles)
	if fd > gateMaxFD {
		return nil, fmt.Errorf("cannot gate %s: it already passes %d extra files", cmd.Path, len(cmd.ExtraFiles))
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("cannot gate %s: %w", cmd.Path, err)
	}
	path := cmd.Path
	if !strings.Contains(path, "/") {
		path = "./" + path // as exec.Cmd runs it: relative to Dir, not looked up in PATH
	}
	script := fmt.Sprintf(`read -r _ <&%d || exit 125; exec "$@" %d<&-`, fd, fd)
	cmd.Args = append([]string{"corescope-gate", "-c", script, "corescope-gate", path}, cmd.Args[1:]...)
	cmd.Path = "/bin/sh"
	cmd.ExtraFiles = append(cmd.ExtraFiles, r)
	return &Gate{r: r, w: w}, nil
}

// Release lets the gated program run. Call it once the command has started
// and its counters are open (whether they opened or not). After a failed
// Start, call it to free the pipe and ignore its error.
func (g *Gate) Release() error {
	g.r.Close()
	_, err := g.w.Write([]byte{'\n'})
	if cerr := g.w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cannot release the subject: %w", err)
	}
	return nil
}
