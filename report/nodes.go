package report

import (
	"fmt"
	"image"

	"corescope/heatmap"
	"corescope/profile"
)

// NodeGroups are the heatmap groups of p's nodes, in the frames' core
// order; nil for a profile of one machine, which is drawn ungrouped.
func NodeGroups(p *profile.Profile) []heatmap.Group {
	if len(p.Nodes) == 0 {
		return nil
	}
	gs := make([]heatmap.Group, len(p.Nodes))
	for k, n := range p.Nodes {
		gs[k] = heatmap.Group{Name: n.Name, First: n.First, Cores: n.Cores}
	}
	return gs
}

// nodeSeries is each node's mean load of p's samples (see heatmap.Nodes);
// nil without nodes.
func nodeSeries(p *profile.Profile) *heatmap.Nodes {
	groups := NodeGroups(p)
	if groups == nil {
		return nil
	}
	n := &heatmap.Nodes{}
	n.Reset(groups, p.Spec.Interval.D().Seconds(), len(p.Frames))
	for k := range p.Frames {
		f := &p.Frames[k]
		n.Append(f.T, f.Busy, subjectRow(f))
	}
	return n
}

// Rows of a cluster's heatmap in the report: a core keeps coreRowPx rows
// and its node a strip, while the picture stays under maxHeatmapH rows of
// cores; a taller cluster shows one row per node, clusterRowPx high.
const (
	clusterRowPx = 8
	nodeStripPx  = 12
)

// clusterRows is how high p's grouped heatmap is and where its nodes go:
// expanded while every core keeps 2 rows within the heatmap's usual
// height (and each node a strip beside it), else collapsed to a row a
// node.
func clusterRows(p *profile.Profile) (int, []heatmap.Band) {
	groups := NodeGroups(p)
	n, cores := len(groups), cores(p)
	seps := n - 1
	if h := heatmapHeight(cores); !heatmap.Crowded(cores, h) {
		h += n*nodeStripPx + seps
		return h, heatmap.Arrange(groups, h, nil)
	}
	collapsed := make([]bool, n)
	for k := range collapsed {
		collapsed[k] = true
	}
	h := max(minHeatmapH, n*clusterRowPx+seps)
	return h, heatmap.Arrange(groups, h, collapsed)
}

// grouped draws layer of run i's cluster into pic by node, as bands say,
// with each named node's name in the gutter at its top and, where the
// node missed ticks, how many under it.
func (pg *page) grouped(i int, pic image.Rectangle, layer heatmap.Layer, bands []heatmap.Band) {
	p, s, ns, tf := pg.ps[i], pg.series[i], pg.nodes[i], pg.tf
	from, to := s.Extent()
	pg.hp.Grouped(pg.dst, pic, s, ns, layer, from, to, pg.opt.Sorted, bands)
	gx := pic.Min.X - 10
	textH := lineHeight(tf.small)
	for _, k := range heatmap.Labelled(bands, textH) {
		b, node := bands[k], p.Nodes[bands[k].Group]
		top := pic.Min.Y + b.Y0
		pg.text(tf.small, ink, gx, top+smallPx, right, fit(tf.small, node.Name, gutter-12))
		if node.MissedTicks > 0 && max(b.Y1, b.StripY1)-b.Y0 >= 2*textH {
			pg.text(tf.small, alarm, gx, top+textH+smallPx, right, fmt.Sprintf("missed %d", node.MissedTicks))
		}
	}
}

// collapsedOf says which of bands are collapsed, to arrange them again.
func collapsedOf(bands []heatmap.Band) []bool {
	c := make([]bool, len(bands))
	for k, b := range bands {
		c[k] = b.Collapsed
	}
	return c
}
