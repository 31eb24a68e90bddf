//go:build !unix

package runners

import "os/exec"

// loginShellSupported: on Windows every program gets the PATH the system
// and the user set in the registry; there is no login shell to ask.
const loginShellSupported = false

func detachFromTerminal(*exec.Cmd) {}
