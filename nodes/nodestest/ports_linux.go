package nodestest

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// listensOn says whether pid holds the socket listening on addr
// (127.0.0.1:port), from /proc/net/tcp and pid's open files: another
// program may answer on a port pid was given and could not bind. It says
// true when /proc cannot tell.
func listensOn(pid int, addr string) bool {
	_, port, _ := net.SplitHostPort(addr)
	n, err := strconv.Atoi(port)
	if err != nil {
		return true
	}
	table, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		return true
	}
	local := fmt.Sprintf("0100007F:%04X", n) // 127.0.0.1 in the kernel's byte order
	socket := ""
	for _, line := range strings.Split(string(table), "\n") {
		// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
		if f := strings.Fields(line); len(f) > 9 && f[1] == local && f[3] == "0A" { // LISTEN
			socket = "socket:[" + f[9] + "]"
		}
	}
	fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	for _, fd := range fds {
		if link, _ := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name())); socket != "" && link == socket {
			return true
		}
	}
	return false
}

// RefusingAddr is a loopback address that refuses connections until the
// test ends: its port is bound and never listened on, so no other program
// can listen there meanwhile, as one may on a port FreeAddr gave and no
// one holds.
func RefusingAddr(t testing.TB) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	// Without SO_REUSEADDR: no other socket can bind the port.
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("127.0.0.1:%d", sa.(*syscall.SockaddrInet4).Port)
}
