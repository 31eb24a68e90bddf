package app

import (
	"fmt"

	"corescope/levels"
	"corescope/profile"
)

// How a cluster's rows are shown, as the Live tab's toggle names it.
const (
	showByNode    = "By node"
	showEveryCore = "Every core"
)

// newNodesChoice is the toggle between a cluster's rows by node (one a
// node, a click opening one) and every core; hidden for one machine.
func newNodesChoice(h *heatmapWidget) *choice {
	c := newChoice([]string{showByNode, showEveryCore}, nil)
	c.OnChanged = func(s string) {
		if s != "" && (s == showByNode) != h.ByNode() {
			h.SetByNode(s == showByNode)
		}
	}
	c.Hide()
	return c
}

// showNodesChoice shows the toggle for a cluster, saying how its rows are
// shown now (the heatmap may have chosen by itself), and hides it else.
func (v *liveView) showNodesChoice() {
	heading := "Now"
	if v.heat.Grouped() {
		heading = "Now, by node"
	}
	if v.now.Text != heading {
		v.now.SetText(heading)
	}
	if !v.heat.Grouped() {
		if v.byNode.Visible() {
			v.byNode.Hide()
		}
		return
	}
	want := showEveryCore
	if v.heat.ByNode() {
		want = showByNode
	}
	if v.byNode.Selected != want {
		v.byNode.SetSelected(want) // OnChanged sees the heatmap agree: no change
	}
	if !v.byNode.Visible() {
		v.byNode.Show()
	}
}

// nodeFractions is each node's mean load in f, the mean of its measured
// cores (NaN where none was), machine and subject (nil when not
// measured): a cluster's bars are a bar a node, not thousands of cores.
func (v *liveView) nodeFractions(f *profile.Frame) (machine, subject []float64) {
	groups := v.heat.tl.nodes.Groups()
	mean := func(dst []float64, row levels.Row) []float64 {
		dst = dst[:0]
		for _, g := range groups {
			sum, known := 0.0, 0
			for c := g.First; c < min(g.First+g.Cores, len(row)); c++ {
				if row[c].Known() {
					sum += row[c].Fraction()
					known++
				}
			}
			dst = append(dst, sum/float64(known)) // NaN when none was measured
		}
		return dst
	}
	v.busy = mean(v.busy, f.Busy)
	if len(f.SubjectBusy) == 0 {
		return v.busy, nil
	}
	v.subject = mean(v.subject, f.SubjectBusy)
	return v.busy, v.subject
}

// barNames are the names of the nodes the bars stand for when the heatmap
// is grouped by node; nil when each bar is a core.
func (v *liveView) barNames() []string {
	if !v.heat.Grouped() {
		return nil
	}
	v.names = groupNames(v.names, &v.heat.tl)
	return v.names
}

// watchText is the figures line of a watch's frame f of nodes nodes: the
// cluster's busy cores (of those that gave a figure) and corescope's cost.
func watchText(f *profile.Frame, nodes int, self string) string {
	known := 0
	for _, l := range f.Busy {
		if l.Known() {
			known++
		}
	}
	return fmt.Sprintf("Cluster of %d nodes: %.2f of %d cores busy (%d gave a figure)   ·   %s",
		nodes, f.Busy.Sum(), len(f.Busy), known, self)
}
