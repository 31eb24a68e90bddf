package report

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"
	"strings"
	"time"

	"golang.org/x/image/font"

	"corescope/heatmap"
	"corescope/levels"
	"corescope/profile"
	"corescope/runtext"
	"corescope/spec"
)

// Colours of the report.
var (
	paper  = color.RGBA{0xff, 0xff, 0xff, 0xff}
	ink    = color.RGBA{0x22, 0x22, 0x22, 0xff}
	muted  = color.RGBA{0x66, 0x66, 0x66, 0xff}
	alarm  = color.RGBA{0xc0, 0x39, 0x2b, 0xff}
	notice = color.RGBA{0x8a, 0x56, 0x00, 0xff} // pictures that are not the subject's exact cores
	shade  = color.RGBA{0xee, 0xee, 0xee, 0xff} // the lane after a run ended; table stripes
	rule   = color.RGBA{0xcc, 0xcc, 0xcc, 0xff}
	series = [...]color.RGBA{ // Tableau 10: distinct, and readable on white
		{0x4e, 0x79, 0xa7, 0xff}, {0xf2, 0x8e, 0x2b, 0xff}, {0xe1, 0x57, 0x59, 0xff}, {0x76, 0xb7, 0xb2, 0xff},
		{0x59, 0xa1, 0x4f, 0xff}, {0xed, 0xc9, 0x48, 0xff}, {0xb0, 0x7a, 0xa1, 0xff}, {0xff, 0x9d, 0xa7, 0xff},
	}
)

// box fills r of dst with c.
func box(dst *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(dst, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// runColor is run i's colour in the charts and beside its label.
func runColor(i int) color.RGBA { return series[i%len(series)] }

// PNG renders the report of ps as one image laid out by Locate: title,
// date, machine and spec; then the runs a group of repeats each
// (runtext.Rows), drawn as the run that stands for it: on one shared
// time scale its label, verdict, which repeat it is and what made its
// figures unreliable, the subject's per-core heatmap with the whole
// machine's under it, the busy-cores strip with other programs stacked
// on the subject, with exact attribution a lane of on-core slices per
// thread, and what the pictures show and why (runtext.Why); busy cores
// over time, the subject's and other programs' (a line chart up to
// lineRunsMost runs, small multiples past); bars of wall time and speedup
// that print their figures and their range over the repeats; the summary
// table, a row a group with the spreads, start-up and noise, and
// corescope's own cost. No text is cut short but past the bounds of
// paragraph lines that keep a run's height bounded. A run without samples or that failed says so where
// its pictures would be, and one whose pictures are not the subject's exact
// cores says why. A watch of nodes, which has no subject, gets instead a
// section of its own (see WatchLayout): its cluster's and each node's busy
// cores over time, a bar a node, and the node table.
//
// The report is bounded, whatever it is given, to at most MaxHeight by
// maxWidth pixels, and costs time and memory for what it draws: it draws
// the first maxDrawnRuns runs (fewer when they are too tall for maxRunsH),
// its table lists the runs whose rows fit in maxTableH, and a cluster of
// many nodes is drawn within the bounds of one machine's pictures (see
// clusterRows and maxNodesDrawn). What it leaves out it says, under the
// runs and under the table: "16 of 2,000 runs drawn, the first".
func PNG(ps []*profile.Profile, opt Options) (image.Image, error) {
	if len(ps) == 0 {
		return nil, errNoRuns
	}
	if err := complete(ps); err != nil {
		return nil, err
	}
	tf, err := newTypeface()
	if err != nil {
		return nil, fmt.Errorf("cannot load the report's font: %w", err)
	}
	rows := runtext.Rows(ps)
	l := locate(rows, opt, tf)
	shown := runtext.Shown(rows)
	drawn := shown[:len(l.Runs)]
	pg := &page{dst: image.NewRGBA(image.Rectangle{Max: l.Size}), tf: tf, l: l, rows: rows, ps: shown, drawn: drawn,
		series: runSeries(drawn), names: runtext.Names(shown), opt: opt}
	for _, p := range drawn {
		pg.nodes = append(pg.nodes, nodeSeries(p))
	}
	box(pg.dst, pg.dst.Bounds(), paper)
	pg.title()
	for i := range drawn {
		pg.run(i)
	}
	pg.omitted()
	if err := pg.charts(); err != nil {
		return nil, err
	}
	pg.table()
	sweeps, all := sweepsOf(ps)
	for i, sw := range sweeps {
		pg.scale(sw, l.Scales[i])
	}
	if all > len(sweeps) {
		r := l.ScalesOmitted
		pg.text(tf.body, muted, r.Min.X, r.Min.Y+lineHeight(tf.body), left, fmt.Sprintf("%d of %d sweeps drawn, the first", len(sweeps), all))
	}
	for _, w := range l.Watches {
		if err := pg.watch(w); err != nil {
			return nil, err
		}
	}
	return pg.dst, nil
}

// page is a report being drawn.
type page struct {
	dst    *image.RGBA
	tf     *typeface
	hp     heatmap.Painter
	l      Layout
	rows   []runtext.Row      // the groups of repeats, a row of the table each
	ps     []*profile.Profile // the run that stands for each group (Group.Shown)
	drawn  []*profile.Profile // the first of ps, those drawn (see Layout.Runs)
	series []*heatmap.Series  // each run drawn's samples, for its pictures and its line
	nodes  []*heatmap.Nodes   // each cluster run drawn's nodes' means; nil for one machine
	names  []string
	opt    Options
}

// runSeries is the samples of each of ps as a heatmap.Series, so that its
// pictures and line cost their pixels, not its length.
func runSeries(ps []*profile.Profile) []*heatmap.Series {
	out := make([]*heatmap.Series, len(ps))
	for i, p := range ps {
		s := &heatmap.Series{}
		s.Reset(cores(p), p.Spec.Interval.D().Seconds(), len(p.Frames))
		for k := range p.Frames {
			f := &p.Frames[k]
			s.Append(f.T, f.Busy, subjectRow(f))
		}
		out[i] = s
	}
	return out
}

// subjectRow is f's per-core load of the subject, nil where not measured.
func subjectRow(f *profile.Frame) levels.Row {
	if len(f.SubjectBusy) == 0 {
		return nil
	}
	return f.SubjectBusy
}

// text draws s with face in c; see the function text.
func (pg *page) text(face font.Face, c color.Color, x, y int, a align, s string) int {
	return text(pg.dst, face, c, x, y, a, s)
}

// title draws the title block and the colour legend.
func (pg *page) title() {
	r, tf := pg.l.Title, pg.tf
	y := r.Min.Y + titlePx
	pg.text(tf.title, ink, r.Min.X, y, left, "corescope report")
	if date := reportDate(pg.ps, pg.opt); !date.IsZero() {
		pg.text(tf.body, muted, r.Min.X, pg.l.Machine.Rect.Min.Y-6, left, date.Format("Monday 2 January 2006, 15:04 MST"))
	}
	pg.paragraph(pg.l.Machine)
	pg.paragraph(pg.l.Spec)
	lg := pg.l.Legend

	heatmap.Legend(pg.dst, lg)
	ly := lg.Max.Y + lineHeight(tf.small)
	pg.text(tf.small, muted, lg.Min.X, ly, left, "0% idle")
	pg.text(tf.small, muted, (lg.Min.X+lg.Max.X)/2, ly, center, "core busy")
	pg.text(tf.small, muted, lg.Max.X, ly, right, "100% busy")
	for _, row := range stripKeys(pg.drawn) {
		ly += lineHeight(tf.small) + 10
		x := lg.Min.X
		for _, k := range row {
			if sw := image.Rect(x, ly-13, x+24, ly); k.hatch {
				pg.hatch(sw)
			} else {
				box(pg.dst, sw, k.c)
			}
			x += 32 + pg.text(tf.small, muted, x+32, ly, left, k.name) + 24
		}
	}
}

// reportDate is the date a report gives under its title: opt's, or the
// latest run's start.
func reportDate(ps []*profile.Profile, opt Options) time.Time {
	date := opt.Date
	if date.IsZero() {
		for _, p := range ps {
			if p.Started.After(date) {
				date = p.Started
			}
		}
	}
	return date
}

// stripKey is one entry of the key under the colour scale.
type stripKey struct {
	c     color.RGBA
	hatch bool // the gap hatch rather than c
	name  string
}

// stripKeys are the rows of the key to the strips' colours: a recording's
// subject and other programs; a watch's busy cores of the cluster, and the
// hatch where a node gave no figure.
func stripKeys(ps []*profile.Profile) [][]stripKey {
	var rows [][]stripKey
	if slices.ContainsFunc(ps, recorded) {
		rows = append(rows, []stripKey{{c: heatmap.StripColor(), name: "the subject"}, {c: heatmap.OthersColor(), name: "other programs"}})
	}
	if slices.ContainsFunc(ps, (*profile.Profile).Watched) {
		rows = append(rows, []stripKey{{c: heatmap.StripColor(), name: "busy cores of the cluster"}, {hatch: true, name: "no figure"}})
	}
	return rows
}

// machineLine describes the machine of the first run and the Pythons the
// runs ran on, and says so when other runs were recorded elsewhere.
func machineLine(ps []*profile.Profile) string {
	m := ps[0].Machine
	parts := []string{"Machine: " + runtext.OrDash(m.CPUModel),
		fmt.Sprintf("%d logical / %d physical cores", m.LogicalCores, m.PhysicalCores),
		strings.TrimSpace(m.OS + " " + m.Kernel)}
	var pythons []string // "CPython 3.11.2", "CPython 3.13.1, no GIL"
	for _, p := range ps {
		if p.Machine.Python != "" {
			pythons = append(pythons, p.Machine.Python)
		}
	}
	parts = distinct(append(parts, pythons...))
	if m.GoVersion != "" {
		parts = append(parts, m.GoVersion)
	}
	for _, p := range ps[1:] {
		if p.Machine.CPUModel != m.CPUModel || p.Machine.LogicalCores != m.LogicalCores || p.Machine.Hostname != m.Hostname {
			parts = append(parts, "some runs come from another machine")
			break
		}
	}
	return strings.Join(parts, "  ·  ")
}

// specLine lists the workloads of the runs, each once; several commands
// are counted, as the table shows each in full.
func specLine(ps []*profile.Profile) string {
	var work []string
	commands := 0
	for _, p := range ps {
		if p.Spec.Backend == spec.BackendCommand {
			commands++
		}
	}
	for _, p := range ps {
		switch {
		case p.Spec.Backend != spec.BackendCommand || commands == 1:
			work = append(work, runtext.What(p))
		default:
			work = append(work, fmt.Sprintf("%d commands (each in the table)", commands))
		}
	}
	return "Spec: " + strings.Join(distinct(work), "  ·  ")
}

// distinct is list with each string once, where it first appears, in
// time linear in its length (the title of 20,000 runs' workloads).
func distinct(list []string) []string {
	seen := make(map[string]bool, len(list))
	out := list[:0]
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// omitted says under the runs drawn how many were not, and how many the
// table lists.
func (pg *page) omitted() {
	r := pg.l.Omitted
	if r.Empty() {
		return
	}
	note := fmt.Sprintf("%s of %s runs drawn, the first", runtext.Thousands(len(pg.drawn)), runtext.Thousands(len(pg.ps)))
	switch {
	case pg.l.Table.Empty():
	case unlisted(pg.rows, pg.l.Listed) > 0:
		note += fmt.Sprintf("; the table lists the first %s", runtext.Thousands(pg.l.Listed))
	default:
		note += "; the table lists them all"
	}
	pg.text(pg.tf.body, notice, r.Min.X, r.Min.Y+lineHeight(pg.tf.body), left, note)
}

// run draws run i: its header, heatmap, strip and time axis.
func (pg *page) run(i int) {
	p, r, tf := pg.ps[i], pg.l.Runs[i], pg.tf
	h := r.Header
	base := h.Min.Y + bodyLead - 6
	box(pg.dst, image.Rect(h.Min.X, base-16, h.Min.X+16, base), runColor(i))
	for _, pa := range r.Text {
		pg.paragraph(pa)
	}

	for k, line := range noteLines(tf, p, h.Dx()-headerTextX) {
		pg.text(tf.small, notice, h.Min.X+headerTextX, r.Note.Min.Y+(k+1)*noteH-8, left, line)
	}
	for k, line := range findingsLines(tf, p, h.Dx()-headerTextX) {
		pg.text(tf.small, ink, h.Min.X+headerTextX, r.Findings.Min.Y+(k+1)*noteH-8, left, line)
	}

	box(pg.dst, r.Lane, shade)
	if len(p.Frames) == 0 {
		pg.text(tf.body, muted, (r.Lane.Min.X+r.Lane.Max.X)/2, (r.Lane.Min.Y+r.Lane.Max.Y)/2, center, "no samples")
	} else {
		pg.pictures(i)
	}
	pg.threads(i)
	pg.axis(i)
	pg.paragraph(r.Why)
}

// paragraph draws pa's lines, the first bytes of its first that pa.ink
// counts in ink.
func (pg *page) paragraph(pa Paragraph) {
	face := pg.tf.body
	if pa.small {
		face = pg.tf.small
	}
	for k, line := range pa.Lines {
		x, base := pa.Rect.Min.X, pa.Rect.Min.Y+(k+1)*pa.lead()-6
		if k == 0 && pa.ink > 0 {
			n := min(pa.ink, len(line))
			x += pg.text(face, ink, x, base, left, line[:n])
			line = line[n:]
		}
		pg.text(face, pa.c, x, base, left, line)
	}
}

// pictures draws run i's heatmaps and strip: the subject's per-core load,
// the whole machine's under it, and the busy cores of both stacked; a file
// without the subject's load gets the machine's heatmap and strip alone.
func (pg *page) pictures(i int) {
	p, r, tf, s := pg.ps[i], pg.l.Runs[i], pg.tf, pg.series[i]
	n := cores(p)
	from, to := s.Extent() // the run fills its pictures' width
	gx := r.Lane.Min.X - 10
	label := func(pic image.Rectangle, name, top, bottom string) {
		pg.text(tf.small, ink, gx, pic.Min.Y+smallPx, right, name)
		if pic.Dy() >= 4*smallPx { // room for three labels apart
			pg.text(tf.small, muted, gx, pic.Min.Y+2*smallPx+4, right, top)
			pg.text(tf.small, muted, gx, pic.Max.Y-2, right, bottom)
		}
	}
	top, bottom := "core 0", fmt.Sprintf("core %d", n-1)
	if len(p.Nodes) > 0 && r.Nodes == nil { // too many nodes to group: their cores in order
		top, bottom = fit(tf.small, p.Nodes[0].Name, gutter-14), fit(tf.small, p.Nodes[len(p.Nodes)-1].Name, gutter-14)
	}
	if pg.opt.Sorted {
		top, bottom = "busiest", "least busy"
	}
	heat := func(pic image.Rectangle, layer heatmap.Layer, name string, bands []heatmap.Band) {
		if r.Nodes == nil {
			pg.hp.Heatmap(pg.dst, pic, s, layer, from, to, pg.opt.Sorted)
			label(pic, name, top, bottom)
			return
		}
		if bands == nil { // the machine's picture under the subject's, lower
			bands = heatmap.Arrange(NodeGroups(p), pic.Dy(), collapsedOf(r.Nodes))
		}
		pg.grouped(i, pic, layer, bands)
	}
	if s.SubjectKnown() {
		heat(r.Heatmap, heatmap.Subject, "subject", r.Nodes)
		heat(r.Machine, heatmap.Machine, "whole machine", nil)
	} else {
		heat(r.Heatmap, heatmap.Machine, "whole machine", r.Nodes)
	}
	pg.hp.Strip(pg.dst, r.Strip, s, from, to, n)
	pg.text(tf.small, muted, gx, r.Strip.Min.Y+smallPx, right, "busy cores")
	pg.text(tf.small, muted, gx, r.Strip.Min.Y+2*smallPx+4, right, fmt.Sprintf("of %d", n))
}

// axis draws run i's seconds ticks on the shared time scale and, in the
// run's colour, the span of the subject's life.
func (pg *page) axis(i int) {
	r, axis, s := pg.l.Runs[i].Axis, pg.l.AxisS, pg.ps[i].Summary
	if !(axis > 0) {
		return
	}
	px := func(t float64) int { return r.Min.X + int(math.Round(clampPx(t/axis*float64(r.Dx()), r.Dx()))) }
	if s.SubjectEndS > s.SubjectStartS { // a watch has no subject
		x0 := px(s.SubjectStartS)
		box(pg.dst, image.Rect(x0, r.Min.Y+2, max(px(s.SubjectEndS), x0+1), r.Min.Y+6), runColor(i))
		pg.text(pg.tf.small, muted, r.Min.X-10, r.Min.Y+smallPx-2, right, "subject")
	}
	for _, tk := range timeTicks(axis) {
		if tk.Value > axis*(1+1e-9) {
			break // past the lanes' end
		}
		x := px(tk.Value)
		box(pg.dst, image.Rect(x, r.Min.Y, x+1, r.Min.Y+8), muted)
		a := center
		switch {
		case tk.Value == 0:
			a = left
		case x >= r.Max.X-30:
			a = right
		}
		pg.text(pg.tf.small, muted, x, r.Min.Y+8+smallPx, a, tk.Label)
	}
}

// seconds formats a tick at t with as many decimals as the step needs.
func seconds(t, step float64) string {
	dec := max(0, int(math.Ceil(-math.Log10(step)-1e-9)))
	return fmt.Sprintf("%.*f s", dec, t)
}
