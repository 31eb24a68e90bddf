package app

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2/widget"

	"corescope/runners"
	"corescope/runtext"
)

// isPython reports whether the Python backend is chosen.
func (c *controls) isPython() bool { return c.backend.Selected == backendPython }

// updatePython says which interpreter the Python backend runs, and the
// one a shim given resolves to, which runs instead, or why it cannot run
// one (runners.FindPython asks each interpreter once).
func (c *controls) updatePython() {
	if !c.isPython() {
		c.pyInfo.Hide()
		return
	}
	c.python.Validate() // marks the field even when nobody typed in it
	py, err, known := c.asker.known(strings.TrimSpace(c.python.Text))
	text, importance := py.Label(), widget.MediumImportance
	switch {
	case !known:
		text = err.Error()
	case err != nil:
		text, importance = "Unavailable: "+err.Error(), widget.DangerImportance
	case py.GIL:
		text += ", GIL"
	}
	if real := py.Resolved(); err == nil && known && real != "" { // a shim: what runs instead, as the CLI says it
		text += "\n" + runtext.Resolution(cmp.Or(strings.TrimSpace(c.python.Text), "python3"), real)
	}
	if c.pyInfo.Text != text || c.pyInfo.Importance != importance || c.pyInfo.Hidden {
		c.pyInfo.Importance = importance
		c.pyInfo.SetText(text)
		c.pyInfo.Show()
	}
}

// pythonKnown reports whether runners can judge the fields without asking
// an interpreter on the UI goroutine: always but for a Python run whose
// interpreter has not answered yet.
func (c *controls) pythonKnown() bool {
	if !c.isPython() {
		return true
	}
	_, _, known := c.asker.known(strings.TrimSpace(c.python.Text))
	return known
}

// pythonAsker asks interpreters what they are off the UI goroutine once
// the window is up: a path typed into the field may name a program that is
// not Python and takes seconds to answer (runners bounds it), and the
// window must not stop while it does.
type pythonAsker struct {
	// do runs a function on the UI goroutine; nil while the window is being
	// built, when the interpreter a launch restores is asked at once.
	do       func(func())
	asking   map[string]bool // paths being asked; UI goroutine only
	answered func()          // called on the UI goroutine after each answer
}

// known is runners.KnownPython, starting the question when the answer is
// not known yet; err then says that it is being asked.
func (a *pythonAsker) known(path string) (runners.Interpreter, error, bool) {
	py, err, known := runners.KnownPython(path)
	if known {
		return py, err, true
	}
	if a.do == nil {
		py, err := runners.FindPython(context.Background(), path)
		return py, err, true
	}
	if !a.asking[path] {
		a.asking[path] = true
		go func() {
			runners.FindPython(context.Background(), path)
			a.do(func() {
				delete(a.asking, path)
				a.answered()
			})
		}()
	}
	return runners.Interpreter{}, fmt.Errorf("asking %s what it is", cmp.Or(path, "python3")), false
}
