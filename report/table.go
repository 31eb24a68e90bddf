package report

import (
	"image"
	"image/color"
	"strings"

	"golang.org/x/image/font"

	"corescope/runtext"
)

// tableColumns are the summary table's figures after the runs' names,
// each at a fraction of the width: its left edge if it is text, else its
// right edge.
var tableColumns = []struct {
	col runtext.Column
	at  float64
}{
	{runtext.ColModel, 0.17}, {runtext.ColWall, 0.355}, {runtext.ColStartup, 0.42}, {runtext.ColSpeedup, 0.50},
	{runtext.ColCoresUsed, 0.565}, {runtext.ColOthers, 0.62}, {runtext.ColCPU, 0.675}, {runtext.ColThreads, 0.73},
	{runtext.ColProcs, 0.78}, {runtext.ColCtxSwitches, 0.85}, {runtext.ColCost, 1},
}

// tableAt is the x of column j of a table r wide (its left edge if it is
// text, else its right edge).
func tableAt(r image.Rectangle, j int) int { return r.Min.X + int(tableColumns[j].at*float64(r.Dx())) }

// modelColumnWidth is the room of the model column in a table tableW wide,
// leaving room for the next, right-aligned column's values.
func modelColumnWidth(tableW int) int {
	r := image.Rect(0, 0, tableW, 0)
	return tableAt(r, 1) - tableAt(r, 0) - 90
}

// table draws the summary table: a heading row, then one row per group
// of repeats listed, with the figures of the run that stands for it
// (runtext.RowCell) and, under a figure with a spread over the repeats,
// the spread; a command too long for its column wraps onto more lines,
// cut only past maxModelLines; what made a group's figures unreliable is
// worded under its row. Under it, it says how many groups it leaves out.
func (pg *page) table() {
	r, tf := pg.l.Table, pg.tf
	if r.Empty() { // every run is a watch, with a table of its own
		return
	}
	at := func(j int) int { return tableAt(r, j) }
	// Headings are small, so ten columns fit in a report 1200 px wide.
	cell := func(j, base int, face font.Face, c color.RGBA, s string) {
		switch {
		case j < 0: // the run's name, past its colour swatch
			pg.text(face, c, r.Min.X+28, base, left, fit(face, s, at(0)-r.Min.X-28-16))
		case !tableColumns[j].col.Number():
			pg.text(face, c, at(j), base, left, fit(face, s, at(j+1)-at(j)-90))
		default: // "2.38 s (2.31–2.45)": the figure, and the spread under it
			figure, spread, ok := strings.Cut(s, " (")
			pg.text(face, c, at(j)-8, base, right, figure)
			if ok {
				pg.text(tf.small, muted, at(j)-8, base+bodyLead, right, strings.TrimSuffix(spread, ")"))
			}
		}
	}
	baseline := func(top int) int { return top + rowH/2 + bodyPx/3 }

	if each := runtext.Repeats(runtext.Groups(pg.rows)); each != "" {
		pg.text(tf.small, muted, r.Min.X, r.Min.Y-8, left, each)
	}
	cell(-1, baseline(r.Min.Y), tf.small, muted, "run")
	for j, tc := range tableColumns {
		head := tc.col.Head()
		if tc.col == runtext.ColModel {
			head = runtext.ModelHead(pg.ps) // "command" when it holds commands only
		}
		cell(j, baseline(r.Min.Y), tf.small, muted, head)
	}
	box(pg.dst, image.Rect(r.Min.X, r.Min.Y+rowH-2, r.Max.X, r.Min.Y+rowH), rule)
	top, stripe := r.Min.Y+rowH, 0
	for i, h := range rowHeights(tf, pg.rows, r.Dx()) {
		row, p := pg.rows[i], pg.ps[i]
		if h == 0 { // a watch: its nodes have a table of their own
			continue
		}
		if stripe%2 == 0 {
			box(pg.dst, image.Rect(r.Min.X, top, r.Max.X, top+h), shade)
		}
		stripe++
		base := baseline(top)
		box(pg.dst, image.Rect(r.Min.X+6, base-14, r.Min.X+20, base), runColor(i))
		cell(-1, base, tf.body, ink, runtext.Mark(pg.names[i], p))
		for j, tc := range tableColumns {
			if tc.col != runtext.ColModel {
				cell(j, base, tf.body, ink, tc.col.RowCell(row))
				continue
			}
			for k, line := range modelLines(tf, p, r.Dx()) {
				pg.text(tf.body, ink, at(j), base+k*bodyLead, left, line)
			}
		}
		noise := noiseLines(tf, row, r.Dx())
		for k, line := range noise {
			pg.text(tf.small, notice, at(0), top+h-(len(noise)-k)*smallLead+smallLead-8, left, line)
		}
		top += h
	}
	if n := unlisted(pg.rows, pg.l.Listed); n > 0 {
		u := pg.l.Unlisted
		pg.text(tf.body, notice, u.Min.X, u.Min.Y+lineHeight(tf.body), left,
			runtext.Count(n, "more run")+" not listed here; the CSV and the trace hold every run")
	}
}
