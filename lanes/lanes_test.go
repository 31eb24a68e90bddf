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
	"corescope/runners"
)

// TestForgetOldTasks checks that a scrolling live view keeps only
// the tasks it can still show, including one that started long ago and is
// still running.
func TestForgetOldTasks(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(s float64) int64 { return t0.Add(time.Duration(s * float64(time.Second))).UnixNano() }
	l := New()
	l.Reset(t0, 0.1, 10)
	long := runners.Event{Ev: runners.EvTaskStart, Task: 0, TID: 1, TNs: at(0)}
	l.Add(0.1, []profile.ThreadSample{{PID: 1, TID: 1, CPU: 0.1}}, []runners.Event{long})
	for i := 1; i < 100; i++ {
		t := float64(i+1) * 0.1
		l.Add(t, []profile.ThreadSample{{PID: 1, TID: 2, CPU: 0.1}}, []runners.Event{
			{Ev: runners.EvTaskStart, Task: i, TID: 2, TNs: at(t - 0.1)},
			{Ev: runners.EvTaskEnd, Task: i, TID: 2, TNs: at(t)},
			{Ev: runners.EvStats, TNs: at(t)},
		})
	}
	if n := len(l.events); n > 2*11+1 {
		t.Errorf("events kept after 100 tasks in a 10-sample view = %d; want at most %d", n, 2*11+1)
	}
	if !slices.Contains(l.events, long) {
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
	l.Paint(dst)
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

func TestZoomLimits(t *testing.T) {
	l := exactRun()
	_, full := l.Extent()
	for range 100 {
		l.Zoom(0.5, 0.3)
	}
	if _, length := l.Window(); math.Abs(length-MinSpan) > 1e-12 {
		t.Errorf("window after zooming in 100 times = %v s; want the %v s limit", length, MinSpan)
	}
	l.Pan(-1e9)
	if from, _ := l.Window(); from != 0 {
		t.Errorf("window after panning far left starts at %v; want the run's start 0", from)
	}
	l.Pan(1e9)
	if from, length := l.Window(); math.Abs(from+length-full) > 1e-12 {
		t.Errorf("window after panning far right ends at %v; want the run's end %v", from+length, full)
	}
	for range 100 {
		l.Zoom(2, 0.5)
	}
	if from, length := l.Window(); from != 0 || length != full || l.Zoomed() {
		t.Errorf("window after zooming out 100 times = %v+%v (zoomed %v); want the whole run 0+%v", from, length, l.Zoomed(), full)
	}
	l.Zoom(0.1, 0.5)
	l.Fit()
	if _, length := l.Window(); length != full {
		t.Errorf("window after Fit = %v s; want the whole run, %v s", length, full)
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
	dst := image.NewRGBA(image.Rect(0, 0, 1200, l.Len()*Rows))
	for _, zoom := range []float64{1, 0.005} {
		b.Run(fmt.Sprintf("view %.0f ms", 10000*zoom), func(b *testing.B) {
			l.Fit()
			l.Zoom(zoom, 0.5)
			l.Paint(dst)
			b.ReportAllocs()
			for b.Loop() {
				l.Paint(dst)
			}
		})
	}
}
