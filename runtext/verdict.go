package runtext

import (
	"fmt"
	"slices"
	"strings"

	"corescope/diagnosis"
	"corescope/profile"
)

// Conclude sets what runs ps, shown side by side, conclude: each run's
// speedup against its baseline among them (diagnosis.Speedups), a name for
// a watch of nodes (the recorder leaves it unnamed), what became of a
// failed run's processes, added to its Error, and its verdict (Verdict),
// the sentence its file keeps. The CLI and the window call it wherever the
// recorder hands them runs, before they show or save them, and again as a
// group of runs grows; a profile loaded from a file keeps what was
// concluded when it was recorded.
func Conclude(ps []*profile.Profile) {
	diagnosis.Speedups(ps)
	for _, p := range ps {
		if p.Label == "" && p.Watched() {
			p.Label = watchLabel(p)
		}
		if note := processNote(p.Summary); note != "" && p.Failed() && !strings.HasSuffix(p.Error, "; "+note) {
			p.Error += "; " + note // what a failed run's verdict shows, once however often it is concluded
		}
		p.Summary.Verdict = Verdict(p)
	}
}

// Verdict says in one sentence what run p's figures show (diagnosis.Of):
// how many cores' worth of CPU it kept busy (over its tasks' span when it
// reported tasks, so start-up does not decide it), why when the reason is
// known, how much faster than its baseline it finished, and whether other
// programs competed for the cores; then what became of processes that
// left the subject's group, and the process limit if the subject reached
// it (a failed run's Error says those). Every number in it is measured.
// A run shows its stored verdict (Outcome); Conclude stores this one.
func Verdict(p *profile.Profile) string {
	v := sentence(p, diagnosis.Of(p))
	if note := processNote(p.Summary); note != "" && !p.Failed() {
		v += "; " + note
	}
	return v
}

// Outcome is how run p ended, as every view shows it: its stored verdict,
// or, for a run that did not finish well, why.
func Outcome(p *profile.Profile) string {
	switch {
	case !p.Failed():
		return p.Summary.Verdict
	case p.Stopped():
		return p.Error
	case p.ExitCode > 0:
		return fmt.Sprintf("failed (exit %d): %s", p.ExitCode, p.Error)
	default:
		return "failed: " + p.Error
	}
}

// OutcomeAndWhy is run p's Outcome, then Why its picture looks as it
// does: what the window's Compare tab and the HTML report say under a run.
func OutcomeAndWhy(p *profile.Profile) string {
	text := Outcome(p) + "."
	if why := Why(p); why != "" {
		text += " " + why
	}
	return text
}

// sentence words findings f of run p: their case, then the speedup, then
// the other programs that competed, unless the case named them.
func sentence(p *profile.Profile, f diagnosis.Findings) string {
	s := p.Summary
	var v string
	switch f.Case {
	case diagnosis.Failed:
		return "failed: " + p.Error
	case diagnosis.Watched:
		return clusterVerdict(p)
	case diagnosis.NoRunTime:
		v = "no run time was measured"
	case diagnosis.TooShort:
		return fmt.Sprintf("too short to judge: it ran for %.3f s, and its figures are those of starting a process", s.WallS)
	default:
		v = caseText(p, f)
	}
	if f.Speedup != nil {
		v += speedupClause(p, f)
	}
	if f.Competed && !strings.Contains(v, "other programs") {
		v += fmt.Sprintf("; other programs kept %.2f cores busy beside it", s.OthersBusyCores)
	}
	return v
}

// caseText words the cases judged by the cores' worth of CPU the run used:
// well under one core (waiting or starved), about one core (and what held
// it there, where the figures tell), or parallel.
func caseText(p *profile.Profile, f diagnosis.Findings) string {
	s := p.Summary
	waiting := "partly waiting"
	if f.MostlyWaiting {
		waiting = "mostly waiting"
	}
	n := f.BusyThreads
	switch f.Case {
	case diagnosis.StarvedByOthers:
		return fmt.Sprintf("starved: %.2f cores' worth of CPU while other programs kept %.2f cores busy", f.Used, s.OthersBusyCores)
	case diagnosis.StarvedOnBusyMachine:
		return fmt.Sprintf("starved: %.2f cores' worth of CPU while the machine kept %.2f cores busy", f.Used, s.MachineBusyCores)
	case diagnosis.WaitingOnIO:
		return fmt.Sprintf("%s on I/O: %.2f cores' worth of CPU", waiting, f.Used)
	case diagnosis.WaitingOrSqueezed:
		return fmt.Sprintf("%s, idle or squeezed by other programs: %.2f cores' worth of CPU while they kept %.2f cores busy", waiting, f.Used, s.OthersBusyCores)
	case diagnosis.WaitingOrIdle:
		return fmt.Sprintf("%s or idle: %.2f cores' worth of CPU", waiting, f.Used)
	case diagnosis.OneTaskAtATime:
		return fmt.Sprintf("one task at a time: %.2f cores' worth", f.Used)
	case diagnosis.ThreadsWithoutGIL:
		return fmt.Sprintf("one core's worth of CPU at a time (%.2f), though this Python has no GIL", f.Used)
	case diagnosis.GILBound:
		return fmt.Sprintf("GIL-bound: one core's worth of CPU at a time (%.2f)", f.Used)
	case diagnosis.EventLoop:
		return fmt.Sprintf("one event loop: one core's worth of CPU at a time (%.2f)", f.Used)
	case diagnosis.OneCore:
		return fmt.Sprintf("one core's worth of CPU at a time (%.2f)", f.Used)
	case diagnosis.CrowdedUnknown:
		return fmt.Sprintf("%d busy threads got %.2f cores' worth of CPU, all there was room for: too crowded to tell whether something holds them to one core", n, f.Used)
	case diagnosis.CrowdedTogether:
		return fmt.Sprintf("%d busy threads got %.2f cores' worth of CPU, all there was room for, and ran at the same time whenever they could (two on cores at once for %.0f%% of the run)", n, f.Used, 100*f.Together)
	case diagnosis.HeldByGIL:
		return fmt.Sprintf("%d busy threads held to one core's worth of CPU (%.2f): CPython's GIL runs one thread's Python code at a time", n, f.Used)
	case diagnosis.HeldByLock:
		return fmt.Sprintf("%d busy threads held to one core's worth of CPU (%.2f): something, such as a lock, lets one run at a time", n, f.Used)
	}
	return fmt.Sprintf("parallel: %.2f of %d cores busy", f.Used, p.Machine.LogicalCores)
}

// clusterVerdict is a watched profile's sentence: its nodes and cores, how
// busy they were on average, and the nodes that missed ticks.
func clusterVerdict(p *profile.Profile) string {
	cores := profile.NodeCores(p.Nodes)
	s := p.Summary
	if !p.AnyFigure() {
		return fmt.Sprintf("%s: none gave a figure", Count(len(p.Nodes), "node"))
	}
	v := fmt.Sprintf("%s, %s: %.2f busy on average", Count(len(p.Nodes), "node"), Count(cores, "core"), s.MachineBusyCores)
	if cores > 0 {
		v += fmt.Sprintf(" (%.0f%%)", 100*s.MachineBusyCores/float64(cores))
	}
	v += fmt.Sprintf(", peak %.2f", s.PeakBusyCores)
	for _, n := range p.Nodes {
		if n.MissedTicks > 0 {
			v += fmt.Sprintf("; %s missed %d of %d ticks", n.Name, n.MissedTicks, len(p.Frames))
		}
	}
	return v
}

// watchLabel names a watch of nodes: "watch of 3 nodes", or, for the
// history a Prometheus server kept (report --prometheus), "history of 3
// nodes".
func watchLabel(p *profile.Profile) string {
	if scraped(p) {
		return "watch of " + Count(len(p.Nodes), "node")
	}
	return "history of " + Count(len(p.Nodes), "node")
}

// scraped reports whether watched profile p scraped its nodes live, rather
// than reading a Prometheus server's history, whose nodes have no URL.
func scraped(p *profile.Profile) bool {
	return slices.ContainsFunc(p.Nodes, func(n profile.Node) bool { return n.URL != "" })
}

// processNote says what became of the run's processes beyond its verdict's
// figures: those that left the subject's process group, ended or not, and
// the process limit, when the subject reached it. Empty when neither.
func processNote(s profile.Summary) string {
	var notes []string
	for _, ended := range []bool{true, false} {
		var named []string
		for _, e := range s.Escaped {
			if e.Ended != ended {
				continue
			}
			if ended {
				named = append(named, fmt.Sprintf("%s (pid %d)", e.Command, e.PID))
			} else {
				named = append(named, fmt.Sprintf("%s (pid %d: %s)", e.Command, e.PID, e.Why))
			}
		}
		if len(named) == 0 {
			continue
		}
		what := "ended"
		if !ended {
			what = "could not end"
		}
		notes = append(notes, fmt.Sprintf("%s %s that had left the subject's process group: %s", what, Count(len(named), "process"), strings.Join(named, ", ")))
	}
	if l := s.ProcessLimit; l != nil {
		notes = append(notes, fmt.Sprintf("the subject reached the process limit: %d processes and threads of its user counted at once, against its limit of %d (ulimit -u %d, less %d kept for corescope's own threads)",
			l.Peak, l.Limit, l.Ulimit, l.Ulimit-l.Limit))
	}
	return strings.Join(notes, "; ")
}
