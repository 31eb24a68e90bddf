package lanes

import (
	"image"
	"image/color"
	"testing"

	"corescope/diagnosis"
	"corescope/profile"
	"corescope/profile/profiletest"
)

// offRun is one thread on core 0 for 5 ms of every 10 ms, then off a core
// (ended: runnable or blocked in wait) for 5 ms, as the switch records
// tell it, in lanes.
func offRun(ended, wait string) *Lanes {
	l := New()
	l.SetProfile(profiletest.OneThread(0.005, ended, wait, 0).Exact())
	return l
}

// lanePixels paints l's first lane over from..to into w pixels and
// returns its rows.
func lanePixels(l *Lanes, from, to float64, w int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, Rows))
	l.Paint(dst, from, to)
	return dst
}

// TestOffCoreDrawn checks what a lane shows of its thread off a core: on
// the switch timeline, runnable hatched in its core's colour, blocked a
// grey line across the middle row, both distinct from on-core (solid) and
// idle (blank); from samples, the same for a whole sample.
func TestOffCoreDrawn(t *testing.T) {
	core := CoreColor(0)
	solid := func(px *image.RGBA, x int) bool {
		for y := range CoreRows {
			if px.RGBAAt(x, y) != core {
				return false
			}
		}
		return true
	}
	hatched := func(px *image.RGBA, x int) bool {
		coloured := 0
		for y := range CoreRows {
			for dx := range hatchEvery {
				switch c := px.RGBAAt(x+dx, y); c {
				case core:
					coloured++
				case color.RGBA{}:
				default:
					return false
				}
			}
		}
		return coloured > 0 && coloured < CoreRows*hatchEvery
	}
	line := func(px *image.RGBA, x int, grey color.RGBA) bool {
		return px.RGBAAt(x, 0) == (color.RGBA{}) && px.RGBAAt(x, CoreRows/2) == grey && px.RGBAAt(x, CoreRows-1) == (color.RGBA{})
	}
	// 10 ms in 100 pixels from 0.0005 s, when the thread's first slice begins: on a core for 50 pixels, off for 50.
	runnable := lanePixels(offRun(profile.SlicePreempted, ""), 0.0005, 0.0105, 100)
	if !solid(runnable, 20) || !hatched(runnable, 70) {
		t.Errorf("exact, runnable: pixel 20 %v, 70 %v; want solid core colour, then hatched", runnable.RGBAAt(20, 0), runnable.RGBAAt(70, 0))
	}
	blocked := lanePixels(offRun(profile.SliceBlocked, "recvfrom"), 0.0005, 0.0105, 100)
	if !solid(blocked, 20) || !line(blocked, 70, BlockedGrey(diagnosis.WaitIO)) {
		t.Errorf("exact, blocked: pixel 70 rows %v %v; want a line of the grey of I/O", blocked.RGBAAt(70, 0), blocked.RGBAAt(70, CoreRows/2))
	}
	// Samples: a frame in which the thread was on a core half the time is
	// on a core; make one frame's sample found runnable, another's blocked.
	p := profiletest.OneThread(0.005, profile.SliceBlocked, "futex", 0).Approximate()
	p.Frames[2].ThreadSamples[0].CPU, p.Frames[2].ThreadSamples[0].State = 0, profile.StateRunning
	p.Frames[4].ThreadSamples[0].CPU, p.Frames[4].ThreadSamples[0].State, p.Frames[4].ThreadSamples[0].Wait = 0, profile.StateBlocked, "futex"
	l := New()
	l.SetProfile(p)
	sampled := lanePixels(l, 0, 0.5, 50) // a pixel a sample's 10 ms... 5 pixels a frame
	if !solid(sampled, 7) || !hatched(sampled, 25) || !line(sampled, 46, BlockedGrey(diagnosis.WaitLock)) {
		t.Errorf("sampled: pixels 7 %v, 25 %v, 46 %v; want on a core, hatched, a line of the grey of a lock",
			sampled.RGBAAt(7, 0), sampled.RGBAAt(25, 0), sampled.RGBAAt(46, CoreRows/2))
	}
}

// TestOffCoreHit checks the hover readout's facts: the state off a core and
// what a blocked thread waited in, from the stretches or the samples.
func TestOffCoreHit(t *testing.T) {
	p := profiletest.OneThread(0.005, profile.SliceBlocked, "recvfrom", 0).Approximate()
	p.Frames[1].ThreadSamples[0].CPU = 0 // blocked in recvfrom all of 0.1..0.2 s
	sampled := New()
	sampled.SetProfile(p)
	tests := []struct {
		name  string
		l     *Lanes
		at    float64
		state diagnosis.State
		wait  string
	}{
		{"exact, runnable", offRun(profile.SlicePreempted, ""), 0.008, diagnosis.Runnable, ""},
		{"exact, blocked", offRun(profile.SliceBlocked, "recvfrom"), 0.008, diagnosis.Blocked, "recvfrom"},
		{"exact, on a core", offRun(profile.SliceBlocked, "recvfrom"), 0.003, 0, ""},
		{"sampled, blocked", sampled, 0.15, diagnosis.Blocked, "recvfrom"},
		{"sampled, on a core half the frame", sampled, 0.25, 0, ""},
	}
	for _, tt := range tests {
		h, ok := tt.l.At(0, tt.at, tt.at+1e-6)
		if !ok || h.State != tt.state || h.Wait != tt.wait || (tt.state != 0) != (h.Core < 0) {
			t.Errorf("%s: At = %+v; want state %d, wait %q", tt.name, h, tt.state, tt.wait)
		}
	}
}
