package runtext

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"corescope/diagnosis"
	"corescope/profile"
	"corescope/scaling"
)

// Conclude sets what runs ps, shown side by side, conclude: each run's
// speedup against its baseline among them (diagnosis.Speedups), a name for
// a watch of nodes (the recorder leaves it unnamed), what became of a
// failed run's processes, added to its Error, its phases and reasons
// (diagnosis.Of), its verdict (Verdict), which its file keeps, and for a
// sweep's runs their point and the sweep's fitted law (scaling.Conclude).
// The CLI and the window call it wherever the recorder hands them runs,
// before they show or save them, and again as a group of runs grows; a
// profile loaded from a file keeps what was concluded when it was recorded.
func Conclude(ps []*profile.Profile) {
	diagnosis.Speedups(ps)
	for _, p := range ps {
		if p.Label == "" && p.Watched() {
			p.Label = watchLabel(p)
		}
		if note := processNote(p.Summary); note != "" && p.Failed() && !strings.HasSuffix(p.Error, "; "+note) {
			p.Error += "; " + note // what a failed run's verdict shows, once however often it is concluded
		}
		f := diagnosis.Of(p)
		p.Summary.Phases, p.Summary.Reasons = f.Phases, f.Reasons
		p.Summary.Verdict = verdict(p, f)
	}
	scaling.Conclude(ps) // after the reasons, which say what held each point
}

// Verdict says in one sentence what run p's evidence shows (diagnosis.Of):
// for the phase that took the most time, its first reason, with its cores'
// worth of CPU and the evidence in figures, and how long it took of how
// long, with the other phases by name; then how much faster than its
// baseline it finished, what became of processes that left the subject's
// group, and the process limit if the subject reached it (a failed run's
// Error says those). Where no evidence decides, it says what is missing.
// Every number in it is measured. A run shows its stored verdict
// (Outcome); Conclude stores this one.
func Verdict(p *profile.Profile) string { return verdict(p, diagnosis.Of(p)) }

// verdict is Verdict of run p's findings f.
func verdict(p *profile.Profile, f diagnosis.Findings) string {
	v := sentence(p, f)
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

// Capitalized is s with its first letter upper-case, to begin a sentence:
// a verdict begins in lower case, as it follows a label ("verdict  one
// thread did the work..."), and needs one after the notes on its repeats.
func Capitalized(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// sentence words findings f of run p: their main phase's first reason,
// then the speedup.
func sentence(p *profile.Profile, f diagnosis.Findings) string {
	s := p.Summary
	var v string
	switch {
	case p.Failed(): // stopped too: its Error says when, and what became of its processes
		return "failed: " + p.Error
	case f.Case == diagnosis.Watched:
		return clusterVerdict(p)
	case f.Case == diagnosis.NoRunTime:
		v = "no run time was measured"
	case f.Case == diagnosis.TooShort:
		return fmt.Sprintf("too short to judge: it ran for %.3f s, and its figures are those of starting a process", s.WallS)
	default:
		v = mainPhase(p, f)
	}
	if f.Speedup != nil {
		v += speedupClause(p, f)
	}
	return v
}

// mainPhase words the phase of findings f that took the most time: its
// first reason with its cores' worth of CPU and evidence, and, when there
// were others, how long it took of the run and the others by name:
// "parallel (1.94 cores' worth of CPU): ..., for 20.00 s of 60.00 s; 2
// other phases: one thread 20.00 s, waiting 20.00 s".
func mainPhase(p *profile.Profile, f diagnosis.Findings) string {
	head, evidence := reasonParts(p, f.Primary())
	v := fmt.Sprintf("%s (%.2f cores' worth of CPU)", head, f.Used)
	if evidence != "" {
		v += ": " + evidence
	}
	if len(f.Phases) < 2 {
		return v
	}
	var others []string
	for k, ph := range f.Phases {
		if k != f.Main {
			others = append(others, PhaseName(f.In(k)[0])+" "+Seconds(ph.EndS-ph.StartS))
		}
	}
	main, first, last := f.Phases[f.Main], f.Phases[0], f.Phases[len(f.Phases)-1]
	return fmt.Sprintf("%s, for %s of %s; %s: %s", v, Seconds(main.EndS-main.StartS), Seconds(last.EndS-first.StartS),
		Count(len(others), "other phase"), strings.Join(others, ", "))
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
