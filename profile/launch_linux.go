package profile

import "syscall"

// groupAttr starts the subject leading a process group of its own, and has
// the kernel kill it if the thread that started it exits (Pdeathsig): with
// corescope, at once, before its watchdog even notices.
func groupAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
