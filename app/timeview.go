package app

import (
	"math"

	"fyne.io/fyne/v2"
)

// timeView is the part of a time axis a picture shows: the whole extent of
// its data, or a window the user zoomed and panned to. It is plain data, no
// widget, so one view can drive several pictures that zoom together. Times
// are seconds on the run's axis. The zero value fits whatever extent it is
// given and has no narrowest window.
type timeView struct {
	// MinSpan is the narrowest window, in seconds (at most the extent):
	// about a millisecond for exact slices, two samples for sampled data.
	MinSpan float64

	lo, hi   float64 // the extent: what the data covers
	from, to float64 // the window, while zoomed
	zoomed   bool
}

// SetExtent says what time the data covers. A fitted view follows it (a
// live run grows); a zoomed one stays put, moved back inside when the data
// no longer covers it.
func (v *timeView) SetExtent(lo, hi float64) {
	v.lo, v.hi = lo, max(hi, lo)
	if v.zoomed {
		v.set(v.from, v.to-v.from)
	}
}

// WindowOver is Window after SetExtent(lo, hi) with MinSpan minSpan: what a
// picture shows of data that may have grown since it last asked.
func (v *timeView) WindowOver(lo, hi, minSpan float64) (from, to float64) {
	v.MinSpan = minSpan
	v.SetExtent(lo, hi)
	return v.Window()
}

// Window is the time shown: the zoomed window, or the whole extent.
func (v *timeView) Window() (from, to float64) {
	if v.zoomed {
		return v.from, v.to
	}
	return v.lo, v.hi
}

// Zoomed reports whether the view shows less than the whole extent.
func (v *timeView) Zoomed() bool { return v.zoomed }

// Zoom scales the window by factor (< 1 zooms in) around the time around,
// which stays at the same place on screen. The window never gets wider than
// the extent nor narrower than MinSpan; zoomed out to the whole extent, the
// view fits it again.
func (v *timeView) Zoom(factor, around float64) {
	if !(factor > 0) || math.IsInf(factor, 0) {
		return
	}
	from, to := v.Window()
	span := to - from
	if !(span > 0) {
		return
	}
	ext := v.hi - v.lo
	n := max(min(span*factor, ext), min(v.MinSpan, ext))
	at := max(0, min((around-from)/span, 1))
	v.set(around-at*n, n)
}

// Pan moves the window by dt seconds (> 0 later in time), within the extent.
// A fitted view does not move.
func (v *timeView) Pan(dt float64) {
	if v.zoomed {
		v.set(v.from+dt, v.to-v.from)
	}
}

// Fit shows the whole extent again.
func (v *timeView) Fit() { v.zoomed = false }

// At is the time at frac (0..1) of the window's width.
func (v *timeView) At(frac float64) float64 {
	from, to := v.Window()
	return from + frac*(to-from)
}

// set zooms to span seconds from from, clamped to the extent; a window as
// wide as the extent fits it.
func (v *timeView) set(from, span float64) {
	ext := v.hi - v.lo
	if span >= ext {
		v.zoomed = false
		return
	}
	span = max(span, min(v.MinSpan, ext))
	from = max(v.lo, min(from, v.hi-span))
	v.from, v.to, v.zoomed = from, from+span, true
}

// Zoom and pan steps: a wheel notch (25 units of scroll on Linux) zooms by
// about 1.4x, a key press by 2x, an arrow key pans by a tenth of the view.
const (
	scrollPerDoubling = 50
	keyZoom           = 2
	keyPan            = 0.1
)

// timeGestures gives a widget that draws a timeView between x0 and x0+width
// the gestures of a timeline: the wheel zooms around the pointer (a
// sideways scroll pans), a drag pans, + and - zoom, the arrows pan, 0 or
// Home fits. Each step calls changed once; nothing animates. Embed it and
// set its fields; its methods make the widget Scrollable, Draggable,
// Tappable and Focusable. Keys it does not use go to the window, so Escape
// still stops a run while the picture has the focus.
type timeGestures struct {
	view    *timeView
	self    focusable // the widget, to take the focus when tapped
	changed func()    // redraws after a step

	x0, width float32 // where the time axis is drawn, from the last layout
}

// focusable is a widget that takes the keyboard focus.
type focusable interface {
	fyne.CanvasObject
	fyne.Focusable
}

// Scrolled zooms around the pointer; a sideways scroll pans.
func (g *timeGestures) Scrolled(ev *fyne.ScrollEvent) {
	if ev.Scrolled.DX != 0 && g.width > 0 {
		g.pan(-float64(ev.Scrolled.DX / g.width))
		return
	}
	g.zoom(math.Exp2(-float64(ev.Scrolled.DY)/scrollPerDoubling), g.frac(ev.Position.X))
}

// Dragged pans with the pointer: the time under it stays under it.
func (g *timeGestures) Dragged(ev *fyne.DragEvent) {
	if g.width > 0 {
		g.pan(-float64(ev.Dragged.DX / g.width))
	}
}

func (g *timeGestures) DragEnd() {}

// Tapped takes the keyboard focus, for the zoom and pan keys.
func (g *timeGestures) Tapped(*fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(g.self); c != nil {
		c.Focus(g.self)
	}
}

// FocusGained and FocusLost draw nothing: no cursor, no animation.
func (g *timeGestures) FocusGained() {}
func (g *timeGestures) FocusLost()   {}

// TypedRune zooms around the centre with + and -; 0 fits.
func (g *timeGestures) TypedRune(r rune) {
	switch r {
	case '+', '=':
		g.zoom(1.0/keyZoom, 0.5)
	case '-', '_':
		g.zoom(keyZoom, 0.5)
	case '0':
		g.Fit()
	}
}

// TypedKey pans with the arrow keys and fits with Home; other keys go to
// the window's own handler.
func (g *timeGestures) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyLeft:
		g.pan(-keyPan)
	case fyne.KeyRight:
		g.pan(keyPan)
	case fyne.KeyHome:
		g.Fit()
	default:
		if c := fyne.CurrentApp().Driver().CanvasForObject(g.self); c != nil && c.OnTypedKey() != nil {
			c.OnTypedKey()(ev)
		}
	}
}

// Fit shows the whole extent and redraws.
func (g *timeGestures) Fit() {
	if g.view.Zoomed() {
		g.view.Fit()
		g.changed()
	}
}

// frac is where x falls across the axis, 0..1.
func (g *timeGestures) frac(x float32) float64 {
	if g.width <= 0 {
		return 0.5
	}
	return max(0, min(float64((x-g.x0)/g.width), 1))
}

// zoom zooms around the fraction at of the window and redraws when the
// window changed.
func (g *timeGestures) zoom(factor, at float64) {
	g.step(func() { g.view.Zoom(factor, g.view.At(at)) })
}

// pan moves the window by by times its width and redraws when it moved.
func (g *timeGestures) pan(by float64) {
	from, to := g.view.Window()
	g.step(func() { g.view.Pan(by * (to - from)) })
}

// step applies a change to the view and redraws once if it did anything.
func (g *timeGestures) step(change func()) {
	from, to := g.view.Window()
	change()
	if f, t := g.view.Window(); f != from || t != to {
		g.changed()
	}
}

// pixelWidth is how many device pixels width units of w cover on screen:
// zoomable pictures are painted at that width, whatever the zoom.
func pixelWidth(w fyne.Widget, width float32) int {
	scale := float32(1)
	if c := fyne.CurrentApp().Driver().CanvasForObject(w); c != nil {
		scale = c.Scale()
	}
	return int(width * scale)
}
