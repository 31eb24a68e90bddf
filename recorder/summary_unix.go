//go:build unix

package recorder

import (
	"os"
	"syscall"
)

// exitCtxSwitches reads the context switches the kernel kept of an exited
// subject and every child it waited for. Its ru_maxrss is not used: it
// counts the memory of corescope itself, which the subject shared between
// fork and exec, so even /bin/true would read some 20 MiB.
func exitCtxSwitches(st *os.ProcessState) (uint64, bool) {
	ru, ok := st.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, false
	}
	return uint64(ru.Nvcsw + ru.Nivcsw), true
}
