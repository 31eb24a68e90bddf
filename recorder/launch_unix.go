//go:build unix

package recorder

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"

	"corescope/profile"
)

// unixGroup is a process group that the subject leads: its workers join it
// unless they leave on purpose, and kill(-pgid) reaches them all. Those
// that leave it (a daemon's setsid) its follower finds, where the system
// allows, and ends too.
type unixGroup struct {
	pgid         int // the subject's pid, once started
	follow       *follower
	escaped      []profile.EscapedProcess // found outside the group by kill
	stopWatchdog func()
}

func newProcessGroup() (processGroup, error) { return &unixGroup{}, nil }

func (g *unixGroup) start(cmd *exec.Cmd) error {
	cmd.SysProcAttr = groupAttr()
	g.follow = newFollower()
	cmd.Env = append(cmd.Env, g.follow.env()...)
	if err := cmd.Start(); err != nil {
		g.follow.remove()
		return err
	}
	g.pgid = cmd.Process.Pid
	g.follow.add(g.pgid)
	return nil
}

func (g *unixGroup) kill() {
	if g.pgid > 0 {
		syscall.Kill(-g.pgid, syscall.SIGKILL)
		g.escaped = g.follow.endEscaped(g.pgid, g.escaped)
	}
}

func (g *unixGroup) watch() error {
	stop, err := startWatchdog(g.pgid, g.follow)
	g.stopWatchdog = stop
	return err
}

func (g *unixGroup) release() {
	if g.stopWatchdog != nil {
		g.stopWatchdog()
	}
	if g.follow != nil {
		g.follow.remove()
	}
}

func (g *unixGroup) outside() (followedBy string, escaped []profile.EscapedProcess) {
	if g.follow == nil {
		return "", nil
	}
	return g.follow.note, g.escaped
}

// startWatchdog starts a small process that kills the subject's group, and
// what its follower follows, if corescope dies before the run ends, even by
// SIGKILL, which no handler of corescope's own can catch: it waits for the
// end of a pipe whose only writer is corescope. It ignores the terminal's
// signals, so Ctrl-C leaves the stopping to corescope. The returned stop
// ends it without killing.
func startWatchdog(pgid int, follow *follower) (stop func(), err error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("cannot start the watchdog: %w", err)
	}
	defer r.Close()
	script, args := follow.watchdog()
	cmd := exec.Command("/bin/sh", append([]string{"-c", `trap "" INT TERM HUP QUIT; read _; kill -KILL -"$1" 2>/dev/null; shift; ` + script,
		"corescope-watchdog", strconv.Itoa(pgid)}, args...)...)
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

// outputPipe makes a pipe for the subject's output whose read end blocks:
// it stays out of Go's network poller, which a subject writing a line at a
// time would otherwise wake once a line, even while nobody reads.
func outputPipe() (r, w *os.File, err error) {
	var p [2]int
	syscall.ForkLock.RLock()
	err = syscall.Pipe(p[:])
	if err == nil {
		syscall.CloseOnExec(p[0])
		syscall.CloseOnExec(p[1])
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return nil, nil, err
	}
	growPipe(p[0])
	return os.NewFile(uintptr(p[0]), "|0"), os.NewFile(uintptr(p[1]), "|1"), nil
}
