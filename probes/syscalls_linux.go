//go:build linux && !386

package probes

import (
	"strconv"

	"golang.org/x/sys/unix"
)

// syscallNames names the system calls a blocked thread is most often found
// in, on every Linux architecture (see syscallNamesArch for the older ones
// some lack): what it waits on, in a word the diagnosis can sort into a
// lock, I/O, a sleep or a child. Others are named by number.
var syscallNames = func() map[uint64]string {
	names := map[uint64]string{
		unix.SYS_FUTEX: "futex", unix.SYS_FUTEX_WAITV: "futex_waitv",
		unix.SYS_PPOLL: "ppoll", unix.SYS_PSELECT6: "pselect6",
		unix.SYS_EPOLL_PWAIT: "epoll_pwait", unix.SYS_EPOLL_PWAIT2: "epoll_pwait2",
		unix.SYS_IO_URING_ENTER: "io_uring_enter", unix.SYS_IO_GETEVENTS: "io_getevents",
		unix.SYS_READ: "read", unix.SYS_READV: "readv", unix.SYS_PREAD64: "pread64",
		unix.SYS_WRITE: "write", unix.SYS_WRITEV: "writev", unix.SYS_PWRITE64: "pwrite64",
		unix.SYS_RECVFROM: "recvfrom", unix.SYS_RECVMSG: "recvmsg", unix.SYS_RECVMMSG: "recvmmsg",
		unix.SYS_SENDTO: "sendto", unix.SYS_SENDMSG: "sendmsg",
		unix.SYS_ACCEPT: "accept", unix.SYS_ACCEPT4: "accept4", unix.SYS_CONNECT: "connect",
		unix.SYS_NANOSLEEP: "nanosleep", unix.SYS_CLOCK_NANOSLEEP: "clock_nanosleep",
		unix.SYS_WAIT4: "wait4", unix.SYS_WAITID: "waitid",
		unix.SYS_RT_SIGTIMEDWAIT: "rt_sigtimedwait", unix.SYS_RT_SIGSUSPEND: "rt_sigsuspend",
		unix.SYS_FLOCK: "flock", unix.SYS_FCNTL: "fcntl", unix.SYS_FSYNC: "fsync", unix.SYS_FDATASYNC: "fdatasync",
		unix.SYS_MSGRCV: "msgrcv", unix.SYS_SEMTIMEDOP: "semtimedop",
	}
	for nr, name := range syscallNamesArch {
		names[nr] = name
	}
	return names
}()

// syscallName names system call nr as the kernel's tables do, or by
// number for one corescope does not sort.
func syscallName(nr uint64) string {
	if name, ok := syscallNames[nr]; ok {
		return name
	}
	return "syscall " + strconv.FormatUint(nr, 10)
}
