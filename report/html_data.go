package report

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"corescope/lanes"
	"corescope/levels"
	"corescope/profile"
	"corescope/runtext"
)

// blob is the page's arrays, one after another, each at a multiple of 8
// bytes so that the page views it in place as a typed array.
type blob struct{ buf []byte }

// htmlArray is where an array lies in the blob: its offset in bytes, its
// length, and its type: u8, u16, f32 or f64, little-endian, as every
// current browser's typed arrays are.
type htmlArray struct {
	O int    `json:"o"`
	N int    `json:"n"`
	T string `json:"t"`
}

// addArray appends v to b and says where it lies.
func addArray[T uint8 | uint16 | float32 | float64](b *blob, v []T) *htmlArray {
	for len(b.buf)%8 != 0 {
		b.buf = append(b.buf, 0)
	}
	var zero T
	kind := map[int]string{1: "u8", 2: "u16", 4: "f32", 8: "f64"}[binary.Size(zero)]
	a := &htmlArray{O: len(b.buf), N: len(v), T: kind}
	b.buf, _ = binary.Append(b.buf, binary.LittleEndian, v)
	return a
}

// dataBudget is each drawn run's share of the page's bounds on cells,
// slices and tasks (see maxHTMLCells), shared so that a run that needs
// less than an equal share leaves the rest to the others.
type dataBudget struct{ cells, slices, tasks []int }

func newDataBudget(ps []*profile.Profile) *dataBudget {
	var cells, sl, tasks []int
	for _, p := range ps {
		cells = append(cells, len(p.Frames)*rowsOf(cores(p)))
		n := len(p.Slices)
		if n == 0 {
			for _, f := range p.Frames {
				n += len(f.ThreadSamples)
			}
		}
		sl = append(sl, n)
		tasks = append(tasks, len(p.Events))
	}
	return &dataBudget{cells: fairShares(cells, maxHTMLCells), slices: fairShares(sl, maxHTMLSlices), tasks: fairShares(tasks, maxHTMLTasks)}
}

// fairShares divides total among needs: each gets what it needs, or, when
// that is more than an equal share of what is left, that share, the
// smallest needs served first (water-filling).
func fairShares(needs []int, total int) []int {
	order := make([]int, len(needs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(needs[a], needs[b]) })
	out := make([]int, len(needs))
	left := total
	for k, i := range order {
		out[i] = min(needs[i], left/(len(order)-k))
		left -= out[i]
	}
	return out
}

// rowsOf is how many heatmap rows the page keeps of cores (see
// maxHTMLRows), and perRow how many cores each holds.
func rowsOf(cores int) int { return ceilDiv(cores, perRow(cores)) }

func perRow(cores int) int { return max(1, ceilDiv(cores, maxHTMLRows)) }

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// htmlRun is one run drawn: its words, and where its figures lie.
type htmlRun struct {
	Name    string      `json:"name"`
	How     string      `json:"how"`
	Color   string      `json:"color"`
	Verdict string      `json:"verdict"`
	Failed  bool        `json:"failed,omitempty"`
	Shown   string      `json:"shown,omitempty"` // which repeat of its group it is, its noise and start-up (runtext.Notes)
	Noisy   bool        `json:"noisy,omitempty"` // its group's figures are unreliable (runtext.Noise)
	Note    string      `json:"note,omitempty"`  // how far the pictures are from the subject's exact cores
	Cores   int         `json:"cores"`
	Nodes   []htmlNode  `json:"nodes,omitempty"`
	Subject bool        `json:"subject"`        // whether its samples hold the subject's per-core load
	Watched bool        `json:"watched"`        // a watch of nodes: no subject, no summary row
	Life    []float64   `json:"life,omitempty"` // the subject's start and end
	Cols    *htmlCols   `json:"cols,omitempty"` // nil without samples
	Lanes   *htmlLanes  `json:"lanes,omitempty"`
	NoLanes string      `json:"noLanes,omitempty"` // why it has no lanes
	Extra   []htmlExtra `json:"extra,omitempty"`
	Left    []string    `json:"left,omitempty"` // what the page leaves out of it
}

// htmlNode is a node of a cluster's profile: which of its cores are whose.
type htmlNode struct {
	Name  string `json:"name"`
	First int    `json:"first"`
	Cores int    `json:"cores"`
}

// htmlExtra is a finding the run's summary holds beyond what the page
// knows (its reasons, its phases), as the file writes it, for the page to
// show generically: a name, and its value's fields and figures.
type htmlExtra struct {
	Name  string          `json:"name"`
	Value json.RawMessage `json:"value,omitempty"`
	Left  string          `json:"left,omitempty"`
}

// extraFindings are the summary's fields the page shows generically.
var extraFindings = []string{"reasons", "phases"}

// htmlRunOf gathers run p, the i'th drawn, named name, on a time scale of
// axis seconds.
func htmlRunOf(p *profile.Profile, i int, name string, axis float64, b *blob, budget *dataBudget) htmlRun {
	r := htmlRun{Name: name, How: clipText(runtext.Model(p.Spec)), Color: hexColor(runColor(i)),
		Verdict: clipText(runtext.Outcome(p)), Failed: p.Failed(), Note: clipText(runtext.Attribution(p)),
		Cores: cores(p), Subject: runtext.SubjectMeasured(p), Watched: p.Watched()}
	if p.Watched() {
		r.How = clipText(runtext.What(p))
	}
	if s := p.Summary; !p.Watched() && s.SubjectEndS > s.SubjectStartS && isFinite(s.SubjectStartS) && isFinite(s.SubjectEndS) {
		r.Life = []float64{s.SubjectStartS, s.SubjectEndS}
	}
	for _, n := range p.Nodes {
		r.Nodes = append(r.Nodes, htmlNode{Name: clip(n.Name, ""), First: n.First, Cores: n.Cores})
	}
	r.Cols = htmlColsOf(p, r.Cores, budget.cells[i], b, &r.Left)
	r.Lanes, r.NoLanes = htmlLanesOf(p, axis, budget.slices[i], budget.tasks[i], b)
	r.Extra = extraOf(p.Summary)
	return r
}

// extraOf is what summary s holds of extraFindings (see extraFrom).
func extraOf(s profile.Summary) []htmlExtra {
	all, err := json.Marshal(s)
	if err != nil {
		return nil
	}
	return extraFrom(all)
}

// extraFrom is what a summary written as JSON holds of extraFindings,
// each as its JSON, or what was left out of one too large for the page:
// the page shows them without knowing their fields, so findings added
// to a summary show without a change here.
func extraFrom(summary []byte) []htmlExtra {
	var fields map[string]json.RawMessage
	if json.Unmarshal(summary, &fields) != nil {
		return nil
	}
	var out []htmlExtra
	for _, name := range extraFindings {
		v, ok := fields[name]
		switch {
		case !ok || string(v) == "null" || string(v) == "[]" || string(v) == "{}":
		case len(v) > maxHTMLExtra:
			out = append(out, htmlExtra{Name: name, Left: fmt.Sprintf("%s bytes: too large for the page, in the profile's summary", runtext.Thousands(len(v)))})
		default:
			out = append(out, htmlExtra{Name: name, Value: v})
		}
	}
	return out
}

// htmlCols is a run's samples, each a column of its pictures.
type htmlCols struct {
	N      int     `json:"n"`
	Rows   int     `json:"rows"`   // heatmap rows of each column
	PerRow int     `json:"perRow"` // the cores each row holds: their highest load
	Merged int     `json:"merged"` // the samples each column holds: each core's highest load
	Start  float64 `json:"start"`  // when the first column began; each other begins where the one before ended
	// End is when each column ended (f64); Busy the machine's load of each
	// column's rows, column after column (u8, levels: 255 where not
	// measured), Subj the subject's, nil where its load was not measured;
	// BusyMean and SubjMean each column's mean busy cores (f32, NaN where
	// not measured).
	End      *htmlArray `json:"end"`
	Busy     *htmlArray `json:"busy"`
	Subj     *htmlArray `json:"subj,omitempty"`
	BusyMean *htmlArray `json:"busyMean"`
	SubjMean *htmlArray `json:"subjMean,omitempty"`
}

// htmlColsOf puts run p's samples of cores cores in b, merged k by k when
// they are more than cells cells (saying so in left), nil without samples.
// Samples that do not come after the one before are passed over, as the
// window's heatmap passes them.
func htmlColsOf(p *profile.Profile, cores, cells int, b *blob, left *[]string) *htmlCols {
	frames := orderedFrames(p.Frames)
	if len(frames) == 0 || cores == 0 {
		return nil
	}
	rows, per := rowsOf(cores), perRow(cores)
	k := 1
	if n := len(frames) * rows; n > cells {
		k = len(frames)
		if fit := cells / rows; fit > 0 {
			k = ceilDiv(len(frames), fit)
		}
	}
	c := &htmlCols{Rows: rows, PerRow: per, Merged: k}
	span := p.Spec.Interval.D().Seconds()
	if !(span > 0) {
		span = max(frames[0].T, 0)
	}
	c.Start = frames[0].T - span
	subject := runtext.SubjectMeasured(p)
	var ends []float64
	var busy, subj []uint8
	var busyMean, subjMean []float32
	prev := c.Start
	for g := 0; g < len(frames); g += k {
		group := frames[g:min(g+k, len(frames))]
		ends = append(ends, group[len(group)-1].T)
		busy = append(busy, highestRows(group, rows, per, func(f *profile.Frame) levels.Row { return f.Busy })...)
		busyMean = append(busyMean, meanBusy(group, prev, func(f *profile.Frame) levels.Row { return f.Busy }))
		if subject {
			subj = append(subj, highestRows(group, rows, per, func(f *profile.Frame) levels.Row { return f.SubjectBusy })...)
			subjMean = append(subjMean, meanBusy(group, prev, func(f *profile.Frame) levels.Row { return f.SubjectBusy }))
		}
		prev = group[len(group)-1].T
	}
	c.N = len(ends)
	c.End, c.Busy, c.BusyMean = addArray(b, ends), addArray(b, busy), addArray(b, busyMean)
	if subject {
		c.Subj, c.SubjMean = addArray(b, subj), addArray(b, subjMean)
	}
	if k > 1 {
		*left = append(*left, fmt.Sprintf("%s samples kept as %s columns of %d: each shows the highest load of its samples, as the heatmap does zoomed out (a page keeps at most %s core-samples)",
			runtext.Thousands(len(frames)), runtext.Thousands(c.N), k, runtext.Thousands(maxHTMLCells)))
	}
	if per > 1 {
		*left = append(*left, fmt.Sprintf("%s cores kept as %s rows of %d: each shows the highest load of its cores", runtext.Thousands(cores), runtext.Thousands(rows), per))
	}
	return c
}

// orderedFrames are the frames whose time is a number after the one
// before's: the columns a heatmap can place.
func orderedFrames(fs []profile.Frame) []*profile.Frame {
	out := make([]*profile.Frame, 0, len(fs))
	last := math.Inf(-1)
	for i := range fs {
		if t := fs[i].T; isFinite(t) && t > last {
			out = append(out, &fs[i])
			last = t
		}
	}
	return out
}

// highestRows is, for rows rows of per cores each, the highest load of
// their cores over frames (levels.Missing where none was measured).
func highestRows(frames []*profile.Frame, rows, per int, row func(*profile.Frame) levels.Row) []uint8 {
	out := make([]uint8, rows) // shifted: 0 is missing, l+1 is level l
	for _, f := range frames {
		for c, v := range row(f) {
			if r := c / per; r < rows && v != levels.Missing {
				out[r] = max(out[r], uint8(v)+1)
			}
		}
	}
	for r, u := range out {
		out[r] = u - 1 // 0 wraps to levels.Missing
	}
	return out
}

// meanBusy is the mean busy cores of frames, each weighted by its length
// from the end of the one before (the first from prev); NaN where no core
// was measured.
func meanBusy(frames []*profile.Frame, prev float64, row func(*profile.Frame) levels.Row) float32 {
	sum, span := 0.0, 0.0
	for _, f := range frames {
		r := row(f)
		d := f.T - prev
		prev = f.T
		if !slices.ContainsFunc(r, levels.Level.Known) {
			continue
		}
		sum += r.Sum() * d
		span += d
	}
	if !(span > 0) {
		return float32(math.NaN())
	}
	return float32(sum / span)
}

// htmlLanes is a run's threads panel: the PNG's lanes (the threads longest
// on a core, grouped by process, the fold's lane last) with every slice of
// theirs in the page, which zooms down to each one.
type htmlLanes struct {
	Exact   bool         `json:"exact"` // slices from the switch records; else one per sample
	Groups  []htmlGroup  `json:"groups"`
	Count   int          `json:"count"` // lanes
	Foot    string       `json:"foot,omitempty"`
	Notes   []string     `json:"notes,omitempty"`
	Cores   int          `json:"cores"`
	Threads []htmlThread `json:"threads"`
	// Fold names the lane of processes barely on a core, FoldLane, -1
	// without one.
	Fold     string `json:"fold,omitempty"`
	FoldLane int    `json:"foldLane"`
	// The slices, by start: Start (f64 seconds), Dur (f32), CPU (u16) and
	// Who (u16, an index in Threads). Tasks likewise, with ID (f64).
	Start     *htmlArray `json:"start"`
	Dur       *htmlArray `json:"dur"`
	CPU       *htmlArray `json:"cpu"`
	Who       *htmlArray `json:"who"`
	TaskStart *htmlArray `json:"taskStart"`
	TaskDur   *htmlArray `json:"taskDur"`
	TaskWho   *htmlArray `json:"taskWho"`
	TaskID    *htmlArray `json:"taskId"`
}

// htmlGroup is a process and its lanes, or the fold.
type htmlGroup struct {
	Label  string   `json:"label"`
	Detail string   `json:"detail"`
	Lanes  []string `json:"lanes"` // each lane's label, top to bottom
}

// htmlThread is a thread the lanes draw, for the readout.
type htmlThread struct {
	PID     int    `json:"pid"`
	TID     int    `json:"tid"`
	Name    string `json:"name,omitempty"`
	Process string `json:"process,omitempty"`
	Lane    int    `json:"lane"`
}

// htmlLanesOf is run p's lanes on a scale of axis seconds, keeping its
// latest slices and tasks up to maxSlices and maxTasks; nil and why
// without any.
func htmlLanesOf(p *profile.Profile, axis float64, maxSlices, maxTasks int, b *blob) (*htmlLanes, string) {
	q := *p
	exact := len(p.Slices) > 0
	if !exact {
		q.Slices = sampleSlices(p)
	}
	if len(q.Slices) == 0 {
		if why := runtext.NoThreads(p); why != "" {
			return nil, "No thread lanes: " + why + "."
		}
		return nil, "No thread lanes: no thread of the subject was on a core at a sample."
	}
	tp := newThreadPanel(&q)
	hl := &htmlLanes{Exact: exact, Count: tp.lanes, Cores: tp.cores, FoldLane: -1}
	for _, g := range tp.groups {
		hg := htmlGroup{Label: clip(g.label, ""), Detail: g.detail}
		if !exact {
			hg.Detail = runtext.Count(len(g.threads), "thread") + ", sampled"
		}
		for _, t := range g.threads {
			hg.Lanes = append(hg.Lanes, t.label)
		}
		hl.Groups = append(hl.Groups, hg)
	}
	if fold := lanes.NewFold(&q); slices.ContainsFunc(q.Slices, func(s profile.Slice) bool { return fold.Has(s.PID) }) {
		hl.Fold, hl.FoldLane = fold.Title(), tp.lanes-1
	}
	if tp.more > 0 {
		hl.Foot = fmt.Sprintf("+%s more (%.2f s on a core in all) have no lane: only the %d longest on a core get one",
			runtext.Count(tp.more, "thread"), tp.moreS, tp.keep)
	}
	who := newThreadTable(p, tp)
	kept, offScale, left := laneSlices(q.Slices, tp, axis, maxSlices)
	hl.Notes = panelNotes(p.SlicesDropped, offScale)
	if left > 0 {
		hl.Notes = append(hl.Notes, fmt.Sprintf("the %s earliest slices left out: a page keeps at most %s", runtext.Thousands(left), runtext.Thousands(maxHTMLSlices)))
	}
	var start []float64
	var dur []float32
	var cpu, whose []uint16
	unnamed := 0
	for _, s := range kept {
		k, ok := who.index(s.PID, s.TID)
		if !ok {
			unnamed++
			continue
		}
		start, dur = append(start, s.Start), append(dur, float32(s.End-s.Start))
		cpu, whose = append(cpu, uint16(min(max(s.CPU, 0), math.MaxUint16))), append(whose, k)
	}
	if unnamed > 0 {
		hl.Notes = append(hl.Notes, fmt.Sprintf("%s of threads past the first %s left out", runtext.Count(unnamed, "slice"), runtext.Thousands(maxLaneThreads)))
	}
	hl.Start, hl.Dur, hl.CPU, hl.Who = addArray(b, start), addArray(b, dur), addArray(b, cpu), addArray(b, whose)
	tasks := laneTasks(p, tp, axis, maxTasks)
	var tStart, tID []float64
	var tDur []float32
	var tWho []uint16
	for _, t := range tasks {
		if k, ok := who.index(t.args.PID, t.tid); ok {
			tStart, tDur, tWho, tID = append(tStart, t.start), append(tDur, float32(t.end-t.start)), append(tWho, k), append(tID, float64(t.task))
		}
	}
	hl.TaskStart, hl.TaskDur, hl.TaskWho, hl.TaskID = addArray(b, tStart), addArray(b, tDur), addArray(b, tWho), addArray(b, tID)
	hl.Threads = who.threads
	return hl, ""
}

// sampleSlices are run p's thread samples as slices, for a run without
// the switch records: each thread that used CPU over a sample's interval
// on the core it last ran on for all of it, as the window's sampled lanes
// colour it.
func sampleSlices(p *profile.Profile) []profile.Slice {
	var out []profile.Slice
	frames := orderedFrames(p.Frames)
	for i, f := range frames {
		from := f.T - p.Spec.Interval.D().Seconds()
		if i > 0 {
			from = frames[i-1].T
		}
		for _, s := range f.ThreadSamples {
			if s.CPU > 0 && s.Core >= 0 {
				out = append(out, profile.Slice{PID: s.PID, TID: s.TID, CPU: s.Core, Start: max(from, 0), End: f.T})
			}
		}
	}
	return out
}

// laneSlices are the slices of threads with a lane that lie on the time
// scale, by start, at most most of them, the latest; offScale counts those
// off it (as the PNG counts them) and left those past most.
func laneSlices(all []profile.Slice, tp *threadPanel, axis float64, most int) (kept []profile.Slice, offScale, left int) {
	for _, s := range all {
		if _, ok := tp.lane[s.TID]; !ok {
			continue
		}
		if !(s.Start >= 0 && s.End >= s.Start && s.Start <= axis && isFinite(s.End)) {
			offScale++
			continue
		}
		kept = append(kept, s)
	}
	slices.SortFunc(kept, func(a, b profile.Slice) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(a.TID, b.TID), cmp.Compare(a.CPU, b.CPU))
	})
	if len(kept) > most {
		left = len(kept) - most
		kept = kept[left:]
	}
	return kept, offScale, left
}

// threadTable names the threads whose slices and tasks the page draws,
// each once, at most maxLaneThreads.
type threadTable struct {
	threads []htmlThread
	at      map[int]uint16 // tid -> index in threads
	names   map[int]profile.Thread
	tp      *threadPanel
}

func newThreadTable(p *profile.Profile, tp *threadPanel) *threadTable {
	t := &threadTable{at: map[int]uint16{}, names: map[int]profile.Thread{}, tp: tp}
	for _, th := range p.Threads {
		t.names[th.TID] = th
	}
	return t
}

// index is thread tid's place in the table, adding it while there is
// room; ok is false for a thread without a lane or past the table's end.
func (t *threadTable) index(pid, tid int) (uint16, bool) {
	if k, ok := t.at[tid]; ok {
		return k, true
	}
	lane, ok := t.tp.lane[tid]
	if !ok || len(t.threads) == maxLaneThreads {
		return 0, false
	}
	th := t.names[tid]
	k := uint16(len(t.threads))
	t.threads = append(t.threads, htmlThread{PID: pid, TID: tid, Name: clip(th.Name, ""), Process: clip(th.Process, ""), Lane: lane})
	t.at[tid] = k
	return k, true
}

// laneTasks are the spans of run p's tasks (see taskSpans) on the
// threads with a lane, in seconds on a time scale of axis seconds, a task
// still running at the end lasting to the scale's end; by start, the
// latest most of them.
func laneTasks(p *profile.Profile, tp *threadPanel, axis float64, most int) []task {
	var out []task
	for _, t := range taskSpans(p, axis*1e6) {
		t.start, t.end = t.start/1e6, min(t.end/1e6, axis)
		if _, ok := tp.lane[t.tid]; ok && t.start >= 0 && t.end >= t.start && t.start <= axis {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b task) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.task, b.task), cmp.Compare(a.tid, b.tid), cmp.Compare(a.end, b.end))
	})
	return out[max(0, len(out)-most):]
}
