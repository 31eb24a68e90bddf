package app

import (
	"slices"

	"corescope/diagnosis"
	"corescope/runtext"
)

// conclude gives the group's runs their speedups against its baseline and
// their verdicts (runtext.Conclude): for commands the one picked, at first
// the first command, as compare --cmd measures against the first --cmd.
func (g *runGroup) conclude() {
	if g.baseline == "" && g.kind == commandRuns && len(g.runs) > 0 {
		g.baseline = runtext.Label(g.runs[0])
	}
	if g.baseline != "" {
		for _, p := range g.runs {
			p.Spec.Baseline = g.baseline
		}
	}
	runtext.Conclude(g.runs)
}

// baselines are what the commands' speedups may be measured against:
// each of its runs' labels once, in the order they came, and the one they
// are measured against now. Other groups offer none: a comparison of the
// models is measured against its sequential run, and an opened file's
// runs keep what their file concluded.
func (g *runGroup) baselines() (labels []string, current string) {
	if g == nil || g.kind != commandRuns || len(g.runs) == 0 {
		return nil, ""
	}
	for _, p := range g.runs {
		if l := runtext.Label(p); !slices.Contains(labels, l) {
			labels = append(labels, l)
		}
	}
	return labels, diagnosis.BaselineName(g.runs[len(g.runs)-1])
}

// setBaseline measures the group's speedups against the run labelled
// label, from now on.
func (g *runGroup) setBaseline(label string) {
	if g.kind != commandRuns || label == g.baseline {
		return
	}
	g.baseline = label
	g.conclude()
}
