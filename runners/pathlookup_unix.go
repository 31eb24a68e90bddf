//go:build unix

package runners

import (
	"os/exec"
	"syscall"
)

// loginShellSupported: a Unix user's PATH comes from their login shell.
const loginShellSupported = true

// detachFromTerminal starts cmd in a session of its own: an interactive
// shell (zsh opens /dev/tty) then cannot take over a terminal corescope
// may have.
func detachFromTerminal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
}
