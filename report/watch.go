package report

import (
	"cmp"
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"

	"github.com/wcharczuk/go-chart/v2"
	"golang.org/x/image/font"

	"corescope/heatmap"
	"corescope/levels"
	"corescope/profile"
	"corescope/runtext"
)

// WatchLayout is where the figures of one watch of nodes go (a run without
// a subject, profile.Watched): it has no subject, model or speedup, so it
// gets a section of its own under the runs' pictures instead of a place in
// the runs' line chart, bar charts and table.
type WatchLayout struct {
	Run   int             // the watch's index among the report's runs
	Title image.Rectangle // the section's heading
	// Line is the busy cores over time: the cluster's total and each node's.
	Line image.Rectangle
	// Bars is each node's mean busy share of its cores with its peak
	// marked, its missed ticks under it and its name under those.
	Bars image.Rectangle
	// Table is the node table the CLI prints (a row a node and "all"),
	// with corescope's own cost in its last line.
	Table image.Rectangle
}

// Sizes of a watch's section in pixels.
const (
	watchTitleH  = 44
	nodePlotH    = 200 // the bars' plot
	missedH      = 34  // the missed ticks' strip under the bars
	nodeAxisW    = 70  // the bars' value axis
	nodeRowH     = 26  // a line of the node table
	maxNameH     = 170 // names turned upright under the bars, cut to this
	manyNodes    = 8   // above this, nodes' lines are faint but the busiest
	busiestNodes = 4   // the nodes named in the line chart of many nodes
	// maxNodeRows nodes at most, the first, are listed in the node table,
	// which then says how many it leaves out.
	maxNodeRows = 64
)

// locateWatch lays out the section of watch p, run i, from y down; tf
// measures the nodes' names (nil: each takes one line).
func locateWatch(i int, p *profile.Profile, inner image.Rectangle, y int, tf *typeface) WatchLayout {
	w := WatchLayout{Run: i}
	w.Title = image.Rect(inner.Min.X, y, inner.Max.X, y+watchTitleH)
	w.Line = image.Rect(inner.Min.X, w.Title.Max.Y, inner.Max.X, w.Title.Max.Y+lineH)
	y = w.Line.Max.Y + sectionGap
	_, names := nameRoom(tf, p, inner.Dx())
	w.Bars = image.Rect(inner.Min.X, y, inner.Max.X, y+nodeLegendH+nodePlotH+8+missedH+8+names)
	y = w.Bars.Max.Y + sectionGap
	lines := len(tableNodeRows(p)) + 2 // and the heading and the cost
	if len(p.Nodes) > maxNodeRows {
		lines++ // the nodes not listed
	}
	w.Table = image.Rect(inner.Min.X, y, inner.Max.X, y+nodeRowH*lines)
	return w
}

// drawnFigures are the figures of p's nodes that get a bar and a line:
// the first maxNodesDrawn.
func drawnFigures(p *profile.Profile) []profile.NodeFigures {
	figs := p.Figures()
	return figs[:min(len(figs), maxNodesDrawn)]
}

// ofDrawn says, after a title of nodes' figures, which of p's nodes they
// show when they are not all: " (the first 256 of 20,000)".
func ofDrawn(p *profile.Profile) string {
	if len(p.Nodes) <= maxNodesDrawn {
		return ""
	}
	return fmt.Sprintf(" (the first %d of %s)", maxNodesDrawn, runtext.Thousands(len(p.Nodes)))
}

// nodeLegendH is the room of a node panel's heading and key.
const nodeLegendH = 40

// nameRoom says whether the nodes' names stand upright under their bars in
// a panel width wide (they do not fit side by side), and the height they
// take: none when the bars are too close for upright names not to overlap.
func nameRoom(tf *typeface, p *profile.Profile, width int) (upright bool, h int) {
	if tf == nil {
		return false, smallPx + 8
	}
	figs := drawnFigures(p)
	slot := slotWidth(width, len(figs))
	if slot < lineHeight(tf.small) {
		return true, 0
	}
	widest := 0
	for _, f := range figs {
		m := newMeasurer(tf.small)
		m.extend(f.Name, max(slot, maxNameH)) // no wider matters
		widest = max(widest, m.width())
	}
	if widest+8 <= slot {
		return false, lineHeight(tf.small) + 8
	}
	return true, min(widest, maxNameH) + 8
}

// slotWidth is each of n nodes' share of a node panel width wide.
func slotWidth(width, n int) int { return (width - nodeAxisW) / max(n, 1) }

// tableNodeRows are the node table's rows: a node each, the first
// maxNodeRows, and "all" when there are several.
func tableNodeRows(p *profile.Profile) [][]string {
	var rows [][]string
	figs := p.Figures()
	for _, f := range figs[:min(len(figs), maxNodeRows)] {
		rows = append(rows, runtext.NodeCells(f))
	}
	if len(p.Nodes) > 1 {
		rows = append(rows, runtext.ClusterCells(p))
	}
	return rows
}

// nodeTableColumns are where the node table's columns go, as fractions of
// its width: the left edge of a text, the right edge of a figure.
var nodeTableColumns = []struct {
	at     float64
	number bool
}{{0, false}, {0.30, true}, {0.40, true}, {0.48, true}, {0.60, true}, {0.63, false}}

// watch draws the section of watch w: its heading, line chart, bars and table.
func (pg *page) watch(w WatchLayout) error {
	i, tf := w.Run, pg.tf
	base := w.Title.Min.Y + lineHeight(tf.body) + 8
	box(pg.dst, image.Rect(w.Title.Min.X, base-16, w.Title.Min.X+16, base), runColor(i))
	x := w.Title.Min.X + headerTextX
	x += pg.text(tf.body, ink, x, base, left, fit(tf.body, pg.names[i]+": by node", w.Title.Max.X-x))
	pg.text(tf.body, muted, x+16, base, left, fit(tf.body, runtext.What(pg.ps[i]), w.Title.Max.X-x-16))
	box(pg.dst, image.Rect(w.Title.Min.X, w.Title.Max.Y-4, w.Title.Max.X, w.Title.Max.Y-2), rule)
	if err := pg.watchLine(i, w.Line); err != nil {
		return err
	}
	pg.nodeBars(i, w.Bars)
	pg.nodeTable(i, w.Table)
	return nil
}

// nodeLook is how node k of a watch's n nodes is drawn in its line chart
// and bars: its own colour while there are few nodes; among many, the
// busiest few in colour and the others faint, so 64 lines do not tangle.
type nodeLook struct {
	c     color.RGBA
	named bool // in colour, and named in the chart's key
}

// nodeLooks are the looks of p's nodes drawn (see drawnFigures).
func nodeLooks(p *profile.Profile) []nodeLook {
	figs := drawnFigures(p)
	looks := make([]nodeLook, len(figs))
	if len(figs) <= manyNodes {
		for k := range looks {
			looks[k] = nodeLook{series[k%len(series)], true}
		}
		return looks
	}
	order := make([]int, len(figs))
	for k := range order {
		order[k] = k
		looks[k] = nodeLook{c: blend(paper, muted, 0.35)}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(figs[b].MeanBusyCores, figs[a].MeanBusyCores) })
	for rank, k := range order[:busiestNodes] {
		if !figs[k].Silent(figs[k].Ticks) {
			looks[k] = nodeLook{series[rank], true}
		}
	}
	return looks
}

// plainBar is the bar of a node drawn without a colour of its own (among
// many nodes, all but the busiest).
var plainBar = blend(paper, muted, 0.6)

// clusterLine is the colour of a watch's total busy cores.
var clusterLine = ink

// watchLine draws the busy cores of watch i over its own time: the
// cluster's total thick and dark and each node's in its look, each broken
// where it gave no figure; with the key above.
func (pg *page) watchLine(i int, r image.Rectangle) error {
	p, tf := pg.ps[i], pg.tf
	looks := nodeLooks(p)
	legendH := lineHeight(tf.body) + 10
	plot := r
	plot.Min.Y += legendH
	c, split := watchChart(plot, p, pg.series[i], pg.nodes[i], looks)
	x, base := r.Min.X, r.Min.Y+lineHeight(tf.body)
	x += pg.text(tf.body, ink, x, base, left, "Busy cores over time") + 30
	total := "cluster total"
	if split {
		total += " (left axis; nodes right)"
	}
	// key names a line drawn in c, thick px, or the hatch of a silent node.
	key := func(c color.RGBA, thick int, silent bool, name string) bool {
		w := 30 + font.MeasureString(tf.small, name).Round()
		if x+w > r.Max.X {
			pg.text(tf.small, muted, x, base, left, "…")
			return false
		}
		if silent {
			pg.hatch(image.Rect(x, base-14, x+24, base))
		} else {
			box(pg.dst, image.Rect(x, base-12-thick/2, x+24, base-12+(thick+1)/2), c)
		}
		x += pg.text(tf.small, muted, x+30, base, left, name) + 30 + 24
		return true
	}
	key(clusterLine, 4, false, total)
	if len(looks) > manyNodes {
		key(blend(paper, muted, 0.35), 2, false, "each node"+ofDrawn(p))
	}
	for k, lk := range looks {
		name, silent := p.Nodes[k].Name, p.Nodes[k].Silent(len(p.Frames))
		if silent {
			name += " (no figure)"
		}
		if lk.named && !key(lk.c, 3, silent, name) {
			break
		}
	}
	if c == nil {
		empty(pg.dst, tf, plot, "no samples: a line needs at least two")
		return nil
	}
	if err := render(pg.dst, plot, c); err != nil {
		return fmt.Errorf("cannot draw the busy cores of %s: %w", pg.names[i], err)
	}
	return nil
}

// watchChart is the line chart of watch p's busy cores over its own time
// (s its samples, ns its nodes' means): a point a pixel column of r, the
// total and every node's, nodes under the named ones. The total takes an
// axis of its own (split) when it would flatten the nodes' lines, as it does
// beside 5 or more equal nodes. nil with fewer than two samples.
func watchChart(r image.Rectangle, p *profile.Profile, s *heatmap.Series, ns *heatmap.Nodes, looks []nodeLook) (c *chart.Chart, split bool) {
	if len(p.Frames) < 2 || ns == nil {
		return nil, false
	}
	from, to := s.Extent()
	end := lastT(p)
	n := max(2, heatmap.Width(r.Dx(), to-from, end))
	var hp heatmap.Painter
	x := func(k int) float64 { return from + (float64(k)+0.5)*(to-from)/float64(n) }
	nodeTop, totalTop := 1.0, 1.0
	for _, nd := range p.Nodes {
		nodeTop = max(nodeTop, float64(nd.Cores))
		totalTop += float64(nd.Cores)
	}
	totalTop = max(totalTop-1, 1)
	split = totalTop > 4*nodeTop
	axis := chart.YAxisPrimary
	if split {
		axis = chart.YAxisSecondary
	}
	var named, faint []chart.Series
	var busy []float64
	for k, nd := range p.Nodes[:len(looks)] {
		if nd.Cores == 0 {
			continue
		}
		busy = hp.Busy(busy, ns.Node(k), heatmap.Machine, from, to, n)
		st := chart.Style{StrokeColor: chartColor(looks[k].c), StrokeWidth: 1}
		if looks[k].named {
			st.StrokeWidth = 2.5
		}
		for _, line := range stretches(busy, float64(nd.Cores), x) {
			line.Name, line.Style = nd.Name, st
			if looks[k].named {
				named = append(named, line)
			} else {
				faint = append(faint, line)
			}
		}
	}
	busy = hp.Busy(busy, s, heatmap.Machine, from, to, n)
	var totals []chart.Series
	for _, line := range stretches(busy, 1, x) {
		line.Name, line.YAxis = "cluster", axis
		line.Style = chart.Style{StrokeColor: chartColor(clusterLine), StrokeWidth: 3.5}
		totals = append(totals, line)
	}
	ss := append(append(faint, named...), totals...)
	if len(ss) == 0 {
		return nil, split
	}
	yt := func(top float64) []chart.Tick {
		return ticks(top, 8, func(v float64) string { return fmt.Sprintf("%g", v) })
	}
	c = &chart.Chart{
		Width: r.Dx(), Height: r.Dy(), DPI: chartDPI,
		Background: chart.Style{Padding: chart.Box{Top: 20, Right: 30, Left: 10}},
		XAxis:      chart.XAxis{Name: "seconds", Ticks: endTicks(end)},
		YAxis:      chart.YAxis{Name: "busy cores", Ticks: yt(totalTop)},
		Series:     ss,
	}
	if split {
		// go-chart draws nothing when the secondary axis has Ticks: it
		// takes a Range, and the key says which axis is the cluster's.
		c.YAxis = chart.YAxis{Name: "node busy cores", Ticks: yt(nodeTop)}
		c.YAxisSecondary = chart.YAxis{Range: &chart.ContinuousRange{Min: 0, Max: totalTop},
			ValueFormatter: func(v any) string { return fmt.Sprintf("%.0f", v) }}
	}
	return c, split
}

// stretches are the lines of v (scaled by scale) over the columns whose x
// says where column k is, broken where v is NaN (or infinite: a mean of
// samples whose times overflow): a gap is drawn as a gap.
func stretches(v []float64, scale float64, x func(int) float64) []chart.ContinuousSeries {
	var out []chart.ContinuousSeries
	var xs, ys []float64
	flush := func() {
		if len(xs) >= 2 {
			out = append(out, chart.ContinuousSeries{XValues: xs, YValues: ys})
		}
		xs, ys = nil, nil
	}
	for k, b := range v {
		if !isFinite(b) {
			flush()
			continue
		}
		xs, ys = append(xs, x(k)), append(ys, b*scale)
	}
	flush()
	return out
}

// nodeBars draws each node of watch i as a bar: its mean busy share of its
// cores, a dark tick at its peak, the gap hatch for a node that never gave
// a figure; under the bars the share of ticks each missed, in red; then
// the names, upright when they do not fit side by side.
func (pg *page) nodeBars(i int, r image.Rectangle) {
	p, tf := pg.ps[i], pg.tf
	figs := drawnFigures(p)
	looks := nodeLooks(p)
	base := r.Min.Y + lineHeight(tf.body)
	x := r.Min.X + pg.text(tf.body, ink, r.Min.X, base, left, "Busy by node"+ofDrawn(p)) + 30
	for _, k := range []struct {
		draw func(image.Rectangle)
		name string
	}{
		{func(b image.Rectangle) { box(pg.dst, b, plainBar) }, "mean share of its cores busy"},
		{func(b image.Rectangle) { box(pg.dst, image.Rect(b.Min.X-2, b.Min.Y+5, b.Max.X+2, b.Min.Y+8), ink) }, "peak"},
		{func(b image.Rectangle) { box(pg.dst, b, alarm) }, "ticks missed"},
		{func(b image.Rectangle) { pg.hatch(b) }, "no figure"},
	} {
		k.draw(image.Rect(x, base-14, x+20, base))
		x += 28 + pg.text(tf.small, muted, x+28, base, left, k.name) + 24
	}

	plot := image.Rect(r.Min.X+nodeAxisW, r.Min.Y+nodeLegendH, r.Max.X, r.Min.Y+nodeLegendH+nodePlotH)
	yOf := func(v float64) int { return plot.Max.Y - int(math.Round(heatmap.Clamp01(v)*float64(plot.Dy()))) }
	for _, v := range []float64{0, 0.25, 0.5, 0.75, 1} {
		y := yOf(v)
		box(pg.dst, image.Rect(plot.Min.X, y, plot.Max.X, y+1), rule)
		pg.text(tf.small, muted, plot.Min.X-8, y+smallPx/3, right, fmt.Sprintf("%.0f%%", 100*v))
	}
	missed := image.Rect(plot.Min.X, plot.Max.Y+8, plot.Max.X, plot.Max.Y+8+missedH)
	pg.text(tf.small, muted, missed.Min.X-8, missed.Max.Y-4, right, "missed")
	box(pg.dst, image.Rect(missed.Min.X, missed.Max.Y, missed.Max.X, missed.Max.Y+1), rule)
	upright, named := nameRoom(tf, p, r.Dx())
	slot := slotWidth(r.Dx(), len(figs))
	barW := max(2, min(80, slot*7/10))
	for k, f := range figs {
		x0 := plot.Min.X + k*slot + (slot-barW)/2
		cx := x0 + barW/2
		if f.Silent(f.Ticks) {
			pg.hatch(image.Rect(x0, plot.Min.Y, x0+barW, plot.Max.Y))
		} else {
			c := plainBar
			if looks[k].named {
				c = looks[k].c // as its line and table swatch
			}
			box(pg.dst, image.Rect(x0, yOf(f.MeanBusyCores/float64(f.Cores)), x0+barW, plot.Max.Y), c)
			py := yOf(f.PeakBusyCores / float64(f.Cores))
			box(pg.dst, image.Rect(x0-2, py-1, x0+barW+2, py+2), ink)
			if slot >= 90 {
				pg.text(tf.small, ink, cx, py-6, center, fmt.Sprintf("%.2f of %d", f.MeanBusyCores, f.Cores))
			}
		}
		if f.MissedTicks > 0 {
			full := missedH - smallPx - 4
			h := max(2, int(math.Round(clampPx(float64(f.MissedTicks)/float64(max(f.Ticks, 1))*float64(full), full))))
			box(pg.dst, image.Rect(x0, missed.Max.Y-h, x0+barW, missed.Max.Y), alarm)
			if slot >= 60 {
				pg.text(tf.small, alarm, cx, missed.Max.Y-h-4, center, fmt.Sprintf("%d of %d", f.MissedTicks, f.Ticks))
			}
		}
		top := missed.Max.Y + 8
		switch {
		case named == 0: // the node table names them
		case upright:
			pg.upright(tf.small, ink, cx-smallPx/2, top, fit(tf.small, f.Name, maxNameH))
		default:
			pg.text(tf.small, ink, cx, top+smallPx, center, f.Name)
		}
	}
}

// upright draws s turned a quarter left, to be read upwards, its end at
// the top y and its baseline at x.
func (pg *page) upright(face font.Face, c color.RGBA, x, top int, s string) {
	w, h := font.MeasureString(face, s).Round(), lineHeight(face)
	flat := image.NewRGBA(image.Rect(0, 0, w, h))
	box(flat, flat.Bounds(), paper)
	text(flat, face, c, 0, h-face.Metrics().Descent.Ceil(), left, s)
	for fy := range h {
		for fx := range w {
			if px := flat.RGBAAt(fx, fy); px != paper {
				pg.dst.SetRGBA(x+fy, top+w-1-fx, px)
			}
		}
	}
}

// hatch fills r with the heatmaps' gap hatch, painted by the heatmap
// painter itself from a sample that is missing.
func (pg *page) hatch(r image.Rectangle) {
	var s heatmap.Series
	s.Reset(1, 1, 1)
	s.Append(1, levels.Row{levels.Missing}, nil)
	pg.hp.Heatmap(pg.dst, r, &s, heatmap.Machine, 0, 1, false)
}

// nodeTable draws watch i's node table: the CLI's columns, a row a node
// and "all", each node's name beside its colour in the line chart; under
// it corescope's own cost over the watch.
func (pg *page) nodeTable(i int, r image.Rectangle) {
	p, tf := pg.ps[i], pg.tf
	looks := nodeLooks(p)
	at := func(j int) int { return r.Min.X + int(nodeTableColumns[j].at*float64(r.Dx())) }
	row := func(top int, face font.Face, c color.RGBA, cells []string) {
		base := top + nodeRowH/2 + smallPx/3
		for j, s := range cells {
			switch {
			case j == 0:
				pg.text(face, c, at(0)+28, base, left, fit(face, s, at(1)-at(0)-120))
			case nodeTableColumns[j].number:
				pg.text(face, c, at(j)-8, base, right, s)
			default:
				pg.text(face, c, at(j), base, left, fit(face, s, r.Max.X-at(j)))
			}
		}
	}
	row(r.Min.Y, tf.small, muted, runtext.NodeHeads)
	box(pg.dst, image.Rect(r.Min.X, r.Min.Y+nodeRowH-2, r.Max.X, r.Min.Y+nodeRowH), rule)
	top := r.Min.Y + nodeRowH
	listed := min(len(p.Nodes), maxNodeRows) // the rows after are "all"
	for k, cells := range tableNodeRows(p) {
		if k%2 == 0 {
			box(pg.dst, image.Rect(r.Min.X, top, r.Max.X, top+nodeRowH), shade)
		}
		c, sw := ink, image.Rect(r.Min.X+6, top+6, r.Min.X+20, top+nodeRowH-6)
		switch {
		case k < listed && p.Nodes[k].Silent(len(p.Frames)):
			pg.hatch(sw)
		case k < listed && k < len(looks) && looks[k].named:
			box(pg.dst, sw, looks[k].c)
		}
		if k < listed && p.Nodes[k].MissedTicks > 0 {
			c = alarm
		}
		row(top, tf.small, c, cells)
		top += nodeRowH
	}
	if more := len(p.Nodes) - listed; more > 0 {
		pg.text(tf.small, notice, r.Min.X+28, top+nodeRowH/2+smallPx/3, left, runtext.Count(more, "more node")+" not listed here; the CSV holds every node")
		top += nodeRowH
	}
	pg.text(tf.small, muted, r.Min.X+28, top+nodeRowH/2+smallPx/3, left, "corescope's own cost: "+runtext.Cost(p.Summary))
}
