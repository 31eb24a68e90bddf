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

// nodeSeries is the mean load of each of p's first maxNodesDrawn nodes
// (see heatmap.Nodes), the nodes the report draws; nil without nodes.
func nodeSeries(p *profile.Profile) *heatmap.Nodes {
	groups := NodeGroups(p)
	if groups == nil {
		return nil
	}
	n := &heatmap.Nodes{}
	n.Reset(groups[:min(len(groups), maxNodesDrawn)], p.Spec.Interval.D().Seconds(), len(p.Frames))
	for k := range p.Frames {
		f := &p.Frames[k]
		n.Append(f.T, f.Busy, subjectRow(f))
	}
	return n
}

// Rows of a cluster's heatmap in the report: a core keeps coreRowPx rows
// and its node a strip, the picture at most maxClusterH rows; a cluster
// whose cores would be crowded shows one row per node, clusterRowPx high
// but at most maxHeatmapH in all; and one of more than maxNodesDrawn
// nodes, too many for MinRowsPerCore rows each, is drawn like one machine
// of all their cores, a row the busiest of its cores.
const (
	clusterRowPx = 8
	nodeStripPx  = 12
	maxClusterH  = 2 * maxHeatmapH
	// maxNodesDrawn nodes at most, the first, get rows of their own in
	// a cluster's heatmap, a line in a watch's chart and a bar.
	maxNodesDrawn = maxHeatmapH / heatmap.MinRowsPerCore
)

// clusterRows is how high p's grouped heatmap is and where its nodes go:
// nil bands for more nodes than maxNodesDrawn, drawn ungrouped; else
// expanded while every core keeps 2 rows within the heatmap's usual
// height (and each node a strip beside it, while they fit in maxClusterH),
// else collapsed to a row a node.
func clusterRows(p *profile.Profile) (int, []heatmap.Band) {
	groups := NodeGroups(p)
	n, cores := len(groups), cores(p)
	seps := n - 1
	if n > maxNodesDrawn {
		return heatmapHeight(cores), nil
	}
	if h := heatmapHeight(cores); !heatmap.Crowded(cores, h) {
		h = min(maxClusterH, h+n*nodeStripPx+seps)
		return h, heatmap.Arrange(groups, h, nil)
	}
	collapsed := make([]bool, n)
	for k := range collapsed {
		collapsed[k] = true
	}
	h := min(maxHeatmapH, max(minHeatmapH, n*clusterRowPx+seps))
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
