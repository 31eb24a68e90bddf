package lanes

import (
	"cmp"
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
	"sort"
	"time"

	"corescope/profile"
	"corescope/runners"
)

// CorePalette colours a thread's time on a core by that core
// (Okabe-Ito and Tableau hues, told apart with most colour blindness).
var CorePalette = [...]color.RGBA{
	{0x00, 0x72, 0xb2, 0xff}, {0xe6, 0x9f, 0x00, 0xff}, {0x00, 0x9e, 0x73, 0xff}, {0xcc, 0x79, 0xa7, 0xff},
	{0x56, 0xb4, 0xe9, 0xff}, {0xd5, 0x5e, 0x00, 0xff}, {0xf0, 0xe4, 0x42, 0xff}, {0x8c, 0x56, 0x4b, 0xff},
	{0x7f, 0x7f, 0xff, 0xff}, {0x9a, 0xcd, 0x32, 0xff},
}

// Task spans alternate between two greys so back-to-back tasks stay apart.
var spanColors = [2]color.RGBA{{0xc8, 0xc8, 0xc8, 0xff}, {0x80, 0x80, 0x80, 0xff}}

// Rows is the pixel rows of one lane: CoreRows of the core colour, then
// one of the task span.
const Rows, CoreRows = 4, 3

// MinSpan is the narrowest time window a view can zoom to, in seconds: a
// scheduler slice of a few microseconds is then still a pixel or more.
const MinSpan = 0.001

// Lanes holds one lane per subject thread, grouped by process. With the
// exact switch timeline (slices) each lane shows the intervals the thread
// was on a core, coloured by the core, over a window the user can zoom and
// pan; without it, each sample is coloured by the core the thread last ran
// on (idle samples are left blank), one column a sample. Under each lane go
// the spans of the tasks the thread ran.
type Lanes struct {
	t0       time.Time // wall clock of time 0
	interval float64
	capacity int // most samples kept; 0 = all
	cols     []threadCol
	events   []runners.Event
	slices   []slice // by end time
	longest  float64 // the longest slice's length: how far back a search must look
	earliest float64 // the first start of a slice kept
	keys     []laneKey
	lane     map[int]int    // tid -> index in keys
	row      []int          // index in keys -> lane shown, grouped by process
	names    map[int]string // tid -> process name, known once a run ended
	cores    int            // max core seen + 1
	gen      int            // counts Reset calls, so the renderer renames its lanes

	// The zoomed window, when zoomed; otherwise the view fits the run.
	zoomed           bool
	viewFrom, viewLn float64

	scratch map[int]runners.Event // reused by paint and dropTasksBefore, by task
	cover   []float32             // paintSlices: per lane pixel, the share of its time on a core
	best    []float32             // the largest one slice's share of it
	core    []int32               // that slice's core
}

// slice is a profile.Slice with its thread's lane.
type slice struct {
	start, end float64
	key, cpu   int32
}

type threadCol struct {
	t       float64
	samples []profile.ThreadSample
}

type laneKey struct{ pid, tid int }

// New returns empty lanes.
func New() *Lanes {
	return &Lanes{lane: map[int]int{}, names: map[int]string{}, scratch: map[int]runners.Event{}}
}

// Reset empties the lanes for a run that started at t0 and is sampled every
// interval seconds, keeping the last capacity samples (0 = all).
func (l *Lanes) Reset(t0 time.Time, interval float64, capacity int) {
	l.t0, l.interval, l.capacity = t0, interval, capacity
	l.cols, l.events, l.slices, l.keys, l.row = l.cols[:0], l.events[:0], l.slices[:0], l.keys[:0], l.row[:0]
	l.longest, l.cores, l.zoomed = 0, 0, false
	clear(l.lane)
	clear(l.names)
	l.gen++
}

// laneOf returns the thread's index in keys, adding a lane for it after the
// last lane of its process when it is new.
func (l *Lanes) laneOf(pid, tid int) int {
	if k, ok := l.lane[tid]; ok {
		return k
	}
	at := -1
	for k, key := range l.keys {
		if key.pid == pid {
			at = max(at, l.row[k]+1)
		}
	}
	if at < 0 {
		at = len(l.keys)
	}
	for k := range l.row {
		if l.row[k] >= at {
			l.row[k]++
		}
	}
	k := len(l.keys)
	l.keys, l.row = append(l.keys, laneKey{pid, tid}), append(l.row, at)
	l.lane[tid] = k
	return k
}

// Add takes one frame's thread samples and events (copied); call Refresh to show them.
func (l *Lanes) Add(t float64, samples []profile.ThreadSample, events []runners.Event) {
	for _, s := range samples {
		l.laneOf(s.PID, s.TID)
		l.cores = max(l.cores, s.Core+1)
	}
	l.cols = append(l.cols, threadCol{t: t, samples: append([]profile.ThreadSample(nil), samples...)})
	for _, e := range events {
		if e.Ev == runners.EvTaskStart || e.Ev == runners.EvTaskEnd {
			l.events = append(l.events, e)
		}
	}
	if l.capacity > 0 && len(l.cols) > l.capacity {
		drop := len(l.cols) - l.capacity
		l.cols = append(l.cols[:0], l.cols[drop:]...)
		from := l.cols[0].t - l.interval
		l.dropTasksBefore(from)
		l.slices = l.slices[:copy(l.slices, l.slices[l.firstEndingAfter(from):])]
		l.earliest = max(l.earliest, from) // what started before is not shown
	}
}

// AddSlices takes on-core slices (copied), such as a frame's; call Refresh
// to show them.
func (l *Lanes) AddSlices(ss []profile.Slice) {
	n := len(l.slices)
	if n == 0 {
		l.earliest = math.Inf(1)
	}
	for _, s := range ss {
		l.slices = append(l.slices, slice{start: s.Start, end: s.End, key: int32(l.laneOf(s.PID, s.TID)), cpu: int32(s.CPU)})
		l.longest = max(l.longest, s.End-s.Start)
		l.earliest = min(l.earliest, s.Start)
		l.cores = max(l.cores, s.CPU+1)
	}
	if !slices.IsSortedFunc(l.slices[max(n-1, 0):], byEnd) {
		slices.SortStableFunc(l.slices, byEnd)
	}
}

func byEnd(a, b slice) int { return cmp.Compare(a.end, b.end) }

// firstEndingAfter is the index of the first slice that ends after t.
func (l *Lanes) firstEndingAfter(t float64) int {
	return sort.Search(len(l.slices), func(i int) bool { return l.slices[i].end > t })
}

// dropTasksBefore forgets the tasks that ended before from, start and end,
// so the events stay bounded and an old start is never taken for a task
// still running.
func (l *Lanes) dropTasksBefore(from float64) {
	clear(l.scratch)
	for _, e := range l.events {
		if e.Ev == runners.EvTaskEnd && l.eventT(e) < from {
			l.scratch[e.Task] = runners.Event{}
		}
	}
	if len(l.scratch) == 0 {
		return
	}
	keep := l.events[:0]
	for _, e := range l.events {
		if _, ended := l.scratch[e.Task]; !ended {
			keep = append(keep, e)
		}
	}
	l.events = keep
}

// SetProfile takes a whole recorded run, whose lanes are named after their
// processes; call Refresh to show it.
func (l *Lanes) SetProfile(p *profile.Profile) {
	l.Reset(p.Started, p.Spec.Interval.D().Seconds(), 0)
	for i := range p.Frames {
		l.Add(p.Frames[i].T, p.Frames[i].ThreadSamples, nil)
	}
	l.AddSlices(p.Slices)
	l.events = append(l.events, p.Events...)
	for _, th := range p.Threads {
		l.names[th.TID] = cmp.Or(th.Process, th.Name)
	}
}

// Exact reports whether the lanes hold the switch timeline's slices, which
// they then draw, rather than one "last core" per sample.
func (l *Lanes) Exact() bool { return len(l.slices) > 0 }

// name names a lane: process and thread id once known, pid/tid live.
func (l *Lanes) name(k laneKey) string {
	if name := l.names[k.tid]; name != "" {
		return fmt.Sprintf("%s %d", name, k.tid)
	}
	return fmt.Sprintf("%d/%d", k.pid, k.tid)
}

// Extent is the time the run's samples and slices cover, in seconds.
func (l *Lanes) Extent() (from, length float64) {
	if len(l.cols) == 0 && len(l.slices) == 0 {
		return 0, l.interval
	}
	from, to := math.Inf(1), math.Inf(-1)
	if len(l.cols) > 0 {
		from, to = l.cols[0].t-l.interval, l.cols[len(l.cols)-1].t
	}
	if n := len(l.slices); n > 0 {
		from, to = min(from, l.earliest), max(to, l.slices[n-1].end)
	}
	return from, to - from
}

// Window is the time the lanes show, in seconds of the run: the zoomed
// window with exact slices, else the whole extent.
func (l *Lanes) Window() (from, length float64) {
	from, length = l.Extent()
	if !l.zoomed || !l.Exact() {
		return from, length
	}
	ln := max(min(l.viewLn, length), min(MinSpan, length))
	return max(from, min(l.viewFrom, from+length-ln)), ln
}

// Zoom scales the window by factor (< 1 zooms in) around the point at, a
// fraction 0..1 of its width, which stays where it is. The window never gets
// wider than the run nor narrower than MinSpan. Only exact lanes zoom.
func (l *Lanes) Zoom(factor, at float64) {
	if !l.Exact() || !(factor > 0) {
		return
	}
	from, length := l.Window()
	_, full := l.Extent()
	ln := max(min(length*factor, full), min(MinSpan, full))
	at = max(0, min(at, 1))
	l.setView(from+at*length-at*ln, ln)
}

// Pan moves the window by by times its width (> 0 later in time), within the run.
func (l *Lanes) Pan(by float64) {
	if !l.Exact() {
		return
	}
	from, length := l.Window()
	l.setView(from+by*length, length)
}

// setView zooms to the window from+length, clamped to the run; a window as
// wide as the run fits it again, so a live view follows the run.
func (l *Lanes) setView(from, length float64) {
	l.viewFrom, l.viewLn, l.zoomed = from, length, true
	if _, full := l.Extent(); length >= full {
		l.zoomed = false
	}
}

// Fit shows the whole run again.
func (l *Lanes) Fit() { l.zoomed = false }

// Zoomed reports whether the window is narrower than the run.
func (l *Lanes) Zoomed() bool { return l.zoomed && l.Exact() }

func (l *Lanes) eventT(e runners.Event) float64 {
	return float64(e.TNs-l.t0.UnixNano()) / 1e9
}

// Cores is how many distinct cores the samples and slices mention (max core + 1).
func (l *Lanes) Cores() int { return l.cores }

// Paint draws the lanes into dst, Len()*Rows pixels high: exact, the
// slices in Window() over dst's width, which can be any; otherwise one
// column a sample, dst Columns() wide.
func (l *Lanes) Paint(dst *image.RGBA) {
	clear(dst.Pix)
	if l.Exact() {
		l.paintSlices(dst)
	} else {
		l.paintSamples(dst)
	}
	l.paintTasks(dst)
}

// paintSamples colours each sample's column by the core each thread last ran on.
func (l *Lanes) paintSamples(dst *image.RGBA) {
	for x, c := range l.cols {
		for _, s := range c.samples {
			if !(s.CPU > 0) || s.Core < 0 {
				continue // idle: blank
			}
			y0 := l.row[l.lane[s.TID]] * Rows
			for y := y0; y < y0+CoreRows; y++ {
				dst.SetRGBA(x, y, CorePalette[s.Core%len(CorePalette)])
			}
		}
	}
}

// paintSlices draws the slices that overlap Window(). A pixel shows the
// share of its time the thread was on a core as opacity (at least a faint
// trace, so a 10 us wake-up still shows), in the colour of the core of its
// longest slice there: zoomed out, a thread that only wakes to ask for a
// lock does not look as busy as the one holding it. Only the visible slices
// are visited, and the scratch space is reused, so painting costs the same
// at every zoom and allocates nothing once sized.
func (l *Lanes) paintSlices(dst *image.RGBA) {
	from, length := l.Window()
	w := dst.Rect.Dx()
	if w == 0 || !(length > 0) {
		return
	}
	n := len(l.keys) * w
	l.cover, l.best, l.core = grow(l.cover, n), grow(l.best, n), grow(l.core, n)
	clear(l.cover)
	clear(l.best)
	scale, to := float64(w)/length, from+length
	for _, s := range l.slices[l.firstEndingAfter(from):] {
		if s.start >= to {
			if s.end-l.longest >= to {
				break // every later slice starts after the window too
			}
			continue
		}
		x0, x1 := (s.start-from)*scale, (s.end-from)*scale
		px := l.cover[int(s.key)*w : int(s.key+1)*w]
		for x := max(int(x0), 0); x < min(int(math.Ceil(x1)), w); x++ {
			share := float32(min(x1, float64(x+1)) - max(x0, float64(x)))
			k := int(s.key)*w + x
			px[x] += share
			if share > l.best[k] {
				l.best[k], l.core[k] = share, s.cpu
			}
		}
	}
	for k, row := range l.row {
		for x, share := range l.cover[k*w : (k+1)*w] {
			if share <= 0 {
				continue
			}
			c := CorePalette[int(l.core[k*w+x])%len(CorePalette)]
			a := 0.3 + 0.7*min(share, 1)
			for y := row * Rows; y < row*Rows+CoreRows; y++ {
				o := dst.PixOffset(x, y)
				px := dst.Pix[o : o+4 : o+4]
				px[0], px[1], px[2], px[3] = premul(c.R, a), premul(c.G, a), premul(c.B, a), premul(0xff, a)
			}
		}
	}
}

// premul is channel v at opacity a, as *image.RGBA's premultiplied alpha wants.
func premul(v uint8, a float32) uint8 { return uint8(float32(v)*a + 0.5) }

// paintTasks draws the task spans under the lanes, over Window().
func (l *Lanes) paintTasks(dst *image.RGBA) {
	from, length := l.Window()
	w := dst.Rect.Dx()
	drawSpan := func(start runners.Event, t1 float64) {
		lane, ok := l.lane[start.TID]
		if !ok || !(length > 0) {
			return
		}
		x0 := max(int((l.eventT(start)-from)/length*float64(w)), 0)
		x1 := min(int((t1-from)/length*float64(w)), w-1)
		if x1 < x0 {
			return
		}
		c := spanColors[start.Task%2]
		row := dst.Pix[dst.PixOffset(x0, l.row[lane]*Rows+CoreRows):]
		for i := range x1 - x0 + 1 {
			px := row[4*i : 4*i+4 : 4*i+4]
			px[0], px[1], px[2], px[3] = c.R, c.G, c.B, c.A
		}
	}
	started := l.scratch
	clear(started)
	for _, e := range l.events {
		switch e.Ev {
		case runners.EvTaskStart:
			started[e.Task] = e
		case runners.EvTaskEnd:
			if s, ok := started[e.Task]; ok {
				drawSpan(s, l.eventT(e))
				delete(started, e.Task)
			}
		}
	}
	for _, s := range started { // still running
		drawSpan(s, from+length)
	}
}

// grow returns s with length n, reusing its storage when it is big enough.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// Len is the number of lanes: the threads seen so far.
func (l *Lanes) Len() int { return len(l.keys) }

// Columns is the number of samples kept.
func (l *Lanes) Columns() int { return len(l.cols) }

// Generation counts Reset calls, so a view knows its lane names are stale
// even when the number of lanes did not change.
func (l *Lanes) Generation() int { return l.gen }

// Names names every lane, top to bottom: process and thread id once the run
// ended (see SetProfile), pid/tid while it is live.
func (l *Lanes) Names() []string {
	names := make([]string, len(l.keys))
	for k, key := range l.keys {
		names[l.row[k]] = l.name(key)
	}
	return names
}
