package probes

import "golang.org/x/sys/unix"

// syscallNamesArch are the blocking system calls that newer architectures
// (arm64, riscv64) no longer have, only their p- and 2-suffixed successors.
var syscallNamesArch = map[uint64]string{
	unix.SYS_POLL: "poll", unix.SYS_SELECT: "select", unix.SYS_EPOLL_WAIT: "epoll_wait", unix.SYS_PAUSE: "pause",
}
