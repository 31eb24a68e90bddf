//go:build unix

package profile

import (
	"os"
	"runtime"
	"syscall"
)

// exitRusage reads what the kernel kept of an exited subject and every child
// it waited for: their context switches and the largest resident memory
// among them, in bytes.
func exitRusage(st *os.ProcessState) (ctxSwitches, maxRSS uint64, ok bool) {
	ru, ok := st.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, 0, false
	}
	unit := uint64(1024) // ru_maxrss counts KiB on Linux and the BSDs,
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		unit = 1 // and bytes on Apple's systems
	}
	return uint64(ru.Nvcsw + ru.Nivcsw), uint64(ru.Maxrss) * unit, true
}
