//go:build !linux

package runners

// threadID is 0, "unknown": outside Linux no probe lists a subject's threads,
// so there is no lane to match, and the views put each worker's tasks on a
// track of its own.
func threadID() int { return 0 }
