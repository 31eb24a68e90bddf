package app

import (
	"fmt"
	"math"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"corescope/heatmap"
	"corescope/levels"
)

// nodeMode is how a cluster's heatmap shows its nodes.
type nodeMode uint8

const (
	// nodesAuto collapses every node to one row when the picture has under
	// heatmap.MinRowsPerCore pixel rows a core, and shows every core else.
	nodesAuto nodeMode = iota
	nodesCollapsed
	nodesEveryCore
)

// nodeView is how a heatmapWidget of a cluster's cores groups them: by node,
// each node's name beside its group, collapsed to one row a node when
// asked or when the cores do not fit, with the nodes the user opened
// expanded among the collapsed ones.
type nodeView struct {
	mode    nodeMode
	opened  map[int]bool   // nodes expanded while the others are collapsed
	bands   []heatmap.Band // where each node is, in the image's pixel rows, as last drawn
	rows    int            // the image's pixel rows, as last drawn
	heatH   float32        // the picture's height, as last drawn
	renamed bool           // the groups changed: the row labels are set again
}

// SetNodes groups the heatmap's cores by node as groups say (nil: one
// machine, ungrouped); call it after Reset or ResetLive and before the
// samples. expect is how many samples are coming, if known. The nodes
// start collapsed or not as nodesAuto says, none opened.
func (h *heatmapWidget) SetNodes(groups []heatmap.Group, expect int) {
	h.tl.group(groups, expect)
	h.nodes.mode, h.nodes.opened, h.nodes.bands = nodesAuto, map[int]bool{}, nil
	h.nodes.renamed = true
}

// Grouped reports whether the heatmap's cores are grouped by node.
func (h *heatmapWidget) Grouped() bool { return h.tl.grouped() }

// SetByNode collapses every node to one row (true) or shows every core
// (false), whatever the picture's height; the nodes opened are closed.
func (h *heatmapWidget) SetByNode(byNode bool) {
	mode := nodesEveryCore
	if byNode {
		mode = nodesCollapsed
	}
	if h.nodes.mode == mode {
		return
	}
	h.nodes.mode, h.nodes.opened = mode, map[int]bool{}
	h.Refresh()
}

// ByNode reports whether the nodes are collapsed: as chosen, or, until a
// choice, whether the picture is too short for every core.
func (h *heatmapWidget) ByNode() bool {
	switch h.nodes.mode {
	case nodesCollapsed:
		return true
	case nodesEveryCore:
		return false
	}
	rows := h.nodes.rows
	if rows == 0 {
		rows = pixelWidth(h, h.heatH)
	}
	return rows > 0 && heatmap.Crowded(h.Cores(), rows)
}

// groupNames appends the nodes' names to dst[:0], for the row labels and
// the bars.
func groupNames(dst []string, tl *timeline) []string {
	dst = dst[:0]
	for _, g := range tl.nodes.Groups() {
		dst = append(dst, g.Name)
	}
	return dst
}

// arrangeNodes lays the nodes out in rows pixel rows of the picture.
func (h *heatmapWidget) arrangeNodes(rows int) {
	v := &h.nodes
	v.rows, v.heatH = rows, h.heatH
	groups := h.tl.nodes.Groups()
	var collapsed []bool
	if h.ByNode() {
		collapsed = make([]bool, len(groups))
		for k := range collapsed {
			collapsed[k] = !v.opened[k]
		}
	}
	v.bands = heatmap.Arrange(groups, rows, collapsed)
}

// place puts each node's name in the gutter at its group's top, leaving
// out those that would overlap the name above (see heatmap.Labelled).
func (v *nodeView) place(w fyne.Widget, labels *rowLabels, gutter float32) {
	if v.rows <= 0 || len(labels.texts) != len(v.bands) {
		return
	}
	size, fg := captionSize(w), themeColor(w, theme.ColorNameForeground)
	scale := v.heatH / float32(v.rows) // units a pixel row
	labelH := fyne.MeasureText("0", size, fyne.TextStyle{}).Height
	shown := make([]bool, len(v.bands))
	for _, k := range heatmap.Labelled(v.bands, int(math.Ceil(float64(labelH/scale)))) {
		shown[k] = true
	}
	for k, t := range labels.texts {
		t.Hidden = !shown[k]
		if t.Hidden {
			continue
		}
		t.TextSize, t.Color = size, fg
		ts := t.MinSize()
		t.Move(fyne.NewPos(gutter-ts.Width-2, min(float32(v.bands[k].Y0)*scale, v.heatH-ts.Height)))
		t.Resize(ts)
		t.Refresh()
	}
}

// nodeAt is the band of the node drawn at y (units from the picture's
// top), and the pixel row it falls on; ok is false between nodes.
func (v *nodeView) nodeAt(y float32) (b heatmap.Band, row int, ok bool) {
	if v.rows <= 0 || v.heatH <= 0 || y < 0 {
		return b, 0, false
	}
	row = int(y / v.heatH * float32(v.rows))
	for _, b := range v.bands {
		if row >= b.Y0 && row < max(b.Y1, b.StripY1) {
			return b, row, true
		}
	}
	return b, 0, false
}

// Tapped takes the keyboard focus and, on a node collapsed among others,
// opens it (its cores in full, the others staying collapsed); on a node
// opened so, closes it again.
func (h *heatmapWidget) Tapped(ev *fyne.PointEvent) {
	h.timeGestures.Tapped(ev)
	if !h.tl.grouped() || !h.ByNode() {
		return
	}
	b, _, ok := h.nodes.nodeAt(ev.Position.Y)
	if !ok {
		return
	}
	if h.nodes.mode == nodesAuto { // the user's click fixes the mode as it is
		h.nodes.mode = nodesCollapsed
	}
	h.nodes.opened[b.Group] = !h.nodes.opened[b.Group]
	h.Refresh()
}

// nodeReadout words what the picture shows at pos in a node's rows: its
// time, the node, and the core's load, or a collapsed node's mean load,
// or the node's busy cores on its strip.
func (h *heatmapWidget) nodeReadout(pos fyne.Position) string {
	b, row, ok := h.nodes.nodeAt(pos.Y)
	if !ok {
		return ""
	}
	g := h.tl.nodes.Groups()[b.Group]
	from, to := h.window()
	w := float64(h.cols)
	col := math.Floor(float64((pos.X-h.x0)/h.width) * w)
	t0, t1 := from+(to-from)*col/w, from+(to-from)*(col+1)/w
	sp := &h.span
	layer := heatmap.Machine
	if h.tl.series.SubjectKnown() && !h.whole {
		layer = heatmap.Subject
	}
	// The node's own row (collapsed, or of no cores: one that never
	// answered, as Grouped paints it), or its strip.
	if b.Collapsed || g.Cores <= 0 || row >= b.Y1 {
		h.tl.nodes.Node(b.Group).Span(sp, t0, t1, false)
		if sp.Samples == 0 {
			return ""
		}
		mean := sp.Busy[layer]
		if g.Cores <= 0 {
			return fmt.Sprintf("%s · %s\nno figure: its cores were never read", samplesText(sp), g.Name)
		}
		if !b.Collapsed {
			return fmt.Sprintf("%s · %s\nbusy cores %s of %d", samplesText(sp), g.Name, coresText(mean*float64(g.Cores)), g.Cores)
		}
		return fmt.Sprintf("%s · %s (%d cores, click to open)\nmean load of its cores %s, highest %s", samplesText(sp), g.Name,
			g.Cores, percent(mean), percent(sp.Busiest[layer].At(0)))
	}
	h.tl.series.Span(sp, t0, t1, false)
	if sp.Samples == 0 {
		return ""
	}
	c := min((row-b.Y0)*g.Cores/max(b.Y1-b.Y0, 1), g.Cores-1)
	at := func(r levels.Row) float64 { // core c of the node, or its c'th busiest sorted
		if !h.sorted || len(r) < g.First+g.Cores {
			return r.At(g.First + c)
		}
		node := slices.Clone(r[g.First : g.First+g.Cores])
		slices.SortFunc(node, func(a, b levels.Level) int { return int(b+1) - int(a+1) }) // busiest first, missing (255+1 = 0) last
		return node.At(c)
	}
	load := fmt.Sprintf("machine %s", percent(at(sp.Busiest[heatmap.Machine])))
	if sub := sp.Busiest[heatmap.Subject]; sub != nil {
		load = fmt.Sprintf("subject %s · %s", percent(at(sub)), load)
	}
	if sp.Samples > 1 {
		load = "busiest: " + load
	}
	where := fmt.Sprintf("core %d", c)
	if h.sorted {
		where = fmt.Sprintf("#%d busiest core", c+1)
	}
	return fmt.Sprintf("%s · %s · %s\n%s", samplesText(sp), g.Name, where, load)
}

// samplesText is the time of what a readout's span holds, with how many
// samples when several.
func samplesText(sp *heatmap.Span) string {
	if sp.Samples > 1 {
		return fmt.Sprintf("%s · %d samples", spanText(sp.From, sp.To), sp.Samples)
	}
	return spanText(sp.From, sp.To)
}
