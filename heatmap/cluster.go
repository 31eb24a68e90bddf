package heatmap

import (
	"image"
	"image/color"
	"math/bits"
	"slices"

	"corescope/levels"
)

// Group is one node's cores in a Series of a cluster: Cores rows from
// First, shown under Name.
type Group struct {
	Name         string
	First, Cores int
}

// Nodes keeps, beside a cluster's Series of every core, each node's mean
// load: per sample the mean of the node's measured cores (Missing where
// none was measured), as a Series of one row per node, so a node collapses
// to one row and has its own busy-cores strip at the cost of its pixels,
// however long the run. Feed it the same rows as the cluster's Series. The
// zero value has no groups; a Nodes is not safe for concurrent use.
type Nodes struct {
	groups []Group
	means  []Series // node k's mean load, one row
	row    [2][1]levels.Level
}

// Reset empties n for groups, whose samples come interval seconds apart
// (see Series.Reset for interval and expect).
func (n *Nodes) Reset(groups []Group, interval float64, expect int) {
	n.groups = append(n.groups[:0], groups...)
	n.means = slices.Grow(n.means[:0], len(groups))[:len(groups)]
	for k := range n.means {
		n.means[k].Reset(1, interval, expect)
	}
}

// Groups are the nodes n keeps, in order.
func (n *Nodes) Groups() []Group { return n.groups }

// Node is node k's mean load as a Series of one row.
func (n *Nodes) Node(k int) *Series { return &n.means[k] }

// Append adds the sample that ended at end: every core's load on the
// machines and the subject's (nil where not measured), as for
// Series.Append.
func (n *Nodes) Append(end float64, machine, subject levels.Row) {
	for k, g := range n.groups {
		n.row[Machine][0] = meanOf(machine, g)
		var sub levels.Row
		if subject != nil {
			n.row[Subject][0] = meanOf(subject, g)
			sub = n.row[Subject][:]
		}
		n.means[k].Append(end, n.row[Machine][:], sub)
	}
}

// meanOf is the mean level of g's measured cores in row; Missing when none
// is (or the row lacks them).
func meanOf(row levels.Row, g Group) levels.Level {
	lo, hi := min(max(g.First, 0), len(row)), min(max(g.First+g.Cores, 0), len(row))
	sum, known := 0, 0
	for _, l := range row[lo:hi] {
		if l != levels.Missing {
			sum += int(l)
			known++
		}
	}
	if known == 0 {
		return levels.Missing
	}
	return levels.Level((sum + known/2) / known)
}

// Band is where one group goes in a grouped picture (see Arrange), in
// pixel rows of the picture: its cores, or its one collapsed row, in
// [Y0, Y1), and its busy-cores strip in [StripY0, StripY1), empty where
// there is no room for one or the group is collapsed (its row is then its
// load).
type Band struct {
	Group            int // index in the groups
	Y0, Y1           int
	StripY0, StripY1 int
	Collapsed        bool
}

// Geometry of a grouped picture, in pixel rows.
const (
	// separatorRows is the line between two groups.
	separatorRows = 1
	// The strip of an expanded group takes a sixth of its rows, within
	// these bounds, when the group has at least minStripOf rows.
	minStripRows, maxStripRows, minStripOf = 4, 12, 24
	// MinRowsPerCore is the fewest pixel rows a core gets before a
	// cluster's picture collapses to one row per node (see Crowded).
	MinRowsPerCore = 2
)

// Crowded reports whether rows pixel rows are too few to show every one of
// cores cores of a cluster apart (under MinRowsPerCore a core): the
// picture then collapses each node to one row.
func Crowded(cores, rows int) bool { return rows < MinRowsPerCore*cores }

// Arrange lays groups out from the top of a picture h pixel rows high, in
// order, a separator row between two: an expanded group gets rows in
// proportion to its cores, a collapsed one (collapsed[k]) as many as one
// core would, so a node expanded among collapsed ones takes most of the
// picture. Where h is too small for the separators they are left out; a
// group may get no rows when h is under one row a group.
func Arrange(groups []Group, h int, collapsed []bool) []Band {
	if len(groups) == 0 || h <= 0 {
		return nil
	}
	weight := func(k int) int {
		if k < len(collapsed) && collapsed[k] {
			return 1
		}
		return max(groups[k].Cores, 1)
	}
	total := 0
	for k := range groups {
		total += weight(k)
	}
	sep := separatorRows
	if h-sep*(len(groups)-1) < 2*len(groups) {
		sep = 0
	}
	avail := h - sep*(len(groups)-1)
	bands := make([]Band, len(groups))
	acc := 0
	for k := range groups {
		b := &bands[k]
		b.Group, b.Collapsed = k, k < len(collapsed) && collapsed[k]
		y0 := avail * acc / total
		acc += weight(k)
		y1 := avail * acc / total
		b.Y0, b.Y1 = y0+k*sep, y1+k*sep
		if rows := b.Y1 - b.Y0; !b.Collapsed && rows >= minStripOf {
			strip := min(maxStripRows, max(minStripRows, rows/6))
			b.StripY0, b.StripY1 = b.Y1-strip, b.Y1
			b.Y1 = b.StripY0
		}
	}
	return bands
}

// Labelled is which of bands have room for a name textH rows high at
// their top, in order: names never overlap however many nodes there are.
// A band at least textH high (a node opened among collapsed ones) always
// gets its name; the others get one where it clears every name so far,
// from the top down.
func Labelled(bands []Band, textH int) []int {
	taken := make([]bool, len(bands))
	var tops []int // the tops of the names given so far
	free := func(y int) bool {
		for _, t := range tops {
			if y < t+textH && t < y+textH {
				return false
			}
		}
		return true
	}
	for pass := range 2 {
		for i, b := range bands {
			tall := b.Y1-b.Y0 >= textH
			if taken[i] || b.Y1 <= b.Y0 || (pass == 0) != tall || !free(b.Y0) {
				continue
			}
			taken[i] = true
			tops = append(tops, b.Y0)
		}
	}
	var out []int
	for i, ok := range taken {
		if ok {
			out = append(out, i)
		}
	}
	return out
}

// SeparatorColor is the line between two groups of a grouped picture:
// light, so it reads neither as idle (dark) nor as missing (the hatch).
var SeparatorColor = color.RGBA{0xe8, 0xe8, 0xe8, 0xff}

// Grouped paints layer of s over the time window [from, to) into r of dst
// (clipped to dst) grouped by node as bands say (see Arrange; their rows
// count from r's top): an expanded band's cores as Heatmap paints them,
// with the node's busy-cores strip under them (of its cores, 0..all); a
// collapsed band one row, the node's mean load from n, the maximum of its
// samples per pixel column as elsewhere; and SeparatorColor between them.
// Missing values show the gap hatch in every part. sorted orders each
// expanded node's cores by load in each pixel column, busiest at the top,
// which shows how many of a node's cores were busy: exact where a column
// holds one sample, and by each core's maximum where it holds several.
// It reads the grid of s once, O(r's width x cores), and each node's
// means once.
func (p *Painter) Grouped(dst *image.RGBA, r image.Rectangle, s *Series, n *Nodes, layer Layer, from, to float64, sorted bool, bands []Band) {
	r = r.Intersect(dst.Bounds())
	if r.Empty() {
		return
	}
	sep := image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y) // rows not yet painted
	paintSep := func(until int) {
		sep.Max.Y = min(r.Min.Y+until, r.Max.Y)
		if sep.Dy() > 0 {
			fill(dst, sep, SeparatorColor)
		}
	}
	band := func(y0, y1 int) image.Rectangle {
		return image.Rect(r.Min.X, r.Min.Y+y0, r.Max.X, r.Min.Y+y1).Intersect(r)
	}
	// The expanded bands first: they share the grid of every core, which
	// painting a node's means or strip plans again.
	// A node of no cores (one that never answered) has only its means:
	// missing, the hatch.
	byMeans := func(b Band) bool { return b.Collapsed || n.groups[b.Group].Cores <= 0 }
	expanded := false
	for _, b := range bands {
		expanded = expanded || !byMeans(b)
	}
	if expanded {
		xa, xb := p.grid0(s, layer, from, to, r.Dx(), false)
		for _, b := range bands {
			if g := n.groups[b.Group]; !byMeans(b) && !band(b.Y0, b.Y1).Empty() {
				// What of the group's cores the series has: a layout from a
				// file or a node may say cores it does not.
				first := min(max(g.First, 0), s.Cores())
				cores := min(max(g.First+g.Cores, 0), s.Cores()) - first
				if sorted && xb > xa {
					p.sortCores(first, cores)
				}
				p.paintCores(dst, band(b.Y0, b.Y1), xa, xb, first, cores)
			}
		}
	}
	for _, b := range bands {
		paintSep(b.Y0)
		node := &n.means[b.Group]
		if byMeans(b) {
			p.Heatmap(dst, band(b.Y0, b.Y1), node, layer, from, to, false)
		}
		if b.StripY1 > b.StripY0 {
			p.Strip(dst, band(b.StripY0, b.StripY1), node, from, to, 1)
		}
		sep.Min.Y = r.Min.Y + max(b.Y1, b.StripY1)
	}
	paintSep(r.Dy())
}

// sortCores sorts the grid's cores [first, first+n) column by column,
// busiest first and missing last. The grid is core-major, so it sorts
// block columns at a time, copied aside column-major into p.block (free
// once fillGrid is done): each column's values are then contiguous.
func (p *Painter) sortCores(first, n int) {
	if n <= 1 {
		return
	}
	g := len(p.ends)
	size := max(len(p.block), block*n)
	p.block = slices.Grow(p.block[:0], size)[:size]
	var count [256]int32
	for j0 := 0; j0 < g; j0 += block {
		m := min(block, g-j0)
		for i := range n {
			for k, u := range p.grid[(first+i)*g+j0 : (first+i)*g+j0+m] {
				p.block[k*n+i] = u
			}
		}
		for k := range m {
			sortDown(p.block[k*n:(k+1)*n], &count)
		}
		for i := range n {
			row := p.grid[(first+i)*g+j0 : (first+i)*g+j0+m]
			for k := range row {
				row[k] = p.block[k*n+i]
			}
		}
	}
}

// sortDown sorts shifted levels (see up) from the highest, so missing (0)
// comes last: a counting sort in count, which it leaves all zero again,
// that visits only the values col holds (a bit each in seen), not all 256.
func sortDown(col []uint8, count *[256]int32) {
	var seen [4]uint64
	for _, u := range col {
		count[u]++
		seen[u>>6] |= 1 << (u & 63)
	}
	i := 0
	for w := 3; w >= 0; w-- {
		for seen[w] != 0 {
			b := 63 - bits.LeadingZeros64(seen[w])
			seen[w] &^= 1 << b
			u := uint8(w<<6 | b)
			for ; count[u] > 0; count[u]-- {
				col[i] = u
				i++
			}
		}
	}
}
