package recorder

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/procfs"
	"golang.org/x/sys/unix"

	"corescope/profile"
)

// runVariable marks every process of a run: the subject's environment holds
// it, with a value of the run's own, and each process the subject starts
// inherits it unless it clears its environment. Where the run has no cgroup
// it is how a process that left the subject's process group is found.
const runVariable = "CORESCOPE_RUN"

// endRounds bounds how many times endEscaped lists the run's processes
// again, for those that the ones it killed started meanwhile.
const endRounds = 10

// endWait is how long a killed process has to be seen ending.
const endWait = time.Second

// runs numbers this process's runs, so that each has a marker and a cgroup
// of its own.
var runs atomic.Int64

// follower follows every process the subject starts, also those that leave
// its process group, which kill(-pgid), the watchdog's kill and Pdeathsig
// all miss: a daemon calls setsid, forks again and is reparented to init.
// Best, the run has a cgroup of its own, under corescope's, which no process
// leaves without privilege; where none can be written (v1 hierarchies and
// the v2 hierarchy of a system that delegates none to the user are root's),
// the marker in their environment finds them, and one that clears its
// environment is lost.
type follower struct {
	cgroup string // the run's cgroup folder; "" when it has none
	marker string // runVariable's value in the subject's environment
	note   string // how the run's processes are followed, for the summary
}

// newFollower makes the run's cgroup where one can be made.
func newFollower() *follower {
	f := &follower{marker: fmt.Sprintf("%d-%d-%d", os.Getpid(), runs.Add(1), time.Now().UnixNano())}
	parents, err := cgroupParents()
	if err == nil {
		f.cgroup, err = makeCgroup(parents, "corescope-"+f.marker)
	}
	if err != nil {
		f.withoutCgroup(err)
		return f
	}
	f.note = "its cgroup " + f.cgroup
	return f
}

// withoutCgroup falls back to the marker in the environment, saying why.
func (f *follower) withoutCgroup(why error) {
	f.cgroup = ""
	f.note = fmt.Sprintf("the variable %s in their environment, as no cgroup could be made (%v): "+
		"a process that leaves the subject's process group and clears its environment is not followed", runVariable, why)
}

// env is what the subject's environment gets.
func (f *follower) env() []string { return []string{runVariable + "=" + f.marker} }

// add puts the subject, pid, in the run's cgroup. It starts behind its gate
// (probes.GateCommand), so it has started nothing yet that would stay out.
func (f *follower) add(pid int) {
	if f.cgroup == "" {
		return
	}
	if err := writeCgroupFile(f.cgroup, "cgroup.procs", strconv.Itoa(pid)); err != nil {
		os.Remove(f.cgroup)
		f.withoutCgroup(fmt.Errorf("cannot move the subject into %s: %w", f.cgroup, err))
	}
}

// remove removes the run's cgroup once its processes are gone (they may
// still be exiting); what is left in it is killed first.
func (f *follower) remove() {
	if f.cgroup == "" {
		return
	}
	for deadline := time.Now().Add(endWait); ; time.Sleep(10 * time.Millisecond) {
		err := os.Remove(f.cgroup)
		if err == nil || errors.Is(err, os.ErrNotExist) || time.Now().After(deadline) {
			return
		}
		if !f.killCgroup() {
			for _, pid := range f.members() {
				unix.Kill(pid, unix.SIGKILL)
			}
		}
	}
}

// members lists the run's live processes: its cgroup's, or those whose
// environment holds its marker.
func (f *follower) members() []int {
	if f.cgroup != "" {
		procs, _ := os.ReadFile(filepath.Join(f.cgroup, "cgroup.procs"))
		var pids []int
		for _, field := range strings.Fields(string(procs)) {
			if pid, err := strconv.Atoi(field); err == nil {
				pids = append(pids, pid)
			}
		}
		return pids
	}
	return marked(runVariable + "=" + f.marker)
}

// marked lists the processes whose environment holds the variable v (as
// NAME=value). A process of another user, whose environment cannot be
// read, is not listed; neither is a zombie, whose environment is gone.
func marked(v string) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		env, err := os.ReadFile("/proc/" + e.Name() + "/environ")
		if err == nil && slices.ContainsFunc(bytes.Split(env, []byte{0}), func(kv []byte) bool { return string(kv) == v }) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// endEscaped ends the run's processes outside the subject's process group,
// pgid, which kill(-pgid) has just killed, and returns escaped with them
// added, each saying whether it was seen to end. It lists them again after
// each round of kills, for those that they started meanwhile; a process
// already in escaped is not tried again.
func (f *follower) endEscaped(pgid int, escaped []profile.EscapedProcess) []profile.EscapedProcess {
	for range endRounds {
		var found []escapee
		for _, pid := range f.members() {
			if pg, err := unix.Getpgid(pid); err != nil || pg == pgid {
				continue // gone, or in the group, which is dying
			}
			if slices.ContainsFunc(escaped, func(e profile.EscapedProcess) bool { return e.PID == pid }) {
				continue // ended, or tried once: one that cannot be killed is not waited for again
			}
			fd, err := unix.PidfdOpen(pid, 0)
			if err == unix.ESRCH {
				continue
			}
			i := len(escaped)
			escaped = append(escaped, profile.EscapedProcess{PID: pid, Command: commandOf(pid)})
			if err != nil { // no pidfds (Linux before 5.3): killed by its pid, not seen to end
				escaped[i].Why = "killed, but not seen to end: pidfd_open: " + err.Error()
				if err := unix.Kill(pid, unix.SIGKILL); err != nil {
					escaped[i].Why = "cannot kill it: " + err.Error()
				}
				continue
			}
			found = append(found, escapee{fd: fd, index: i})
		}
		if len(found) == 0 {
			break
		}
		f.kill(found, escaped)
		awaitEnd(found, escaped)
	}
	return escaped
}

// escapee is a process endEscaped kills: a pidfd, which names it for good
// (its pid may be reused once it is gone), and its place in the list.
type escapee struct{ fd, index int }

// kill kills the processes found: the whole cgroup at once where it can,
// else each through its pidfd, noting why one could not be killed.
func (f *follower) kill(found []escapee, escaped []profile.EscapedProcess) {
	if f.killCgroup() {
		return
	}
	for _, e := range found {
		if err := unix.PidfdSendSignal(e.fd, unix.SIGKILL, nil, 0); err != nil {
			escaped[e.index].Why = "cannot kill it: " + err.Error()
		}
	}
}

// killCgroup kills every process of the run's cgroup at once, where the
// run has a cgroup and the system cgroup.kill (v2, Linux 5.14 and later).
func (f *follower) killCgroup() bool {
	return f.cgroup != "" && writeCgroupFile(f.cgroup, "cgroup.kill", "1") == nil
}

// awaitEnd waits up to endWait for the killed processes to end, marks
// those that did, and closes their pidfds. A pidfd polls readable once its
// process has exited.
func awaitEnd(found []escapee, escaped []profile.EscapedProcess) {
	polls := make([]unix.PollFd, len(found))
	for i, e := range found {
		polls[i] = unix.PollFd{Fd: int32(e.fd), Events: unix.POLLIN}
	}
	deadline := time.Now().Add(endWait)
	for left := len(polls); left > 0 && time.Now().Before(deadline); {
		if _, err := unix.Poll(polls, int(time.Until(deadline).Milliseconds())+1); err != nil && err != unix.EINTR {
			break
		}
		for i := range polls {
			if polls[i].Fd >= 0 && polls[i].Revents != 0 {
				polls[i].Fd = -1 // ended: poll skips it from now on
				left--
			}
		}
	}
	for i, found := range found {
		e := &escaped[found.index]
		e.Ended = polls[i].Fd < 0
		switch {
		case e.Ended:
			e.Why = ""
		case e.Why == "":
			e.Why = fmt.Sprintf("still running %v after SIGKILL", endWait)
		}
		unix.Close(found.fd)
	}
}

// commandOf is pid's command line, or its name in brackets when it has
// none, cut to a line's length.
func commandOf(pid int) string {
	const most = 200
	p := strconv.Itoa(pid)
	cmdline, _ := os.ReadFile("/proc/" + p + "/cmdline")
	s := strings.TrimSpace(string(bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '})))
	if s == "" {
		comm, _ := os.ReadFile("/proc/" + p + "/comm")
		s = "[" + strings.TrimSpace(string(comm)) + "]"
	}
	if len(s) > most {
		s = s[:most] + "…"
	}
	return s
}

// watchdog is what the watchdog runs, after killing the subject's group,
// to end the rest of the run, and its arguments: it kills the run's cgroup
// and removes it, or kills the processes whose environment holds the
// run's marker.
func (f *follower) watchdog() (script string, args []string) {
	if f.cgroup != "" {
		return `for _ in 1 2 3 4 5 6 7 8 9 10; do
	echo 1 2>/dev/null >"$1/cgroup.kill" || while read -r p; do kill -KILL "$p"; done <"$1/cgroup.procs"
	rmdir "$1" 2>/dev/null && break
	sleep 0.1
done`, []string{f.cgroup}
	}
	return `for _ in 1 2 3; do
	for f in $(grep -lsxzF "$1" /proc/[0-9]*/environ); do p=${f#/proc/}; kill -KILL "${p%/environ}"; done
	sleep 0.1
done`, []string{runVariable + "=" + f.marker}
}

// makeCgroup makes the run's cgroup, name, in the first of parents where
// corescope may write. It fails where it may write in none (a user who was
// delegated none), saying why for the first.
func makeCgroup(parents []string, name string) (string, error) {
	var errs []error
	for _, parent := range parents {
		dir := filepath.Join(parent, name)
		err := os.Mkdir(dir, 0o755)
		if err == nil {
			return dir, nil
		}
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		return "", errors.New("no cgroup hierarchy is mounted")
	}
	return "", errs[0]
}

// cgroupParents lists corescope's own cgroup folders where a run's cgroup
// may go, best first: the unified (v2) hierarchy's, where cgroup.kill ends
// it at once, then v1's pids hierarchy's.
func cgroupParents() ([]string, error) {
	self, err := procfs.Self()
	if err != nil {
		return nil, err
	}
	cgroups, err := self.Cgroups()
	if err != nil {
		return nil, err
	}
	mounts, err := self.MountInfo()
	if err != nil {
		return nil, err
	}
	unified := func(c procfs.Cgroup, m *procfs.MountInfo) bool { return c.HierarchyID == 0 && m.FSType == "cgroup2" }
	pids := func(c procfs.Cgroup, m *procfs.MountInfo) bool {
		_, ok := m.SuperOptions["pids"]
		return m.FSType == "cgroup" && ok && slices.Contains(c.Controllers, "pids")
	}
	var parents []string
	for _, hierarchy := range []func(procfs.Cgroup, *procfs.MountInfo) bool{unified, pids} {
		for _, c := range cgroups {
			for _, m := range mounts {
				if rel, ok := strings.CutPrefix(c.Path, m.Root); ok && hierarchy(c, m) {
					parents = append(parents, filepath.Join(m.MountPoint, rel))
				}
			}
		}
	}
	return parents, nil
}

// writeCgroupFile writes s to one of a cgroup's files, which exist already.
func writeCgroupFile(dir, name, s string) error {
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(s)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
