package app

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"corescope/profile"
)

// runBar tops the Live and the Threads tab: which of the session's runs
// they show (any run can be picked), its verdict and why its picture looks
// as it does.
type runBar struct {
	pick    *widget.Select
	why     *widget.Label
	content *fyne.Container
	runs    []*profile.Profile // the run each of pick's options names
	setting bool               // pick is being set, not picked from
}

// runBars are the Live tab's and the Threads tab's.
type runBars struct{ live, threads *runBar }

func newRunBar(onPick func(*profile.Profile)) *runBar {
	b := &runBar{why: widget.NewLabel("")}
	b.pick = widget.NewSelect(nil, func(string) {
		if i := b.pick.SelectedIndex(); !b.setting && i >= 0 && i < len(b.runs) {
			onPick(b.runs[i])
		}
	})
	b.why.Wrapping, b.why.SizeName = fyne.TextWrapWord, theme.SizeNameCaptionText
	b.why.Hide()
	b.content = container.NewVBox(container.NewBorder(nil, nil, widget.NewLabel("Showing"), nil, b.pick), b.why)
	return b
}

// set lists the runs (named by names), shown selected, explained after
// note (rowNotes); enabled says whether the user may pick another now. While a job records, shown is nil:
// the views show the run in progress, which has no figures yet.
func (b *runBar) set(names []string, runs []*profile.Profile, shown *profile.Profile, note string, enabled, recording bool) {
	b.setting = true
	defer func() { b.setting = false }()
	b.runs = runs
	b.pick.Options = names
	b.pick.PlaceHolder = "No runs yet"
	if recording {
		b.pick.PlaceHolder = "The run in progress"
	}
	if i := slices.Index(runs, shown); i >= 0 {
		b.pick.SetSelectedIndex(i)
	} else {
		b.pick.ClearSelected()
	}
	setEnabled(b.pick, enabled)
	why := ""
	if shown != nil {
		why = withNotes(note, shown)
	}
	showNote(b.why, why)
}
