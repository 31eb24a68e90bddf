package report

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"

	"corescope/profile"
	"corescope/runners"
	"corescope/runtext"
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
// Per-core busy percentages and the total busy cores are counter tracks; the
// subject's life is a span on thread 0; each subject thread is a track with
// its tasks as complete ("X") events. Tasks that overlap on one thread (async
// I/O) are spread over extra tracks named after the thread, since a track's
// spans must nest. A task that never ended lasts until the end of the run.
func Trace(w io.Writer, ps []*profile.Profile) error {
	if err := complete(ps); err != nil {
		return err
	}
	out := &traceOut{w: bufio.NewWriter(w)}
	out.enc = json.NewEncoder(out.w)
	out.w.WriteString(`{"displayTimeUnit":"ms","traceEvents":[`)
	for i, name := range runtext.Names(ps) {
		out.run(i+1, name, ps[i])
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
	w   *bufio.Writer
	enc *json.Encoder
	buf []byte // scratch for counter events
	n   int    // events written
	err error  // the first write error
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

// counter writes a counter event like add, without reflection: they are
// nearly all of a trace. name is already JSON-quoted; v must be finite and
// is written with prec decimals.
func (o *traceOut) counter(name []byte, ts float64, pid int, key string, v float64, prec int) {
	if o.err != nil {
		return
	}
	b := o.buf[:0]
	if o.n > 0 {
		b = append(b, ',')
	}
	o.n++
	b = append(b, `{"name":`...)
	b = append(b, name...)
	b = append(b, `,"ph":"C","ts":`...)
	b = strconv.AppendFloat(b, ts, 'f', 3, 64) // to the nanosecond
	b = append(b, `,"pid":`...)
	b = strconv.AppendInt(b, int64(pid), 10)
	b = append(b, `,"tid":0,"args":{"`...)
	b = append(b, key...)
	b = append(b, `":`...)
	b = strconv.AppendFloat(b, v, 'f', prec, 64)
	b = append(b, "}}\n"...)
	_, o.err = o.w.Write(b)
	o.buf = b
}

// run writes run p as process pid.
func (o *traceOut) run(pid int, name string, p *profile.Profile) {
	meta := func(kind string, tid int, value string) traceEvent {
		return traceEvent{Name: kind, Ph: "M", Pid: pid, Tid: tid, Args: nameArgs{value}}
	}
	o.add(meta("process_name", 0, name))
	o.add(traceEvent{Name: "process_sort_index", Ph: "M", Pid: pid, Args: sortArgs{pid}})
	o.add(meta("thread_name", 0, "corescope"))
	end := 0.0
	if n := len(p.Frames); n > 0 {
		end = finite(p.Frames[n-1].T)
	}
	if s := p.Summary; s.SubjectEndS > s.SubjectStartS {
		o.add(span("subject", pid, 0, s.SubjectStartS*1e6, s.SubjectEndS*1e6, nil))
		end = max(end, s.SubjectEndS)
	}
	total := []byte(`"busy cores"`)
	counters := make([][]byte, cores(p))
	for c := range counters {
		counters[c] = fmt.Appendf(nil, `"cpu%d busy %%"`, c)
	}
	// JSON has no NaN: a broken sample reads 0 rather than failing the file.
	for _, f := range p.Frames {
		ts := finite(f.T) * 1e6
		o.counter(total, ts, pid, "cores", finite(f.BusyCores()), 3)
		for c, b := range f.Busy {
			o.counter(counters[c], ts, pid, "busy", 100*finite(b), 1)
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
	tids := slices.Sorted(maps.Keys(names))
	for _, tid := range tids {
		o.add(meta("thread_name", tid, names[tid]))
	}
	for _, tid := range tids {
		for k, lane := range lanes[tid] {
			ltid := laneTID(tid, k)
			if k > 0 {
				o.add(meta("thread_name", ltid, fmt.Sprintf("%s (overlap %d)", names[tid], k)))
			}
			for _, t := range lane {
				o.add(span(fmt.Sprintf("task %d", t.task), pid, ltid, t.start, t.end, t.args))
			}
		}
	}
}

// threadName is how a subject thread is shown: its process, name and tid.
func threadName(t profile.Thread) string {
	name := t.Name
	if t.Process != "" && t.Process != t.Name {
		name = t.Process + "/" + t.Name
	}
	return fmt.Sprintf("%s [%d]", name, t.TID)
}

// span is a complete event from start to end (microseconds).
func span(name string, pid, tid int, start, end float64, args any) traceEvent {
	dur := max(0, end-start)
	return traceEvent{Name: name, Ph: "X", Ts: start, Dur: &dur, Pid: pid, Tid: tid, Args: args}
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
	us := func(ev runners.Event) float64 { return float64(ev.TNs-t0) / 1e3 }
	open := make(map[int]int) // task id -> index in out
	var out []task
	for _, ev := range p.Events {
		switch ev.Ev {
		case runners.EvTaskStart:
			t := task{task: ev.Task, tid: ev.TID, track: fmt.Sprintf("thread %d", ev.TID), start: us(ev),
				args: &taskArgs{Worker: ev.Worker, PID: ev.PID}}
			if ev.TID == 0 {
				t.tid, t.track = workerTID(ev.Worker), fmt.Sprintf("worker %d", ev.Worker)
			}
			open[ev.Task] = len(out)
			out = append(out, t)
		case runners.EvTaskEnd:
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
// whose spans do not overlap (earliest-free lane first).
func lanesByThread(tasks []task) map[int][][]task {
	slices.SortFunc(tasks, func(a, b task) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.task, b.task))
	})
	lanes := make(map[int][][]task)
	for _, t := range tasks {
		ls := lanes[t.tid]
		k := slices.IndexFunc(ls, func(l []task) bool { return l[len(l)-1].end <= t.start })
		if k < 0 {
			ls = append(ls, nil)
			k = len(ls) - 1
		}
		ls[k] = append(ls[k], t)
		lanes[t.tid] = ls
	}
	return lanes
}

// Synthetic thread ids stay clear of real ones: Linux tids are below 2^22
// (pid_max's limit).
const tidBits = 22

// workerTID is the track of a worker whose events carry no thread id.
func workerTID(worker int) int { return 1<<(tidBits+8) + worker }

// laneTID is the track of lane k of thread tid; lane 0 is the thread itself.
func laneTID(tid, k int) int { return k<<(tidBits+9) | tid }
