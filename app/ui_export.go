package app

import (
	"fmt"
	"slices"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"corescope/profile"
	"corescope/report"
)

// exportKind is a kind of file the session's runs can be exported as.
type exportKind struct {
	what  string // what the messages call it
	name  string // the file name the save dialog suggests
	write func(path string, ps []*profile.Profile) error
}

var (
	exportPNG = exportKind{"PNG report", "corescope-report.png", func(path string, ps []*profile.Profile) error {
		return report.WritePNG(path, ps, report.Options{})
	}}
	exportHTML = exportKind{"HTML report", "corescope-report.html", func(path string, ps []*profile.Profile) error {
		return report.WriteHTML(path, ps, report.Options{})
	}}
	exportCSV   = exportKind{"CSV", "corescope-samples.csv", report.WriteCSV}
	exportTrace = exportKind{"trace", "corescope-trace.json", report.WriteTrace}
)

func (u *UI) showExport(k exportKind) {
	if !u.allowed(true).export {
		return
	}
	u.askSavePath(k.name, func(path string) { u.export(k, path) })
}

// export writes the runs the Compare tab shows (one comparison, not every
// run of the session on one scale) off the UI goroutine while a dialog
// shows that it is working; the outcome goes to the status line, or to an
// error dialog that says why.
func (u *UI) export(k exportKind, path string) {
	if !u.allowed(true).export {
		return
	}
	runs := slices.Clone(u.group.runs)
	u.exporting = true
	u.updateButtons()
	u.updateRuns()
	bar := widget.NewProgressBarInfinite()
	working := dialog.NewCustomWithoutButtons("Exporting the "+k.what, container.NewVBox(widget.NewLabel(path), bar), u.win)
	working.Show()
	go func() {
		err := k.write(path, runs)
		u.do(func() {
			bar.Stop()
			working.Hide()
			u.exporting = false
			u.updateButtons()
			u.updateRuns()
			switch {
			case u.closing:
				u.win.Close()
			case err != nil:
				u.setStatus("The " + k.what + " was not exported")
				dialog.ShowError(fmt.Errorf("the %s was not exported: %w", k.what, err), u.win)
			default:
				u.setStatus(fmt.Sprintf("Exported the %s of %d runs to %s", k.what, len(runs), path))
			}
		})
	}()
}
