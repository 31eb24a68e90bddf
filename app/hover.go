package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
)

// hoverLines is the most lines a readout has.
const hoverLines = 2

// hoverReadout is a small box of text over a picture that says what is
// under the pointer. It is redrawn only when its text changes, so moving
// the pointer within one cell or slice costs nothing, and it does not
// animate. Embedded, its methods make the picture desktop.Hoverable.
type hoverReadout struct {
	owner   fyne.Widget
	readout func(fyne.Position) string // words what is at a position: "" nothing
	bg      *canvas.Rectangle
	lines   [hoverLines]*canvas.Text
	text    string        // what it shows; "" hidden
	at      fyne.Position // where the pointer was when it was made
	size    fyne.Size     // the owner's, to keep the box inside it
}

// init makes the box's objects for owner; it starts hidden.
func (h *hoverReadout) init(owner fyne.Widget, readout func(fyne.Position) string) {
	h.owner, h.readout = owner, readout
	h.bg = canvas.NewRectangle(nil)
	h.bg.Hidden = true
	for i := range h.lines {
		h.lines[i] = canvas.NewText("", nil)
		h.lines[i].Hidden = true
	}
}

// objects are the box and its lines, to draw over the picture.
func (h *hoverReadout) objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{h.bg, h.lines[0], h.lines[1]}
}

// fit is told the owner's size on layout.
func (h *hoverReadout) fit(size fyne.Size) { h.size = size }

// MouseIn and MouseMoved show what is under the pointer.
func (h *hoverReadout) MouseIn(ev *desktop.MouseEvent) { h.MouseMoved(ev) }

func (h *hoverReadout) MouseMoved(ev *desktop.MouseEvent) {
	h.show(ev.Position, h.readout(ev.Position))
}

// MouseOut hides the readout.
func (h *hoverReadout) MouseOut() { h.show(fyne.Position{}, "") }

// again redoes a shown readout after what is under a still pointer
// changed (new samples, a zoom, a key press).
func (h *hoverReadout) again() {
	if h.text != "" {
		h.show(h.at, h.readout(h.at))
	}
}

// show puts text (lines split by \n) in the box near pos, or hides it for
// "". It does nothing when the text did not change.
func (h *hoverReadout) show(pos fyne.Position, text string) {
	if h.bg == nil || text == h.text {
		return
	}
	h.text, h.at = text, pos
	if text == "" {
		h.bg.Hidden = true
		for _, l := range h.lines {
			l.Hidden = true
		}
		h.refresh()
		return
	}
	size, fg := captionSize(h.owner), themeColor(h.owner, theme.ColorNameForeground)
	pad := theme.Padding()
	var box fyne.Size
	parts := strings.SplitN(text, "\n", hoverLines)
	for i, l := range h.lines {
		l.Hidden = i >= len(parts)
		if l.Hidden {
			continue
		}
		l.Text, l.TextSize, l.Color = parts[i], size, fg
		ts := l.MinSize()
		l.Resize(ts)
		box = fyne.NewSize(max(box.Width, ts.Width), box.Height+ts.Height)
	}
	box = box.AddWidthHeight(2*pad, 2*pad)
	// Beside the pointer, flipped to the other side where it would leave
	// the picture.
	x, y := pos.X+12, pos.Y+12
	if x+box.Width > h.size.Width {
		x = max(0, pos.X-12-box.Width)
	}
	if y+box.Height > h.size.Height {
		y = max(0, pos.Y-12-box.Height)
	}
	h.bg.FillColor = themeColor(h.owner, theme.ColorNameOverlayBackground)
	h.bg.StrokeColor, h.bg.StrokeWidth = themeColor(h.owner, theme.ColorNameSeparator), 1
	h.bg.Move(fyne.NewPos(x, y))
	h.bg.Resize(box)
	h.bg.Hidden = false
	ly := y + pad
	for _, l := range h.lines {
		if !l.Hidden {
			l.Move(fyne.NewPos(x+pad, ly))
			ly += l.Size().Height
		}
	}
	h.refresh()
}

func (h *hoverReadout) refresh() {
	canvas.Refresh(h.bg)
	for _, l := range h.lines {
		canvas.Refresh(l)
	}
}

// timeText is a time on a run's axis, to the millisecond.
func timeText(t float64) string { return fmt.Sprintf("%.3f s", t) }

// spanText is an interval on a run's axis and how long it lasted.
func spanText(from, to float64) string {
	return fmt.Sprintf("%.3f–%.3f s, %s", from, to, durationText(to-from))
}

// durationText is a short duration in the unit that suits it.
func durationText(d float64) string {
	switch {
	case d < 0.001:
		return fmt.Sprintf("%.0f µs", d*1e6)
	case d < 1:
		return fmt.Sprintf("%.1f ms", d*1e3)
	}
	return fmt.Sprintf("%.2f s", d)
}
