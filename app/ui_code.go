package app

import (
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"corescope/assets"
	"corescope/runners"
	"corescope/runtext"
	"corescope/spec"
)

// showCode opens a dialog with the code of the chosen model, a tab a model
// for Compare all: the exact Python script the Python backend runs, so the
// learner reads the code whose picture they see; for the Go models, which
// are Go code in runners/, what each does.
func (u *UI) showCode() {
	if u.ctl.isCommand() {
		return // a command is the user's own program
	}
	models := u.ctl.chosenModels()
	pages := make([]*container.TabItem, len(models))
	for i, m := range models {
		pages[i] = container.NewTabItem(string(m), modelCode(m, u.ctl.isPython()))
	}
	if shared, err := assets.Python.ReadFile("python/workload.py"); err == nil && u.ctl.isPython() {
		// What every model's script imports: the kernel, the requests, the events.
		pages = append(pages, container.NewTabItem("workload.py", scriptView(string(shared))))
	}
	var content fyne.CanvasObject = pages[0].Content
	if len(pages) > 1 {
		content = container.NewAppTabs(pages...)
	}
	title := "The code of the " + string(models[0]) + " model"
	if len(models) > 1 {
		title = "The code of the models"
	}
	d := dialog.NewCustom(title, "Close", content, u.win)
	d.Resize(fyne.NewSize(u.win.Canvas().Size().Width*0.8, u.win.Canvas().Size().Height*0.85))
	d.Show()
}

// modelCode shows the code of model m: its Python script, read-only and
// monospace (a Label, not an Entry, whose focused cursor would blink and
// repaint the window), or for Go a description of the model.
func modelCode(m spec.Model, python bool) fyne.CanvasObject {
	about := widget.NewLabel("")
	about.Wrapping = fyne.TextWrapWord
	if !python {
		about.SetText(fmt.Sprintf("The Go models are Go code in runners/ (the hidden `corescope worker` subcommand), "+
			"not a script to show.\n\n%s: %s.", m, runtext.DescribeModel(m)))
		return container.NewVScroll(about)
	}
	name, code, ok := runners.PythonScript(m)
	if !ok {
		about.SetText(fmt.Sprintf("Python has no %s model.", m))
		return about
	}
	about.SetText(fmt.Sprintf("assets/python/%s, as corescope runs it (it imports workload.py: the kernel, "+
		"the requests, the event lines). %s: %s.", name, m, runtext.DescribeModel(m)))
	return container.NewBorder(about, nil, nil, nil, scriptView(string(code)))
}

// scriptView shows code read-only in a monospace font, scrolled.
func scriptView(code string) fyne.CanvasObject {
	return container.NewScroll(widget.NewLabelWithStyle(code, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true}))
}

// browsePython picks the interpreter with a file dialog.
func (u *UI) browsePython() {
	d := dialog.NewFileOpen(chosenPath[fyne.URIReadCloser](u.win, u.ctl.python.SetText), u.win)
	if path := u.ctl.python.Text; filepath.IsAbs(path) { // start beside the interpreter typed
		if l, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(path))); err == nil {
			d.SetLocation(l)
		}
	}
	d.Show()
}
