package report

import (
	"image"
	"slices"
	"time"

	"corescope/heatmap"
	"corescope/profile"
	"corescope/runtext"
)

// Options shape the PNG report.
type Options struct {
	// Width is the image width in pixels; 0 means DefaultWidth.
	Width int
	// Sorted sorts each heatmap column by load, busiest core on top.
	Sorted bool
	// Date is printed under the title; zero means the latest run's start.
	Date time.Time
}

// DefaultWidth is the report's width when Options.Width is 0: wide enough
// for 8 runs' bars, and its text still reads shrunk to 1200 px.
const DefaultWidth = 1600

// minWidth keeps room for the table's columns.
const minWidth = 1000

// Layout is where PNG puts each part of the report, so callers (and tests)
// can find a run's heatmap in the image.
type Layout struct {
	Size  image.Point
	Title image.Rectangle // title, date, machine and spec lines
	// Legend is the colour scale, 0% at the left.
	Legend image.Rectangle
	Runs   []RunLayout
	// Line is the chart of busy cores over time, every run but the
	// watches on one axis; Wall and Speedup are the bar charts, and Table
	// the summary table, of the same runs. All are empty when every run is
	// a watch.
	Line          image.Rectangle
	Wall, Speedup image.Rectangle
	Table         image.Rectangle
	// Watches are the sections of the watches of nodes, in run order.
	Watches []WatchLayout
	// AxisS is the seconds the heatmaps' shared time scale spans.
	AxisS float64
}

// RunLayout is where one run is drawn.
type RunLayout struct {
	// Header holds the label, spec and verdict and, when the pictures are
	// not the subject's exact cores, a line that says so (Note).
	Header image.Rectangle
	Note   image.Rectangle
	// Lane is the full width of the shared time scale behind the heatmaps
	// and the strip; they start at its left edge and are as wide as the run
	// is long. Heatmap is the subject's per-core load; Machine, under it,
	// the whole machine's, empty when Heatmap already is that (a file
	// without the subject's per-core load). Strip stacks other programs'
	// busy cores on the subject's.
	Lane    image.Rectangle
	Heatmap image.Rectangle
	Machine image.Rectangle
	Strip   image.Rectangle
	// Nodes is where each node of a cluster's profile goes in Heatmap (and,
	// arranged again for its height, in Machine), in rows from its top:
	// expanded with its strip, or collapsed to a row when the cluster is
	// too tall for the page (see heatmap.Arrange); nil for one machine.
	Nodes []heatmap.Band
	// Threads is the subject threads' on-core slices on the run's time
	// scale, one lane a thread; empty without slices.
	Threads image.Rectangle
	// Axis holds the tick labels of seconds and the subject's lifetime.
	Axis image.Rectangle
}

// Sizes of the report's parts in pixels.
const (
	margin      = 40
	gutter      = 130 // left of the heatmaps, for their row labels
	titleH      = 150
	headerH     = 60
	noteH       = 24 // a line of the attribution note under a header
	headerTextX = 26 // the header's text, past the run's colour
	stripH      = 56
	axisH       = 34
	runGap      = 28
	minHeatmapH = 96
	maxHeatmapH = 512
	minMachineH = 48 // the whole machine's heatmap: half the subject's, at least this
	gap         = 4  // between the pictures of one run
	coreRowPx   = 8  // heatmap row height while it fits between the bounds
	lineH       = 440
	barsH       = 330
	rowH        = 34
	sectionGap  = 36
)

// locate lays the report out, with tf to wrap the runs' notes (nil gives
// each note one line).
func locate(ps []*profile.Profile, opt Options, tf *typeface) Layout {
	w := opt.Width
	if w <= 0 {
		w = DefaultWidth
	}
	w = max(w, minWidth)
	l := Layout{AxisS: axisSeconds(ps)}
	inner := image.Rect(margin, 0, w-margin, 0)
	l.Title = image.Rect(inner.Min.X, margin, inner.Max.X, margin+titleH)
	l.Legend = image.Rect(inner.Max.X-400, margin+20, inner.Max.X, margin+50)

	y := l.Title.Max.Y
	laneX0 := inner.Min.X + gutter
	for _, p := range ps {
		var r RunLayout
		r.Header = image.Rect(inner.Min.X, y, inner.Max.X, y+headerH)
		if n := len(noteLines(tf, p, inner.Dx()-headerTextX)); n > 0 {
			r.Note = image.Rect(inner.Min.X, r.Header.Max.Y, inner.Max.X, r.Header.Max.Y+n*noteH)
			r.Header.Max.Y = r.Note.Max.Y
		}
		y = r.Header.Max.Y
		dataW := heatmap.Width(inner.Max.X-laneX0, lastT(p), l.AxisS)
		picture := func(h int) image.Rectangle {
			pr := image.Rect(laneX0, y, laneX0+dataW, y+h)
			y = pr.Max.Y + gap
			return pr
		}
		top := y
		hh := heatmapHeight(cores(p))
		if len(p.Nodes) > 0 {
			hh, r.Nodes = clusterRows(p)
		}
		r.Heatmap = picture(hh)
		if runtext.SubjectMeasured(p) {
			r.Machine = picture(max(minMachineH, hh/2))
		}
		r.Strip = picture(stripH)
		r.Lane = image.Rect(laneX0, top, inner.Max.X, r.Strip.Max.Y)
		y = r.Lane.Max.Y
		if h := newThreadPanel(p).height(); h > 0 {
			r.Threads = image.Rect(laneX0, y+threadsGap, inner.Max.X, y+threadsGap+h)
			y = r.Threads.Max.Y + gap
		}
		r.Axis = image.Rect(laneX0, y, inner.Max.X, y+axisH)
		y = r.Axis.Max.Y + runGap
		l.Runs = append(l.Runs, r)
	}
	y += sectionGap - runGap
	if slices.ContainsFunc(ps, recorded) {
		l.Line = image.Rect(inner.Min.X, y, inner.Max.X, y+lineH)
		y = l.Line.Max.Y + sectionGap
		mid := (inner.Min.X + inner.Max.X) / 2
		l.Wall = image.Rect(inner.Min.X, y, mid-sectionGap/2, y+barsH)
		l.Speedup = image.Rect(mid+sectionGap/2, y, inner.Max.X, y+barsH)
		y = l.Wall.Max.Y + sectionGap
		tableH := rowH // the heading
		for _, h := range rowHeights(tf, ps, inner.Dx()) {
			tableH += h
		}
		l.Table = image.Rect(inner.Min.X, y, inner.Max.X, y+tableH)
		y = l.Table.Max.Y + sectionGap
	}
	for i, p := range ps {
		if p.Watched() {
			wl := locateWatch(i, p, inner, y, tf)
			l.Watches = append(l.Watches, wl)
			y = wl.Table.Max.Y + sectionGap
		}
	}
	l.Size = image.Pt(w, y-sectionGap+margin)
	return l
}

// recorded reports whether p is a run with a subject, not a watch: one of
// the runs the line chart, bar charts and summary table compare.
func recorded(p *profile.Profile) bool { return !p.Watched() }

// modelLines is how run p ran (runtext.Model: a command in full) in lines
// of tf's body face that fit the table's model column when the table is
// tableW wide; nil tf gives one line.
func modelLines(tf *typeface, p *profile.Profile, tableW int) []string {
	s := runtext.Model(p.Spec)
	if tf == nil {
		return []string{s}
	}
	return wrapAll(tf.body, s, modelColumnWidth(tableW))
}

// rowHeights are the table's rows, one a run: taller where a command
// takes several lines, and none for a watch, which has its own table.
func rowHeights(tf *typeface, ps []*profile.Profile, tableW int) []int {
	hs := make([]int, len(ps))
	for i, p := range ps {
		if !recorded(p) {
			continue
		}
		hs[i] = rowH
		if tf != nil {
			hs[i] += (len(modelLines(tf, p, tableW)) - 1) * lineHeight(tf.body)
		}
	}
	return hs
}

// noteLines is run p's attribution note (see runtext.Attribution) in
// lines of tf's small face at most width wide; nil tf gives one line.
func noteLines(tf *typeface, p *profile.Profile, width int) []string {
	note := runtext.Attribution(p)
	switch {
	case note == "":
		return nil
	case tf == nil:
		return []string{note}
	}
	return wrap(tf.small, note, width, 3)
}

// heatmapHeight gives each core coreRowPx rows, within bounds that keep a
// 2-core heatmap visible and a 256-core one on the page (2 px a core).
func heatmapHeight(cores int) int {
	return max(minHeatmapH, min(maxHeatmapH, cores*coreRowPx))
}

// cores is how many cores run p's samples have (or its machine, without samples).
func cores(p *profile.Profile) int {
	n := 0
	for _, f := range p.Frames {
		n = max(n, len(f.Busy))
	}
	if n == 0 {
		return p.Machine.LogicalCores
	}
	return n
}

// lastT is when p's last sample was taken: how long its heatmap is.
func lastT(p *profile.Profile) float64 {
	if len(p.Frames) == 0 {
		return 0
	}
	return p.Frames[len(p.Frames)-1].T
}

// axisSeconds is the length of the shared time scale: the longest run, to
// its last sample or its subject's end (a watch has no subject); times
// that are not finite numbers are passed over.
func axisSeconds(ps []*profile.Profile) float64 {
	a := 0.0
	for _, p := range ps {
		for _, t := range []float64{lastT(p), p.Summary.SubjectEndS} {
			if isFinite(t) {
				a = max(a, t)
			}
		}
	}
	return a
}
