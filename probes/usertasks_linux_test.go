package probes

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// TestUserTasks counts a user's processes and threads: this test's own
// user has at least this process's threads, one with no process has 0,
// and, as root, nobody has one more for each process the test starts as
// nobody (root's own count moves with whatever else runs here).
func TestUserTasks(t *testing.T) {
	self, err := UserTasks(os.Getuid())
	if err != nil {
		t.Fatalf("UserTasks = %v", err)
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	field, _ := statusField(status, "Threads:")
	if threads, _ := parseUint(field); self < int(threads) {
		t.Errorf("UserTasks = %d; want at least this process's %d threads", self, threads)
	}
	if n, err := UserTasks(1<<31 - 2); n != 0 || err != nil {
		t.Errorf("UserTasks of a user with no process = %d, %v; want 0", n, err)
	}
	if os.Getuid() != 0 {
		return
	}
	const nobody = 65534
	before, _ := UserTasks(nobody)
	for range 5 {
		cmd := exec.Command("sleep", "10")
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
		if err := cmd.Start(); err != nil {
			t.Skipf("cannot start a process as nobody: %v", err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
	if during, err := UserTasks(nobody); during != before+5 || err != nil {
		t.Errorf("UserTasks of nobody with 5 more processes = %d, %v; want %d", during, err, before+5)
	}
}
