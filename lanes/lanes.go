package lanes

import (
	"cmp"
	"corescope/profile"
	"corescope/runners"
	"fmt"
	"image"
	"image/color"
	"time"
)

// CorePalette colours a thread sample by the core it last ran on
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

// Lanes holds one lane per subject thread: each sample coloured by the
// core the thread last ran on (idle samples are left blank), and under it
// the spans of the tasks the thread ran.
type Lanes struct {
	t0       time.Time // wall clock of time 0
	interval float64
	capacity int // most samples kept; 0 = all
	cols     []threadCol
	events   []runners.Event
	lanes    []laneKey
	lane     map[int]int    // tid -> lane
	names    map[int]string // tid -> process name, known once a run ended
	gen      int            // counts Reset calls, so the renderer renames its lanes

	scratch map[int]runners.Event // reused by paint and dropTasksBefore, by task
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
	l.cols, l.events, l.lanes = l.cols[:0], l.events[:0], l.lanes[:0]
	clear(l.lane)
	clear(l.names)
	l.gen++
}

// Add takes one frame's thread samples and events (copied); call Refresh to show them.
func (l *Lanes) Add(t float64, samples []profile.ThreadSample, events []runners.Event) {
	for _, s := range samples {
		if _, ok := l.lane[s.TID]; !ok {
			l.lane[s.TID] = len(l.lanes)
			l.lanes = append(l.lanes, laneKey{s.PID, s.TID})
		}
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
		from, _ := l.Window()
		l.dropTasksBefore(from)
	}
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
	l.events = append(l.events, p.Events...)
	for _, th := range p.Threads {
		l.names[th.TID] = cmp.Or(th.Process, th.Name)
	}
}

// name names a lane: process and thread id once known, pid/tid live.
func (l *Lanes) name(k laneKey) string {
	if name := l.names[k.tid]; name != "" {
		return fmt.Sprintf("%s %d", name, k.tid)
	}
	return fmt.Sprintf("%d/%d", k.pid, k.tid)
}

// Window is the time the lanes cover, in seconds of the run.
func (l *Lanes) Window() (from, length float64) {
	if len(l.cols) == 0 {
		return 0, l.interval
	}
	from = l.cols[0].t - l.interval
	return from, l.cols[len(l.cols)-1].t - from
}

func (l *Lanes) eventT(e runners.Event) float64 {
	return float64(e.TNs-l.t0.UnixNano()) / 1e9
}

// Cores is how many distinct cores the samples mention (max core + 1).
func (l *Lanes) Cores() int {
	n := 0
	for _, c := range l.cols {
		for _, s := range c.samples {
			n = max(n, s.Core+1)
		}
	}
	return n
}

// Paint draws the lanes into dst, which must be Columns() x Len()*Rows
// pixels: one column a sample.
func (l *Lanes) Paint(dst *image.RGBA) {
	clear(dst.Pix)
	for x, c := range l.cols {
		for _, s := range c.samples {
			if !(s.CPU > 0) || s.Core < 0 {
				continue // idle: blank
			}
			y0 := l.lane[s.TID] * Rows
			for y := y0; y < y0+CoreRows; y++ {
				dst.SetRGBA(x, y, CorePalette[s.Core%len(CorePalette)])
			}
		}
	}
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
		row := dst.Pix[dst.PixOffset(x0, lane*Rows+CoreRows):]
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

// Len is the number of lanes: the threads seen so far.
func (l *Lanes) Len() int { return len(l.lanes) }

// Columns is the number of samples kept.
func (l *Lanes) Columns() int { return len(l.cols) }

// Generation counts Reset calls, so a view knows its lane names are stale
// even when the number of lanes did not change.
func (l *Lanes) Generation() int { return l.gen }

// Names names every lane: process and thread id once the run ended (see
// SetProfile), pid/tid while it is live.
func (l *Lanes) Names() []string {
	names := make([]string, len(l.lanes))
	for i, k := range l.lanes {
		names[i] = l.name(k)
	}
	return names
}
