//go:build unix && !linux

package recorder

import "syscall"

// groupAttr starts the subject leading a process group of its own. Only
// Linux has Pdeathsig; here the watchdog alone ends the group should
// corescope die.
func groupAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// growPipe does nothing: only Linux lets a pipe grow.
func growPipe(int) {}
