package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"

	"corescope/profile"
)

// menu builds the main menu and the window's shortcuts. Export items go in
// the File menu beside Save.
func (u *UI) menu() *fyne.MainMenu {
	shortcutRun := &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutOpen := &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutSave := &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}
	open := fyne.NewMenuItem("Open profile...", u.showOpen)
	open.Shortcut = shortcutOpen
	save := fyne.NewMenuItem("Save profile...", u.showSave)
	save.Shortcut = shortcutSave
	run := fyne.NewMenuItem("Run", u.Run)
	run.Shortcut = shortcutRun
	stop := fyne.NewMenuItem("Stop (Esc)", u.Stop)

	c := u.win.Canvas()
	c.AddShortcut(shortcutRun, func(fyne.Shortcut) { u.Run() })
	c.AddShortcut(shortcutOpen, func(fyne.Shortcut) { u.showOpen() })
	c.AddShortcut(shortcutSave, func(fyne.Shortcut) { u.showSave() })
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			u.Stop()
		}
	})
	return fyne.NewMainMenu(
		fyne.NewMenu("File", open, save),
		fyne.NewMenu("Run", run, stop),
	)
}

func (u *UI) showOpen() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, u.win)
			return
		}
		if r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		r.Close()
		u.OpenFile(path)
	}, u.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".json"}))
	d.Show()
}

// OpenFile adds the runs of a profile file to the session and shows the
// last one. A broken or foreign file changes nothing and shows why.
func (u *UI) OpenFile(path string) {
	ps, err := profile.Load(path)
	if err == nil && len(ps) == 0 {
		err = fmt.Errorf("%s holds no runs", path)
	}
	if err != nil {
		dialog.ShowError(fmt.Errorf("cannot open the profile: %w", err), u.win)
		return
	}
	u.runs = append(u.runs, ps...)
	profile.Speedups(u.runs)
	u.showProfile(ps[len(ps)-1])
	u.compare.set(u.runs)
	u.updateButtons()
	u.setStatus(fmt.Sprintf("Opened %d runs from %s", len(ps), path))
}

func (u *UI) showSave() {
	if len(u.runs) == 0 {
		dialog.ShowInformation("Nothing to save", "Run a model or open a profile first.", u.win)
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowError(err, u.win)
			return
		}
		if w == nil {
			return // cancelled
		}
		path := w.URI().Path()
		w.Close() // profile.Save writes the file whole, through a temp file
		u.SaveFile(path)
	}, u.win)
	d.SetFileName("corescope-profile.json")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".json"}))
	d.Show()
}

// SaveFile writes every run of the session to path.
func (u *UI) SaveFile(path string) {
	if err := profile.Save(path, u.runs); err != nil {
		dialog.ShowError(fmt.Errorf("cannot save the profile: %w", err), u.win)
		return
	}
	u.setStatus(fmt.Sprintf("Saved %d runs to %s", len(u.runs), path))
}
