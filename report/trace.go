package report

import (
	"bufio"
	"cmp"
	"container/heap"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"corescope/profile"
	"corescope/runtext"
	"corescope/spec"
)

// traceEvent is one Chrome Trace Event. Ts and Dur are microseconds.
type traceEvent struct {
	Name string   `json:"name"`
	Ph   string   `json:"ph"`
	Ts   float64  `json:"ts"`
	Dur  *float64 `json:"dur,omitempty"`
	Pid  int      `json:"pid"`
	Tid  int      `json:"tid"`
	Args any      `json:"args,omitempty"`
}

// Arguments of the events.
type (
	nameArgs struct {
		Name string `json:"name"`
	}
	sortArgs struct {
		SortIndex int `json:"sort_index"`
	}
	taskArgs struct {
		Worker     int  `json:"worker"`
		PID        int  `json:"pid"`
		Unfinished bool `json:"unfinished,omitempty"`
	}
)

// Trace writes ps as Chrome Trace Event JSON (the object form), which
// Perfetto and chrome://tracing open. Each run is one process, pid 1, 2, ...
// in order, named by its label; all runs start at ts 0, so they line up.
// Per-core busy percentages and the total busy cores are counter tracks (a
// profile of several nodes has them per node, see nodeCounters); the
// subject's life is a span on thread 0; each subject thread is a track with
// its tasks as complete ("X") events. Tasks that overlap on one thread (async
// I/O) are spread over extra tracks named after the thread, since a track's
// spans must nest. A task that never ended lasts until the end of the run.
//
// A run with on-core slices (exact attribution) also gets a process "<run>
// CPUs" after it, pid len(ps)+1, ... in order, with a track a core ("CPU
// 0", ...) holding each slice as an "X" event named after its thread; and
// each thread's own track holds its slices, named after their core, which
// moves its tasks to a track of their own ("<thread> tasks").
//
// An event whose time lies beyond maxTraceS, or is not a number, is left
// out, and its process's name ends by saying how many were: "cpu/threads
// (4 events out of the trace's time range left out)". Every number
// written is finite, so the file is always JSON. The names of threads
// and nodes, which events repeat, are clipped to maxRepeatedName bytes.
func Trace(w io.Writer, ps []*profile.Profile) error {
	if err := complete(ps); err != nil {
		return err
	}
	out := &traceOut{w: bufio.NewWriter(w)}
	out.enc = json.NewEncoder(out.w)
	out.w.WriteString(`{"displayTimeUnit":"ms","traceEvents":[`)
	for i, name := range runtext.RunNames(ps) {
		out.run(i+1, name, ps[i])
		out.cpus(len(ps)+i+1, i+1, name, ps[i])
	}
	out.w.WriteString("]}\n")
	if out.err != nil {
		return out.err
	}
	return out.w.Flush()
}

// traceOut streams trace events: a trace of 256 cores holds a counter per
// core and sample, too many to build in memory first.
type traceOut struct {
	w    *bufio.Writer
	enc  *json.Encoder
	buf  []byte // scratch for counter and slice events
	args []byte // scratch for a slice's arguments
	n    int    // events written
	left int    // events of the current process left out (see inTrace)
	err  error  // the first write error
}

// maxTraceS bounds the times a trace holds, in seconds either side of its
// run's start: some 32 years, past any recording, well within the int64
// nanoseconds viewers keep, and short to write. A file can hold times up
// to 1.8e308 s, which in microseconds are infinite (not JSON) or a number
// of 300 digits.
const maxTraceS = 1e9

// inTrace reports whether a time of us microseconds can go in a trace
// (see maxTraceS); NaN and infinities cannot.
func inTrace(us float64) bool { return math.Abs(us) <= maxTraceS*1e6 }

// placed reports whether every time of an event (microseconds) can go in
// the trace, and counts the event left out when one cannot.
func (o *traceOut) placed(us ...float64) bool {
	for _, t := range us {
		if !inTrace(t) {
			o.left++
			return false
		}
	}
	return true
}

// named writes the name of process pid, with what it left out, and starts
// the next process's count.
func (o *traceOut) named(pid int, name string, notes ...string) {
	if o.left > 0 {
		notes = append(notes, fmt.Sprintf("%s out of the trace's time range left out", runtext.Count(o.left, "event")))
	}
	if len(notes) > 0 {
		name += " (" + strings.Join(notes, "; ") + ")"
	}
	o.add(traceEvent{Name: "process_name", Ph: "M", Pid: pid, Args: nameArgs{name}})
	o.left = 0
}

// counterNames makes the JSON-quoted names of a run's or a node's
// per-core counters, prefix, the core's number, suffix, as each is first
// written: a file can claim more cores than it has samples of.
type counterNames struct {
	prefix, suffix string
	names          [][]byte
}

// of is core c's name.
func (cn *counterNames) of(c int) []byte {
	for len(cn.names) <= c {
		cn.names = append(cn.names, fmt.Appendf(nil, "%s%d%s", cn.prefix, len(cn.names), cn.suffix))
	}
	return cn.names[c]
}

// add writes ev after the events before it.
func (o *traceOut) add(ev traceEvent) {
	if o.err != nil {
		return
	}
	if o.n > 0 {
		o.w.WriteByte(',')
	}
	o.n++
	o.err = o.enc.Encode(ev)
}

// head starts an event written without reflection, as counters and slices
// are nearly all of a trace: the comma after the events before it, the
// name (already JSON-quoted), the phase and the time in microseconds.
func (o *traceOut) head(name []byte, ph string, ts float64) []byte {
	b := o.buf[:0]
	if o.n > 0 {
		b = append(b, ',')
	}
	o.n++
	b = append(b, `{"name":`...)
	b = append(b, name...)
	b = append(b, `,"ph":"`...)
	b = append(b, ph...)
	b = append(b, `","ts":`...)
	return strconv.AppendFloat(b, ts, 'f', 3, 64) // to the nanosecond
}

// tail appends the event's process and thread, and opens its arguments.
func tail(b []byte, pid, tid int) []byte {
	b = append(b, `,"pid":`...)
	b = strconv.AppendInt(b, int64(pid), 10)
	b = append(b, `,"tid":`...)
	b = strconv.AppendInt(b, int64(tid), 10)
	return append(b, `,"args":`...)
}

// end closes the event b and writes it.
func (o *traceOut) end(b []byte) {
	b = append(b, "}\n"...)
	_, o.err = o.w.Write(b)
	o.buf = b
}

// counter writes a counter event like add, unless ts cannot be placed.
// name is already JSON-quoted; v must be finite and is written with prec
// decimals.
func (o *traceOut) counter(name []byte, ts float64, pid int, key string, v float64, prec int) {
	if o.err != nil || !o.placed(ts) {
		return
	}
	b := tail(o.head(name, "C", ts), pid, 0)
	b = append(b, `{"`...)
	b = append(b, key...)
	b = append(b, `":`...)
	b = strconv.AppendFloat(b, v, 'f', prec, 64)
	o.end(append(b, '}'))
}

// slice writes on-core slice s as a complete event on track tid of process
// pid, like add, unless its times cannot be placed. name and args are
// already JSON.
func (o *traceOut) slice(name []byte, s profile.Slice, pid, tid int, args []byte) {
	start, end := s.Start*1e6, s.End*1e6
	if o.err != nil || !o.placed(start, end) {
		return
	}
	b := append(o.head(name, "X", start), `,"dur":`...)
	b = strconv.AppendFloat(b, max(0, end-start), 'f', 3, 64)
	o.end(append(tail(b, pid, tid), args...))
}

// run writes run p as process pid.
func (o *traceOut) run(pid int, name string, p *profile.Profile) {
	meta := func(kind string, tid int, value string) traceEvent {
		return traceEvent{Name: kind, Ph: "M", Pid: pid, Tid: tid, Args: nameArgs{value}}
	}
	o.add(traceEvent{Name: "process_sort_index", Ph: "M", Pid: pid, Args: sortArgs{2 * pid}})
	o.add(meta("thread_name", 0, "corescope"))
	end := 0.0 // where tasks that never ended end: the last time that can be placed
	for _, t := range []float64{lastT(p), p.Summary.SubjectEndS} {
		if inTrace(t * 1e6) {
			end = max(end, t)
		}
	}
	if s := p.Summary; s.SubjectEndS > s.SubjectStartS {
		o.span("subject", pid, 0, s.SubjectStartS*1e6, s.SubjectEndS*1e6, nil)
	}
	if len(p.Nodes) > 0 {
		o.nodeCounters(pid, p)
	} else {
		total := []byte(`"busy cores"`)
		counters := counterNames{prefix: `"cpu`, suffix: ` busy %"`}
		// JSON has no NaN: a broken sample reads 0 rather than failing the file.
		for _, f := range p.Frames {
			ts := f.T * 1e6
			o.counter(total, ts, pid, "cores", finite(f.BusyCores()), 3)
			for c := range f.Busy {
				o.counter(counters.of(c), ts, pid, "busy", 100*finite(f.Busy.At(c)), 1)
			}
		}
	}

	names := make(map[int]string, len(p.Threads))
	for _, t := range p.Threads {
		if t.TID != 0 { // 0 is corescope's own track
			names[t.TID] = threadName(t)
		}
	}
	lanes := lanesByThread(taskSpans(p, end*1e6))
	for tid, ls := range lanes {
		if _, ok := names[tid]; !ok {
			names[tid] = ls[0][0].track
		}
	}
	running := map[int]bool{} // threads whose own track shows their slices
	for _, s := range p.Slices {
		running[s.TID] = true
		if _, ok := names[s.TID]; !ok {
			names[s.TID] = threadLabel("", s.TID)
		}
	}
	tids := slices.Sorted(maps.Keys(names))
	for _, tid := range tids {
		o.add(meta("thread_name", tid, names[tid]))
	}
	for _, tid := range tids {
		// Tasks go on the thread's own track, unless its slices are there.
		base, first := names[tid], 1
		if running[tid] {
			base, first = base+" tasks", 0
		}
		for k, lane := range lanes[tid] {
			ltid := laneTID(tid, k+1-first)
			switch {
			case k > 0:
				o.add(meta("thread_name", ltid, fmt.Sprintf("%s (overlap %d)", base, k)))
			case first == 0:
				o.add(meta("thread_name", ltid, base))
			}
			for _, t := range lane {
				o.span(fmt.Sprintf("task %d", t.task), pid, ltid, t.start, t.end, t.args)
			}
		}
	}
	cpuNames := make(map[int][]byte)
	for _, s := range p.Slices {
		name, ok := cpuNames[s.CPU]
		if !ok {
			name = fmt.Appendf(nil, `"CPU %d"`, s.CPU)
			cpuNames[s.CPU] = name
		}
		o.args = fmt.Appendf(o.args[:0], `{"cpu":%d}`, s.CPU)
		o.slice(name, s, pid, s.TID, o.args)
	}
	o.named(pid, name)
}

// nodeCounters writes the counters of a profile of several nodes, each
// named after its node: "<node> busy cores", and "<node> cpu<N> busy %" a
// core, N counted from 0 on each node. A counter holds its value until the
// next, so a tick in which a node gave no figure writes none of its
// counters (never a zero); a "no figure" span on the node's track ("<node>",
// under corescope's) shows the gap instead.
func (o *traceOut) nodeCounters(pid int, p *profile.Profile) {
	for i, n := range p.Nodes {
		clipped := clip(n.Name, fmt.Sprintf(" (node %d)", i+1))
		quoted, _ := json.Marshal(clipped)
		name := string(quoted[1 : len(quoted)-1]) // JSON-escaped, without quotes
		total := []byte(`"` + name + ` busy cores"`)
		counters := counterNames{prefix: `"` + name + ` cpu`, suffix: ` busy %"`}
		tid := nodeTID(i)
		o.add(traceEvent{Name: "thread_name", Ph: "M", Pid: pid, Tid: tid, Args: nameArgs{clipped}})
		gapFrom := -1.0 // where the current gap began, or -1
		prevT := 0.0
		for k, f := range p.Frames {
			t := finite(f.T)
			if k == 0 {
				prevT = max(t-p.Spec.Interval.D().Seconds(), 0)
			}
			answered := n.Answered(f.Busy)
			switch {
			case !answered && gapFrom < 0:
				gapFrom = prevT
			case answered && gapFrom >= 0:
				o.span("no figure", pid, tid, gapFrom*1e6, prevT*1e6, nil)
				gapFrom = -1
			}
			prevT = t
			if !answered {
				continue
			}
			o.counter(total, t*1e6, pid, "cores", n.Row(f.Busy).Sum(), 3)
			for c := range n.Cores {
				if v := f.Busy.At(n.First + c); !math.IsNaN(v) {
					o.counter(counters.of(c), t*1e6, pid, "busy", 100*v, 1)
				}
			}
		}
		if gapFrom >= 0 {
			o.span("no figure", pid, tid, gapFrom*1e6, prevT*1e6, nil)
		}
	}
}

// nodeTID is the track of a profile's node i.
func nodeTID(i int) int { return 1<<(tidBits+7) + i }

// cpus writes the on-core slices of run p, process runPID, as process pid
// with a track a core, each slice named after its thread ("python3 1234")
// with its pid and tid, so Perfetto shows which thread ran where.
func (o *traceOut) cpus(pid, runPID int, name string, p *profile.Profile) {
	if len(p.Slices) == 0 {
		return
	}
	meta := func(kind string, tid int, args any) traceEvent {
		return traceEvent{Name: kind, Ph: "M", Pid: pid, Tid: tid, Args: args}
	}
	o.add(meta("process_sort_index", 0, sortArgs{2*runPID + 1}))
	threadNames := make(map[int]string, len(p.Threads))
	for _, t := range p.Threads {
		threadNames[t.TID] = t.Name
	}
	labels := make(map[int][]byte)
	for _, s := range p.Slices {
		if _, ok := labels[s.TID]; !ok {
			labels[s.TID], _ = json.Marshal(threadLabel(threadNames[s.TID], s.TID))
		}
	}
	for _, c := range cpusOf(p.Slices) {
		o.add(meta("thread_name", c, nameArgs{fmt.Sprintf("CPU %d", c)}))
		o.add(meta("thread_sort_index", c, sortArgs{c}))
	}
	for _, s := range p.Slices {
		o.args = fmt.Appendf(o.args[:0], `{"pid":%d,"tid":%d}`, s.PID, s.TID)
		o.slice(labels[s.TID], s, pid, s.CPU, o.args)
	}
	var dropped []string
	if p.SlicesDropped > 0 {
		dropped = append(dropped, fmt.Sprintf("the %d earliest slices dropped", p.SlicesDropped))
	}
	o.named(pid, name+" CPUs", dropped...)
}

// cpusOf lists the cores slices ran on, in order.
func cpusOf(ss []profile.Slice) []int {
	seen := make(map[int]bool)
	for _, s := range ss {
		seen[s.CPU] = true
	}
	return slices.Sorted(maps.Keys(seen))
}

// threadName is how a subject thread is shown: its process, name (see
// clip) and tid.
// One that ended before it was read has no name: "pid 7945", or
// "pid 7945 [7950]" for one of its threads.
func threadName(t profile.Thread) string {
	name := cmp.Or(t.Name, t.Process)
	switch {
	case t.Process != "" && t.Process != name:
		name = t.Process + "/" + t.Name
	case name == "" && t.TID == t.PID:
		return fmt.Sprintf("pid %d", t.PID)
	case name == "":
		name = fmt.Sprintf("pid %d", t.PID)
	}
	return fmt.Sprintf("%s [%d]", clip(name, ""), t.TID)
}

// span writes a complete event from start to end (microseconds), unless
// they cannot be placed.
func (o *traceOut) span(name string, pid, tid int, start, end float64, args any) {
	if !o.placed(start, end) {
		return
	}
	dur := max(0, end-start)
	o.add(traceEvent{Name: name, Ph: "X", Ts: start, Dur: &dur, Pid: pid, Tid: tid, Args: args})
}

// task is one task's span on the trace's time axis (microseconds), on the
// track of thread tid, named track when the profile does not name the thread.
type task struct {
	task, tid  int
	track      string
	start, end float64
	args       *taskArgs
}

// taskSpans pairs each task-start event with its task-end. A task without a
// start is dropped (nothing says where it began); one without an end lasts
// until end. Events without a thread id go on a track per worker.
func taskSpans(p *profile.Profile, end float64) []task {
	t0 := p.Started.UnixNano()
	us := func(ev spec.Event) float64 { return float64(ev.TNs-t0) / 1e3 }
	open := make(map[int]int) // task id -> index in out
	var out []task
	for _, ev := range p.Events {
		switch ev.Ev {
		case spec.EvTaskStart:
			t := task{task: ev.Task, tid: ev.TID, track: threadLabel("", ev.TID), start: us(ev),
				args: &taskArgs{Worker: ev.Worker, PID: ev.PID}}
			if ev.TID == 0 {
				t.tid, t.track = workerTID(ev.Worker), fmt.Sprintf("worker %d", ev.Worker)
			}
			open[ev.Task] = len(out)
			out = append(out, t)
		case spec.EvTaskEnd:
			if i, ok := open[ev.Task]; ok {
				out[i].end = max(out[i].start, us(ev))
				delete(open, ev.Task)
			}
		}
	}
	for _, i := range open {
		out[i].end = max(out[i].start, end)
		out[i].args.Unfinished = true
	}
	return out
}

// lanesByThread groups tasks by thread, and each thread's tasks into lanes
// whose spans do not overlap: each task, in order of its start, on the
// first lane free by then (see lanePool), in O(log lanes); trying every
// lane in turn took 1.4 s for 50,000 tasks open at once.
func lanesByThread(tasks []task) map[int][][]task {
	slices.SortFunc(tasks, func(a, b task) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.task, b.task))
	})
	lanes := make(map[int][][]task)
	pools := make(map[int]*lanePool)
	for _, t := range tasks {
		pool := pools[t.tid]
		if pool == nil {
			pool = newLanePool()
			pools[t.tid] = pool
		}
		ls := lanes[t.tid]
		k := pool.take(t.start, t.end)
		if k == len(ls) {
			ls = append(ls, nil)
		}
		ls[k] = append(ls[k], t)
		lanes[t.tid] = ls
	}
	return lanes
}

// lanePool hands out the lanes of one thread's tasks, taken in order of
// their start: the lowest-numbered lane whose last span has ended, else a
// new one. A lane that has ended stays free for every later task.
type lanePool struct {
	free  minHeap[int]     // the lanes free, by number
	busy  minHeap[laneEnd] // the lanes in use, by the end of their last span
	lanes int
}

// laneEnd is a lane in use and when its last span ends.
type laneEnd struct {
	end  float64
	lane int
}

func newLanePool() *lanePool {
	return &lanePool{free: minHeap[int]{less: cmp.Less[int]},
		busy: minHeap[laneEnd]{less: func(a, b laneEnd) bool { return a.end < b.end }}}
}

// take is the lane of a span from start to end.
func (p *lanePool) take(start, end float64) int {
	for p.busy.Len() > 0 && p.busy.items[0].end <= start {
		heap.Push(&p.free, heap.Pop(&p.busy).(laneEnd).lane)
	}
	k := p.lanes
	if p.free.Len() > 0 {
		k = heap.Pop(&p.free).(int)
	} else {
		p.lanes++
	}
	heap.Push(&p.busy, laneEnd{end, k})
	return k
}

// minHeap is a heap (container/heap) of items, the least by less first.
type minHeap[T any] struct {
	items []T
	less  func(a, b T) bool
}

func (h *minHeap[T]) Len() int           { return len(h.items) }
func (h *minHeap[T]) Less(i, j int) bool { return h.less(h.items[i], h.items[j]) }
func (h *minHeap[T]) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *minHeap[T]) Push(x any)         { h.items = append(h.items, x.(T)) }
func (h *minHeap[T]) Pop() any {
	n := len(h.items) - 1
	x := h.items[n]
	h.items = h.items[:n]
	return x
}

// Synthetic thread ids stay clear of real ones: Linux tids are below 2^22
// (pid_max's limit).
const tidBits = 22

// workerTID is the track of a worker whose events carry no thread id.
func workerTID(worker int) int { return 1<<(tidBits+8) + worker }

// laneTID is the track of lane k of thread tid; lane 0 is the thread itself.
func laneTID(tid, k int) int { return k<<(tidBits+9) | tid }
