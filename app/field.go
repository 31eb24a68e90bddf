package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// field is an Entry that hands Escape to the window (see toWindow) and
// stops blinking when nobody types.
//
// A focused Entry blinks its cursor with an animation that refreshes the
// cursor on every frame of each fade, and any refresh repaints the whole
// window: about 12 repaints a second for as long as the field has the focus
// (12% of a core idle under Xvfb, against 1% without focus). Like GTK's
// cursor-blink timeout, a field that got no input for dozeAfter dozes: it
// keeps the keyboard focus but drops its focused look, and with it the
// animation; the next key, click or paste wakes it.
type field struct {
	widget.Entry
	do     func(func()) // runs on the UI goroutine (fyne.Do)
	dozing bool
	naps   int // counts wakes, so a stale doze timer does nothing
}

// dozeAfter is how long a field blinks without input: GTK's default.
var dozeAfter = 10 * time.Second

func newField(do func(func())) *field {
	f := &field{do: do}
	f.ExtendBaseWidget(f)
	return f
}

// TypedKey leaves Escape to the window, even while the field is disabled
// during a run.
func (f *field) TypedKey(k *fyne.KeyEvent) {
	if toWindow(f, k) {
		return
	}
	f.wake()
	f.Entry.TypedKey(k)
}

func (f *field) TypedRune(r rune) {
	f.wake()
	f.Entry.TypedRune(r)
}

func (f *field) TypedShortcut(s fyne.Shortcut) {
	f.wake()
	f.Entry.TypedShortcut(s)
}

func (f *field) MouseDown(m *desktop.MouseEvent) {
	f.wake()
	f.Entry.MouseDown(m)
}

func (f *field) FocusGained() {
	f.dozing = false
	f.Entry.FocusGained()
	f.wake()
}

func (f *field) FocusLost() {
	f.naps++
	f.dozing = false
	f.Entry.FocusLost()
}

// wake shows the focused look again if the field dozed, and starts the
// doze timer over.
func (f *field) wake() {
	if f.dozing {
		f.dozing = false
		f.Entry.FocusGained()
	}
	f.naps++
	nap := f.naps
	time.AfterFunc(dozeAfter, func() { f.do(func() { f.doze(nap) }) })
}

// doze stops the blinking, unless the field was woken or left since nap.
func (f *field) doze(nap int) {
	if nap == f.naps && !f.dozing {
		f.dozing = true
		f.Entry.FocusLost()
	}
}
