package lanes

import (
	"cmp"
	"fmt"
	"image"
	"image/color"
	"iter"
	"math"
	"slices"
	"sort"
	"time"

	"corescope/diagnosis"
	"corescope/profile"
	"corescope/spec"
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

// TaskColor is the grey of task's span under its thread's lane, so that
// another drawing of the lanes (the HTML report's) greys tasks alike.
func TaskColor(task int) color.RGBA { return spanColor(task) }

// CoreColor is the colour of core: CorePalette's, repeating for the
// cores beyond it. Core numbers come from the kernel or a file, so any
// int gets a colour, a negative one too.
func CoreColor(core int) color.RGBA { return CorePalette[coreIndex(core)] }

// coreIndex is core's colour's index in CorePalette.
func coreIndex(core int) uint8 {
	n := len(CorePalette)
	return uint8((core%n + n) % n)
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
// by the core the thread last ran on (idle samples are left blank), and a
// pixel over several samples shows the busiest (see paintSamples). Under
// each lane go the spans of the tasks the thread ran. Any window of the run
// can be painted, at any width: the view zooms and pans. A recorded run's
// processes that were barely on a core share one lane, the last (see Fold).
// A view shows at most as many lanes as it has room for (SetMaxLanes): the
// last one shown then merges every lane that does not fit, so a run of
// 300,000 threads costs a paint what the lanes on screen cost.
type Lanes struct {
	t0       time.Time // wall clock of time 0
	interval float64
	capacity int // most samples kept; 0 = all
	cols     []threadCol
	dropped  int                // the columns dropped to keep capacity: cols[0]'s count since the run started
	busy     pyramid            // each lane's busiest sample, by blocks of cols
	tasks    ends[taskSpan]     // tasks that ended
	running  map[int]spec.Event // task -> its start, while it runs
	slices   ends[slice]        // on-core slices, with exact attribution
	off      ends[offCore]      // the threads' time off a core between slices, of a recorded run (see states.go)
	earliest float64            // the first start of a slice kept
	keys     []laneKey
	lane     map[int]int    // tid -> index in keys
	procs    map[int]int    // pid -> its process's place among the processes, in the order they were seen
	row      []int          // index in keys -> lane, grouped by process (see layout)
	byRow    []int          // lane -> index in keys
	laidOut  bool           // whether row and byRow hold every key
	maxLanes int            // most lanes shown; 0 = all
	names    map[int]string // tid -> process name, once Name was told it
	cores    int            // max core seen + 1
	gen      int            // changes whenever the lanes shown or their names may have, so the renderer renames its lanes
	threads  map[int]string // tid -> thread name, once Name was told it
	fold     Fold           // processes drawn on one lane, once a run ended
	foldKey  int            // that lane's index in keys; -1: none yet
	foldTIDs int            // the threads in that lane
	foldOn   []profile.Slice

	next   []int     // layout: each process's next lane
	cover  []float32 // paintSlices: per pixel of a lane shown, the share of its time on a core
	best   []float32 // the largest one slice's share of it
	core   []int32   // that slice's core
	ranked []ranked  // columnBlock: a column's busy samples
	shown  []shown   // paintSamples: per lane shown, what it shows in the pixel being painted
	busyIn []int     // the lanes busy in that pixel
	visits int       // the blocks, entries, slices, tasks and pixels the last Paint visited: its work
}

// shown is the busiest sample of a lane in pixel x, while it is painted.
type shown struct {
	x    int
	cpu  float64
	core uint8
}

// slice is a profile.Slice with its thread's lane.
type slice struct {
	interval
	key, cpu int32
}

// taskSpan is a task that ended: when it ran, on which thread.
type taskSpan struct {
	interval
	tid, task int
}

// interval is a stretch of the run, in seconds.
type interval struct{ start, end float64 }

func (i interval) times() interval { return i }

// ends holds intervals (slices, tasks) by the time they end, so the ones
// that overlap a window are found without visiting the rest: a binary
// search finds the first to end after the window starts, and the walk
// stops where even the longest one would start after the window ends.
type ends[T interface{ times() interval }] struct {
	all     []T
	longest float64 // the longest one's length: how far back a search must look
}

// push appends s; settle puts it in order.
func (e *ends[T]) push(s T) {
	e.all = append(e.all, s)
	e.longest = max(e.longest, s.times().end-s.times().start)
}

// settle sorts those pushed since there were n in among the others, where
// they end earlier: once a batch.
func (e *ends[T]) settle(n int) {
	if !slices.IsSortedFunc(e.all[min(max(n-1, 0), len(e.all)):], byEnd[T]) {
		slices.SortStableFunc(e.all, byEnd[T])
	}
}

func byEnd[T interface{ times() interval }](a, b T) int {
	return cmp.Compare(a.times().end, b.times().end)
}

// endingAfter is the index of the first that ends after t.
func (e *ends[T]) endingAfter(t float64) int {
	return sort.Search(len(e.all), func(i int) bool { return e.all[i].times().end > t })
}

// dropBefore forgets those that ended by t.
func (e *ends[T]) dropBefore(t float64) { e.all = e.all[:copy(e.all, e.all[e.endingAfter(t):])] }

// reset forgets them all.
func (e *ends[T]) reset() { e.all, e.longest = e.all[:0], 0 }

// overlapping yields those that overlap from..to, in the order they end,
// counting each one looked at in visits.
func (e *ends[T]) overlapping(from, to float64, visits *int) iter.Seq[T] {
	return func(yield func(T) bool) {
		for _, s := range e.all[e.endingAfter(from):] {
			*visits++
			if iv := s.times(); iv.start >= to {
				if iv.end-e.longest >= to {
					return // every later one starts after the window too
				}
				continue
			}
			if !yield(s) {
				return
			}
		}
	}
}

type threadCol struct {
	t       float64
	end     float64 // t, or the column before's end when t is earlier or not a number: ends never go back
	samples []profile.ThreadSample
}

// laneKey is a lane's thread and its process's place (see procs).
type laneKey struct{ pid, tid, proc int }

// New returns empty lanes, every one of them shown.
func New() *Lanes {
	l := &Lanes{lane: map[int]int{}, procs: map[int]int{}, names: map[int]string{}, threads: map[int]string{},
		running: map[int]spec.Event{}, foldKey: -1}
	l.busy.rank = l.rank
	return l
}

// Reset empties the lanes for a run that started at t0 and is sampled every
// interval seconds, keeping the last capacity samples (0 = all).
func (l *Lanes) Reset(t0 time.Time, interval float64, capacity int) {
	l.t0, l.interval, l.capacity = t0, interval, capacity
	l.cols, l.keys, l.dropped = l.cols[:0], l.keys[:0], 0
	l.busy.reset()
	l.tasks.reset()
	l.slices.reset()
	l.off.reset()
	clear(l.running)
	l.cores, l.laidOut = 0, false
	l.fold, l.foldKey, l.foldTIDs, l.foldOn = Fold{}, -1, 0, l.foldOn[:0]
	clear(l.lane)
	clear(l.procs)
	clear(l.names)
	clear(l.threads)
	l.gen++
}

// laneOf returns the thread's index in keys, adding a lane for it when it
// is new (layout places it), or taking it into the fold's lane when its
// process is folded.
func (l *Lanes) laneOf(pid, tid int) int {
	if k, ok := l.lane[tid]; ok {
		return k
	}
	l.laidOut = false
	l.gen++
	if l.fold.Has(pid) {
		if l.foldKey < 0 {
			l.foldKey = len(l.keys)
			l.keys = append(l.keys, laneKey{proc: -1})
		}
		l.lane[tid] = l.foldKey
		l.foldTIDs++
		return l.foldKey
	}
	proc, ok := l.procs[pid]
	if !ok {
		proc = len(l.procs)
		l.procs[pid] = proc
	}
	k := len(l.keys)
	l.keys = append(l.keys, laneKey{pid, tid, proc})
	l.lane[tid] = k
	return k
}

// layout orders the lanes as they are shown, once after lanes were added:
// by process, the processes in the order they were first seen, each one's
// threads in the order they were, the fold's lane last. A counting sort,
// O(lanes): placing each new lane among the others as it came cost O(lanes)
// a lane, and froze the window for seconds on 20,000 threads.
func (l *Lanes) layout() {
	if l.laidOut {
		return
	}
	n, procs := len(l.keys), len(l.procs)+1
	l.next = slices.Grow(l.next[:0], procs)[:procs]
	clear(l.next)
	for k, key := range l.keys {
		if k != l.foldKey {
			l.next[key.proc+1]++
		}
	}
	for p := 1; p < len(l.next); p++ {
		l.next[p] += l.next[p-1]
	}
	l.row, l.byRow = slices.Grow(l.row[:0], n)[:n], slices.Grow(l.byRow[:0], n)[:n]
	for k, key := range l.keys {
		r := n - 1 // the fold's lane
		if k != l.foldKey {
			r = l.next[key.proc]
			l.next[key.proc]++
		}
		l.row[k], l.byRow[r] = r, k
	}
	l.laidOut = true // last: a layout cut short is done again
}

// rank orders the lanes as layout shows them: by process, in the order the
// processes were seen, then in the order the threads were; the fold's lane
// (proc -1, the largest as a uint32) last. A new lane never changes the
// order of the others, so the pyramid's blocks stay in order.
func (l *Lanes) rank(k int32) uint64 { return uint64(uint32(l.keys[k].proc))<<32 | uint64(k) }

// SetMaxLanes shows at most n lanes (0: all), as many as a view has room
// for: when there are more, the last one shown merges the rest. Call
// Refresh to show it.
func (l *Lanes) SetMaxLanes(n int) {
	if n = max(n, 0); n != l.maxLanes {
		l.maxLanes = n
		l.gen++
	}
}

// Len is the number of lanes shown: one a thread seen so far (the fold's
// holding several), at most SetMaxLanes's.
func (l *Lanes) Len() int {
	if l.maxLanes > 0 {
		return min(len(l.keys), l.maxLanes)
	}
	return len(l.keys)
}

// Total is how many lanes there are, shown or not: one a thread seen so
// far, the fold's holding several.
func (l *Lanes) Total() int { return len(l.keys) }

// Overflow is how many threads the last lane shown merges because their
// lanes do not fit (see SetMaxLanes); 0 when every lane is shown.
func (l *Lanes) Overflow() int {
	merged := len(l.keys) - l.Len() + 1
	if merged <= 1 {
		return 0
	}
	if l.foldKey >= 0 { // always last: merged
		return merged - 1 + l.foldTIDs
	}
	return merged
}

// rowOf is the lane shown for key k, laid out: its own, or the last.
func (l *Lanes) rowOf(k int) int { return min(l.row[k], l.Len()-1) }

// merges reports whether lane row shows several threads: the fold's, or
// the lanes that do not fit.
func (l *Lanes) merges(row int) bool {
	return l.byRow[row] == l.foldKey || row == l.Len()-1 && l.Overflow() > 0
}

// Add takes one frame's thread samples and events (copied); call Refresh to show them.
func (l *Lanes) Add(t float64, samples []profile.ThreadSample, events []spec.Event) {
	for _, s := range samples {
		l.laneOf(s.PID, s.TID)
		l.cores = max(l.cores, s.Core+1)
	}
	end := math.Inf(-1)
	if n := len(l.cols); n > 0 {
		end = l.cols[n-1].end
	}
	if t > end { // not NaN
		end = t
	}
	l.cols = append(l.cols, threadCol{t: t, end: end, samples: append([]profile.ThreadSample(nil), samples...)})
	l.addTasks(events)
	if l.capacity > 0 && len(l.cols) > l.capacity {
		drop := len(l.cols) - l.capacity
		clear(l.cols[:drop])   // let the collector have their samples
		l.cols = l.cols[drop:] // not moving the others: append moves them, once in a while
		l.dropped += drop
		from := l.cols[0].t - l.interval
		l.tasks.dropBefore(from) // the tasks still running stay
		l.slices.dropBefore(from)
		l.earliest = max(l.earliest, from) // what started before is not shown
	}
	l.busy.add(l.dropped+len(l.cols)-1, l.dropped, l.columnBlock(samples))
}

// ranked is a busy sample on its way into its column's block: its lane's
// rank and its place in the column.
type ranked struct {
	entry
	rank uint64
	pos  int
}

// columnBlock is the pyramid's block of one column of samples: each lane's
// busiest sample (CPU > 0 on a known core), of equals the one listed
// later, in the order of the lanes (see rank), with the rest of each.
func (l *Lanes) columnBlock(samples []profile.ThreadSample) []entry {
	busy := l.ranked[:0]
	for pos, s := range samples {
		if s.CPU > 0 && s.Core >= 0 {
			k := int32(l.lane[s.TID])
			busy = append(busy, ranked{newEntry(s.CPU, k, coreIndex(s.Core)), l.rank(k), pos})
		}
	}
	l.ranked = busy
	slices.SortFunc(busy, func(a, b ranked) int { return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.pos, b.pos)) })
	lanes := busy[:0] // each lane's busiest, in place
	for _, s := range busy {
		switch n := len(lanes); {
		case n == 0 || lanes[n-1].rank != s.rank:
			lanes = append(lanes, s)
		case s.cpu >= lanes[n-1].cpu:
			lanes[n-1] = s
		}
	}
	block := make([]entry, len(lanes))
	rest := -1
	for i := len(lanes) - 1; i >= 0; i-- {
		if s := lanes[i]; rest < 0 || s.cpu > lanes[rest].cpu || s.cpu == lanes[rest].cpu && s.pos > lanes[rest].pos {
			rest = i
		}
		block[i] = lanes[i].entry
		block[i].rest = uint32(rest)
	}
	return block
}

// addTasks pairs each task's start and end event into a span of its
// thread, once: a task runs from its start until its end comes (a second
// start of the same task takes the first one's place), and an end without
// a start is ignored.
func (l *Lanes) addTasks(events []spec.Event) {
	n := len(l.tasks.all)
	for _, e := range events {
		switch e.Ev {
		case spec.EvTaskStart:
			l.running[e.Task] = e
		case spec.EvTaskEnd:
			if s, ok := l.running[e.Task]; ok {
				delete(l.running, e.Task)
				l.tasks.push(taskSpan{interval{l.eventT(s), l.eventT(e)}, s.TID, s.Task})
			}
		}
	}
	l.tasks.settle(n)
}

// AddSlices takes on-core slices (copied), such as a frame's; call Refresh
// to show them.
func (l *Lanes) AddSlices(ss []profile.Slice) {
	n := len(l.slices.all)
	if n == 0 {
		l.earliest = math.Inf(1)
	}
	for _, s := range ss {
		l.slices.push(slice{interval{s.Start, s.End}, int32(l.laneOf(s.PID, s.TID)), int32(s.CPU)})
		l.earliest = min(l.earliest, s.Start)
		l.cores = max(l.cores, s.CPU+1)
	}
	l.slices.settle(n)
}

// SetProfile takes a whole recorded run, whose lanes are named after their
// processes, and whose processes that were barely on a core share one lane
// (NewFold), with its threads' time off a core between their slices
// (diagnosis.Stretches); call Refresh to show it.
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
	l.addStretches(p)
	l.addTasks(p.Events)
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
func (l *Lanes) Exact() bool { return len(l.slices.all) > 0 }

// name names the lane of key k: process and thread id once known,
// pid/tid live; the fold's lane, what and how many processes it holds.
func (l *Lanes) name(k int) string {
	if k == l.foldKey {
		return l.fold.Label()
	}
	key := l.keys[k]
	if name := l.names[key.tid]; name != "" {
		return fmt.Sprintf("%s %d", name, key.tid)
	}
	return fmt.Sprintf("%d/%d", key.pid, key.tid)
}

// overflowTitle names the last lane when it merges the lanes that do not fit.
func (l *Lanes) overflowTitle() string { return fmt.Sprintf("%d more threads", l.Overflow()) }

// Extent is the time the run's samples and slices cover, in seconds.
func (l *Lanes) Extent() (from, length float64) {
	if len(l.cols) == 0 && !l.Exact() {
		return 0, l.interval
	}
	from, to := math.Inf(1), math.Inf(-1)
	if len(l.cols) > 0 {
		from, to = l.cols[0].t-l.interval, l.cols[len(l.cols)-1].t
	}
	if n := len(l.slices.all); n > 0 {
		from, to = min(from, l.earliest), max(to, l.slices.all[n-1].end)
	}
	return from, to - from
}

func (l *Lanes) eventT(e spec.Event) float64 {
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

// Paint draws the lanes shown over the window from..to seconds into dst,
// at the origin, Len()*Rows pixels high (the lanes below its height are
// left out) and as wide as the view is on screen. Only what overlaps the
// window is visited, samples a few blocks of them a pixel (see
// paintSamples), and the scratch space is sized by the lanes shown and
// reused, so painting costs about the same at every zoom and however many
// threads there were, and allocates nothing once sized.
func (l *Lanes) Paint(dst *image.RGBA, from, to float64) {
	clear(dst.Pix)
	l.visits = 0
	l.layout()
	lanes := min(l.Len(), dst.Rect.Dy()/Rows)
	if l.Exact() {
		l.paintStretches(dst, from, to-from, lanes)
		l.paintSlices(dst, from, to-from, lanes)
	} else {
		l.paintSampleStates(dst, from, to-from, lanes)
		l.paintSamples(dst, from, to-from, lanes)
	}
	l.paintTasks(dst, from, to-from, lanes)
}

// paintSamples paints the first lanes lanes by their samples. A pixel of
// a lane shows the thread busy (CPU > 0 on a known core) if it was busy in
// any sample whose interval overlaps the pixel (a sample narrower than a
// pixel overlaps at least the one it starts in), in the colour of the core
// of its busiest sample there; of equally busy samples, the later's, and in
// one frame the one listed later (on a lane that merges several threads).
// The pixel's columns are read from the pyramid: at most two blocks of each
// level up to its number of columns and, in each, the entries of the lanes
// shown and one more. So a paint visits its pixels times the lanes shown
// times a few blocks, at every zoom, not the samples in its window.
func (l *Lanes) paintSamples(dst *image.RGBA, from, length float64, lanes int) {
	w, n := dst.Rect.Dx(), len(l.cols)
	if w == 0 || n == 0 || lanes == 0 || !(length > 0) {
		return
	}
	scale := float64(w) / length
	px := func(t float64) float64 { return (t - from) * scale }
	l.shown = slices.Grow(l.shown[:0], lanes)[:lanes]
	for row := range l.shown {
		l.shown[row].x = -1
	}
	merged := l.Len() // the lanes from here on show as the last (see SetMaxLanes)
	if l.Overflow() > 0 {
		merged--
	}
	lo := 0
	for x := clampPixel(math.Floor(px(l.sampleStart(0))), 0, w); x < w; {
		// The columns over pixel x: from lo, the first to end after it
		// starts (or start in it), to hi, the last to start before it ends.
		left, right := float64(x), float64(x+1)
		lo += sort.Search(n-lo, func(i int) bool { return px(l.cols[lo+i].end) > left || px(l.sampleStart(lo+i)) >= left })
		hi := lo + sort.Search(n-lo, func(i int) bool { return px(l.sampleStart(lo+i)) >= right }) - 1
		if hi < lo { // none: past the last column, or before the next one
			if lo == n {
				break
			}
			x = max(x+1, clampPixel(math.Floor(px(l.sampleStart(lo))), 0, w))
			continue
		}
		next := x + 1
		if lo == hi { // the only one: alone over the pixels up to where the next one starts
			next = max(next, clampPixel(math.Floor(px(l.cols[lo].end)), 0, w))
		}
		l.visits++
		l.busyIn = l.busyIn[:0]
		for b := range l.busy.blocks(l.dropped+lo, l.dropped+hi) {
			l.visits++
			l.showBlock(b, x, lanes, merged)
		}
		for _, row := range l.busyIn {
			fillRows(dst, x, next, row*Rows, CoreRows, CorePalette[l.shown[row].core])
		}
		x = next
	}
}

// showBlock takes in what the first lanes lanes show in pixel x the
// samples of block b that are the busiest there yet: blocks come in time
// order, so of equals the later wins. The lanes from merged on show as
// lane merged: the busiest of theirs, the rest of the first of them in b.
func (l *Lanes) showBlock(b []entry, x, lanes, merged int) {
	rows, shows := l.row, l.shown
	for i, e := range b {
		row, cpu, core := rows[e.key()], e.cpu, e.core()
		if row >= merged {
			rest := b[e.rest]
			row, cpu, core = merged, rest.cpu, rest.core()
		}
		if row >= lanes { // the entries are in the order of the lanes: none after is shown
			l.visits += i + 1
			return
		}
		switch was := &shows[row]; {
		case was.x != x:
			l.busyIn = append(l.busyIn, row)
			*was = shown{x, cpu, core}
		case cpu >= was.cpu:
			was.cpu, was.core = cpu, core
		}
		if row == merged {
			l.visits += i + 1
			return
		}
	}
	l.visits += len(b)
}

// clampPixel is pixel column x within lo..hi; NaN is lo. Times far outside
// the window give columns beyond what an int holds.
func clampPixel(x float64, lo, hi int) int {
	switch {
	case !(x > float64(lo)):
		return lo
	case x > float64(hi):
		return hi
	}
	return int(x)
}

// sampleStart is when sample i's interval began: when the previous one
// ended, so a late sample leaves no gap; the first one lasts an interval
// (none when the interval is not a positive number).
func (l *Lanes) sampleStart(i int) float64 {
	if i > 0 {
		return l.cols[i-1].end
	}
	if end := l.cols[0].end; end-l.interval < end {
		return end - l.interval
	}
	return l.cols[0].end
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

// paintSlices draws the slices that overlap the window in the first lanes
// lanes. A pixel shows the share of its time the thread was on a core as
// opacity (at least a faint trace, so a 10 us wake-up still shows), in the
// colour of the core of its longest slice there: zoomed out, a thread that
// only wakes to ask for a lock does not look as busy as the one holding
// it. A lane that merges several threads shows their shares added up.
func (l *Lanes) paintSlices(dst *image.RGBA, from, length float64, lanes int) {
	w := dst.Rect.Dx()
	if w == 0 || !(length > 0) {
		return
	}
	n := lanes * w
	l.cover, l.best, l.core = slices.Grow(l.cover[:0], n)[:n], slices.Grow(l.best[:0], n)[:n], slices.Grow(l.core[:0], n)[:n]
	clear(l.cover)
	clear(l.best)
	scale, to := float64(w)/length, from+length
	for s := range l.slices.overlapping(from, to, &l.visits) {
		row := l.rowOf(int(s.key))
		if row >= lanes {
			continue
		}
		x0, x1 := (s.start-from)*scale, (s.end-from)*scale
		px := l.cover[row*w : (row+1)*w]
		for x := clampPixel(x0, 0, w); x < clampPixel(math.Ceil(x1), 0, w); x++ {
			l.visits++
			share := float32(min(x1, float64(x+1)) - max(x0, float64(x)))
			k := row*w + x
			px[x] += share
			if share > l.best[k] {
				l.best[k], l.core[k] = share, s.cpu
			}
		}
	}
	for row := range lanes {
		for x, share := range l.cover[row*w : (row+1)*w] {
			l.visits++
			if share <= 0 {
				continue
			}
			c := CoreColor(int(l.core[row*w+x]))
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

// paintTasks draws the spans of the tasks under the first lanes lanes,
// those that ended and overlap the window and those still running.
func (l *Lanes) paintTasks(dst *image.RGBA, from, length float64, lanes int) {
	w := dst.Rect.Dx()
	if !(length > 0) {
		return
	}
	draw := func(tid, task int, t0, t1 float64) {
		k, ok := l.lane[tid]
		if !ok || l.rowOf(k) >= lanes {
			return
		}
		x0 := clampPixel((t0-from)/length*float64(w), 0, w)
		x1 := clampPixel((t1-from)/length*float64(w), -1, w-1)
		if x1 < x0 {
			return
		}
		fillRows(dst, x0, x1+1, l.rowOf(k)*Rows+CoreRows, 1, spanColor(task))
	}
	for s := range l.tasks.overlapping(from, from+length, &l.visits) {
		draw(s.tid, s.task, s.start, s.end)
	}
	for _, s := range l.running {
		l.visits++
		draw(s.TID, s.Task, l.eventT(s), from+length)
	}
}

// Columns is the number of samples kept.
func (l *Lanes) Columns() int { return len(l.cols) }

// Generation changes whenever the lanes shown or their names may have (a
// Reset, a Name, a new lane, SetMaxLanes), so a view knows its lane names
// are stale even when the number of lanes did not change.
func (l *Lanes) Generation() int { return l.gen }

// Names names every lane shown, top to bottom: process and thread id once
// Name named its thread, pid/tid before (a thread the kernel's records
// alone saw is named when the run ends); the last, when it merges the
// lanes that do not fit, says how many threads it holds.
func (l *Lanes) Names() []string {
	l.layout()
	names := make([]string, l.Len())
	for row := range names {
		names[row] = l.name(l.byRow[row])
	}
	if l.Overflow() > 0 {
		names[len(names)-1] = l.overflowTitle()
	}
	return names
}

// Hit is what one lane shows over a short time (a pixel's): its thread, the
// core it was on there and when, or what it was doing off a core, and the
// task it was running. On a lane that merges several threads, the thread
// is the one on a core there, if any.
type Hit struct {
	PID, TID        int
	Process, Thread string  // names, once Name was told them ("" before)
	Fold            string  // the title of a lane that merges several: the fold's, or the lanes that do not fit
	Core            int     // -1: not on a core then
	From, To        float64 // the slice, or the sample's interval, on Core
	// State is what the thread did off a core (0: idle, or not known),
	// Kind and Wait what a blocked one waited on and in which system call.
	State      diagnosis.State
	Kind, Wait string
	Task       int  // the task it was running, when InTask
	InTask     bool // task ids are the subject's: any int
}

// At is what lane row (top to bottom) shows between from and to seconds:
// with exact slices, the slice that covers most of that time; otherwise
// the busiest sample overlapping it; each as painted. ok is false for no
// such lane.
func (l *Lanes) At(row int, from, to float64) (h Hit, ok bool) {
	if row < 0 || row >= l.Len() {
		return Hit{}, false
	}
	l.layout()
	k := l.byRow[row]
	key := l.keys[k]
	h = Hit{PID: key.pid, TID: key.tid, Core: -1}
	switch {
	case row == l.Len()-1 && l.Overflow() > 0:
		h.Fold = l.overflowTitle()
	case k == l.foldKey:
		h.Fold = l.fold.Title()
	}
	mid := (from + to) / 2
	shows := func(k int) bool { return l.rowOf(k) == row }
	if l.Exact() {
		best := 0.0
		for s := range l.slices.overlapping(from, to, new(int)) {
			if over := min(s.end, to) - max(s.start, from); over > best && int(s.key) != l.foldKey && shows(int(s.key)) {
				on := l.keys[s.key]
				best, h.PID, h.TID, h.Core, h.From, h.To = over, on.pid, on.tid, int(s.cpu), s.start, s.end
			}
		}
		if l.foldKey >= 0 && shows(l.foldKey) {
			for _, s := range l.foldOn { // few: each of their processes was on a core for under FoldMaxS
				if over := min(s.End, to) - max(s.Start, from); over > best {
					best, h.PID, h.TID, h.Core, h.From, h.To = over, s.PID, s.TID, s.CPU, s.Start, s.End
				}
			}
		}
	} else {
		n, best := len(l.cols), 0.0
		lo := sort.Search(n, func(i int) bool { return l.cols[i].end > from || l.sampleStart(i) >= from })
		hi := sort.Search(n, func(i int) bool { return l.sampleStart(i) >= to }) - 1
		for i := lo; i <= hi; i++ {
			for _, s := range l.cols[i].samples {
				if s.CPU > 0 && s.Core >= 0 && s.CPU >= best && shows(l.lane[s.TID]) {
					best, h.PID, h.TID, h.Core, h.From, h.To = s.CPU, s.PID, s.TID, s.Core, l.sampleStart(i), l.cols[i].end
				}
			}
		}
	}
	if l.merges(row) && h.Core < 0 {
		return h, true // no one thread there, nor its task
	}
	if h.Core < 0 {
		h.State, h.Kind, h.Wait = l.stateAt(k, mid)
	}
	h.Process, h.Thread = l.names[h.TID], l.threads[h.TID]
	started := math.Inf(-1) // of the task shown: the last to start before mid
	for s := range l.tasks.overlapping(mid, mid, new(int)) {
		if s.tid == h.TID && s.start <= mid && s.start > started {
			started, h.Task, h.InTask = s.start, s.task, true
		}
	}
	for _, s := range l.running {
		if t := l.eventT(s); s.TID == h.TID && t <= mid && t > started {
			started, h.Task, h.InTask = t, s.Task, true
		}
	}
	return h, true
}
