package app

import (
	"fmt"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"

	"corescope/profile"
	"corescope/runtext"
)

// menuItems are the menu entries whose enabled state follows the session.
type menuItems struct {
	main                               *fyne.MainMenu
	open, save, run, sweep, stop, code *fyne.MenuItem
	exportPNG, exportHTML              *fyne.MenuItem
	exportCSV, exportTrace             *fyne.MenuItem
}

// menu builds the main menu and the window's shortcuts.
func (u *UI) menu() *fyne.MainMenu {
	m := &u.items
	m.open = fyne.NewMenuItem("Open profile...", u.showOpen)
	m.save = fyne.NewMenuItem("Save profile...", u.showSave)
	m.exportPNG = fyne.NewMenuItem("Export PNG report...", func() { u.showExport(exportPNG) })
	m.exportHTML = fyne.NewMenuItem("Export HTML report...", func() { u.showExport(exportHTML) })
	m.exportCSV = fyne.NewMenuItem("Export CSV...", func() { u.showExport(exportCSV) })
	m.exportTrace = fyne.NewMenuItem("Export trace...", func() { u.showExport(exportTrace) })
	m.run = fyne.NewMenuItem("Run", u.Run)
	m.sweep = fyne.NewMenuItem("Scale sweep (1, 2, 4... workers)", u.RunSweep)
	m.stop = fyne.NewMenuItem("Stop (Esc)", u.Stop)
	m.code = fyne.NewMenuItem("Show code...", u.showCode)

	c := u.win.Canvas()
	for _, s := range []struct {
		item *fyne.MenuItem
		key  fyne.KeyName
	}{{m.open, fyne.KeyO}, {m.save, fyne.KeyS}, {m.exportPNG, fyne.KeyE}, {m.run, fyne.KeyR}} {
		sc := &desktop.CustomShortcut{KeyName: s.key, Modifier: fyne.KeyModifierShortcutDefault}
		s.item.Shortcut = sc
		action := s.item.Action
		c.AddShortcut(sc, func(fyne.Shortcut) { action() })
	}
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			u.Stop()
		}
	})
	m.main = fyne.NewMainMenu(
		fyne.NewMenu("File", m.open, m.save, fyne.NewMenuItemSeparator(), m.exportPNG, m.exportHTML, m.exportCSV, m.exportTrace),
		fyne.NewMenu("Run", m.run, m.sweep, m.stop, fyne.NewMenuItemSeparator(), m.code),
	)
	return m.main
}

// update enables the items as the buttons and the session allow (code:
// whether a built-in model is chosen), and redraws the menu only when
// something changed.
func (m *menuItems) update(can actions, code bool) {
	changed := false
	for item, disabled := range map[*fyne.MenuItem]bool{
		m.open:        !can.open,
		m.save:        !can.save,
		m.exportPNG:   !can.export,
		m.exportHTML:  !can.export,
		m.exportCSV:   !can.export,
		m.exportTrace: !can.export,
		m.run:         !can.run,
		m.sweep:       !can.run,
		m.stop:        !can.stop,
		m.code:        !code,
	} {
		changed = changed || item.Disabled != disabled
		item.Disabled = disabled
	}
	if changed {
		m.main.Refresh()
	}
}

// askSavePath asks where to write a file named like name, then calls then
// with the path. The dialog creates (or empties) the file it returns; that
// file is removed again, so the writer, which writes whole files only,
// creates it and a failed write leaves nothing behind.
func (u *UI) askSavePath(name string, then func(path string)) {
	d := dialog.NewFileSave(chosenPath[fyne.URIWriteCloser](u.win, func(path string) {
		os.Remove(path)
		then(path)
	}), u.win)
	d.SetFileName(name)
	d.SetFilter(storage.NewExtensionFileFilter([]string{filepath.Ext(name)}))
	d.Show()
}

func (u *UI) showOpen() {
	if u.items.open.Disabled {
		return
	}
	d := dialog.NewFileOpen(chosenPath[fyne.URIReadCloser](u.win, u.OpenFile), u.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".json"}))
	d.Show()
}

// chosenPath is a file dialog's callback that closes the file the dialog
// opened and hands its path to then; an error is shown, a cancel does
// nothing.
func chosenPath[F interface {
	URI() fyne.URI
	Close() error
}](win fyne.Window, then func(path string)) func(F, error) {
	return func(f F, err error) {
		if err != nil {
			dialog.ShowError(err, win)
			return
		}
		if any(f) == nil {
			return // cancelled
		}
		path := f.URI().Path()
		f.Close()
		then(path)
	}
}

// OpenFile adds the runs of a profile file to the session, as a group of
// their own, and shows the last one. A broken or foreign file changes
// nothing and shows why.
func (u *UI) OpenFile(path string) {
	if !u.allowed(true).open {
		return
	}
	ps, err := profile.Load(path)
	if err == nil && len(ps) == 0 {
		err = fmt.Errorf("%s holds no runs", path)
	}
	if err != nil {
		dialog.ShowError(fmt.Errorf("cannot open the profile: %w", err), u.win)
		return
	}
	u.addRuns(fileGroup(path), ps...)
	u.setStatus(fmt.Sprintf("Opened %s from %s", runtext.Count(len(ps), "run"), path))
}

func (u *UI) showSave() {
	if u.allowed(true).save {
		u.askSavePath("corescope-profile.corescope.json", u.SaveFile)
	}
}

// SaveFile writes every run of the session to path.
func (u *UI) SaveFile(path string) {
	if !u.allowed(true).save {
		return
	}
	if err := profile.Save(path, u.runs); err != nil {
		dialog.ShowError(fmt.Errorf("cannot save the profile: %w", err), u.win)
		return
	}
	u.setStatus(fmt.Sprintf("Saved %d runs to %s", len(u.runs), path))
}
