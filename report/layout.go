package report

import (
	"fmt"
	"image"
	"image/color"
	"slices"
	"strings"
	"time"

	"corescope/heatmap"
	"corescope/profile"
	"corescope/runtext"
)

// Options shape the PNG report.
type Options struct {
	// Width is the image width in pixels; 0 means DefaultWidth. It is
	// kept within minWidth..maxWidth.
	Width int
	// Sorted sorts each heatmap column by load, busiest core on top.
	Sorted bool
	// Date is printed under the title; zero means the latest run's start.
	Date time.Time
}

// DefaultWidth is the report's width when Options.Width is 0: wide enough
// for 8 runs' bars, and its text still reads shrunk to 1200 px.
const DefaultWidth = 1600

// minWidth keeps room for the table's columns; maxWidth, with MaxHeight,
// bounds the image's memory.
const (
	minWidth = 1000
	maxWidth = 2 * DefaultWidth
)

// Bounds of the report, so that it costs time and memory for what it
// draws, whatever it is given: 20,000 runs asked for a 49 GB image.
const (
	// maxDrawnRuns groups of repeats at most are drawn (header, pictures,
	// threads, axis, explanation) and compared in the charts: the first
	// ones, and no more than fit in maxRunsH with the sections of the
	// watches among them. 16 runs of the processes model on 256 cores
	// with 32 worker processes and every text of their headers at its
	// bound (1,938 px each) fit.
	maxDrawnRuns = 16
	maxRunsH     = 40_000
	// maxTableH bounds the summary table: it lists the groups, from the
	// first, whose rows fit (116 runs of one line), each command in at
	// most maxModelLines lines.
	maxTableH     = 4_000
	maxModelLines = 24
	// MaxHeight is the tallest report: its runs, their watches' sections,
	// the charts and the table at their bounds, the sweeps' Scaling
	// sections, the notes of what they leave out, the title and the
	// margins. A report DefaultWidth wide is then at most 313 MB of pixels
	// (48,888 px high).
	MaxHeight = margin + maxTitleH + maxRunsH + noteLineH + sectionGap + maxLineH + sectionGap + maxBarsH + sectionGap +
		maxTableH + noteLineH + maxScaleSections*(maxScaleH+sectionGap) + noteLineH + margin
)

// Layout is where PNG puts each part of the report, so callers (and tests)
// can find a run's heatmap in the image.
type Layout struct {
	Size  image.Point
	Title image.Rectangle // title, date, machine and spec lines
	// Machine and Spec are the title's lines of the machine and of the
	// workloads, wrapped beside the legend.
	Machine, Spec Paragraph
	// Legend is the colour scale, 0% at the left.
	Legend image.Rectangle
	// Runs are the runs drawn, one a group of repeats (runtext.Rows): the
	// run that stands for the first len(Runs) groups (see maxDrawnRuns).
	// Omitted, under them, says how many were not drawn; empty when every
	// group is.
	Runs    []RunLayout
	Omitted image.Rectangle
	// Line is the chart of busy cores over time, every run drawn but the
	// watches on one axis; Wall and Speedup are the bar charts, and Table
	// the summary table, of the same runs. All are empty when every run
	// drawn is a watch.
	Line          image.Rectangle
	Wall, Speedup image.Rectangle
	// Table lists the first Listed groups, a row each (a watch's row is
	// its own table);
	// Unlisted, under it, says how many it leaves out, empty when none.
	Table    image.Rectangle
	Listed   int
	Unlisted image.Rectangle
	// Scales are the Scaling sections of the sweeps among the runs (the
	// first maxScaleSections), under the table; ScalesOmitted says how
	// many more there were, empty when none.
	Scales        []ScaleLayout
	ScalesOmitted image.Rectangle
	// Watches are the sections of the watches of nodes drawn, in run order.
	Watches []WatchLayout
	// AxisS is the seconds the heatmaps' shared time scale spans.
	AxisS float64
}

// RunLayout is where one run is drawn.
type RunLayout struct {
	// Header holds Text: the label and how it ran, the verdict, and which
	// of its group's repeats it is with what else its figures need said
	// (runtext.Notes); then, when the pictures are not the subject's
	// exact cores, a line that says so (Note), and the run's phases with
	// their reasons and evidence (Findings).
	Header   image.Rectangle
	Text     []Paragraph
	Note     image.Rectangle
	Findings image.Rectangle
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
	// too tall for the page (see heatmap.Arrange); nil for one machine,
	// and for a cluster of more nodes than maxHeatmapH rows can show
	// apart, drawn like one machine of all their cores.
	Nodes []heatmap.Band
	// Threads is the subject threads' on-core slices on the run's time
	// scale, one lane a thread; empty without slices.
	Threads image.Rectangle
	// Axis holds the tick labels of seconds and the subject's lifetime.
	Axis image.Rectangle
	// Why, under the axis, explains what the pictures show (runtext.Why).
	Why Paragraph
}

// A Paragraph is a text of the report laid out: the lines it wraps into
// (none cut short: see wrapAll) and the rectangle they fill, so tests can
// read back what the report says.
type Paragraph struct {
	Rect  image.Rectangle
	Lines []string
	small bool
	c     color.RGBA
	ink   int // bytes of the first line drawn in ink, before c: a run's name
}

// Leading of the report's paragraphs: the distance between two baselines.
const (
	bodyLead  = 26
	smallLead = 22
)

// Bounds of the lines of a run's paragraphs, so that a run's height is
// bounded whatever it says; its own texts take a fraction of them (a
// verdict 2-3 lines, its explanation 3-5), a longer one is ended with an
// ellipsis at the bound.
const (
	maxNameLines    = 3 // the label and how it ran: a command in full is in the table
	maxVerdictLines = 8
	maxNotesLines   = 8
	maxWhyLines     = 12
	maxTitleLines   = 4 // each of the title's machine and spec lines
)

// lead is the distance between the paragraph's baselines.
func (pa Paragraph) lead() int {
	if pa.small {
		return smallLead
	}
	return bodyLead
}

// paragraph lays s out x..x+width from y down, in tf's small or body face,
// in at most most lines (see wrapAll); nil tf gives one line.
func paragraph(tf *typeface, small bool, c color.RGBA, s string, x, y, width, most int) Paragraph {
	pa := Paragraph{small: small, c: c}
	switch {
	case strings.TrimSpace(s) == "":
	case tf == nil:
		pa.Lines = []string{s}
	case small:
		pa.Lines = wrapAll(tf.small, s, width, most)
	default:
		pa.Lines = wrapAll(tf.body, s, width, most)
	}
	pa.Rect = image.Rect(x, y, x+width, y+len(pa.Lines)*pa.lead())
	return pa
}

// Sizes of the report's parts in pixels.
const (
	margin      = 40
	gutter      = 130 // left of the heatmaps, for their row labels
	titleH      = 150 // at least: the machine and spec lines wrap to maxTitleH
	noteH       = 24  // a line of the attribution note under a header
	noteLineH   = 34  // a line that says what the report leaves out
	headerTextX = 26  // the header's text, past the run's colour
	stripH      = 56
	axisH       = 34
	runGap      = 28
	minHeatmapH = 96
	maxHeatmapH = 512
	minMachineH = 48 // the whole machine's heatmap: half the subject's, at least this
	gap         = 4  // between the pictures of one run
	coreRowPx   = 8  // heatmap row height while it fits between the bounds
	lineH       = 440
	barsH       = 330 // at least; a bar a run past 8 runs (see barsHeight)
	rowH        = 34
	sectionGap  = 36
)

// locate lays out the report of rows, a group of repeats each drawn as
// the run that stands for it, with tf to wrap its texts (nil gives each
// text one line).
func locate(rows []runtext.Row, opt Options, tf *typeface) Layout {
	w := opt.Width
	if w <= 0 {
		w = DefaultWidth
	}
	w = min(max(w, minWidth), maxWidth)
	inner := image.Rect(margin, 0, w-margin, 0)
	ps := runtext.Shown(rows)
	names := runtext.Names(ps)
	drawn := ps[:drawnRuns(rows, names, inner, tf)]
	l := Layout{AxisS: axisSeconds(drawn)}
	l.Legend = image.Rect(inner.Max.X-400, margin+20, inner.Max.X, margin+50)
	y := margin + titlePx + bodyLead + 8 // under the title and date
	textW := l.Legend.Min.X - inner.Min.X - 30
	l.Machine = paragraph(tf, false, ink, machineLine(ps), inner.Min.X, y, textW, maxTitleLines)
	l.Spec = paragraph(tf, false, ink, specLine(ps), inner.Min.X, l.Machine.Rect.Max.Y, textW, maxTitleLines)
	l.Title = image.Rect(inner.Min.X, margin, inner.Max.X, max(margin+titleH, l.Spec.Rect.Max.Y+20))

	y = l.Title.Max.Y
	for i := range drawn {
		r := locateRun(rows[i], names[i], inner, y, l.AxisS, tf)
		l.Runs = append(l.Runs, r)
		y = r.Why.Rect.Max.Y + runGap
	}
	if len(drawn) < len(ps) {
		l.Omitted = image.Rect(inner.Min.X, y, inner.Max.X, y+noteLineH)
		y = l.Omitted.Max.Y
	}
	y += sectionGap - runGap
	if slices.ContainsFunc(drawn, recorded) {
		l.Line = image.Rect(inner.Min.X, y, inner.Max.X, y+lineHeightFor(len(drawn)))
		y = l.Line.Max.Y + sectionGap
		mid := (inner.Min.X + inner.Max.X) / 2
		l.Wall = image.Rect(inner.Min.X, y, mid-sectionGap/2, y+barsHeight(len(drawn)))
		l.Speedup = image.Rect(mid+sectionGap/2, y, inner.Max.X, l.Wall.Max.Y)
		y = l.Wall.Max.Y + sectionGap
		tableH := rowH // the heading
		hs := rowHeights(tf, rows, inner.Dx())
		for _, h := range hs {
			tableH += h
		}
		l.Table = image.Rect(inner.Min.X, y, inner.Max.X, y+tableH)
		l.Listed = len(hs)
		y = l.Table.Max.Y
		if unlisted(rows, l.Listed) > 0 {
			l.Unlisted = image.Rect(inner.Min.X, y, inner.Max.X, y+noteLineH)
			y = l.Unlisted.Max.Y
		}
		y += sectionGap
	}
	sweeps, all := sweepsOf(ps)
	for _, sw := range sweeps {
		sl := locateScale(sw, inner, y, tf)
		l.Scales = append(l.Scales, sl)
		y = sl.Text.Max.Y + sectionGap
	}
	if all > len(sweeps) {
		l.ScalesOmitted = image.Rect(inner.Min.X, y, inner.Max.X, y+noteLineH)
		y = l.ScalesOmitted.Max.Y + sectionGap
	}
	for i, p := range drawn {
		if p.Watched() {
			wl := locateWatch(i, p, inner, y, tf)
			l.Watches = append(l.Watches, wl)
			y = wl.Table.Max.Y + sectionGap
		}
	}
	l.Size = image.Pt(w, y-sectionGap+margin)
	return l
}

// drawnRuns is how many of ps, from the first, the report draws: at most
// maxDrawnRuns, and no more than fit in maxRunsH with the sections of the
// watches among them; the first always.
func drawnRuns(rows []runtext.Row, names []string, inner image.Rectangle, tf *typeface) int {
	h := 0
	for i, row := range rows {
		p := row.Run
		if i == maxDrawnRuns {
			return i
		}
		h += locateRun(row, names[i], inner, 0, 0, tf).Why.Rect.Max.Y + runGap
		if p.Watched() {
			h += locateWatch(i, p, inner, 0, tf).Table.Max.Y + sectionGap
		}
		if i > 0 && h > maxRunsH {
			return i
		}
	}
	return len(rows)
}

// locateRun lays out the run that stands for row, named name, from y
// down, its pictures on a time scale of axis seconds within inner.
func locateRun(row runtext.Row, name string, inner image.Rectangle, y int, axis float64, tf *typeface) RunLayout {
	var r RunLayout
	p := row.Run
	laneX0 := inner.Min.X + gutter
	r.Text = headerText(row, name, inner, y, tf)
	r.Header = image.Rect(inner.Min.X, y, inner.Max.X, r.Text[len(r.Text)-1].Rect.Max.Y+8)
	if n := len(noteLines(tf, p, inner.Dx()-headerTextX)); n > 0 {
		r.Note = image.Rect(inner.Min.X, r.Header.Max.Y, inner.Max.X, r.Header.Max.Y+n*noteH)
		r.Header.Max.Y = r.Note.Max.Y
	}
	if n := len(findingsLines(tf, p, inner.Dx()-headerTextX)); n > 0 {
		r.Findings = image.Rect(inner.Min.X, r.Header.Max.Y, inner.Max.X, r.Header.Max.Y+n*noteH)
		r.Header.Max.Y = r.Findings.Max.Y
	}
	y = r.Header.Max.Y
	dataW := heatmap.Width(inner.Max.X-laneX0, lastT(p), axis)
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
	r.Why = paragraph(tf, true, ink, runtext.Why(p), inner.Min.X+headerTextX, r.Axis.Max.Y+gap, inner.Dx()-headerTextX, maxWhyLines)
	return r
}

// headerText lays out the paragraphs of a run's header from y down: its
// name and how it ran, its verdict (in red for a failed run), and, in
// the notice colour when its group's figures are unreliable, runtext.Notes.
func headerText(row runtext.Row, name string, inner image.Rectangle, y int, tf *typeface) []Paragraph {
	p := row.Run
	x, w := inner.Min.X+headerTextX, inner.Dx()-headerTextX
	how := runtext.Model(p.Spec)
	if p.Watched() {
		how = runtext.What(p)
	}
	line := name
	if how != name { // not "sequential · sequential"
		line += " · " + how
	}
	title := paragraph(tf, false, muted, line, x, y, w, maxNameLines)
	title.ink = len(name)
	verdict, c := runtext.Outcome(p), ink
	switch {
	case p.Failed():
		c = alarm
	case verdict == "":
		verdict, c = "no verdict", muted
	}
	text := []Paragraph{title, paragraph(tf, false, c, verdict, x, title.Rect.Max.Y+4, w, maxVerdictLines)}
	c = muted
	if runtext.Noise(row.Group) != "" {
		c = notice
	}
	notes := paragraph(tf, true, c, strings.Join(runtext.Notes(row), " "), x, text[1].Rect.Max.Y+4, w, maxNotesLines)
	return append(text, notes)
}

// recorded reports whether p is a run with a subject, not a watch: one of
// the runs the line chart, bar charts and summary table compare.
func recorded(p *profile.Profile) bool { return !p.Watched() }

// modelLines is how run p ran (runtext.Model: a command in full) in lines
// of tf's body face that fit the table's model column when the table is
// tableW wide, at most maxModelLines, the last ending in an ellipsis when
// the command is longer; nil tf gives one line.
func modelLines(tf *typeface, p *profile.Profile, tableW int) []string {
	s := runtext.Model(p.Spec)
	if tf == nil {
		return []string{s}
	}
	return wrapAll(tf.body, s, modelColumnWidth(tableW), maxModelLines)
}

// rowHeights are the table's rows, one a group of repeats from the
// first, as many as fit in maxTableH: taller where a command takes several
// lines, where figures have their spread under them, and where noise is
// worded under the row; none for a watch, which has its own table.
func rowHeights(tf *typeface, rows []runtext.Row, tableW int) []int {
	var hs []int
	total := rowH // the heading
	for _, row := range rows {
		p := row.Run
		h := 0
		if recorded(p) {
			lines := 1
			if tf != nil {
				lines = len(modelLines(tf, p, tableW))
			}
			if spread(row) {
				lines = max(lines, 2)
			}
			h = rowH + (lines-1)*bodyLead + len(noiseLines(tf, row, tableW))*smallLead
		}
		if total += h; total > maxTableH {
			break
		}
		hs = append(hs, h)
	}
	return hs
}

// unlisted is how many groups of runs with a subject the table leaves out
// when it lists the first listed of rows.
func unlisted(rows []runtext.Row, listed int) int {
	n := 0
	for _, row := range rows[listed:] {
		if recorded(row.Run) {
			n++
		}
	}
	return n
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

// maxFindingsLines bounds the lines of a run's phases and reasons: a run
// of many phases lists the first, and says how many more.
const maxFindingsLines = 8

// findingsLines is run p's phases, each with its reasons and their
// evidence (runtext.Phases), in lines of tf's small face at most width
// wide, at most maxFindingsLines, the last saying how many phases it
// leaves out; nil for a watch or a run not judged. Nil tf gives a line a
// phase.
func findingsLines(tf *typeface, p *profile.Profile, width int) []string {
	if p.Watched() {
		return nil
	}
	phases := runtext.Phases(p)
	var lines []string
	for i, ph := range phases {
		text := fmt.Sprintf("phase %d, %s: %s", i+1, ph.Head, strings.Join(ph.Reasons, "; also "))
		if len(phases) == 1 {
			text = fmt.Sprintf("%s: %s", ph.Head, strings.Join(ph.Reasons, "; also "))
		}
		wrapped := []string{text}
		if tf != nil {
			wrapped = wrap(tf.small, text, width, 3)
		}
		room := maxFindingsLines
		if i < len(phases)-1 {
			room-- // for the line that says how many more
		}
		if len(lines)+len(wrapped) > room {
			return append(lines, "and "+runtext.Count(len(phases)-i, "more phase"))
		}
		lines = append(lines, wrapped...)
	}
	return lines
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

// spread reports whether row's figures have a spread over its repeats to
// show under them.
func spread(row runtext.Row) bool { return row.Group.Wall().N > 1 }

// maxNoiseLines bounds the lines of a table row's noise.
const maxNoiseLines = 3

// noiseLines is what made row's figures unreliable (runtext.Noise) in
// lines of tf's small face, under the row from the model column to the
// table's end when the table is tableW wide; nil when nothing did.
func noiseLines(tf *typeface, row runtext.Row, tableW int) []string {
	r := image.Rect(0, 0, tableW, 0)
	return paragraph(tf, true, notice, runtext.Noise(row.Group), 0, 0, r.Max.X-tableAt(r, 0), maxNoiseLines).Lines
}

// The busy-cores chart of more than lineRunsMost runs is small multiples:
// a small chart a run, multiplesCols to a row, on one scale; one line
// chart of more would cross 8-16 lines.
const (
	lineRunsMost  = 4
	multiplesCols = 4
	multipleH     = 130 // one small chart: its name, its strip and its axis
	chartLegendH  = 36  // a chart's title line
	maxLineH      = max(lineH, chartLegendH+(maxDrawnRuns+multiplesCols-1)/multiplesCols*multipleH)
)

// lineHeightFor is the height of the busy-cores chart of runs runs.
func lineHeightFor(runs int) int {
	if runs <= lineRunsMost {
		return lineH
	}
	return chartLegendH + (runs+multiplesCols-1)/multiplesCols*multipleH
}

// The bar charts give each run a bar across, barRowH high, over an axis
// barAxisH high.
const (
	barRowH  = 30
	barAxisH = 40
	maxBarsH = max(barsH, chartLegendH+maxDrawnRuns*barRowH+barAxisH)
)

// barsHeight is the height of the bar charts of runs runs.
func barsHeight(runs int) int { return max(barsH, chartLegendH+runs*barRowH+barAxisH) }

// maxTitleH is the tallest title block: the title, the date, and the
// machine and spec lines at their bound.
const maxTitleH = max(titleH, titlePx+bodyLead+8+2*maxTitleLines*bodyLead+20)
