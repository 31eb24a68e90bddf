package profile

import (
	"bufio"
	"io"
	"strings"
	"sync"

	"corescope/runners"
)

// stderrKeep is how many of the subject's last stderr lines a profile keeps.
const stderrKeep = 12

// eventQueue carries events from the stdout reader to the sampling loop.
type eventQueue struct {
	mu      sync.Mutex
	pending []runners.Event
}

func (q *eventQueue) readFrom(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if ev, ok := runners.ParseEvent(sc.Bytes()); ok {
			q.mu.Lock()
			q.pending = append(q.pending, ev)
			q.mu.Unlock()
		}
	}
}

func (q *eventQueue) take() []runners.Event {
	q.mu.Lock()
	defer q.mu.Unlock()
	evs := q.pending
	q.pending = nil
	return evs
}

// tailBuffer keeps the last lines the subject wrote to stderr.
type tailBuffer struct {
	mu    sync.Mutex
	lines []string
}

func (t *tailBuffer) readFrom(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		t.mu.Lock()
		t.lines = append(t.lines, sc.Text())
		if len(t.lines) > stderrKeep {
			t.lines = t.lines[len(t.lines)-stderrKeep:]
		}
		t.mu.Unlock()
	}
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}
