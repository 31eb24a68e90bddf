package lanes

import (
	"fmt"
	"image"
	"math/bits"
	"slices"
	"testing"
	"time"

	"corescope/profile"
	"corescope/spec"
)

// manyThreads is a recorded run of one process that started n short
// threads over 10 s, as a Python run of 20,000 threads does: a frame every
// 0.1 s with the threads that ran in it, each of them one sample and one
// slice, on 8 cores.
func manyThreads(n int) *profile.Profile {
	const frames = 100
	p := &profile.Profile{Spec: spec.Spec{Interval: spec.Duration(100 * time.Millisecond)}}
	for i := range frames {
		p.Frames = append(p.Frames, profile.Frame{T: 0.1 * float64(i+1)})
	}
	for k := range n {
		i := k * frames / n
		tid := 100 + k
		f := &p.Frames[i]
		f.ThreadSamples = append(f.ThreadSamples, profile.ThreadSample{PID: 100, TID: tid, CPU: 0.001, Core: k % 8})
		start := f.T - 0.1 + 0.1*float64(k%50)/50
		p.Slices = append(p.Slices, profile.Slice{PID: 100, TID: tid, CPU: k % 8, Start: start, End: start + 0.001})
		p.Threads = append(p.Threads, profile.Thread{PID: 100, TID: tid, Name: fmt.Sprintf("Thread-%d", k), Process: "python3"})
	}
	return p
}

// shownLanes is how many lanes a Threads view 700 pixels high shows.
const shownLanes = 700 / Rows

// TestManyThreadsBoundedWork shows a run of 300,000 threads, as the view
// does: lanes as many as fit, painted 1200 pixels wide, named and pointed
// at. It once took over a minute (each new lane looked at every lane
// before it) and sized its picture and scratch by every thread; now it
// lays the lanes out once, in linear time, and a paint visits the slices
// in its window and the pixels of the lanes shown (the run is exact: its
// samples are not painted).
func TestManyThreadsBoundedWork(t *testing.T) {
	const n, w = 300000, 1200
	p := manyThreads(n)
	done := make(chan *Lanes)
	go func() {
		l := New()
		l.SetMaxLanes(shownLanes)
		l.SetProfile(p)
		done <- l
	}()
	var l *Lanes
	select {
	case l = <-done:
	case <-time.After(30 * time.Second): // a hang guard: it takes well under a second
		t.Fatalf("SetProfile of %d threads did not end in 30 s", n)
	}
	if l.Len() != shownLanes || l.Overflow() != n-shownLanes+1 {
		t.Errorf("%d threads in %d lanes: Len %d, Overflow %d; want %d, %d", n, shownLanes, l.Len(), l.Overflow(), shownLanes, n-shownLanes+1)
	}
	if got := len(l.Names()); got != shownLanes {
		t.Errorf("%d names; want one a lane shown, %d", got, shownLanes)
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, l.Len()*Rows))
	for _, window := range [][2]float64{{0, 10}, {5, 5.01}} {
		l.Paint(dst, window[0], window[1])
		// Every slice in the window, and each of its pixels; a pixel of
		// every lane shown.
		bound := (len(p.Slices) + w*shownLanes) * 2
		if l.visits > bound {
			t.Errorf("painting %v visited %d; want at most %d", window, l.visits, bound)
		}
	}
	if h, ok := l.At(shownLanes-1, 9.99, 10); !ok || h.Fold == "" {
		t.Errorf("At(the last lane) = %+v, %v; want it to say it merges the threads that do not fit", h, ok)
	}
}

// BenchmarkShowManyThreads shows a recorded run of n threads in a view of
// 700 x 1200 pixels: lays the lanes out, names them and paints them.
func BenchmarkShowManyThreads(b *testing.B) {
	for _, n := range []int{2000, 20000, 300000} {
		p := manyThreads(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				l := New()
				l.SetMaxLanes(shownLanes)
				l.SetProfile(p)
				l.Names()
				l.Paint(image.NewRGBA(image.Rect(0, 0, 1200, l.Len()*Rows)), 0, 10)
			}
		})
	}
}

// TestLanesThatDoNotFitMerge shows a run of five threads in three lanes:
// the last merges the three that do not fit, draws each one's slices and
// names, when pointed at, the thread on a core there. With a recorded
// run's fold the fold's threads are among them.
func TestLanesThatDoNotFitMerge(t *testing.T) {
	l := New()
	l.Reset(time.Unix(0, 0), 0.1, 0)
	for k := range 5 {
		l.AddSlices([]profile.Slice{{PID: 1, TID: 1 + k, CPU: k, Start: 0.1 * float64(k), End: 0.1*float64(k) + 0.05}})
	}
	l.SetMaxLanes(3)
	if got, want := l.Names(), []string{"1/1", "1/2", "3 more threads"}; !slices.Equal(got, want) {
		t.Fatalf("lanes = %q; want %q", got, want)
	}
	dst := image.NewRGBA(image.Rect(0, 0, 50, l.Len()*Rows))
	l.Paint(dst, 0, 0.5)
	for k, x := range []int{22, 32, 42} { // threads 3, 4 and 5
		if got := dst.RGBAAt(x, 2*Rows); got != CoreColor(2+k) {
			t.Errorf("merged lane at pixel %d = %v; want thread %d's core %d, %v", x, got, 3+k, 2+k, CoreColor(2+k))
		}
	}
	if h, _ := l.At(2, 0.32, 0.33); h.TID != 4 || h.Core != 3 || h.Fold != "3 more threads" {
		t.Errorf("At(merged lane, 0.32 s) = %+v; want thread 4 on core 3, one of 3 more threads", h)
	}
	if h, _ := l.At(2, 0.07, 0.08); h.Core != -1 || h.Fold == "" {
		t.Errorf("At(merged lane, 0.07 s) = %+v; want no core, the merged lane's title", h)
	}
	l.SetMaxLanes(0)
	if got := l.Len(); got != 5 || l.Overflow() != 0 {
		t.Errorf("every lane shown: Len %d, Overflow %d; want 5, 0", got, l.Overflow())
	}

	l.SetProfile(shimRun())
	l.SetMaxLanes(3)
	if got, want := l.Names(), []string{"python3 10", "python3 11", "32 more threads"}; !slices.Equal(got, want) {
		t.Errorf("lanes of a folded run in 3 = %q; want %q (2 of python3's threads and the fold's 30)", got, want)
	}
	if h, _ := l.At(2, 0.0105, 0.0106); h.PID != 100 || h.Core != 1 {
		t.Errorf("At(merged lane, 10.5 ms) = %+v; want folded process 100 on core 1", h)
	}
}

// TestSampledPaintWorkIsBounded paints sampled lanes at every zoom, from
// the whole run down to two samples, 1200 pixels wide: an hour of 64
// threads (36,000 columns) and a run of 300,000 short threads in the lanes
// a view has room for. Each paint visits at most samplePaintBound: a few
// blocks a pixel and in each the lanes shown, not every sample in its
// window (2.3 million in the hour). Painting only the last sample column
// that starts in each pixel was bounded too, but left out the others.
func TestSampledPaintWorkIsBounded(t *testing.T) {
	const w = 1200
	many := New()
	many.SetMaxLanes(shownLanes)
	many.Reset(time.Unix(0, 0), 0.1, 0)
	for _, f := range manyThreads(300000).Frames {
		many.Add(f.T, f.ThreadSamples, nil)
	}
	for _, run := range []struct {
		name    string
		l       *Lanes
		samples int
	}{{"an hour of 64 threads", hourOfThreads(64), 64 * 36000}, {"300,000 threads", many, 300000}} {
		l := run.l
		dst := image.NewRGBA(image.Rect(0, 0, w, l.Len()*Rows))
		from, length := l.Extent()
		for span := length; span >= l.MinWindow(); span /= 2 {
			mid := from + length/2
			l.Paint(dst, mid-span/2, mid+span/2)
			perPixel := int(span/l.interval)/w + 2                         // and the two it shares with its neighbours
			most := samplePaintBound(w, l.Len(), perPixel) + w*(l.Len()+3) // and the samples' states, zoomed in
			if l.visits > most {
				t.Errorf("%s: painting %g s visited %d; want at most %d", run.name, span, l.visits, most)
			}
			if span == length && l.visits > run.samples/4 {
				t.Errorf("%s: painting it whole visited %d; want well under its %d samples", run.name, l.visits, run.samples)
			}
		}
	}
	l := hourOfThreads(64)
	dst := image.NewRGBA(image.Rect(0, 0, w, l.Len()*Rows))
	l.Paint(dst, 0, 3600)
	for _, x := range []int{0, w / 2, w - 1} {
		if got := dst.RGBAAt(x, 5*Rows); got != CoreColor(5) {
			t.Errorf("thread 6 at pixel %d = %v; want core 5's %v", x, got, CoreColor(5))
		}
	}
}

// samplePaintBound is the most a paint of sampled lanes w pixels wide may
// visit, lanes lanes shown, with at most perPixel sample columns over a
// pixel: each run of pixels, and in each pixel at most two blocks of each
// level up to perPixel columns, each with the entries of the lanes shown
// and one more.
func samplePaintBound(w, lanes, perPixel int) int {
	return w * (1 + 2*bits.Len(uint(perPixel))*(lanes+2))
}

// TestPaintVisitsTheTasksInTheWindow paints a minute of 100,000 tasks on 8
// threads zoomed to a second: the paint visits the tasks of that second
// and the ones still running, not every task of the run (it paired every
// start and end event again at each paint: 15 ms whatever the zoom).
func TestPaintVisitsTheTasksInTheWindow(t *testing.T) {
	const tasks, threads = 100000, 8
	l := New()
	l.Reset(time.Unix(0, 0), 0.1, 0)
	perFrame := tasks / 600
	for i := range 600 {
		var events []spec.Event
		for k := range perFrame {
			task, ns := i*perFrame+k, int64(i)*1e8+int64(k)*1e8/int64(perFrame)
			events = append(events, spec.Event{Ev: spec.EvTaskStart, Task: task, TID: 1 + k%threads, TNs: ns},
				spec.Event{Ev: spec.EvTaskEnd, Task: task, TID: 1 + k%threads, TNs: ns + 5e5})
		}
		l.Add(float64(i+1)*0.1, []profile.ThreadSample{{PID: 1, TID: 1, CPU: 0.05}}, events)
	}
	for tid := range threads + 1 {
		l.Add(60.1, []profile.ThreadSample{{PID: 1, TID: 1 + tid}}, nil)
	}
	l.Add(60.2, nil, []spec.Event{{Ev: spec.EvTaskStart, Task: -1, TID: 9, TNs: 1e9}}) // on thread 9 since 1 s, still running
	dst := image.NewRGBA(image.Rect(0, 0, 1200, l.Len()*Rows))
	l.Paint(dst, 30, 31)
	inWindow := tasks / 60
	if max := 2*inWindow + 1200*(l.Len()+2); l.visits > max {
		t.Errorf("painting 1 s of 60 visited %d; want at most %d, about the %d tasks there and the pixels", l.visits, max, inWindow)
	}
	if got := dst.RGBAAt(600, 8*Rows+CoreRows); got.A == 0 {
		t.Error("thread 9 at 30.5 s shows no task; want the one still running")
	}
	if h, _ := l.At(8, 30.5, 30.51); !h.InTask || h.Task != -1 {
		t.Errorf("At(thread 9, 30.5 s) = %+v; want task -1, still running", h)
	}
}
