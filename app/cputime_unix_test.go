//go:build unix

package app

import (
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// threadCPU is the CPU time f takes on the calling thread, held for it:
// unlike its wall time, other programs on the machine cannot lengthen it.
func threadCPU(f func()) time.Duration {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var before, after unix.Timespec
	unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &before)
	f()
	unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &after)
	return time.Duration(after.Nano() - before.Nano())
}
