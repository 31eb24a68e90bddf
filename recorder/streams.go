package recorder

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"time"

	"corescope/spec"
)

// tailKeep is how many of the subject's last lines of each stream a
// profile keeps.
const tailKeep = 12

// maxLine is the longest line read whole; a longer one is passed on in
// pieces of this size (never an event: events are short).
const maxLine = 1 << 20

// eventQueue carries events from the stdout reader to the sampling loop.
type eventQueue struct {
	mu      sync.Mutex
	pending []spec.Event
}

func (q *eventQueue) add(evs []spec.Event) {
	q.mu.Lock()
	q.pending = append(q.pending, evs...)
	q.mu.Unlock()
}

func (q *eventQueue) take() []spec.Event {
	q.mu.Lock()
	defer q.mu.Unlock()
	evs := q.pending
	q.pending = nil
	return evs
}

// stream reads one of the subject's pipes as it arrives: on stdout the
// event lines go to events, and every other line goes to out (when set),
// one write per read of the pipe, and to the tail the profile keeps. A
// subject printing 200,000 lines costs a few write calls per 64 KiB.
type stream struct {
	events *eventQueue // nil on stderr
	out    io.Writer
	// gather is the rest after a small read (gatherWait when recording).
	gather time.Duration
	tail   tailBuffer
	// gil is the per-thread GIL figures of the stats line, read once the
	// stream has ended.
	gil []spec.ThreadGIL
}

func (s *stream) readFrom(r io.Reader) {
	var (
		text []byte
		evs  []spec.Event
	)
	readLines(r, s.gather, func(line []byte) {
		if s.events != nil {
			if ev, ok := spec.ParseEvent(line); ok {
				evs = append(evs, ev)
				if ev.Ev == spec.EvStats {
					s.gil = spec.GILThreads(line)
				}
				return
			}
		}
		text = append(append(text, line...), '\n')
	}, func() {
		if len(evs) > 0 {
			s.events.add(evs)
			evs = evs[:0]
		}
		if len(text) > 0 {
			if s.out != nil {
				s.out.Write(text) // a closed terminal must not stop the run
			}
			s.tail.add(text)
			text = text[:0]
		}
	})
}

// readLines calls line with each line of r (without its newline) and flush
// after each read, so what is read is passed on before the next read waits,
// and rests for gather after a small read. A last line without a newline
// counts as a line.
func readLines(r io.Reader, gather time.Duration, line func([]byte), flush func()) {
	buf := make([]byte, 0, 64<<10)
	for {
		if len(buf) == cap(buf) {
			if cap(buf) >= maxLine {
				line(buf)
				buf = buf[:0]
			} else {
				buf = append(make([]byte, 0, 2*cap(buf)), buf...)
			}
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		start := 0
		for {
			i := bytes.IndexByte(buf[start:], '\n')
			if i < 0 {
				break
			}
			line(buf[start : start+i])
			start += i + 1
		}
		buf = buf[:copy(buf, buf[start:])]
		if err != nil {
			if len(buf) > 0 {
				line(buf)
			}
			flush()
			return
		}
		flush()
		if n < smallRead && gather > 0 {
			// A writer of small pieces (a line a write, as with
			// PYTHONUNBUFFERED) would wake this reader for each one;
			// a short rest lets them gather in the pipe.
			time.Sleep(gather)
		}
	}
}

// A read under smallRead bytes is followed by gatherWait, so a subject
// writing line by line costs a few hundred reads a second rather than one
// a line; output still appears within a few milliseconds.
const (
	smallRead  = 16 << 10
	gatherWait = 2 * time.Millisecond
)

// tailBuffer keeps the last lines of a stream.
type tailBuffer struct {
	mu    sync.Mutex
	lines []string
}

// add keeps the last lines of text, newline-terminated lines.
func (t *tailBuffer) add(text []byte) {
	text = bytes.TrimSuffix(text, []byte{'\n'})
	cut := len(text)
	for n := 0; n < tailKeep && cut >= 0; n++ {
		cut = bytes.LastIndexByte(text[:cut], '\n')
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines = append(t.lines, strings.Split(string(text[cut+1:]), "\n")...)
	if len(t.lines) > tailKeep {
		t.lines = t.lines[len(t.lines)-tailKeep:]
	}
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}
