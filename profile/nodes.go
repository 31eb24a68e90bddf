package profile

import (
	"cmp"
	"fmt"

	"corescope/levels"
	"corescope/spec"
)

// Node is one machine whose cores a profile's frames hold: a node_exporter
// scraped live (watch, record --node), a Prometheus instance (report
// --prometheus), or the machine corescope ran on. A frame's Busy holds
// every node's cores, node after node in the order of Profile.Nodes:
// Busy[First : First+Cores] are this node's.
type Node struct {
	// Name is host:port of the node's exporter (Prometheus' instance
	// label for the same target), or the local machine's hostname.
	Name string `json:"name"`
	// URL is what was scraped, any password in it shown as "xxxxx"; empty
	// for the machine corescope ran on and for nodes read from Prometheus.
	URL string `json:"url,omitempty"`
	// Cores is how many of the frame's cores are this node's; 0 for a node
	// that never answered before the layout was fixed (see Watch).
	Cores int `json:"cores"`
	// First is the index of the node's first core in every frame's Busy.
	First int `json:"first"`
	// MissedTicks counts the frames in which the node gave no figure: it
	// did not answer in time, answered something that is not CPU counters,
	// or its answer was only a new baseline after such a miss.
	MissedTicks int `json:"missed_ticks,omitempty"`
	// LastError is why it gave no figure, the last time it did not answer
	// well; empty when it always did.
	LastError string `json:"last_error,omitempty"`
}

// Row is n's part of a frame's per-core row r (Busy or SubjectBusy); nil
// when r is too short, as an empty SubjectBusy is.
func (n Node) Row(r levels.Row) levels.Row {
	if n.First+n.Cores > len(r) {
		return nil
	}
	return r[n.First : n.First+n.Cores : n.First+n.Cores]
}

// Answered reports whether n gave any figure in busy, a frame's Busy: a
// node that did not answer in time, or whose answer was only a baseline,
// has every core Missing.
func (n Node) Answered(busy levels.Row) bool { return n.Cores > 0 && n.Row(busy).AnyKnown() }

// Silent reports whether n gave no figure in a profile of ticks frames:
// its mean and peak would read as idle, which it was not known to be.
func (n Node) Silent(ticks int) bool { return n.Cores == 0 || n.MissedTicks >= ticks }

// NodeCores is how many cores nodes hold together: a frame's cores, for a
// profile's node layout.
func NodeCores(nodes []Node) int {
	cores := 0
	for _, n := range nodes {
		cores += n.Cores
	}
	return cores
}

// AnyFigure reports whether any core of p's frames was measured: a cluster
// none of whose nodes ever answered has no mean or peak to give.
func (p *Profile) AnyFigure() bool {
	for i := range p.Frames {
		if p.Frames[i].Busy.AnyKnown() {
			return true
		}
	}
	return false
}

// Watched reports whether p watched nodes without a subject (watch, report
// --prometheus): it has nodes and no spec of a subject, only the interval.
// Its frames hold no subject figures, and its summary is the cluster's.
func (p *Profile) Watched() bool { return len(p.Nodes) > 0 && p.Spec.Backend == "" }

// NodeLayout is the machines whose cores p's frames hold, in core order:
// p.Nodes, or for a one-machine profile (every profile without nodes) that
// machine, named by its hostname or "local", with all the frames' cores.
func (p *Profile) NodeLayout() []Node {
	if len(p.Nodes) > 0 {
		return p.Nodes
	}
	cores := 0
	if len(p.Frames) > 0 {
		cores = len(p.Frames[0].Busy)
	}
	return []Node{{Name: cmp.Or(p.Machine.Hostname, "local"), Cores: cores}}
}

// LocalNode is the machine corescope ran on, when its cores are in p's
// frames: the first node of a recorded profile (record --node puts it
// first), or the one machine of a profile without nodes. A watched profile
// has none.
func (p *Profile) LocalNode() (Node, bool) {
	if p.Watched() {
		return Node{}, false
	}
	return p.NodeLayout()[0], true
}

// NodeFigures are one node's figures over a profile.
type NodeFigures struct {
	Node
	// MeanBusyCores is the mean of the node's known busy cores over the
	// frames in which it gave figures; PeakBusyCores the highest.
	MeanBusyCores float64
	PeakBusyCores float64
	// Ticks is how many frames the profile has.
	Ticks int
}

// Figures are each node's figures over p, in layout order.
func (p *Profile) Figures() []NodeFigures {
	layout := p.NodeLayout()
	out := make([]NodeFigures, len(layout))
	for i, n := range layout {
		mean, peak := knownMean(p, func(f *Frame) levels.Row { return n.Row(f.Busy) })
		out[i] = NodeFigures{Node: n, Ticks: len(p.Frames), MeanBusyCores: Round(mean, 1e3), PeakBusyCores: Round(peak, 1e3)}
	}
	return out
}

// ClusterBusy is the mean, over p's frames, of every core that gave a
// figure, and the highest: a watch's MachineBusyCores and PeakBusyCores, and
// for a recording beside other nodes, all of them together (its summary's
// machine is this one only).
func (p *Profile) ClusterBusy() (mean, peak float64) {
	mean, peak = knownMean(p, func(f *Frame) levels.Row { return f.Busy })
	return Round(mean, 1e3), Round(peak, 1e3)
}

// checkNodes refuses nodes that do not lay out every frame's cores exactly:
// one after another from core 0, each starting where the one before ended,
// together as many as each frame's Busy holds.
func (p *Profile) checkNodes() error {
	if len(p.Nodes) == 0 {
		return nil
	}
	next := 0
	names := make(map[string]bool, len(p.Nodes))
	for i, n := range p.Nodes {
		field := fmt.Sprintf("nodes[%d]", i)
		switch {
		case n.Name == "":
			return &spec.FieldError{Field: field + ".name", Value: `""`, Allowed: "name every node (host:port)"}
		case names[n.Name]:
			return &spec.FieldError{Field: field + ".name", Value: fmt.Sprintf("%q", n.Name), Allowed: "each node once"}
		case n.Cores < 0 || n.Cores > MaxCores:
			return &spec.FieldError{Field: field + ".cores", Value: fmt.Sprint(n.Cores), Allowed: fmt.Sprintf("use 0..%d", MaxCores)}
		case n.First != next:
			return &spec.FieldError{Field: field + ".first", Value: fmt.Sprint(n.First),
				Allowed: fmt.Sprintf("nodes' cores follow one another from 0 without overlap: this one starts at %d", next)}
		case n.MissedTicks < 0 || n.MissedTicks > len(p.Frames):
			return &spec.FieldError{Field: field + ".missed_ticks", Value: fmt.Sprint(n.MissedTicks),
				Allowed: fmt.Sprintf("use 0..%d, the number of frames", len(p.Frames))}
		}
		names[n.Name] = true
		next += n.Cores
	}
	for i := range p.Frames {
		if len(p.Frames[i].Busy) != next {
			return fmt.Errorf("frame %d has %d cores; its nodes have %d", i+1, len(p.Frames[i].Busy), next)
		}
	}
	return nil
}

// knownMean is the mean, over frames, of each frame's known busy cores in
// the rows row picks (the whole frame, or the local machine's part), and
// the peak; frames with no known core count as no figure, not as zero.
func knownMean(p *Profile, row func(*Frame) levels.Row) (mean, peak float64) {
	n := 0
	for i := range p.Frames {
		r := row(&p.Frames[i])
		if !r.AnyKnown() {
			continue
		}
		v := r.Sum()
		mean += v
		peak = max(peak, v)
		n++
	}
	if n == 0 {
		return 0, 0
	}
	return mean / float64(n), peak
}
