package recorder

import "syscall"

// groupAttr starts the subject leading a process group of its own, and has
// the kernel kill it if the thread that started it exits (Pdeathsig): with
// corescope, at once, before its watchdog even notices.
func groupAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// growPipe gives a pipe of the subject's output 1 MiB (Linux's limit for
// unprivileged processes) instead of 64 KiB, so that a subject printing
// fast never waits for the reader's short rests (see gatherWait). A
// refusal leaves the default size.
func growPipe(fd int) {
	const fSetPipeSz = 1031 // F_SETPIPE_SZ
	syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), fSetPipeSz, 1<<20)
}
