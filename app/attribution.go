package app

import (
	"fyne.io/fyne/v2/widget"

	"corescope/profile"
)

// approximateNote is what an approximate run says beside its pictures.
const approximateNote = "Approximate: each thread's CPU put on the core it last ran on."

// unmeasuredNote is what a run without the subject's per-core load says:
// older files, and live runs whose recorder does not measure it.
const unmeasuredNote = "The subject's own per-core load was not measured: the heatmap and the bars show the whole machine."

// attributionText is the note beside the pictures of a run: "" when they
// are exact, approximateNote and the profile's reason when they are not.
// known says whether the subject's per-core load was measured at all.
func attributionText(attribution, reason string, known bool) string {
	switch {
	case !known:
		return unmeasuredNote
	case attribution != profile.AttributionApproximate:
		return ""
	case reason == "":
		return approximateNote
	}
	return approximateNote + " " + reason
}

// showNote shows text in l, or hides l when text is empty, redrawing only
// on a change.
func showNote(l *widget.Label, text string) {
	if l.Text == text && l.Visible() == (text != "") {
		return
	}
	l.SetText(text)
	l.Hidden = text == ""
	l.Refresh()
}
