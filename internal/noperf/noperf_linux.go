package noperf

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// env asks a test binary, as it starts, to install the filter and exec
// itself again under it ("install"), and then tells it it runs there
// ("installed").
const env = "PROFILE_TEST_NO_PERF"

// unavailable is the exit status of a test binary that could not install
// the filter.
const unavailable = 3

func init() {
	if os.Getenv(env) == "install" {
		err := execWithoutPerf()
		fmt.Fprintln(os.Stderr, "cannot refuse perf events to the test binary:", err)
		os.Exit(unavailable)
	}
}

// auditArch is the seccomp architecture of each GOARCH the filter knows.
var auditArch = map[string]uint32{"amd64": unix.AUDIT_ARCH_X86_64, "arm64": unix.AUDIT_ARCH_AARCH64}

// execWithoutPerf installs the filter on this thread and execs the test
// binary again with the same arguments: the new program, and every process
// it starts, runs under the filter from its first instruction. It returns
// only on failure.
func execWithoutPerf() error {
	runtime.LockOSThread() // the filter is this thread's, and so is the exec
	arch, ok := auditArch[runtime.GOARCH]
	if !ok {
		return fmt.Errorf("no seccomp architecture known for %s", runtime.GOARCH)
	}
	filter := []unix.SockFilter{
		{Code: unix.BPF_LD | unix.BPF_W | unix.BPF_ABS, K: 4}, // seccomp_data.arch
		{Code: unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K, K: arch, Jf: 3},
		{Code: unix.BPF_LD | unix.BPF_W | unix.BPF_ABS, K: 0}, // seccomp_data.nr
		{Code: unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K, K: unix.SYS_PERF_EVENT_OPEN, Jf: 1},
		{Code: unix.BPF_RET | unix.BPF_K, K: unix.SECCOMP_RET_ERRNO | uint32(unix.EPERM)},
		{Code: unix.BPF_RET | unix.BPF_K, K: unix.SECCOMP_RET_ALLOW},
	}
	prog := unix.SockFprog{Len: uint16(len(filter)), Filter: &filter[0]}
	// Without root, a filter needs no_new_privs, which exec keeps.
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_SET_NO_NEW_PRIVS): %w", err)
	}
	if err := unix.Prctl(unix.PR_SET_SECCOMP, unix.SECCOMP_MODE_FILTER, uintptr(unsafe.Pointer(&prog)), 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_SET_SECCOMP): %w", err)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	os.Setenv(env, "installed")
	return unix.Exec(self, os.Args, os.Environ())
}

// Under reports whether this test binary runs under the filter.
func Under() bool { return os.Getenv(env) == "installed" }

// Rerun runs the test named test again in a test binary under the filter
// and fails unless it passes having logged mark, so a filter that refused
// nothing cannot pass for one that did; it skips where the filter cannot
// be installed.
func Rerun(t *testing.T, test, mark string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, "-test.run=^"+test+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), env+"=install")
	out, err := cmd.CombinedOutput()
	if exit := (*exec.ExitError)(nil); errors.As(err, &exit) && exit.ExitCode() == unavailable {
		t.Skipf("perf cannot be refused to one process here: %s", bytes.TrimSpace(out))
	}
	i := bytes.Index(out, []byte(mark))
	if err != nil || i < 0 {
		t.Errorf("%s under a seccomp filter that refuses perf_event_open: %v; want it to pass, saying %q:\n%s", test, err, mark, out)
		return
	}
	line, _, _ := bytes.Cut(out[i:], []byte("\n"))
	t.Logf("under the filter: %s", line)
}
