package lanes

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"corescope/profile"
)

// tenSamplesAPixel is lanes of 100 samples of 0.1 s, to be painted ten to
// a pixel over 10 s: thread 1 busy on core 3 only in the first sample of
// pixel 3, thread 2 busy in every sample of pixel 5 on core 1 but in its
// fifth, the busiest, on core 4, and thread 3 in two equally busy samples
// of pixel 7, on core 2 then core 6.
func tenSamplesAPixel() *Lanes {
	l := New()
	l.Reset(time.Unix(0, 0), 0.1, 0)
	for i := range 100 {
		samples := []profile.ThreadSample{{PID: 1, TID: 1}, {PID: 1, TID: 2}, {PID: 1, TID: 3}}
		if i == 30 {
			samples[0].CPU, samples[0].Core = 0.02, 3
		}
		if i/10 == 5 {
			samples[1].CPU, samples[1].Core = 0.01, 1
		}
		if i == 54 {
			samples[1].CPU, samples[1].Core = 0.09, 4
		}
		switch i {
		case 72:
			samples[2].CPU, samples[2].Core = 0.05, 2
		case 76:
			samples[2].CPU, samples[2].Core = 0.05, 6
		}
		l.Add(float64(i+1)*0.1, samples, nil)
	}
	return l
}

// TestBusyEarlyInAPixelShows paints a thread busy in the first of the ten
// samples of a pixel: the pixel shows it, on its core, and its neighbours
// stay blank. Painting only the last sample that starts in each pixel left
// it blank.
func TestBusyEarlyInAPixelShows(t *testing.T) {
	l := tenSamplesAPixel()
	dst := image.NewRGBA(image.Rect(0, 0, 10, l.Len()*Rows))
	l.Paint(dst, 0, 10)
	for x := range 10 {
		want := color.RGBA{}
		if x == 3 {
			want = CoreColor(3)
		}
		if got := dst.RGBAAt(x, 0); got != want {
			t.Errorf("thread 1, busy only in the first sample of pixel 3, at pixel %d = %v; want %v", x, got, want)
		}
	}
}

// TestPixelTakesTheBusiestSamplesCore paints a pixel where a thread ran on
// two cores: it has the colour of the core of its busiest sample there,
// and of two equally busy samples, of the later one's.
func TestPixelTakesTheBusiestSamplesCore(t *testing.T) {
	l := tenSamplesAPixel()
	dst := image.NewRGBA(image.Rect(0, 0, 10, l.Len()*Rows))
	l.Paint(dst, 0, 10)
	if got := dst.RGBAAt(5, Rows); got != CoreColor(4) {
		t.Errorf("thread 2 at pixel 5, busiest on core 4 = %v; want %v", got, CoreColor(4))
	}
	if got := dst.RGBAAt(7, 2*Rows); got != CoreColor(6) {
		t.Errorf("thread 3 at pixel 7, as busy on core 2 then on core 6 = %v; want the later, %v", got, CoreColor(6))
	}
}

// TestSampleOfNoTimeShows paints a frame that came at the same time as the
// one before, its thread busy there alone: a sample narrower than a pixel,
// of no time at all, still shows in the pixel it starts in, even where that
// is on a pixel's edge.
func TestSampleOfNoTimeShows(t *testing.T) {
	l := New()
	l.Reset(time.Unix(0, 0), 1, 0)
	for i, at := range []float64{1, 2, 2, 3} {
		s := profile.ThreadSample{PID: 1, TID: 1}
		if i == 2 {
			s.CPU, s.Core = 0.5, 1
		}
		l.Add(at, []profile.ThreadSample{s}, nil)
	}
	dst := image.NewRGBA(image.Rect(0, 0, 3, Rows))
	l.Paint(dst, 0, 3)
	for x, want := range []color.RGBA{{}, {}, CoreColor(1)} {
		if got := dst.RGBAAt(x, 0); got != want {
			t.Errorf("pixel %d = %v; want %v", x, got, want)
		}
	}
}

// TestAtReadsWhatThePixelShows points at the pixels of
// TestPixelTakesTheBusiestSamplesCore: each reads the sample painted there,
// not the one in its middle, where thread 1 was idle and thread 2 less busy.
func TestAtReadsWhatThePixelShows(t *testing.T) {
	l := tenSamplesAPixel()
	for _, tt := range []struct {
		row      int
		from, to float64
		want     Hit
	}{
		{0, 3, 4, Hit{PID: 1, TID: 1, Core: 3, From: 3, To: 3.1}},
		{1, 5, 6, Hit{PID: 1, TID: 2, Core: 4, From: 5.4, To: 5.5}},
		{2, 7, 8, Hit{PID: 1, TID: 3, Core: 6, From: 7.6, To: 7.7}},
		{0, 4, 5, Hit{PID: 1, TID: 1, Core: -1}},
	} {
		got, ok := l.At(tt.row, tt.from, tt.to)
		near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
		if !ok || got.TID != tt.want.TID || got.Core != tt.want.Core || !near(got.From, tt.want.From) || !near(got.To, tt.want.To) {
			t.Errorf("At(%d, %v, %v) = %+v; want %+v", tt.row, tt.from, tt.to, got, tt.want)
		}
	}
}

// TestPaintMatchesEverySample paints random sampled runs, some of them
// live with a capacity, late samples, idle ones, ties, negative cores,
// a thread twice in a frame and lanes that do not fit, at random windows
// and widths, and checks each pixel against paintEverySample: what every
// sample overlapping it says.
func TestPaintMatchesEverySample(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for run := range 300 {
		l := randomRun(rng, nil)
		from, length := l.Extent()
		windows := [][2]float64{{from, from + length}, {from - 0.05, from + length/3}}
		for range 3 {
			a, b := from+rng.Float64()*length, from+rng.Float64()*length
			windows = append(windows, [2]float64{min(a, b), max(a, b) + 0.001})
		}
		for _, maxLanes := range []int{0, 1 + rng.IntN(4)} {
			l.SetMaxLanes(maxLanes)
			for _, w := range []int{1, 7, 64, 301} {
				for _, win := range windows {
					got := image.NewRGBA(image.Rect(0, 0, w, l.Len()*Rows))
					l.Paint(got, win[0], win[1])
					want := paintEverySample(l, w, win[0], win[1])
					if x, y, ok := firstDifference(got, want); !ok {
						t.Fatalf("run %d, %d lanes shown, %d px over %v: pixel (%d, %d) = %v; every sample says %v",
							run, maxLanes, w, win, x, y, got.RGBAAt(x, y), want.RGBAAt(x, y))
					}
				}
			}
		}
	}
}

// randomRun is lanes of a random sampled run (see
// TestPaintMatchesEverySample), calling added, unless nil, after each frame.
func randomRun(rng *rand.Rand, added func(*Lanes)) *Lanes {
	l := New()
	capacity := 0
	if rng.IntN(2) == 0 {
		capacity = 1 + rng.IntN(40)
	}
	l.Reset(time.Unix(0, 0), 0.1, capacity)
	threads, cols := 1+rng.IntN(10), 1+rng.IntN(150)
	cpus := []float64{0, 0.01, 0.05, 0.05, 0.1, math.NaN()}
	t := 0.0
	for range cols {
		t += []float64{0.1, 0.1, 0.1, 0.25, 0.003}[rng.IntN(5)]
		var samples []profile.ThreadSample
		for k := range threads {
			for range rng.IntN(3) { // absent, once, or twice
				samples = append(samples, profile.ThreadSample{PID: 1 + k%3, TID: 10 + k, CPU: cpus[rng.IntN(len(cpus))], Core: rng.IntN(14) - 2})
			}
		}
		l.Add(t, samples, nil)
		if added != nil {
			added(l)
		}
	}
	return l
}

// paintEverySample is what a paint of l's samples over from..to, w pixels
// wide, must show, found the slow way: in each pixel, each lane shown
// takes the core of the busiest sample (CPU > 0, core >= 0) of the threads
// it shows, among every sample whose interval overlaps the pixel, the
// later of equals (a later frame's, or in one frame the one listed later).
// A sample narrower than a pixel overlaps at least the one it starts in.
func paintEverySample(l *Lanes, w int, from, to float64) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, l.Len()*Rows))
	l.layout()
	scale := float64(w) / (to - from)
	px := func(t float64) float64 { return (t - from) * scale }
	for x := range w {
		best := make([]float64, l.Len())
		for i, c := range l.cols {
			start := c.t - l.interval
			if i > 0 {
				start = l.cols[i-1].t
			}
			first := math.Floor(px(start))
			if !(first <= float64(x) && float64(x) < max(math.Ceil(px(c.t)), first+1)) {
				continue
			}
			for _, s := range c.samples {
				row := l.rowOf(l.lane[s.TID])
				if s.CPU > 0 && s.Core >= 0 && s.CPU >= best[row] {
					best[row] = s.CPU
					fillRows(dst, x, x+1, row*Rows, CoreRows, CoreColor(s.Core))
				}
			}
		}
	}
	return dst
}

// firstDifference is the first pixel where a and b differ; ok when none does.
func firstDifference(a, b *image.RGBA) (x, y int, ok bool) {
	for y := range a.Rect.Dy() {
		for x := range a.Rect.Dx() {
			if a.RGBAAt(x, y) != b.RGBAAt(x, y) {
				return x, y, false
			}
		}
	}
	return 0, 0, true
}
