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

func (b *button) TypedKey(k *fyne.KeyEvent) { passEscape(b, k, b.Button.TypedKey) }

// check and choice are the Live tab's toggles, which stay usable during a
// run and take the focus when clicked: they too leave Escape to the window.
type (
	check  struct{ widget.Check }
	choice struct{ widget.Select }
)

func newCheck(label string, changed func(bool)) *check {
	c := &check{widget.Check{Text: label, OnChanged: changed}}
	c.ExtendBaseWidget(c)
	return c
}

func newChoice(options []string, changed func(string)) *choice {
	s := &choice{widget.Select{Options: options, OnChanged: changed}}
	s.ExtendBaseWidget(s)
	return s
}

func (c *check) TypedKey(k *fyne.KeyEvent)  { passEscape(c, k, c.Check.TypedKey) }
func (s *choice) TypedKey(k *fyne.KeyEvent) { passEscape(s, k, s.Select.TypedKey) }

// passEscape gives Escape to the window (see toWindow) and any other key to
// the widget's own handler.
func passEscape(from fyne.CanvasObject, k *fyne.KeyEvent, own func(*fyne.KeyEvent)) {
	if !toWindow(from, k) {
		own(k)
	}
}
