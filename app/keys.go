package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// toWindow hands Escape from a focused widget to the window's own key
// handler, which stops a run, and reports whether it did. Fyne gives every
// key to the focused widget, and Entries and Buttons drop Escape, so Stop's
// shortcut was lost whenever one of them had the focus. Ctrl+R needs no
// such help: the driver tries the menu's shortcuts before the focused widget.
func toWindow(from fyne.CanvasObject, k *fyne.KeyEvent) bool {
	if k.Name != fyne.KeyEscape {
		return false
	}
	if c := fyne.CurrentApp().Driver().CanvasForObject(from); c != nil && c.OnTypedKey() != nil {
		c.OnTypedKey()(k)
	}
	return true
}

// button is a Button that leaves Escape to the window (see toWindow): the
// Stop button may hold the keyboard focus during the run it stops.
type button struct{ widget.Button }

func newButton(label string, tapped func()) *button {
	b := &button{widget.Button{Text: label, OnTapped: tapped}}
	b.ExtendBaseWidget(b)
	return b
}

func (b *button) TypedKey(k *fyne.KeyEvent) {
	if !toWindow(b, k) {
		b.Button.TypedKey(k)
	}
}
