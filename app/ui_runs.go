package app

import (
	"fyne.io/fyne/v2/container"

	"corescope/profile"
)

// addRunBars puts a run bar over the Live and the Threads view and wires
// the session's runs to the views: New calls it before the tabs take the
// views' contents, which from then on include the bars.
func (u *UI) addRunBars() {
	u.bars = runBars{live: newRunBar(u.selectRun), threads: newRunBar(u.selectRun)}
	u.live.content = container.NewBorder(u.bars.live.content, nil, nil, nil, u.live.content)
	u.threads.content = container.NewBorder(u.bars.threads.content, nil, nil, nil, u.threads.content)
	u.compare.onSelect = u.selectRun
	u.scaling.onSelect = u.selectRun
	u.compare.onGroup = u.chooseGroup
	u.compare.onBaseline = u.pickBaseline
	u.updateRuns()
}

// addRuns adds ps to group g of the session and shows g and the last of ps.
func (u *UI) addRuns(g *runGroup, ps ...*profile.Profile) {
	u.add(g, ps...)
	u.showGroup()
	u.showProfile(u.shown)
	u.updateButtons()
	u.updateRuns()
}

// selectRun shows run p in Live and Threads, and its group in Compare.
func (u *UI) selectRun(p *profile.Profile) {
	if !u.allowed(true).pick || p == u.shown {
		return
	}
	group := u.group
	u.show(p)
	if u.group != group {
		u.showGroup()
	} else {
		u.compare.show(p) // keeps the zoom
	}
	u.showProfile(p)
	u.updateRuns()
}

// chooseGroup shows the group at index i of the comparison selector, and
// its last run in Live and Threads.
func (u *UI) chooseGroup(i int) {
	if !u.allowed(true).pick {
		return
	}
	u.choose(i)
	u.showGroup()
	u.showProfile(u.shown)
	u.updateRuns()
}

// pickBaseline measures the shown group's speedups against the run
// labelled label, and shows them again.
func (u *UI) pickBaseline(label string) {
	if u.group == nil || u.job != nil {
		return
	}
	u.group.setBaseline(label)
	u.showGroup()
	u.updateRuns()
}

// clearRuns empties the session.
func (u *UI) clearRuns() {
	if !u.allowed(true).clear {
		return
	}
	u.clear()
	u.showGroup()
	u.updateButtons()
	u.updateRuns()
}

// showGroup puts the session's group in the Compare tab, its shown run
// marked, and its sweeps in the Scaling tab.
func (u *UI) showGroup() {
	var runs []*profile.Profile
	if u.group != nil {
		runs = u.group.runs
	}
	u.compare.shown = u.shown
	u.compare.set(runs)
	u.scaling.set(runs)
}

// updateRuns makes the selectors, the run bars and the Clear button follow
// the session: what it holds, what is shown, what the user may do now.
func (u *UI) updateRuns() {
	can := u.allowed(true)
	setEnabled(u.compare.clearBtn, can.clear)
	u.compare.setGroups(u.choices(), u.chosen(), can.pick)
	labels, current := u.group.baselines()
	u.compare.setBaselines(labels, current, can.pick)
	names, runs := u.runChoices()
	shown := u.shown
	if u.job != nil {
		shown = nil
	}
	note := ""
	if shown != nil {
		note = rowNotes(u.rowOf(shown))
	}
	for _, b := range []*runBar{u.bars.live, u.bars.threads} {
		b.set(names, runs, shown, note, can.pick, u.job != nil)
	}
}
