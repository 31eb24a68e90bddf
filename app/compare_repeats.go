package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"corescope/profile"
	"corescope/runtext"
)

// rowWall is the wall a row's bar shows: its repeats' median, or the
// run's own where none counts (a failed run).
func rowWall(r runtext.Row) float64 {
	if w := r.Group.Wall(); w.N > 0 {
		return w.Median
	}
	return r.Run.Summary.WallS
}

// spreadUnder puts a cell's spread over the repeats, "2.38 s (2.31–2.45)",
// on a line of its own under its figure, "2.38 s" over "2.31–2.45", so the
// table stays narrow.
func spreadUnder(cell string) string {
	figure, spread, ok := strings.Cut(cell, " (")
	if !ok {
		return cell
	}
	return figure + "\n" + strings.TrimSuffix(spread, ")")
}

// rowNotes is what a row's verdict says first, each ended by ". ": which of
// its repeats the figures and the lanes show ("repeat 2 of 3, the median
// wall"), what made them unreliable (runtext.Noise), its speedup over the
// work after start-up where that differs, and what its start-up was
// (runtext.Startup); "" when none applies.
func rowNotes(r runtext.Row) string {
	var notes []string
	if which := runtext.Which(r.Group, r.Run); which != "" {
		notes = append(notes, "Shown: "+which+".")
	}
	if noise := runtext.Noise(r.Group); noise != "" {
		notes = append(notes, runtext.Capitalized(noise)+".")
	}
	if work := r.Run.Summary.WorkSpeedup; work != nil && r.Run.Summary.Speedup != nil && *work != *r.Run.Summary.Speedup {
		notes = append(notes, "Over the work after start-up: "+runtext.ColWorkSpeedup.RowCell(r)+".")
	}
	if st := runtext.Startup(r.Run); st != "" {
		notes = append(notes, st)
	}
	if len(notes) == 0 {
		return ""
	}
	return strings.Join(notes, " ") + " "
}

// withNotes is run p's verdict and why after its row's notes (rowNotes),
// where the verdict begins a sentence of its own.
func withNotes(notes string, p *profile.Profile) string {
	text := runtext.OutcomeAndWhy(p)
	if notes != "" {
		text = runtext.Capitalized(text)
	}
	return notes + text
}

// baselinePicker is the selector of the run speedups are measured
// against, with its label; hidden until a group offers two or more.
func (v *compareView) baselinePicker() *fyne.Container {
	v.baseline = widget.NewSelect(nil, func(label string) {
		if !v.choosing && v.onBaseline != nil {
			v.onBaseline(label)
		}
	})
	v.baselineRow = container.NewHBox(widget.NewLabel("Speedups against"), v.baseline)
	v.baselineRow.Hide()
	return v.baselineRow
}

// setBaselines offers labels as the baseline, current chosen; fewer than
// two hide the picker (an opened file keeps what it concluded, and offers
// none).
func (v *compareView) setBaselines(labels []string, current string, enabled bool) {
	v.choosing = true
	defer func() { v.choosing = false }()
	if len(labels) < 2 {
		v.baselineRow.Hide()
		return
	}
	v.baseline.Options = labels
	v.baseline.SetSelected(current)
	setEnabled(v.baseline, enabled)
	v.baselineRow.Show()
	v.baseline.Refresh()
}
