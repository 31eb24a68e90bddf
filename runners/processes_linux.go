package runners

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel kill the child when the thread that started
// it exits, so a worker never outlives a parent killed by SIGKILL. The
// caller keeps that thread locked for the child's life.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
