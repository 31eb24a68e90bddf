package lanes

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
	"testing"
	"time"

	"corescope/profile"
	"corescope/spec"
)

// TestForgetOldTasks checks that a scrolling live view keeps only
// the tasks it can still show, including one that started long ago and is
// still running.
func TestForgetOldTasks(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(s float64) int64 { return t0.Add(time.Duration(s * float64(time.Second))).UnixNano() }
	l := New()
	l.Reset(t0, 0.1, 10)
	long := spec.Event{Ev: spec.EvTaskStart, Task: 0, TID: 1, TNs: at(0)}
	l.Add(0.1, []profile.ThreadSample{{PID: 1, TID: 1, CPU: 0.1}}, []spec.Event{long})
	for i := 1; i < 100; i++ {
		t := float64(i+1) * 0.1
		l.Add(t, []profile.ThreadSample{{PID: 1, TID: 2, CPU: 0.1}}, []spec.Event{
			{Ev: spec.EvTaskStart, Task: i, TID: 2, TNs: at(t - 0.1)},
			{Ev: spec.EvTaskEnd, Task: i, TID: 2, TNs: at(t)},
			{Ev: spec.EvStats, TNs: at(t)},
		})
	}
	if n := len(l.tasks.all); n > 11 {
		t.Errorf("tasks kept after 100 in a 10-sample view = %d; want at most 11", n)
	}
	if l.running[0] != long {
		t.Error("the start of a task still running was dropped; want it kept")
	}
}

// exactRun is lanes of a 1 s run: threads 11 and 12 of process 10 and
// thread 21 of process 20 (seen between them), with slices.
func exactRun() *Lanes {
	l := New()
	l.Reset(time.Unix(0, 0), 0.1, 0)
	for i := range 10 {
		l.Add(float64(i+1)*0.1, []profile.ThreadSample{{PID: 10, TID: 11}, {PID: 20, TID: 21}, {PID: 10, TID: 12}}, nil)
	}
	l.AddSlices([]profile.Slice{
		{PID: 10, TID: 12, CPU: 1, Start: 0.25, End: 0.5},
		{PID: 20, TID: 21, CPU: 0, Start: 0.005, End: 0.01},
	})
	return l
}

func TestLanesAreGroupedByProcess(t *testing.T) {
	if got, want := exactRun().Names(), []string{"10/11", "10/12", "20/21"}; !slices.Equal(got, want) {
		t.Errorf("lanes = %q; want %q", got, want)
	}
}

// TestSliceLandsInItsLane paints a known slice and checks its lane and x range.
func TestSliceLandsInItsLane(t *testing.T) {
	l := exactRun()
	dst := image.NewRGBA(image.Rect(0, 0, 100, l.Len()*Rows))
	l.Paint(dst, 0, 1)
	lane := 1 // 10/12
	for x := range 100 {
		for y := range l.Len() * Rows {
			want := color.RGBA{}
			if y >= lane*Rows && y < lane*Rows+CoreRows && x >= 25 && x < 50 {
				want = CorePalette[1]
			}
			if y < CoreRows+2*Rows && y >= 2*Rows && x == 0 {
				want = dst.RGBAAt(0, y) // 20/21's 5 ms slice: a faint trace, checked below
			}
			if got := dst.RGBAAt(x, y); got != want {
				t.Fatalf("pixel (%d, %d) = %v; want %v", x, y, got, want)
			}
		}
	}
	if got := dst.RGBAAt(0, 2*Rows); got.A == 0 || got.A == 0xff {
		t.Errorf("a slice of half a pixel = %v; want a faint trace of core 0", got)
	}
}

// TestSamplesFollowTheWindow paints sampled lanes zoomed to two of ten
// samples: each fills half the width.
func TestSamplesFollowTheWindow(t *testing.T) {
	l := New()
	l.Reset(time.Unix(0, 0), 0.1, 0)
	for i := range 10 {
		l.Add(float64(i+1)*0.1, []profile.ThreadSample{{PID: 1, TID: 1, CPU: 0.1, Core: i % 2}}, nil)
	}
	dst := image.NewRGBA(image.Rect(0, 0, 100, Rows))
	l.Paint(dst, 0.3, 0.5) // samples 4 (core 1) and 5 (core 0)
	for _, x := range []int{0, 49, 50, 99} {
		want := CorePalette[1]
		if x >= 50 {
			want = CorePalette[0]
		}
		if got := dst.RGBAAt(x, 0); got != want {
			t.Errorf("pixel %d of samples 0.3..0.5 s = %v; want %v", x, got, want)
		}
	}
}

// TestAt reads a known slice, sample and task back.
func TestAt(t *testing.T) {
	l := exactRun()
	l.addTasks([]spec.Event{
		{Ev: spec.EvTaskStart, Task: 7, TID: 12, TNs: int64(0.2e9)},
		{Ev: spec.EvTaskEnd, Task: 7, TID: 12, TNs: int64(0.45e9)}})
	tests := []struct {
		row      int
		from, to float64
		want     Hit
	}{
		{1, 0.3, 0.31, Hit{PID: 10, TID: 12, Core: 1, From: 0.25, To: 0.5, Task: 7, InTask: true}},
		{1, 0.46, 0.47, Hit{PID: 10, TID: 12, Core: 1, From: 0.25, To: 0.5}},
		{1, 0.6, 0.61, Hit{PID: 10, TID: 12, Core: -1}},
		{2, 0, 0.02, Hit{PID: 20, TID: 21, Core: 0, From: 0.005, To: 0.01}},
	}
	for _, tt := range tests {
		if got, ok := l.At(tt.row, tt.from, tt.to); !ok || got != tt.want {
			t.Errorf("At(%d, %v, %v) = %+v, %v; want %+v", tt.row, tt.from, tt.to, got, ok, tt.want)
		}
	}
	if _, ok := l.At(3, 0, 1); ok {
		t.Error("At(3, ...) of 3 lanes found a lane; want none")
	}
	sampled := New()
	sampled.Reset(time.Unix(0, 0), 0.1, 0)
	sampled.Add(0.1, []profile.ThreadSample{{PID: 1, TID: 2, CPU: 0.1, Core: 3}}, nil)
	want := Hit{PID: 1, TID: 2, Core: 3, From: 0, To: 0.1}
	if got, _ := sampled.At(0, 0.04, 0.05); got != want {
		t.Errorf("sampled At(0, 0.04, 0.05) = %+v; want %+v", got, want)
	}
}

// BenchmarkPaintSamples paints a minute of 64 threads' samples into a
// 1200-pixel-wide view, whole and zoomed to two samples. Goal: well under
// 5 ms, 0 allocs.
func BenchmarkPaintSamples(b *testing.B) {
	l := New()
	l.Reset(time.Unix(0, 0), 0.1, 0)
	samples := make([]profile.ThreadSample, 64)
	for i := range 600 {
		for k := range samples {
			samples[k] = profile.ThreadSample{PID: 1, TID: 1 + k, CPU: 0.05, Core: (i + k) % 8}
		}
		l.Add(float64(i+1)*0.1, samples, nil)
	}
	for _, span := range []float64{60, 0.2} {
		benchPaint(b, l, fmt.Sprintf("view %g s", span), 30-span/2, 30+span/2)
	}
}

// benchPaint runs sub-benchmark name: painting l over from..to into a view
// 1200 pixels wide, once sized.
func benchPaint(b *testing.B, l *Lanes, name string, from, to float64) {
	dst := image.NewRGBA(image.Rect(0, 0, 1200, l.Len()*Rows))
	b.Run(name, func(b *testing.B) {
		l.Paint(dst, from, to)
		b.ReportAllocs()
		for b.Loop() {
			l.Paint(dst, from, to)
		}
	})
}

// hourOfThreads is an hour of threads threads sampled every 0.1 s (36,000
// columns), each busy in every sample on a core of its own modulo 8.
func hourOfThreads(threads int) *Lanes {
	l := New()
	l.Reset(time.Unix(0, 0), 0.1, 0)
	samples := make([]profile.ThreadSample, threads)
	for i := range 36000 {
		for k := range samples {
			samples[k] = profile.ThreadSample{PID: 1, TID: 1 + k, CPU: 0.05, Core: k % 8}
		}
		l.Add(float64(i+1)*0.1, samples, nil)
	}
	return l
}

// BenchmarkPaintSamplesHour paints an hour of 64 threads' samples into a
// 1200-pixel-wide view, whole, zoomed to a minute and to two seconds.
func BenchmarkPaintSamplesHour(b *testing.B) {
	l := hourOfThreads(64)
	for _, span := range []float64{3600, 60, 2} {
		benchPaint(b, l, fmt.Sprintf("view %g s", span), 1800-span/2, 1800+span/2)
	}
}

// BenchmarkAddLive adds a frame of 64 threads' samples to live lanes that
// keep the last 600, as the Threads tab of a live run does.
func BenchmarkAddLive(b *testing.B) {
	l := New()
	l.Reset(time.Unix(0, 0), 0.1, 600)
	samples := make([]profile.ThreadSample, 64)
	i := 0
	add := func() {
		for k := range samples {
			samples[k] = profile.ThreadSample{PID: 1, TID: 1 + k, CPU: 0.01 * float64((i+k)%7), Core: (i + k) % 8}
		}
		i++
		l.Add(float64(i)*0.1, samples, nil)
	}
	for range 600 {
		add()
	}
	b.ReportAllocs()
	for b.Loop() {
		add()
	}
}

// BenchmarkPaintSlices paints 50,000 slices of 8 threads over a 10 s run
// into a 1200-pixel-wide view, whole and zoomed to 50 ms. Goal: well under
// 5 ms, 0 allocs.
func BenchmarkPaintSlices(b *testing.B) {
	l := New()
	l.Reset(time.Unix(0, 0), 0.1, 0)
	var ss []profile.Slice
	for i := range 50000 {
		t := float64(i) * 10 / 50000
		ss = append(ss, profile.Slice{PID: 1, TID: 1 + i%8, CPU: i % 2, Start: t, End: t + 0.0002*float64(1+i%40)})
	}
	l.AddSlices(ss)
	for _, zoom := range []float64{1, 0.005} {
		benchPaint(b, l, fmt.Sprintf("view %.0f ms", 10000*zoom), 5-5*zoom, 5+5*zoom)
	}
}

// TestLateSampleLeavesNoGap paints a sample that came late: it covers the
// time since the one before, so no blank column splits a busy thread.
func TestLateSampleLeavesNoGap(t *testing.T) {
	l := New()
	l.Reset(time.Unix(0, 0), 0.1, 0)
	for _, at := range []float64{0.1, 0.2, 0.35, 0.45} {
		l.Add(at, []profile.ThreadSample{{PID: 1, TID: 1, CPU: 0.1, Core: 0}}, nil)
	}
	dst := image.NewRGBA(image.Rect(0, 0, 45, Rows))
	l.Paint(dst, 0, 0.45)
	for x := range 45 {
		if got := dst.RGBAAt(x, 0); got != CorePalette[0] {
			t.Fatalf("pixel %d of a thread busy at every sample = %v; want core 0's %v", x, got, CorePalette[0])
		}
	}
}

// TestNegativeTaskIDs paints and reads back the spans of tasks whose ids a
// subject gave negative, as one line of a subject's output can: its own
// ids, drawn like any other, never an index out of range.
func TestNegativeTaskIDs(t *testing.T) {
	l := New()
	l.Reset(time.Unix(0, 0), 0.1, 0)
	var events []spec.Event
	for i, task := range []int{-1, -2, math.MinInt} {
		events = append(events,
			spec.Event{Ev: spec.EvTaskStart, Task: task, TID: 1, TNs: int64(i) * 1e8},
			spec.Event{Ev: spec.EvTaskEnd, Task: task, TID: 1, TNs: int64(i)*1e8 + 5e7})
	}
	events = append(events, spec.Event{Ev: spec.EvTaskStart, Task: -7, TID: 1, TNs: 3e8}) // still running
	l.Add(0.4, []profile.ThreadSample{{PID: 1, TID: 1, CPU: 0.1, Core: 0}}, events)
	dst := image.NewRGBA(image.Rect(0, 0, 40, l.Len()*Rows))
	l.Paint(dst, 0, 0.4)
	for _, x := range []int{2, 12, 22, 35} {
		if got := dst.RGBAAt(x, CoreRows); got.A == 0 {
			t.Errorf("task row at pixel %d = %v; want a span", x, got)
		}
	}
	if h, _ := l.At(0, 0.35, 0.36); h.Task != -7 || !h.InTask {
		t.Errorf("At(0.35 s) = %+v; want task -7", h)
	}
	if h, _ := l.At(0, 0.07, 0.08); h.InTask {
		t.Errorf("At(0.07 s), after task -1 ended = %+v; want no task", h)
	}
}

// TestAnyCoreNumberPaints paints samples and slices on core numbers no
// machine has: each gets a colour of the palette, none an index out of
// range (a slice's core is kept in 32 bits, where 1<<31 turns negative).
func TestAnyCoreNumberPaints(t *testing.T) {
	for _, core := range []int{-3, 10, 1 << 31, math.MaxInt} {
		l := New()
		l.Reset(time.Unix(0, 0), 0.1, 0)
		l.Add(0.1, []profile.ThreadSample{{PID: 1, TID: 1, CPU: 0.1, Core: core}}, nil)
		dst := image.NewRGBA(image.Rect(0, 0, 10, l.Len()*Rows))
		l.Paint(dst, 0, 0.1)
		l.AddSlices([]profile.Slice{{PID: 1, TID: 1, CPU: core, Start: 0, End: 0.05}})
		l.Paint(dst, 0, 0.1)
		if got := dst.RGBAAt(0, 0); !slices.Contains(CorePalette[:], got) {
			t.Errorf("a slice on core %d = %v; want a colour of the palette", core, got)
		}
	}
}
