package runtext

import (
	"fmt"

	"corescope/diagnosis"
	"corescope/profile"
)

// A Column is one figure of the summary table. Each view shows the
// columns it has room for beside the runs' names, which it words itself
// (see Label, Names, Mark); a column reads the same in every view.
type Column int

// The summary table's columns.
const (
	ColModel       Column = iota // how the run ran its tasks (see Model)
	ColWall                      // the subject's wall time; with repeats, their median (min–max)
	ColSpeedup                   // against the baseline, over the whole wall; "-" without one
	ColCoresUsed                 // CPU seconds over wall time
	ColOthers                    // other programs' mean busy cores; "-" when not measured
	ColCPU                       // CPU seconds of every process of the run
	ColThreads                   // most threads at once; "-" when never sampled
	ColProcs                     // most processes at once; "-" when never sampled
	ColCtxSwitches               // voluntary and involuntary
	ColCost                      // corescope's own CPU, as a share of one core
	ColVerdict                   // the verdict, or why the run failed (see Outcome)
	ColStartup                   // the start-up before the work (diagnosis.StartupOf); median over repeats
	ColWorkSpeedup               // against the baseline, over the work span: the wall after start-up
	ColNoise                     // what made the figures unreliable (see Noise); "-" when nothing
)

// A Row is one line of the summary table: a group of repeats of one run
// (diagnosis.Groups), its spreads over them, and the figures of the run
// that stands for it (Group.Shown). A run alone is a group of one.
type Row struct {
	Group diagnosis.Group
	Run   *profile.Profile
}

// Rows are the table's lines for runs ps, a group of repeats a line, in
// the order the groups began.
func Rows(ps []*profile.Profile) []Row {
	var rows []Row
	for _, g := range diagnosis.Groups(ps) {
		rows = append(rows, Row{g, g.Shown()})
	}
	return rows
}

// Wall is the wall a row's bar shows: its repeats' median, or the run's
// own where none counts (a failed run).
func (r Row) Wall() float64 {
	if w := r.Group.Wall(); w.N > 0 {
		return w.Median
	}
	return r.Run.Summary.WallS
}

// Shown are the runs that stand for rows, in order.
func Shown(rows []Row) []*profile.Profile {
	ps := make([]*profile.Profile, len(rows))
	for i, r := range rows {
		ps[i] = r.Run
	}
	return ps
}

// Groups are the groups of rows, in order.
func Groups(rows []Row) []diagnosis.Group {
	gs := make([]diagnosis.Group, len(rows))
	for i, r := range rows {
		gs[i] = r.Group
	}
	return gs
}

// columns holds each Column's heading and cell.
var columns = [...]struct {
	head   string
	number bool
	cell   func(r Row) string
}{
	ColModel:       {"model", false, func(r Row) string { return Model(r.Run.Spec) }},
	ColWall:        {"wall", true, func(r Row) string { return wall(r) }},
	ColSpeedup:     {"speedup", true, func(r Row) string { return Speedup(r.Run.Summary.Speedup, r.Run.Summary.SpeedupRange) }},
	ColCoresUsed:   {"cores used", true, func(r Row) string { return fmt.Sprintf("%.2f", r.Run.Summary.CoresUsed) }},
	ColOthers:      {"others", true, func(r Row) string { return others(r.Run) }},
	ColCPU:         {"CPU s", true, func(r Row) string { return fmt.Sprintf("%.2f", r.Run.Summary.CPUS) }},
	ColThreads:     {"threads", true, func(r Row) string { return Sampled(r.Run.Summary, r.Run.Summary.Threads) }},
	ColProcs:       {"procs", true, func(r Row) string { return Sampled(r.Run.Summary, r.Run.Summary.Procs) }},
	ColCtxSwitches: {"ctx sw", true, func(r Row) string { return fmt.Sprint(r.Run.Summary.CtxSwitches) }},
	ColCost:        {"corescope's cost", true, func(r Row) string { return share(r.Run.Summary) }},
	ColVerdict:     {"verdict", false, func(r Row) string { return Outcome(r.Run) }},
	ColStartup:     {"start-up", true, startup},
	ColWorkSpeedup: {"work speedup", true, func(r Row) string {
		return Speedup(r.Run.Summary.WorkSpeedup, r.Run.Summary.WorkSpeedupRange)
	}},
	ColNoise: {"noise", false, func(r Row) string { return OrDash(Noise(r.Group)) }},
}

// Head is the column's heading.
func (c Column) Head() string { return columns[c].head }

// Number reports whether the column holds figures, which line up on the right.
func (c Column) Number() bool { return columns[c].number }

// Cell is run p's cell in the column, p alone: a repeat's figures are its
// own but for its speedups, which are its group's (RowCell has the
// group's spreads).
func (c Column) Cell(p *profile.Profile) string {
	return columns[c].cell(Row{diagnosis.Group{Runs: []*profile.Profile{p}}, p})
}

// RowCell is row r's cell in the column.
func (c Column) RowCell(r Row) string { return columns[c].cell(r) }

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

// RowCells are row r's cells in cols.
func RowCells(r Row, cols []Column) []string {
	cs := make([]string, len(cols))
	for i, c := range cols {
		cs[i] = c.RowCell(r)
	}
	return cs
}

// wall is a row's wall time: its repeats' median with their spread, or
// the run's own when none counts (a failed run's).
func wall(r Row) string {
	if len(r.Group.Measured()) == 0 {
		return Seconds(r.Run.Summary.WallS)
	}
	return Spread(r.Group.Wall(), " s")
}

// startup is a row's start-up: its repeats' median, "-" when the run has
// none that its evidence tells apart.
func startup(r Row) string {
	s := r.Group.Startup()
	if s.N == 0 {
		s = diagnosis.SpreadOf([]float64{diagnosis.StartupS(r.Run)})
	}
	if s.Median <= 0 {
		return "-"
	}
	return Seconds(s.Median)
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
