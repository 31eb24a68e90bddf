package lanes

import (
	"image"
	"image/color"
	"math"
	"sort"

	"corescope/diagnosis"
	"corescope/profile"
)

// What a lane shows of its thread off a core: runnable (waiting for a
// core) hatched in the colour of the core it last ran on, one pixel in
// hatchEvery coloured; blocked as a thin line across the lane's middle
// row, grey by what it waited on (BlockedGrey); idle, or unknown, blank.
// On-core time is painted over both.
const hatchEvery = 3

// blockedGreys are the greys of a blocked thread's line, darker the more
// it says of the program: a lock, I/O, a child, a sleep, anything else.
var blockedGreys = map[string]color.RGBA{
	diagnosis.WaitLock: {0x50, 0x50, 0x50, 0xff}, diagnosis.WaitIO: {0x78, 0x78, 0x78, 0xff},
	diagnosis.WaitChild: {0x90, 0x90, 0x90, 0xff}, diagnosis.WaitSleep: {0xa8, 0xa8, 0xa8, 0xff},
}

// BlockedGrey is the grey of the line of a thread blocked on kind (one of
// diagnosis.WaitKinds).
func BlockedGrey(kind string) color.RGBA {
	if c, ok := blockedGreys[kind]; ok {
		return c
	}
	return color.RGBA{0xbc, 0xbc, 0xbc, 0xff}
}

// offCore is a diagnosis.Stretch with its thread's lane and the core it
// last ran on.
type offCore struct {
	interval
	key, cpu int32
	state    diagnosis.State
	kind     string
	wait     string
}

// addStretches takes the stretches of p's threads off a core (diagnosis.
// Stretches).
func (l *Lanes) addStretches(p *profile.Profile) {
	n := len(l.off.all)
	for _, st := range diagnosis.Stretches(p) {
		l.off.push(offCore{interval{st.From, st.To}, int32(l.laneOf(st.PID, st.TID)), int32(st.CPU), st.State, st.Kind, st.Wait})
	}
	l.off.settle(n)
}

// paintStretches draws the stretches off a core that overlap the window
// in the first lanes lanes: hatched where runnable, a grey line where
// blocked. A lane that merges several threads shows none: its threads'
// states would hide one another.
func (l *Lanes) paintStretches(dst *image.RGBA, from, length float64, lanes int) {
	w := dst.Rect.Dx()
	if w == 0 || !(length > 0) {
		return
	}
	scale := float64(w) / length
	for s := range l.off.overlapping(from, from+length, &l.visits) {
		row := l.rowOf(int(s.key))
		if row >= lanes || l.merges(row) {
			continue
		}
		x0 := clampPixel(math.Floor((s.start-from)*scale), 0, w)
		x1 := clampPixel(math.Ceil((s.end-from)*scale), 0, w)
		l.paintOff(dst, row, x0, max(x1, x0+1), s.state, int(s.cpu), s.kind)
	}
}

// sampleState is what sample s, over a frame of d seconds, says its thread
// did off a core: runnable where it was found running or runnable yet had
// under a tenth of the frame on a core, blocked where it was found
// blocked; 0 otherwise.
func sampleState(s profile.ThreadSample, d float64) diagnosis.State {
	switch {
	case s.State == profile.StateBlocked:
		return diagnosis.Blocked
	case s.State == profile.StateRunning && s.CPU < diagnosis.BusyShare*d:
		return diagnosis.Runnable
	}
	return 0
}

// paintOff paints pixels x0..x1 of lane row as a thread off a core in
// state: hatched in core's colour, or a line in kind's grey.
func (l *Lanes) paintOff(dst *image.RGBA, row, x0, x1 int, state diagnosis.State, core int, kind string) {
	y0 := row * Rows
	if state == diagnosis.Blocked {
		fillRows(dst, x0, x1, y0+CoreRows/2, 1, BlockedGrey(kind))
		return
	}
	if core < 0 {
		return // never on a core: no colour to hatch in
	}
	c := CoreColor(core)
	for y := y0; y < y0+CoreRows; y++ {
		for x := x0; x < x1; x++ {
			if (x+y)%hatchEvery == 0 {
				fillRows(dst, x, x+1, y, 1, c)
			}
		}
	}
}

// paintSampleStates draws, from the samples, the threads a sample found
// off a core: runnable (found so, with under BusyShare of the frame on a
// core) hatched in the colour of the core it last ran on, blocked as a
// grey line by what it waited in; a busy sample painted after it shows
// over it. Only where a sample is a pixel or wider and the window holds no
// more samples than a pixel has lanes shown (and two more): zoomed out
// further, or over more threads than are shown, the busiest samples a
// pixel are what it shows (see paintSamples), and a paint visits no more
// samples than its pixels of lanes.
func (l *Lanes) paintSampleStates(dst *image.RGBA, from, length float64, lanes int) {
	w, n := dst.Rect.Dx(), len(l.cols)
	if w == 0 || n == 0 || !(length > 0) {
		return
	}
	lo := sort.Search(n, func(i int) bool { return l.cols[i].end > from })
	hi := sort.Search(n, func(i int) bool { return l.sampleStart(i) >= from+length })
	if hi-lo > w {
		return
	}
	samples := 0
	for _, c := range l.cols[lo:hi] {
		l.visits++
		samples += len(c.samples)
	}
	if samples > w*(lanes+2) {
		return
	}
	scale := float64(w) / length
	for i := lo; i < hi; i++ {
		x0 := clampPixel(math.Floor((l.sampleStart(i)-from)*scale), 0, w)
		x1 := max(clampPixel(math.Ceil((l.cols[i].end-from)*scale), 0, w), x0+1)
		d := l.cols[i].end - l.sampleStart(i)
		for _, s := range l.cols[i].samples {
			l.visits++
			if row := l.rowOf(l.lane[s.TID]); row < lanes && !l.merges(row) {
				if state := sampleState(s, d); state != 0 {
					l.paintOff(dst, row, x0, min(x1, w), state, s.Core, diagnosis.Kind(s.Wait))
				}
			}
		}
	}
}

// stateAt is what lane k shows of its thread off a core at time t: from
// the stretches where the lanes have them, else from the sample around t.
func (l *Lanes) stateAt(k int, t float64) (state diagnosis.State, kind, wait string) {
	if l.Exact() {
		for s := range l.off.overlapping(t, t, new(int)) {
			if int(s.key) == k && s.start <= t {
				return s.state, s.kind, s.wait
			}
		}
		return 0, "", ""
	}
	i := sort.Search(len(l.cols), func(i int) bool { return l.cols[i].end >= t })
	if i >= len(l.cols) {
		return 0, "", ""
	}
	for _, s := range l.cols[i].samples {
		if l.lane[s.TID] != k {
			continue
		}
		if state = sampleState(s, l.cols[i].end-l.sampleStart(i)); state == diagnosis.Blocked {
			return state, diagnosis.Kind(s.Wait), s.Wait
		}
		return state, "", ""
	}
	return 0, "", ""
}
