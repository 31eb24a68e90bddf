package runners

import "golang.org/x/sys/unix"

// threadID is the calling OS thread's id, as /proc lists it, so the views
// can put a task on its thread's lane.
func threadID() int { return unix.Gettid() }
