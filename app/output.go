package app

import (
	"bytes"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"corescope/profile"
	"corescope/runtext"
)

// outputKeep is how many lines of the subject's output the pane keeps: a
// subject may print millions, and the pane is for reading the last ones.
const outputKeep = 5000

// lineKind is where a line of the pane came from.
type lineKind uint8

const (
	lineOut     lineKind = iota // the subject's stdout (events left out)
	lineErr                     // its stderr
	lineHeading                 // which run the lines below are from
)

// lineColors colour the lines by kind.
var lineColors = [...]fyne.ThemeColorName{lineOut: theme.ColorNameForeground, lineErr: theme.ColorNameError,
	lineHeading: theme.ColorNamePrimary}

type outputLine struct {
	text string
	kind lineKind
}

// outputQueue carries the subject's output to the UI, bounded: the redraw
// takes what came since the last one, and when more than outputKeep lines
// came in between, only the last are kept (newOutputQueue).
type outputQueue = batch[outputLine]

func newOutputQueue() *outputQueue { return &outputQueue{trim: keepLast} }

// outputTo is an io.Writer for recorder.Options.Stdout or Stderr. The profile
// writes whole lines, many at a time.
func outputTo(q *outputQueue, kind lineKind) outputWriter { return outputWriter{q, kind} }

type outputWriter struct {
	q    *outputQueue
	kind lineKind
}

func (w outputWriter) Write(p []byte) (int, error) {
	text := bytes.TrimSuffix(p, []byte{'\n'})
	// Only the last outputKeep lines of a large write can be shown.
	start := len(text)
	for n := 0; n < outputKeep && start > 0; n++ {
		start = max(bytes.LastIndexByte(text[:start], '\n'), 0)
	}
	if start > 0 {
		start++ // past the newline
	}
	var lines []outputLine
	for _, l := range strings.Split(string(text[start:]), "\n") {
		lines = append(lines, outputLine{l, w.kind})
	}
	w.q.add(lines...)
	return len(p), nil
}

// keepLast drops all but the last outputKeep lines, moving them to the
// front once twice as many piled up, so dropping costs little a line.
func keepLast(lines []outputLine) []outputLine {
	if len(lines) <= 2*outputKeep {
		return lines
	}
	return append(lines[:0], lines[len(lines)-outputKeep:]...)
}

// outputView is the Output tab: what the subject writes to stdout and
// stderr while it runs, or for a finished run the last lines its profile
// kept. A List draws only the rows in sight, so thousands of lines cost no
// more to redraw than a screenful.
type outputView struct {
	about   *widget.Label
	list    *widget.List
	content fyne.CanvasObject

	lines   []outputLine // the last outputKeep (up to twice as many held)
	changed bool         // lines changed since the last refresh
	bottom  float32      // the list's offset when last scrolled to the end
	visible bool         // whether the tab is shown; hidden, it does not draw
}

// Texts of the pane's caption.
const (
	outputIdle = "What the subject writes to stdout and stderr shows here as it runs."
	outputLive = "What the runs write as they run (stderr in red); the last 5000 lines are kept."
)

func newOutputView() *outputView {
	v := &outputView{about: widget.NewLabel(outputIdle)}
	v.about.Wrapping = fyne.TextWrapWord
	v.list = widget.NewList(
		func() int { return len(v.shown()) },
		// Plain text rows, a line's height each, as dense as a terminal
		// (a Label's padding doubled it).
		func() fyne.CanvasObject {
			return canvas.NewText("", nil)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			t, line := o.(*canvas.Text), v.shown()[i]
			t.Text, t.TextStyle, t.TextSize = line.text, fyne.TextStyle{Monospace: true}, theme.TextSize()
			t.Color = theme.Color(lineColors[line.kind])
			t.Refresh()
		})
	v.list.HideSeparators = true // lines of text, as a terminal shows them
	// The rows' text lines up with the caption's, as a Label pads it.
	rows := container.New(layout.NewCustomPaddedLayout(0, 0, theme.Padding()*2, 0), v.list)
	v.content = container.NewBorder(v.about, nil, nil, nil, rows)
	return v
}

// shown are the lines the pane lists: the last outputKeep.
func (v *outputView) shown() []outputLine { return v.lines[max(0, len(v.lines)-outputKeep):] }

// begin empties the pane for a new job.
func (v *outputView) begin() {
	v.about.SetText(outputLive)
	v.set(nil)
}

// add appends lines that came while a job runs.
func (v *outputView) add(lines []outputLine) {
	if len(lines) > 0 {
		v.lines, v.changed = keepLast(append(v.lines, lines...)), true
	}
}

// set replaces the pane's lines.
func (v *outputView) set(lines []outputLine) {
	v.lines, v.changed, v.bottom = lines, true, 0
	v.list.ScrollToTop()
}

// show puts the output p's profile kept in the pane: the last lines of its
// stdout, then of its stderr.
func (v *outputView) show(p *profile.Profile) {
	name := runName(p)
	var lines []outputLine
	for _, s := range []struct {
		tail string
		kind lineKind
	}{{p.StdoutTail, lineOut}, {p.StderrTail, lineErr}} {
		if tail := strings.TrimRight(s.tail, "\n"); tail != "" {
			for _, l := range strings.Split(tail, "\n") {
				lines = append(lines, outputLine{l, s.kind})
			}
		}
	}
	if len(lines) == 0 {
		v.about.SetText(fmt.Sprintf("%s: no output besides its events.", name))
	} else {
		v.about.SetText(fmt.Sprintf("%s: the last lines it wrote (%s), as its profile keeps them; stderr in red.",
			name, runtext.Count(len(lines), "line")))
	}
	v.set(lines)
}

// refresh draws the lines that came, if the tab is shown, following the
// end unless the user scrolled up from it.
func (v *outputView) refresh() {
	if !v.visible || !v.changed {
		return
	}
	v.changed = false
	follow := v.list.GetScrollOffset() >= v.bottom
	v.list.Refresh()
	if follow {
		v.list.ScrollToBottom()
		v.bottom = v.list.GetScrollOffset()
	}
}
