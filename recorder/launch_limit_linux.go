package recorder

import (
	"bytes"
	"os"
	"runtime"
	"strconv"

	"golang.org/x/sys/unix"

	"corescope/probes"
	"corescope/profile"
)

// processLimit is the subject's share of its user's limit of processes and
// threads (RLIMIT_NPROC, `ulimit -u`). The kernel counts every process and
// thread of the user against it, corescope's own included, so a subject
// that exhausts it (a thread bomb) would leave the Go runtime no thread to
// start, and corescope would die of it ("failed to create new OS thread",
// with 10 threads under `ulimit -u 120` here). The subject gets a lower
// limit than corescope's, so corescope keeps room, and is watched for
// reaching it.
type processLimit struct {
	uid           int
	ulimit, limit int // corescope's, and the subject's
	base          int // the user's processes and threads when the subject started, it but one
	peak          int // the most counted at once
}

// limitProcesses gives the subject, pid, which waits behind its gate and
// has started nothing yet, a lower limit of processes and threads than
// corescope's, hard and soft, so that it cannot raise it back. Nil where
// no limit binds: none is set, or the kernel exempts the user (root, or
// CAP_SYS_RESOURCE or CAP_SYS_ADMIN), or it cannot be set (then the run
// goes on as before).
func limitProcesses(pid int) *processLimit {
	var own unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NPROC, &own) != nil || own.Cur == unix.RLIM_INFINITY || nprocExempt() {
		return nil
	}
	l := &processLimit{uid: os.Getuid(), ulimit: int(own.Cur)}
	l.limit = max(l.ulimit-nprocReserve(), 1)
	lower := unix.Rlimit{Cur: uint64(l.limit), Max: uint64(l.limit)}
	if unix.Prlimit(pid, unix.RLIMIT_NPROC, &lower, nil) != nil {
		return nil
	}
	n, err := probes.UserTasks(l.uid)
	if err != nil {
		return nil
	}
	l.base = n - 1
	return l
}

// nprocReserve is how many of the limit corescope keeps for its own
// threads: it had 7 to 10 when a thread bomb killed it here, and the Go
// runtime may start about one more a core when its threads block in
// system calls.
func nprocReserve() int { return 32 + runtime.GOMAXPROCS(0) }

// nprocExempt reports whether the kernel exempts this process's children
// from RLIMIT_NPROC: it does for the first user namespace's root and for
// a holder of CAP_SYS_RESOURCE or CAP_SYS_ADMIN there.
func nprocExempt() bool {
	uidMap, err := os.ReadFile("/proc/self/uid_map")
	if err != nil || string(bytes.Join(bytes.Fields(uidMap), []byte(" "))) != "0 0 4294967295" {
		return false // a namespace of its own: its root is bound like any user
	}
	if os.Getuid() == 0 {
		return true
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return false
	}
	_, capEff, _ := bytes.Cut(status, []byte("\nCapEff:"))
	capEff, _, _ = bytes.Cut(capEff, []byte("\n"))
	caps, err := strconv.ParseUint(string(bytes.TrimSpace(capEff)), 16, 64)
	return err == nil && caps&(1<<unix.CAP_SYS_RESOURCE|1<<unix.CAP_SYS_ADMIN) != 0
}

// observe counts the user's processes and threads when the subject's,
// subjectTasks as the last tick sampled them, may have brought the user's
// near the subject's limit: counting reads every process's status, so
// only then.
func (l *processLimit) observe(subjectTasks int) {
	if l == nil || l.base+subjectTasks < l.limit*3/4 {
		return
	}
	if n, err := probes.UserTasks(l.uid); err == nil {
		l.peak = max(l.peak, n)
	}
}

// reached is the limit as the summary keeps it, when the subject reached
// it; nil otherwise.
func (l *processLimit) reached() *profile.ProcessLimit {
	if l == nil || l.peak < l.limit {
		return nil
	}
	return &profile.ProcessLimit{Ulimit: l.ulimit, Limit: l.limit, Peak: l.peak}
}
