package runners

import (
	"bytes"
	"os"
	"sync"
	"testing"

	"corescope/spec"
)

// writeRecorder keeps every Write call apart.
type writeRecorder struct {
	mu     sync.Mutex
	writes [][]byte
}

func (w *writeRecorder) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes = append(w.writes, bytes.Clone(p))
	return len(p), nil
}

func TestEventWriterOneWritePerLine(t *testing.T) {
	const goroutines, each = 8, 200
	rec := &writeRecorder{}
	out := newEventWriter(rec)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				out.task(spec.EvTaskStart, g*each+i, g)
			}
		})
	}
	wg.Wait()
	if err := out.err(); err != nil {
		t.Fatalf("err() = %v", err)
	}
	if len(rec.writes) != goroutines*each {
		t.Fatalf("%d writes for %d events; want one write per event", len(rec.writes), goroutines*each)
	}
	seen := make(map[int]bool)
	for _, w := range rec.writes {
		if bytes.Count(w, []byte("\n")) != 1 || w[len(w)-1] != '\n' {
			t.Fatalf("write %q is not exactly one line", w)
		}
		ev, ok := spec.ParseEvent(w)
		if !ok {
			t.Fatalf("ParseEvent(%q) not ok", w)
		}
		if ev.Ev != spec.EvTaskStart || ev.Worker != ev.Task/each || ev.PID != os.Getpid() || ev.TID == 0 || ev.TNs == 0 {
			t.Errorf("ParseEvent(%q) = %+v; want a task-start of worker %d with pid, tid and time", w, ev, ev.Task/each)
		}
		seen[ev.Task] = true
	}
	if len(seen) != goroutines*each {
		t.Errorf("%d distinct tasks written; want %d", len(seen), goroutines*each)
	}
}

func TestEventWriterStopsAtFirstError(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	w.Close() // writes now fail
	out := newEventWriter(w)
	out.task(spec.EvTaskStart, 0, 0)
	out.task(spec.EvTaskEnd, 0, 0)
	if out.err() == nil {
		t.Error("err() = nil after writing to a closed file; want the write error")
	}
}
