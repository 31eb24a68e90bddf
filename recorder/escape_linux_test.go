package recorder

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"corescope/internal/proctest"
	"corescope/probes"
	"corescope/profile"
	"corescope/runtext"
	"corescope/spec"
)

// newMarker is a name no other process on the machine has: the tests find
// what survives a run by it.
func newMarker(t *testing.T) string {
	return fmt.Sprintf("corescope-test-%d-%d", os.Getpid(), time.Now().UnixNano())
}

// sharedDir is a folder that every user can read and search, for a
// subject or profiler run as another user.
func sharedDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "corescope-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// killed says whether corescope killed an escaped process: seen ending
// within a second of its SIGKILL, or, on a machine too busy for its exit
// to come that soon, said to be still running after it. The tests then
// wait for it to be gone (proctest's WaitMarkedGone).
func killed(e profile.EscapedProcess) bool {
	return e.Ended || strings.HasPrefix(e.Why, "still running") && strings.HasSuffix(e.Why, "after SIGKILL")
}

// checkDaemonNamed fails the test unless the summary names the daemon
// (its program holds marker) as killed, in its Escaped list and in words.
func checkDaemonNamed(t *testing.T, p *profile.Profile, marker string) {
	t.Helper()
	t.Logf("processes followed by: %s", p.Summary.FollowedBy)
	var named *profile.EscapedProcess
	for i, e := range p.Summary.Escaped {
		if strings.Contains(e.Command, marker) {
			named = &p.Summary.Escaped[i]
		}
	}
	if named == nil || !killed(*named) {
		t.Fatalf("escaped = %+v; want the daemon %s named as killed", p.Summary.Escaped, marker)
	}
	runtext.Conclude([]*profile.Profile{p}) // a no-op for a run the test profiler concluded
	words := p.Summary.Verdict + " " + p.Error
	if want := fmt.Sprintf("pid %d", named.PID); !strings.Contains(words, "left the subject's process group") || !strings.Contains(words, want) {
		t.Errorf("verdict %q, error %q; want them to say that the daemon (%s) left the group and was ended", p.Summary.Verdict, p.Error, want)
	}
}

// TestDaemonEndsWithRun records a subject that leaves a daemon behind
// (fork, setsid, fork, sleep), to its end and stopped: the daemon ends with
// the run and the summary names it.
func TestDaemonEndsWithRun(t *testing.T) {
	t.Run("end", func(t *testing.T) {
		marker := newMarker(t)
		s := resolved(spec.Spec{Backend: spec.BackendCommand, Command: proctest.Daemon(t, t.TempDir(), marker, "0.5")})
		p, err := Record(context.Background(), s, quickEdges)
		if err != nil {
			t.Fatalf("Record = %v", err)
		}
		proctest.WaitMarkedGone(t, marker)
		checkDaemonNamed(t, p, marker)
	})
	t.Run("stop", func(t *testing.T) {
		marker := newMarker(t)
		s := resolved(spec.Spec{Backend: spec.BackendCommand, Command: proctest.Daemon(t, t.TempDir(), marker, "600")})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			proctest.WaitMarked(t, marker, 10*time.Second)
			cancel()
		}()
		p, err := Record(ctx, s, quickEdges)
		if !errors.Is(err, ErrStopped) {
			t.Fatalf("Record = %v; want ErrStopped", err)
		}
		proctest.WaitMarkedGone(t, marker)
		checkDaemonNamed(t, p, marker)
	})
}

// TestDaemonEndsWhenProfilerKilled SIGKILLs a profiler whose subject left
// a daemon: no handler of the profiler runs, and the daemon still ends.
// As root the run has a cgroup here; as nobody it cannot write one, and
// the daemon is found by its environment.
func TestDaemonEndsWhenProfilerKilled(t *testing.T) {
	for _, user := range []string{"self", "nobody"} {
		t.Run(user, func(t *testing.T) {
			dir := sharedDir(t)
			marker := newMarker(t)
			cmd := profilerCommand(t, dir, user, proctest.Daemon(t, dir, marker, "600"))
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Wait()
			if proctest.WaitMarked(t, marker, 10*time.Second) == 0 {
				cmd.Process.Kill()
				t.Fatal("the daemon never appeared")
			}
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			proctest.WaitMarkedGone(t, marker)
		})
	}
}

// TestDaemonEndsWithoutCgroup records, as nobody, who can write no cgroup
// here, a subject that leaves a daemon: the daemon is found by the marker
// in its environment, ended and named, and the summary says how the run's
// processes were followed.
func TestDaemonEndsWithoutCgroup(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("runs the profiler as nobody, which needs root (TestFollowerEndsDaemon/environment follows without a cgroup)")
	}
	dir := sharedDir(t)
	marker := newMarker(t)
	p := runProfiler(t, profilerCommand(t, dir, "nobody", proctest.Daemon(t, dir, marker, "0.5")))
	proctest.WaitMarkedGone(t, marker)
	checkDaemonNamed(t, p, marker)
	if !strings.Contains(p.Summary.FollowedBy, "environment") {
		t.Errorf("followed by %q; want the environment named, and why no cgroup", p.Summary.FollowedBy)
	}
}

// testUsers are the users a profilerCommand may run as besides "self":
// nobody, and a user id no account and no other test has, whose processes
// are the profiler's and its subject's alone (RLIMIT_NPROC counts all of a
// user's, and other packages' tests run as nobody beside these).
var testUsers = map[string]uint32{"nobody": 65534, "unused": 65533}

// profilerCommand is the test binary as a profiler that records command
// and prints its profile as JSON. As one of testUsers it runs as that user, from a
// copy of the binary in dir; where the test cannot switch users, as one
// that is not root, it runs as this user, and the test says so.
func profilerCommand(t *testing.T, dir, user string, command []string) *exec.Cmd {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var cred *syscall.Credential
	if uid, ok := testUsers[user]; ok {
		if os.Getuid() != 0 {
			t.Logf("running as uid %d, not root: the profiler runs as this user", os.Getuid())
		} else {
			copied := filepath.Join(dir, "profile.test")
			if err := copyFile(self, copied); err != nil {
				t.Fatal(err)
			}
			self, cred = copied, &syscall.Credential{Uid: uid, Gid: 65534}
		}
	}
	cmd := exec.Command(self, command...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), profilerEnv+"=argv")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	return cmd
}

// runProfiler runs a profilerCommand to its end and returns the profile it
// printed. It skips the test where the profiler cannot switch to its user.
func runProfiler(t *testing.T, cmd *exec.Cmd) *profile.Profile {
	t.Helper()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var perr *os.PathError
	if errors.As(err, &perr) && cmd.SysProcAttr.Credential != nil {
		t.Skipf("cannot run the profiler as another user: %v", err)
	}
	if err != nil {
		t.Fatalf("the profiler: %v\n%s", err, stderr.String())
	}
	ps, err := profile.Decode(bytes.NewReader(out))
	if err != nil || len(ps) != 1 {
		t.Fatalf("the profiler's output: %v\n%s\n%s", err, out, stderr.String())
	}
	return ps[0]
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// nprocEnv, set to a number, makes the test binary start with that limit of
// its user's processes and threads (RLIMIT_NPROC), as `ulimit -u` sets it
// in a shell before a command.
const nprocEnv = "CORESCOPE_TEST_NPROC"

func init() {
	if n, err := strconv.ParseUint(os.Getenv(nprocEnv), 10, 64); err == nil {
		if err := unix.Setrlimit(unix.RLIMIT_NPROC, &unix.Rlimit{Cur: n, Max: n}); err != nil {
			panic(err)
		}
	}
}

// threadBomb starts threads until the system refuses one, then holds them
// a second and exits.
const threadBomb = `import threading, time
started = 0
try:
    while True:
        threading.Thread(target=time.sleep, args=(2,), daemon=True).start()
        started += 1
except RuntimeError as e:
    print(f"started {started} threads: {e}", flush=True)
time.sleep(1)
`

// TestThreadBombLeavesProfilerRunning records, as a user the limit binds
// (uid 65533, when the test runs as root, which it does not bind) and under
// ulimit -u 120, a Python thread bomb: the profiler, whose own threads count
// against the same limit, survives it, ends the run, writes the profile, and
// its summary says, as measured, that the subject reached the limit.
func TestThreadBombLeavesProfilerRunning(t *testing.T) {
	const python, ulimit = "/usr/bin/python3", 120
	if _, err := os.Stat(python); err != nil {
		t.Skipf("no Python for the thread bomb: %v", err)
	}
	dir := sharedDir(t)
	bomb := filepath.Join(dir, "bomb.py")
	if err := os.WriteFile(bomb, []byte(threadBomb), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := profilerCommand(t, dir, "unused", []string{python, bomb})
	cmd.Env = append(cmd.Env, fmt.Sprintf("%s=%d", nprocEnv, ulimit))
	p := runProfiler(t, cmd)
	s := p.Summary
	if !strings.Contains(p.StdoutTail, "can't start new thread") {
		t.Skipf("the bomb met no limit (%q): RLIMIT_NPROC does not bind this user here", p.StdoutTail)
	}
	t.Logf("subject: %s; verdict: %s", strings.TrimSpace(p.StdoutTail), s.Verdict)
	l := s.ProcessLimit
	if l == nil || l.Ulimit != ulimit || l.Limit >= ulimit || l.Peak < l.Limit {
		t.Fatalf("process limit = %+v; want the subject's limit under ulimit -u %d, reached", l, ulimit)
	}
	if want := fmt.Sprintf("reached the process limit: %d processes and threads", l.Peak); !strings.Contains(s.Verdict+" "+p.Error, want) {
		t.Errorf("verdict %q, error %q; want them to say %q", s.Verdict, p.Error, want)
	}
}

// TestFollowerEndsDaemon follows a subject that leaves a daemon in each way
// a run may: a cgroup of the unified hierarchy, which cgroup.kill ends, one
// of v1's pids hierarchy, whose processes are killed one by one, and the
// marker in the environment. Each finds the daemon, ends it and names it,
// and the cgroup is removed.
func TestFollowerEndsDaemon(t *testing.T) {
	parents, err := cgroupParents()
	if err != nil {
		t.Fatalf("cgroupParents() = %v", err)
	}
	t.Logf("cgroup parents here: %q", parents)
	inCgroup := func(v2 bool) func(*testing.T, *follower) {
		return func(t *testing.T, f *follower) {
			for _, parent := range parents {
				if _, err := os.Stat(filepath.Join(parent, "cgroup.controllers")); (err == nil) != v2 {
					continue
				}
				dir, err := makeCgroup([]string{parent}, "corescope-"+f.marker)
				if err != nil {
					t.Skipf("cannot make a cgroup in %s: %v", parent, err)
				}
				f.cgroup = dir
				return
			}
			t.Skip("no such hierarchy here")
		}
	}
	for _, tt := range []struct {
		name  string
		setUp func(*testing.T, *follower)
	}{
		{"unified", inCgroup(true)},
		{"v1", inCgroup(false)},
		{"environment", func(t *testing.T, f *follower) { f.withoutCgroup(errors.New("a test")) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			marker := newMarker(t)
			f := &follower{marker: marker}
			tt.setUp(t, f)
			command := proctest.Daemon(t, t.TempDir(), marker, "600")
			cmd := exec.Command(command[0], command[1:]...)
			cmd.Env = append(os.Environ(), f.env()...)
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			gate, err := probes.GateCommand(cmd) // as Record starts it: nothing runs before add
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			f.add(cmd.Process.Pid)
			if err := gate.Release(); err != nil {
				t.Fatal(err)
			}
			daemon := proctest.WaitMarked(t, marker, 10*time.Second)
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			escaped := f.endEscaped(cmd.Process.Pid, nil)
			cmd.Wait()
			proctest.WaitMarkedGone(t, marker) // its exit may come late on a busy machine
			f.remove()
			if len(escaped) != 1 || escaped[0].PID != daemon || !killed(escaped[0]) || !strings.Contains(escaped[0].Command, marker) {
				t.Errorf("escaped = %+v; want the daemon %d, killed", escaped, daemon)
			}
			if f.cgroup != "" {
				if _, err := os.Stat(f.cgroup); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("the run's cgroup %s is still there (%v)", f.cgroup, err)
				}
			}
		})
	}
}
