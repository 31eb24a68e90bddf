package report

import (
	"cmp"
	"fmt"
	"image"
	"image/color"
	"slices"
	"strings"

	"golang.org/x/image/font"

	"corescope/lanes"
	"corescope/profile"
	"corescope/runtext"
)

// Geometry of a run's threads panel.
const (
	threadsGap = 10 // between the strip and the panel
	panelHeadH = 30 // its title and the cores' colours
	groupH     = 24 // a process's name
	laneH      = 18 // one thread
	barH       = 12 // the slices within a lane
	footH      = 24 // how many threads were left out
	// maxLanes keeps a run with hundreds of threads readable: the threads
	// with the most time on a core get lanes, the others are counted. The
	// lane of the processes that were barely on a core (lanes.Fold) is one.
	maxLanes = 32
)

// threadPanel is what a run's threads panel shows: the threads with the
// most on-core time, grouped by process, and last the processes that were
// barely on a core, on one lane.
type threadPanel struct {
	groups []threadGroup
	lane   map[int]int // tid -> lane number, for the threads shown
	lanes  int
	keep   int     // how many threads' own lanes maxLanes leaves room for
	more   int     // threads left out
	moreS  float64 // their time on a core
	cores  int     // the highest core of a slice, plus one
}

// threadGroup is one process and its threads shown.
type threadGroup struct {
	label   string // process name and pid
	detail  string // its threads and time on a core
	threads []threadLane
}

// threadLane is one thread shown.
type threadLane struct {
	pid, tid int
	lane     int    // its number, top to bottom
	label    string // thread name and tid
	onS      float64
}

// newThreadPanel sorts p's slices into lanes; a run without slices gets
// an empty panel.
func newThreadPanel(p *profile.Profile) *threadPanel {
	tp := &threadPanel{lane: map[int]int{}, keep: maxLanes}
	byTID := map[int]*threadLane{}
	for _, s := range p.Slices {
		t := byTID[s.TID]
		if t == nil {
			t = &threadLane{pid: s.PID, tid: s.TID}
			byTID[s.TID] = t
		}
		t.onS += max(0, s.End-s.Start)
		tp.cores = max(tp.cores, s.CPU+1)
	}
	threadNames, processNames := map[int]string{}, map[int]string{}
	for _, t := range p.Threads {
		threadNames[t.TID] = t.Name
		if t.Process != "" {
			processNames[t.PID] = t.Process
		}
	}
	fold := lanes.NewFold(p)
	all := make([]*threadLane, 0, len(byTID))
	var folded []int // tids
	for _, t := range byTID {
		if fold.Has(t.pid) {
			folded = append(folded, t.tid)
			continue
		}
		t.label = threadLabel(threadNames[t.tid], t.tid)
		all = append(all, t)
	}
	if len(folded) > 0 {
		tp.keep-- // for the fold's lane
	}
	slices.SortFunc(all, func(a, b *threadLane) int { return cmp.Or(cmp.Compare(b.onS, a.onS), cmp.Compare(a.tid, b.tid)) })
	if len(all) > tp.keep {
		for _, t := range all[tp.keep:] {
			tp.more++
			tp.moreS += t.onS
		}
		all = all[:tp.keep]
	}
	slices.SortFunc(all, func(a, b *threadLane) int { return cmp.Or(cmp.Compare(a.pid, b.pid), cmp.Compare(a.tid, b.tid)) })
	for _, t := range all {
		if n := len(tp.groups); n == 0 || tp.groups[n-1].threads[0].pid != t.pid {
			label := fmt.Sprintf("%s %d", cmp.Or(processNames[t.pid], "process"), t.pid)
			tp.groups = append(tp.groups, threadGroup{label: label})
		}
		g := &tp.groups[len(tp.groups)-1]
		t.lane = tp.lanes
		g.threads = append(g.threads, *t)
		tp.lane[t.tid] = tp.lanes
		tp.lanes++
	}
	for i := range tp.groups {
		g := &tp.groups[i]
		onS := 0.0
		for _, t := range g.threads {
			onS += t.onS
		}
		g.detail = fmt.Sprintf("%s, %.2f s on a core", runtext.Count(len(g.threads), "thread"), onS)
	}
	if len(folded) > 0 {
		tp.groups = append(tp.groups, threadGroup{label: fold.Title(), detail: fold.Detail(),
			threads: []threadLane{{lane: tp.lanes, label: runtext.Count(fold.Threads, "thread"), onS: fold.OnS}}})
		for _, tid := range folded {
			tp.lane[tid] = tp.lanes
		}
		tp.lanes++
	}
	return tp
}

// threadLabel names a thread where its slices are drawn: "python3 1234",
// its name clipped (see clip) as the trace repeats it on every slice.
func threadLabel(name string, tid int) string {
	return fmt.Sprintf("%s %d", clip(cmp.Or(name, "thread"), ""), tid)
}

// height is how tall the panel is; 0 without slices.
func (tp *threadPanel) height() int {
	if tp.lanes == 0 {
		return 0
	}
	h := panelHeadH + len(tp.groups)*groupH + tp.lanes*laneH
	if tp.more > 0 {
		h += footH
	}
	return h
}

// laneStripe sets every other lane apart, so a thread's slices are read
// against its own label.
var laneStripe = color.RGBA{0xf4, 0xf4, 0xf4, 0xff}

// threads draws run i's threads panel: a heading with the cores' colours,
// then per process its name and one lane per thread, each slice in its
// core's colour on the run's time scale. A pixel that a thread spent only
// partly on a core is paler in proportion, so a waiter that wakes for a few
// microseconds does not look as busy as the thread that runs.
func (pg *page) threads(i int) {
	r, p, tf := pg.l.Runs[i].Threads, pg.ps[i], pg.tf
	if r.Empty() || !(pg.l.AxisS > 0) {
		return
	}
	tp := newThreadPanel(p)
	gx := r.Min.X - gutter
	base := r.Min.Y + smallPx + 6
	x := gx + pg.text(tf.small, ink, gx, base, left, "Threads: when each ran on a core, in the core's colour") + 24
	w := r.Dx()
	cov := pg.cover(p.Slices, tp, w)
	end := r.Max.X
	if notes := panelNotes(p.SlicesDropped, cov.offScale); len(notes) > 0 {
		end -= 24 + pg.text(tf.small, muted, r.Max.X, base, right, strings.Join(notes, "; "))
	}
	for c := range min(tp.cores, len(lanes.CorePalette)) {
		label := fmt.Sprint(c)
		if tp.cores > len(lanes.CorePalette) {
			label = fmt.Sprintf("%d, %d, …", c, c+len(lanes.CorePalette))
		}
		if x+20+font.MeasureString(tf.small, label).Round() > end {
			pg.text(tf.small, muted, x, base, left, "…")
			break
		}
		box(pg.dst, image.Rect(x, base-12, x+14, base), lanes.CorePalette[c])
		x += 20 + pg.text(tf.small, muted, x+20, base, left, label) + 14
	}

	y := r.Min.Y + panelHeadH
	for _, g := range tp.groups {
		gb := y + groupH - 6
		x := gx + pg.text(tf.small, ink, gx, gb, left, fit(tf.small, g.label, r.Max.X-gx))
		x += pg.text(tf.small, muted, x, gb, left, "  ·  ")
		pg.text(tf.small, muted, x, gb, left, fit(tf.small, g.detail, r.Max.X-x))
		box(pg.dst, image.Rect(gx, y+groupH-1, r.Max.X, y+groupH), rule)
		y += groupH
		for _, t := range g.threads {
			k := t.lane
			bg := paper
			if k%2 == 1 {
				bg = laneStripe
				box(pg.dst, image.Rect(r.Min.X, y, r.Max.X, y+laneH), bg)
			}
			pg.text(tf.small, muted, r.Min.X-10, y+laneH-4, right, fit(tf.small, t.label, gutter-14))
			bar := y + (laneH-barH)/2
			for x, f := range cov.frac[k*w : (k+1)*w] {
				if f > 0 {
					c := blend(bg, lanes.CorePalette[cov.core[k*w+x]], 0.3+0.7*min(f, 1))
					for yy := bar; yy < bar+barH; yy++ {
						pg.dst.SetRGBA(r.Min.X+x, yy, c)
					}
				}
			}
			y += laneH
		}
	}
	if tp.more > 0 {
		pg.text(tf.small, muted, gx, y+footH-8, left,
			fmt.Sprintf("+%s more (%.2f s on a core in all) have no lane: only the %d longest on a core get one",
				runtext.Count(tp.more, "thread"), tp.moreS, tp.keep))
	}
}

// panelNotes say what a run's threads panel leaves out: the slices the
// recording dropped, and those it cannot place on the time scale.
func panelNotes(dropped, offScale int) []string {
	var notes []string
	if dropped > 0 {
		notes = append(notes, fmt.Sprintf("the %d earliest slices were dropped", dropped))
	}
	if offScale > 0 {
		notes = append(notes, runtext.Count(offScale, "slice")+" off the time scale not drawn")
	}
	return notes
}

// coverage is, per lane and pixel column, the fraction of the column's time
// the thread spent on a core, and the colour (in lanes.CorePalette) of the
// core of its longest slice there; offScale counts the slices of threads
// with a lane that start past the time scale's end or have no valid times.
type coverage struct {
	frac, longest []float32
	core          []uint8
	offScale      int
}

// cover rasterises slices onto the panel's lanes, w pixels on the shared
// time scale; slices of threads without a lane are skipped. A slice is
// clipped to the scale, so however far its times lie, it costs at most w
// columns.
func (pg *page) cover(ss []profile.Slice, tp *threadPanel, w int) coverage {
	n := tp.lanes * w
	cov := coverage{frac: make([]float32, n), longest: make([]float32, n), core: make([]uint8, n)}
	axis := pg.l.AxisS
	scale := float64(w) / axis
	for _, s := range ss {
		k, ok := tp.lane[s.TID]
		if !ok {
			continue
		}
		if !(s.Start >= 0 && s.End >= s.Start && s.Start <= axis) {
			cov.offScale++
			continue
		}
		x0, x1 := clampPx(s.Start*scale, w), clampPx(s.End*scale, w)
		for x := int(x0); float64(x) < x1; x++ {
			part := float32(min(x1, float64(x+1)) - max(x0, float64(x)))
			o := k*w + x
			cov.frac[o] += part
			if part > cov.longest[o] {
				cov.longest[o], cov.core[o] = part, corePaletteIndex(s.CPU)
			}
		}
	}
	return cov
}

// clampPx clamps a position in pixels to 0..w, NaN to 0, so that a time
// however far off converts to an int without overflow.
func clampPx(x float64, w int) float64 {
	if !(x > 0) {
		return 0
	}
	return min(x, float64(w))
}

// corePaletteIndex is the colour of core cpu in lanes.CorePalette, which
// repeats; any int gives one.
func corePaletteIndex(cpu int) uint8 {
	n := len(lanes.CorePalette)
	return uint8((cpu%n + n) % n)
}

// blend mixes c over bg at opacity a (0..1).
func blend(bg, c color.RGBA, a float32) color.RGBA {
	mix := func(b, f uint8) uint8 { return uint8(float32(b) + (float32(f)-float32(b))*a + 0.5) }
	return color.RGBA{mix(bg.R, c.R), mix(bg.G, c.G), mix(bg.B, c.B), 0xff}
}
