package recorder

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestStreamSplitsOutputFromEvents reads a subject's stdout one byte a
// read, the worst a pipe can do: events go to the queue, every other line
// to out unchanged, and the tail keeps the last lines.
func TestStreamSplitsOutputFromEvents(t *testing.T) {
	var in, want strings.Builder
	for i := range 30 {
		fmt.Fprintf(&in, "line %d\n", i)
		fmt.Fprintf(&want, "line %d\n", i)
		fmt.Fprintf(&in, `{"ev":"task-end","task":%d,"worker":0,"t_ns":1}`+"\n", i)
	}
	in.WriteString("{not an event}\nno newline at the end")
	want.WriteString("{not an event}\nno newline at the end\n")

	var out bytes.Buffer
	s := stream{events: &eventQueue{}, out: &out}
	s.readFrom(iotest.OneByteReader(strings.NewReader(in.String())))
	if out.String() != want.String() {
		t.Errorf("passed on %q; want %q", out.String(), want.String())
	}
	if evs := s.events.take(); len(evs) != 30 || evs[29].Task != 29 {
		t.Errorf("%d events, the last %+v; want 30, the last task 29", len(evs), evs[len(evs)-1])
	}
	tail := strings.Split(s.tail.String(), "\n")
	if len(tail) != tailKeep || tail[0] != "line 20" || tail[tailKeep-1] != "no newline at the end" {
		t.Errorf("tail %q; want the last %d lines", tail, tailKeep)
	}
}

// TestStreamLongLine passes on a line longer than the biggest read whole.
func TestStreamLongLine(t *testing.T) {
	long := strings.Repeat("x", 3*maxLine/2)
	var out bytes.Buffer
	s := stream{out: &out}
	s.readFrom(strings.NewReader(long + "\nshort\n"))
	if got := strings.ReplaceAll(out.String(), "\n", ""); got != long+"short" {
		t.Errorf("passed on %d bytes; want %d", len(got), len(long)+5)
	}
}

// BenchmarkStream is the cost of passing on ordinary output, a line a
// write: one op is 200,000 lines.
func BenchmarkStream(b *testing.B) {
	var in bytes.Buffer
	for i := range 200000 {
		fmt.Fprintf(&in, "line %d of what the program says\n", i)
	}
	for b.Loop() {
		s := stream{events: &eventQueue{}, out: io.Discard}
		s.readFrom(bytes.NewReader(in.Bytes()))
	}
}
