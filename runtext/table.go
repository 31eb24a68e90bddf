package runtext

import (
	"fmt"

	"corescope/profile"
)

// A Column is one figure of the summary table. Each view shows the
// columns it has room for beside the runs' names, which it words itself
// (see Label, Names, Mark); a column reads the same in every view.
type Column int

// The summary table's columns.
const (
	ColModel       Column = iota // how the run ran its tasks (see Model)
	ColWall                      // the subject's wall time
	ColSpeedup                   // against sequential; "-" without a sequential run
	ColCoresUsed                 // CPU seconds over wall time
	ColOthers                    // other programs' mean busy cores; "-" when not measured
	ColCPU                       // CPU seconds of every process of the run
	ColThreads                   // most threads at once; "-" when never sampled
	ColProcs                     // most processes at once; "-" when never sampled
	ColCtxSwitches               // voluntary and involuntary
	ColCost                      // corescope's own CPU, as a share of one core
	ColVerdict                   // the verdict, or why the run failed (see Outcome)
)

// columns holds each Column's heading and cell.
var columns = [...]struct {
	head   string
	number bool
	cell   func(p *profile.Profile) string
}{
	ColModel:       {"model", false, func(p *profile.Profile) string { return Model(p.Spec) }},
	ColWall:        {"wall", true, func(p *profile.Profile) string { return Seconds(p.Summary.WallS) }},
	ColSpeedup:     {"speedup", true, func(p *profile.Profile) string { return Factor(p.Summary.Speedup) }},
	ColCoresUsed:   {"cores used", true, func(p *profile.Profile) string { return fmt.Sprintf("%.2f", p.Summary.CoresUsed) }},
	ColOthers:      {"others", true, others},
	ColCPU:         {"CPU s", true, func(p *profile.Profile) string { return fmt.Sprintf("%.2f", p.Summary.CPUS) }},
	ColThreads:     {"threads", true, func(p *profile.Profile) string { return Sampled(p.Summary, p.Summary.Threads) }},
	ColProcs:       {"procs", true, func(p *profile.Profile) string { return Sampled(p.Summary, p.Summary.Procs) }},
	ColCtxSwitches: {"ctx sw", true, func(p *profile.Profile) string { return fmt.Sprint(p.Summary.CtxSwitches) }},
	ColCost:        {"corescope's cost", true, func(p *profile.Profile) string { return share(p.Summary) }},
	ColVerdict:     {"verdict", false, Outcome},
}

// Head is the column's heading.
func (c Column) Head() string { return columns[c].head }

// Number reports whether the column holds figures, which line up on the right.
func (c Column) Number() bool { return columns[c].number }

// Cell is run p's cell in the column.
func (c Column) Cell(p *profile.Profile) string { return columns[c].cell(p) }

// Heads are the headings of cols.
func Heads(cols []Column) []string {
	hs := make([]string, len(cols))
	for i, c := range cols {
		hs[i] = c.Head()
	}
	return hs
}

// Cells are run p's cells in cols.
func Cells(p *profile.Profile, cols []Column) []string {
	cs := make([]string, len(cols))
	for i, c := range cols {
		cs[i] = c.Cell(p)
	}
	return cs
}

// Seconds writes a duration in seconds: "3.07 s".
func Seconds(s float64) string { return fmt.Sprintf("%.2f s", s) }

// Factor writes a speedup, "1.84x", or "-" when there is none.
func Factor(x *float64) string {
	if x == nil {
		return "-"
	}
	return fmt.Sprintf("%.2fx", *x)
}

// others writes the mean busy cores of everything but run p's subject, or
// "-" for a file recorded before corescope told the two apart.
func others(p *profile.Profile) string {
	if p.Summary.Attribution == "" {
		return "-"
	}
	return fmt.Sprintf("%.2f", p.Summary.OthersBusyCores)
}

// Sampled writes a count read from the process tree, or "-" when the
// subject ended before the first sample could read it.
func Sampled(s profile.Summary, n int) string {
	if !s.TreeSampled() {
		return "-"
	}
	return fmt.Sprint(n)
}

// MaxRSS writes the subject's largest resident memory, "12.3 MiB", or "-"
// when no sample saw the subject (a 0 would say it used none).
func MaxRSS(s profile.Summary) string {
	if !s.TreeSampled() {
		return "-"
	}
	return fmt.Sprintf("%.1f MiB", float64(s.MaxRSS)/(1<<20))
}

// Dropped says what run p's switch timeline kept when its oldest slices
// were dropped (past profile.MaxSlices): "250,000 slices kept, 1,234 older
// dropped"; "" when none was.
func Dropped(p *profile.Profile) string {
	if p.SlicesDropped <= 0 {
		return ""
	}
	return fmt.Sprintf("%s slices kept, %s older dropped", Thousands(len(p.Slices)), Thousands(p.SlicesDropped))
}

// Thousands writes n with its thousands apart: "250,000".
func Thousands(n int) string {
	s := fmt.Sprint(n)
	start := 1
	if n < 0 {
		start = 2 // after the sign
	}
	for i := len(s) - 3; i >= start; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Cost writes corescope's own cost over a run: "3.5% of one core
// (0.083 CPU s)".
func Cost(s profile.Summary) string { return fmt.Sprintf("%s (%.3f CPU s)", share(s), s.SelfCPUS) }

// share is corescope's own cost as a share of one core: "3.5% of one core".
func share(s profile.Summary) string { return fmt.Sprintf("%.1f%% of one core", 100*s.SelfCores) }

// OrDash is s, or "-" when it is empty (unknown).
func OrDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// NodeHeads head the per-node table of a profile with nodes (see NodeCells).
var NodeHeads = []string{"node", "cores", "mean busy", "peak", "missed ticks", "last error"}

// NodeCells are one node's row of the per-node table: its busy cores' mean
// and peak, "-" for a node that never gave a figure (a 0.00 would say it
// was idle), and its missed ticks and last error.
func NodeCells(f profile.NodeFigures) []string {
	mean, peak := "-", "-"
	if !f.Silent(f.Ticks) {
		mean, peak = fmt.Sprintf("%.2f", f.MeanBusyCores), fmt.Sprintf("%.2f", f.PeakBusyCores)
	}
	return []string{f.Name, fmt.Sprint(f.Cores), mean, peak, fmt.Sprintf("%d of %d", f.MissedTicks, f.Ticks), OrDash(f.LastError)}
}

// ClusterCells are the per-node table's "all" row: every node's cores, and
// the mean and peak of the cores that gave a figure (Profile.ClusterBusy).
func ClusterCells(p *profile.Profile) []string {
	cores := profile.NodeCores(p.NodeLayout())
	mean, peak := "-", "-" // no node ever answered: nothing was idle either
	if p.AnyFigure() {
		m, pk := p.ClusterBusy()
		mean, peak = fmt.Sprintf("%.2f", m), fmt.Sprintf("%.2f", pk)
	}
	return []string{"all", fmt.Sprint(cores), mean, peak, "", ""}
}
