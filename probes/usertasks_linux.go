package probes

import (
	"bytes"
	"os"
	"strconv"
)

// UserTasks counts the processes and threads whose real user is uid: what
// the kernel holds against that user's limit of processes (RLIMIT_NPROC,
// `ulimit -u`), which counts every thread, and a zombie until it is reaped.
// It reads every process's status, a few milliseconds on a busy machine:
// call it when the count matters, not at every tick. A process that exits
// while it reads is left out.
func UserTasks(uid int) (int, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	want := []byte(strconv.Itoa(uid))
	n := 0
	for _, e := range entries {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		status, err := os.ReadFile("/proc/" + e.Name() + "/status")
		if err != nil {
			continue
		}
		if real, _ := statusField(status, "Uid:"); !bytes.Equal(real, want) {
			continue
		}
		field, _ := statusField(status, "Threads:")
		threads, _ := parseUint(field)
		n += max(int(threads), 1) // a zombie's count may read 0: it is still held
	}
	return n, nil
}

// statusField returns the first word after name in a /proc status file.
func statusField(status []byte, name string) ([]byte, bool) {
	i := bytes.Index(status, []byte("\n"+name))
	if i < 0 {
		return nil, false
	}
	fields := bytes.Fields(status[i+1+len(name):])
	if len(fields) == 0 {
		return nil, false
	}
	return fields[0], true
}
