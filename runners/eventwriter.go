package runners

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"sync"
	"time"

	"corescope/spec"
)

// eventWriter writes a worker's stdout: one JSON event (or protocol line) per
// line, each line in one write() so that lines of several threads, and of
// several processes sharing a pipe, never interleave. The first write error
// sticks and is reported by err, so callers on hot paths need not check.
type eventWriter struct {
	mu     sync.Mutex
	w      *bufio.Writer
	pid    int
	failed error
}

func newEventWriter(w io.Writer) *eventWriter {
	return &eventWriter{w: bufio.NewWriterSize(w, 4096), pid: os.Getpid()}
}

// task writes a task-start or task-end event stamped with the calling
// thread's id (where threadID knows it) and the wall clock.
func (e *eventWriter) task(kind string, task, worker int) {
	e.event(spec.Event{Ev: kind, Task: task, Worker: worker, PID: e.pid, TID: threadID(), TNs: time.Now().UnixNano()})
}

// event writes ev as one line.
func (e *eventWriter) event(ev spec.Event) {
	b, _ := json.Marshal(ev) // an Event holds only strings and integers: it always marshals
	e.line(b)
}

// line writes b, which must not contain a newline, and a newline in one write.
func (e *eventWriter) line(b []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.failed != nil {
		return
	}
	e.w.Write(b)
	e.w.WriteByte('\n')
	e.failed = e.w.Flush()
}

// err is the first error a write met, if any.
func (e *eventWriter) err() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.failed
}
