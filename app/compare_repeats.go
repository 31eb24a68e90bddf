package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"corescope/profile"
	"corescope/runtext"
)

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

// rowNotes is what a row's verdict says first (runtext.Notes), each
// sentence ended by a space; "" when none applies.
func rowNotes(r runtext.Row) string {
	notes := runtext.Notes(r)
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
