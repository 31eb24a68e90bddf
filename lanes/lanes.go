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

// spanColor is task's grey. Task ids are a subject's own and may be any
// int, negative too, so the parity is taken by its bit, never by %.
func spanColor(task int) color.RGBA { return spanColors[task&1] }

// CoreColor is the colour of core: CorePalette's, repeating for the
// cores beyond it. Core numbers come from the kernel or a file, so any
// int gets a colour, a negative one too.
func CoreColor(core int) color.RGBA {
	n := len(CorePalette)
	return CorePalette[(core%n+n)%n]
}

// Rows is the pixel rows of one lane: CoreRows of the core colour, then
// one of the task span.
const Rows, CoreRows = 4, 3

// MinSpan is the narrowest time window a view of exact slices should zoom
// to, in seconds: a scheduler slice of a few microseconds is then still a
// pixel or more. Sampled lanes stop at two samples (see MinWindow).
const MinSpan = 0.001

// Lanes holds one lane per subject thread, grouped by process. With the
// exact switch timeline (slices) each lane shows the intervals the thread
// was on a core, coloured by the core; without it, each sample is coloured
// by the core the thread last ran on (idle samples are left blank). Under
// each lane go the spans of the tasks the thread ran. Any window of the run
// can be painted, at any width: the view zooms and pans. A recorded run's
// processes that were barely on a core share one lane, the last (see Fold).
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
	names    map[int]string // tid -> process name, once Name was told it
	cores    int            // max core seen + 1
	gen      int            // counts Reset and Name calls, so the renderer renames its lanes
	threads  map[int]string // tid -> thread name, once Name was told it
	fold     Fold           // processes drawn on one lane, once a run ended
	foldKey  int            // that lane's index in keys; -1: none yet
	foldOn   []profile.Slice

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

// foldPID is the pid of the fold's lane key: no process has it.
const foldPID = -1

// New returns empty lanes.
func New() *Lanes {
	return &Lanes{lane: map[int]int{}, names: map[int]string{}, threads: map[int]string{}, scratch: map[int]runners.Event{}, foldKey: -1}
}

// Reset empties the lanes for a run that started at t0 and is sampled every
// interval seconds, keeping the last capacity samples (0 = all).
func (l *Lanes) Reset(t0 time.Time, interval float64, capacity int) {
	l.t0, l.interval, l.capacity = t0, interval, capacity
	l.cols, l.events, l.slices, l.keys, l.row = l.cols[:0], l.events[:0], l.slices[:0], l.keys[:0], l.row[:0]
	l.longest, l.cores = 0, 0
	l.fold, l.foldKey, l.foldOn = Fold{}, -1, l.foldOn[:0]
	clear(l.lane)
	clear(l.names)
	clear(l.threads)
	l.gen++
}

// laneOf returns the thread's index in keys, adding a lane for it after the
// last lane of its process when it is new, before the fold's lane, or
// taking it into that lane when its process is folded.
func (l *Lanes) laneOf(pid, tid int) int {
	if k, ok := l.lane[tid]; ok {
		return k
	}
	if l.fold.Has(pid) {
		if l.foldKey < 0 {
			l.foldKey = len(l.keys)
			l.keys, l.row = append(l.keys, laneKey{foldPID, foldPID}), append(l.row, len(l.keys))
		}
		l.lane[tid] = l.foldKey
		return l.foldKey
	}
	at := -1
	for k, key := range l.keys {
		if key.pid == pid {
			at = max(at, l.row[k]+1)
		}
	}
	if at < 0 {
		at = len(l.keys)
		if l.foldKey >= 0 {
			at = l.row[l.foldKey]
		}
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
// processes, and whose processes that were barely on a core share one lane
// (NewFold); call Refresh to show it.
func (l *Lanes) SetProfile(p *profile.Profile) {
	l.Reset(p.Started, p.Spec.Interval.D().Seconds(), 0)
	l.fold = NewFold(p)
	for _, s := range p.Slices {
		if l.fold.Has(s.PID) {
			l.foldOn = append(l.foldOn, s)
		}
	}
	for i := range p.Frames {
		l.Add(p.Frames[i].T, p.Frames[i].ThreadSamples, nil)
	}
	l.AddSlices(p.Slices)
	l.events = append(l.events, p.Events...)
	l.Name(p.Threads)
}

// Name names the lanes of threads, live (a frame's ThreadNames) or once a
// run ended; call Refresh to show the names.
func (l *Lanes) Name(threads []profile.Thread) {
	if len(threads) == 0 {
		return
	}
	for _, th := range threads {
		l.names[th.TID] = cmp.Or(th.Process, th.Name)
		l.threads[th.TID] = th.Name
	}
	l.gen++
}

// Folded is the processes that share the last lane (see NewFold); empty
// while a run is live.
func (l *Lanes) Folded() Fold { return l.fold }

// Exact reports whether the lanes hold the switch timeline's slices, which
// they then draw, rather than one "last core" per sample.
func (l *Lanes) Exact() bool { return len(l.slices) > 0 }

// name names a lane: process and thread id once known, pid/tid live; the
// fold's lane, how many processes it holds.
func (l *Lanes) name(k laneKey) string {
	if k.pid == foldPID {
		return fmt.Sprintf("%d processes", l.fold.Processes)
	}
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

func (l *Lanes) eventT(e runners.Event) float64 {
	return float64(e.TNs-l.t0.UnixNano()) / 1e9
}

// Cores is how many distinct cores the samples and slices mention (max core + 1).
func (l *Lanes) Cores() int { return l.cores }

// MinWindow is the narrowest window worth zooming to, in seconds: MinSpan
// with exact slices, two samples without (a sample is one colour however
// far one zooms into it).
func (l *Lanes) MinWindow() float64 {
	if l.Exact() {
		return MinSpan
	}
	return 2 * l.interval
}

// Paint draws the lanes of the window from..to seconds into dst, Len()*Rows
// pixels high and as wide as the view is on screen. Only what overlaps the
// window is visited and the scratch space is reused, so painting costs the
// same at every zoom and allocates nothing once sized.
func (l *Lanes) Paint(dst *image.RGBA, from, to float64) {
	clear(dst.Pix)
	if l.Exact() {
		l.paintSlices(dst, from, to-from)
	} else {
		l.paintSamples(dst, from, to-from)
	}
	l.paintTasks(dst, from, to-from)
}

// paintSamples colours each sample's interval by the core each thread last
// ran on. A sample narrower than a pixel still gets one, so zoomed out the
// later of two samples in a pixel shows.
func (l *Lanes) paintSamples(dst *image.RGBA, from, length float64) {
	w := dst.Rect.Dx()
	if w == 0 || !(length > 0) {
		return
	}
	scale := float64(w) / length
	first := sort.Search(len(l.cols), func(i int) bool { return l.cols[i].t > from })
	for i, c := range l.cols[first:] {
		x0 := int(math.Floor((l.sampleStart(first+i) - from) * scale))
		if x0 >= w {
			break
		}
		x1 := min(max(int(math.Floor((c.t-from)*scale)), x0+1), w)
		x0 = max(x0, 0)
		for _, s := range c.samples {
			if !(s.CPU > 0) || s.Core < 0 {
				continue // idle: blank
			}
			fillRows(dst, x0, x1, l.row[l.lane[s.TID]]*Rows, CoreRows, CoreColor(s.Core))
		}
	}
}

// sampleStart is when sample i's interval began: the previous sample's
// time, so a late sample leaves no gap; the first one lasts an interval.
func (l *Lanes) sampleStart(i int) float64 {
	if i > 0 {
		return l.cols[i-1].t
	}
	return l.cols[0].t - l.interval
}

// fillRows paints pixels x0..x1 of n rows from y0 in c.
func fillRows(dst *image.RGBA, x0, x1, y0, n int, c color.RGBA) {
	for y := y0; y < y0+n; y++ {
		row := dst.Pix[dst.PixOffset(x0, y):]
		for i := range x1 - x0 {
			px := row[4*i : 4*i+4 : 4*i+4]
			px[0], px[1], px[2], px[3] = c.R, c.G, c.B, c.A
		}
	}
}

// paintSlices draws the slices that overlap the window. A pixel shows the
// share of its time the thread was on a core as opacity (at least a faint
// trace, so a 10 us wake-up still shows), in the colour of the core of its
// longest slice there: zoomed out, a thread that only wakes to ask for a
// lock does not look as busy as the one holding it.
func (l *Lanes) paintSlices(dst *image.RGBA, from, length float64) {
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
			c := CoreColor(int(l.core[k*w+x]))
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

// paintTasks draws the task spans under the lanes, over the window.
func (l *Lanes) paintTasks(dst *image.RGBA, from, length float64) {
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
		fillRows(dst, x0, x1+1, l.row[lane]*Rows+CoreRows, 1, spanColor(start.Task))
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

// Generation counts Reset and Name calls, so a view knows its lane names
// are stale even when the number of lanes did not change.
func (l *Lanes) Generation() int { return l.gen }

// Names names every lane, top to bottom: process and thread id once Name
// named its thread, pid/tid before (a thread the kernel's records alone
// saw is named when the run ends).
func (l *Lanes) Names() []string {
	names := make([]string, len(l.keys))
	for k, key := range l.keys {
		names[l.row[k]] = l.name(key)
	}
	return names
}

// Hit is what one lane shows over a short time (a pixel's): its thread, the
// core it was on there and when, and the task it was running. On the fold's
// lane, the thread is the one on a core there, if any.
type Hit struct {
	PID, TID        int
	Process, Thread string  // names, once Name was told them ("" before)
	Fold            string  // the fold's title, on its lane
	Core            int     // -1: not on a core then
	From, To        float64 // the slice, or the sample's interval, on Core
	Task            int     // the task it was running, when InTask
	InTask          bool    // task ids are the subject's: any int
}

// At is what lane row (top to bottom) shows between from and to seconds:
// with exact slices, the slice that covers most of that time, as painted;
// otherwise the sample around its middle. ok is false for no such lane.
func (l *Lanes) At(row int, from, to float64) (h Hit, ok bool) {
	k := slices.Index(l.row, row)
	if k < 0 {
		return Hit{}, false
	}
	key := l.keys[k]
	h = Hit{PID: key.pid, TID: key.tid, Core: -1}
	if k == l.foldKey {
		h.Fold = l.fold.Title()
	}
	mid := (from + to) / 2
	if k == l.foldKey && l.Exact() {
		best := 0.0
		for _, s := range l.foldOn { // few: each of their processes was on a core for under FoldMaxS
			if over := min(s.End, to) - max(s.Start, from); over > best {
				best, h.PID, h.TID, h.Core, h.From, h.To = over, s.PID, s.TID, s.CPU, s.Start, s.End
			}
		}
	} else if l.Exact() {
		best := 0.0
		for _, s := range l.slices[l.firstEndingAfter(from):] {
			if s.end-l.longest >= to {
				break
			}
			if over := min(s.end, to) - max(s.start, from); int(s.key) == k && over > best {
				best, h.Core, h.From, h.To = over, int(s.cpu), s.start, s.end
			}
		}
	} else if i := sort.Search(len(l.cols), func(i int) bool { return l.cols[i].t >= mid }); i < len(l.cols) {
		for _, s := range l.cols[i].samples {
			if l.lane[s.TID] == k && s.CPU > 0 && s.Core >= 0 {
				h.PID, h.TID, h.Core, h.From, h.To = s.PID, s.TID, s.Core, l.sampleStart(i), l.cols[i].t
			}
		}
	}
	h.Process, h.Thread = l.names[h.TID], l.threads[h.TID]
	for _, e := range l.events {
		if lane, ok := l.lane[e.TID]; !ok || lane != k || l.eventT(e) > mid {
			continue
		}
		switch {
		case e.Ev == runners.EvTaskStart:
			h.Task, h.InTask = e.Task, true
		case e.Ev == runners.EvTaskEnd && h.InTask && e.Task == h.Task:
			h.Task, h.InTask = 0, false
		}
	}
	return h, true
}
