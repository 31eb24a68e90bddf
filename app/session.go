package app

import (
	"fmt"
	"path/filepath"
	"slices"

	"corescope/profile"
	"corescope/runtext"
	"corescope/spec"
)

// session is what the window holds besides its widgets: the runs, grouped
// as they came (each "Compare all" its own comparison, single runs
// together, each opened file apart) so that a new comparison does not
// squash into the last one; the group the Compare tab shows and the run
// Live and Threads show; the job recording more, an export being written;
// and from these alone, what the user may do now (allowed). UI goroutine
// only.
type session struct {
	runs      []*profile.Profile // every run, in the order they ended or were opened: what Save writes
	groups    []*runGroup        // the same runs by how they came, oldest first
	group     *runGroup          // the group the Compare tab shows and exports write; nil without runs
	shown     *profile.Profile   // the run Live and Threads show; nil without runs
	job       *job               // the run in progress; nil when idle
	exporting bool               // an export is being written
	closing   bool               // the window closes once the job or the export is done
}

// groupKind is how the runs of a group came.
type groupKind int

const (
	comparison  groupKind = iota // one "Compare all"
	singleRuns                   // every single Run of the session
	openedFile                   // the runs of one file
	commandRuns                  // every command Run of the session
)

// runGroup is runs that belong side by side: one time scale in the Compare
// tab, speedups against the group's own baseline (its sequential run, or
// for commands the one picked: baseline).
type runGroup struct {
	kind groupKind
	n    int    // a comparison's number, from 1
	file string // an opened file's name
	runs []*profile.Profile
	// baseline is the label of the command speedups are measured against:
	// the first command's, or the one the user picked; "" for other groups,
	// whose runs are measured against the sequential run of their workload.
	baseline string
}

// String names the group as the comparison selector lists it:
// "Comparison 2 (5 runs, cpu)", "Single runs (3)", "old.json (5 runs)".
func (g *runGroup) String() string {
	switch g.kind {
	case comparison:
		what := ""
		if len(g.runs) > 0 {
			what = ", " + string(g.runs[0].Spec.Workload)
		}
		return fmt.Sprintf("Comparison %d (%s%s)", g.n, runtext.Count(len(g.runs), "run"), what)
	case singleRuns:
		return fmt.Sprintf("Single runs (%d)", len(g.runs))
	case commandRuns:
		return fmt.Sprintf("Commands (%d)", len(g.runs))
	}
	return fmt.Sprintf("%s (%s)", g.file, runtext.Count(len(g.runs), "run"))
}

// groupFor is the group a job of specs joins: a new comparison for a job
// of several specs, the commands' group for a command, the single runs'
// group otherwise.
func (s *session) groupFor(specs []spec.Spec) *runGroup {
	kind := singleRuns
	if len(specs) == 1 && specs[0].Backend == spec.BackendCommand {
		kind = commandRuns
	}
	if len(specs) > 1 {
		n := 1
		for _, g := range s.groups {
			if g.kind == comparison {
				n = g.n + 1
			}
		}
		return &runGroup{kind: comparison, n: n}
	}
	for _, g := range s.groups {
		if g.kind == kind {
			return g
		}
	}
	return &runGroup{kind: kind}
}

// fileGroup is a new group for the runs of the file at path.
func fileGroup(path string) *runGroup { return &runGroup{kind: openedFile, file: filepath.Base(path)} }

// add puts ps in group g (joining the session if new), concludes the runs
// the recorder made (each one's speedup against the group's own baseline,
// and its verdict: runtext.Conclude), and shows g and the last of ps. Runs
// opened from a file keep what their file concluded.
func (s *session) add(g *runGroup, ps ...*profile.Profile) {
	if len(ps) == 0 {
		return
	}
	if !slices.Contains(s.groups, g) {
		s.groups = append(s.groups, g)
	}
	g.runs = append(g.runs, ps...)
	s.runs = append(s.runs, ps...)
	if g.kind != openedFile {
		g.conclude()
	}
	s.group, s.shown = g, ps[len(ps)-1]
}

// choices name the groups for the comparison selector, newest first.
func (s *session) choices() []string {
	names := make([]string, len(s.groups))
	for i, g := range s.groups {
		names[len(s.groups)-1-i] = g.String()
	}
	return names
}

// chosen is the index among choices of the group shown, -1 without runs.
func (s *session) chosen() int {
	if i := slices.Index(s.groups, s.group); i >= 0 {
		return len(s.groups) - 1 - i
	}
	return -1
}

// choose shows the group at index i of choices, and its last run.
func (s *session) choose(i int) {
	if i < 0 || i >= len(s.groups) {
		return
	}
	g := s.groups[len(s.groups)-1-i]
	s.group, s.shown = g, g.runs[len(g.runs)-1]
}

// show makes p the run Live and Threads show, and its group the one the
// Compare tab shows.
func (s *session) show(p *profile.Profile) {
	for _, g := range s.groups {
		if slices.Contains(g.runs, p) {
			s.group, s.shown = g, p
		}
	}
}

// runChoices name every run for the run selector, grouped newest group
// first, each group's repeats together: "Comparison 2: threads", "Comparison
// 3: threads, repeat 2 of 3"; names are unique within a group.
func (s *session) runChoices() (names []string, runs []*profile.Profile) {
	for i := len(s.groups) - 1; i >= 0; i-- {
		g := s.groups[i]
		title := g.String()
		rows := runtext.Rows(g.runs)
		for j, name := range runtext.Names(runtext.Shown(rows)) {
			for _, p := range rows[j].Group.Runs {
				of := rows[j].Group.Repeats()
				if p.Warmup {
					of = rows[j].Group.Warmups()
				}
				names = append(names, title+": "+runtext.Mark(runtext.Repeat(name, p.Repeat, of, p.Warmup), p))
				runs = append(runs, p)
			}
		}
	}
	return names, runs
}

// rowOf is the row of the session's groups that holds run p, as the one
// run it stands for: what the run bars explain it with.
func (s *session) rowOf(p *profile.Profile) runtext.Row {
	for _, g := range s.groups {
		if slices.Contains(g.runs, p) {
			for _, r := range runtext.Rows(g.runs) {
				if slices.Contains(r.Group.Runs, p) {
					return runtext.Row{Group: r.Group, Run: p}
				}
			}
		}
	}
	return runtext.Rows([]*profile.Profile{p})[0]
}

// clear forgets every run.
func (s *session) clear() { s.runs, s.groups, s.group, s.shown = nil, nil, nil, nil }

// actions are what the user may do at one moment; the buttons and the
// menu items follow them.
type actions struct {
	run, stop, open, save, export bool
	pick, clear                   bool
}

// allowed is what the user may do now; fieldsValid says whether the
// controls make a runnable spec.
//   - Run while idle with valid fields: one job at a time, and not while an
//     export writes the runs a new run would add to.
//   - Stop while a job runs and was not stopped yet.
//   - Open unless an export is being written (opening adds runs).
//   - Save and export when there are runs; exports also wait for the job,
//     whose runs would change what they write.
//   - Pick a run or a comparison to show when there are runs and no job:
//     while one runs, Live and Threads show it.
//   - Clear the runs while idle, so no run ends into a forgotten group.
func (s *session) allowed(fieldsValid bool) actions {
	idle := s.job == nil && !s.exporting
	hasRuns := len(s.runs) > 0
	return actions{
		run:    idle && fieldsValid,
		stop:   s.job != nil && !s.job.stopped,
		open:   !s.exporting,
		save:   hasRuns && !s.exporting,
		export: idle && hasRuns,
		pick:   s.job == nil && hasRuns,
		clear:  idle && hasRuns,
	}
}
