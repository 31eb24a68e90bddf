package proctest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// proc is what the helpers need to know of a process.
type proc struct {
	pid, ppid, pgrp int
	zombie          bool
	cmdline         string // its arguments joined by spaces
}

// GroupMembers lists the live (not zombie) processes of process group pgid.
func GroupMembers(t testing.TB, pgid int) []int {
	t.Helper()
	return where(t, func(p proc) bool { return p.pgrp == pgid && !p.zombie })
}

// goneWithin is how long WaitGroupGone and WaitMarkedGone wait: a killed
// process ends well within it even on a busy machine (its exit waits for a
// core), and one that was left running lives on for minutes.
const goneWithin = 10 * time.Second

// WaitGroupGone fails the test unless group pgid is empty within
// goneWithin.
func WaitGroupGone(t testing.TB, pgid int) {
	t.Helper()
	waitGone(t, "processes of the run", func() []int { return GroupMembers(t, pgid) })
}

// waitGone fails the test unless list lists no process within goneWithin.
func waitGone(t testing.TB, what string, list func() []int) {
	t.Helper()
	deadline := time.Now().Add(goneWithin)
	for {
		left := list()
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still alive %v later: %v", what, goneWithin, left)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ChildOf returns the lowest-numbered child of parent, usually the first
// it started, or 0 when it has none.
func ChildOf(t testing.TB, parent int) int {
	t.Helper()
	if kids := where(t, func(p proc) bool { return p.ppid == parent }); len(kids) > 0 {
		return kids[0]
	}
	return 0
}

func where(t testing.TB, match func(proc) bool) []int {
	t.Helper()
	var pids []int
	for _, p := range processes(t) {
		if match(p) {
			pids = append(pids, p.pid)
		}
	}
	return pids
}

// Marked lists the live (not zombie) processes whose command line holds
// marker.
func Marked(t testing.TB, marker string) []int {
	t.Helper()
	return where(t, func(p proc) bool { return !p.zombie && strings.Contains(p.cmdline, marker) })
}

// WaitMarkedGone fails the test unless no live process's command line holds
// marker within goneWithin.
func WaitMarkedGone(t testing.TB, marker string) {
	t.Helper()
	waitGone(t, fmt.Sprintf("processes marked %q", marker), func() []int { return Marked(t, marker) })
}

// WaitMarked waits up to limit for a live process whose command line holds
// marker, and returns it; 0 when none appeared.
func WaitMarked(t testing.TB, marker string, limit time.Duration) int {
	t.Helper()
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if pids := Marked(t, marker); len(pids) > 0 {
			return pids[0]
		}
	}
	return 0
}

// Daemon writes into dir a subject that leaves its run as a daemon does:
// it forks, the child calls setsid and forks again and exits, and the
// grandchild, a sleep of 600 s whose program is named marker, lives on in
// a session of its own, reparented to init. The subject then sleeps hold
// seconds and exits. It returns the subject's command; everything in dir
// is readable by every user.
func Daemon(t testing.TB, dir, marker, hold string) []string {
	t.Helper()
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skipf("no sleep to daemonise: %v", err)
	}
	if _, err := exec.LookPath("setsid"); err != nil {
		t.Skipf("no setsid(1) to daemonise: %v", err)
	}
	daemon := filepath.Join(dir, marker)
	if err := os.Symlink(sleep, daemon); err != nil {
		t.Fatal(err)
	}
	// Only the daemon's command line holds the marker: the script names it.
	script := filepath.Join(dir, "daemonise.sh")
	text := fmt.Sprintf(`setsid sh -c '"$0" 600 & exit' %q &
wait
exec sleep "$1"
`, daemon)
	if err := os.WriteFile(script, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{"sh", script, hold}
}

// Load is what a test measured of a subject's run and of the machine
// around it, so that a figure the load on the machine moves (the cores a
// subject used) is checked against what that load left, and a figure it
// cannot move (how many threads wanted a core) is checked as it is.
type Load struct {
	// Busy is the machine's mean busy cores over the watch, from
	// /proc/stat: user, system, interrupts and the time the hypervisor
	// stole, on every core.
	Busy float64
	// Runnable is the mean number of the subject's threads, in all its
	// processes, that were on a core or waiting for one (state R), sampled
	// every 10 ms: the cores it asked for, whatever it was given.
	Runnable float64
	Samples  int
}

// Others is the machine's busy cores that were not the subject's, given
// the cores it used over the same time.
func (l Load) Others(subjectCores float64) float64 { return max(l.Busy-subjectCores, 0) }
