//go:build !linux

package runners

import "os/exec"

// dieWithParent does nothing: only Linux has Pdeathsig. The children are in
// the parent's process group, which the profiler (and its watchdog, should
// the profiler die) kills as a whole.
func dieWithParent(*exec.Cmd) {}
