package report

import (
	"image"
	"time"

	"corescope/heatmap"
	"corescope/profile"
)

// Options shape the PNG report.
type Options struct {
	// Width is the image width in pixels; 0 means DefaultWidth.
	Width int
	// Sorted sorts each heatmap column by load, busiest core on top.
	Sorted bool
	// Date is printed under the title; zero means the latest run's start.
	Date time.Time
}

// DefaultWidth is the report's width when Options.Width is 0: wide enough
// for 8 runs' bars, and its text still reads shrunk to 1200 px.
const DefaultWidth = 1600

// minWidth keeps room for the table's columns.
const minWidth = 1000

// Layout is where PNG puts each part of the report, so callers (and tests)
// can find a run's heatmap in the image.
type Layout struct {
	Size  image.Point
	Title image.Rectangle // title, date, machine and spec lines
	// Legend is the colour scale, 0% at the left.
	Legend image.Rectangle
	Runs   []RunLayout
	// Line is the chart of busy cores over time, every run on one axis.
	Line image.Rectangle
	// Wall and Speedup are the bar charts.
	Wall, Speedup image.Rectangle
	Table         image.Rectangle
	// AxisS is the seconds the heatmaps' shared time scale spans.
	AxisS float64
}

// RunLayout is where one run is drawn.
type RunLayout struct {
	Header image.Rectangle // label, spec and verdict
	// Lane is the full width of the shared time scale; Heatmap and Strip
	// start at its left edge and are as wide as the run is long.
	Lane    image.Rectangle
	Heatmap image.Rectangle
	Strip   image.Rectangle
	// Axis holds the tick labels of seconds and the subject's lifetime.
	Axis image.Rectangle
}

// Sizes of the report's parts in pixels.
const (
	margin      = 40
	gutter      = 130 // left of the heatmaps, for their row labels
	titleH      = 150
	headerH     = 60
	stripH      = 56
	axisH       = 34
	runGap      = 28
	minHeatmapH = 96
	maxHeatmapH = 512
	coreRowPx   = 8 // heatmap row height while it fits between the bounds
	lineH       = 440
	barsH       = 330
	rowH        = 34
	sectionGap  = 36
)

// Locate lays the report of ps out.
func Locate(ps []*profile.Profile, opt Options) Layout {
	w := opt.Width
	if w <= 0 {
		w = DefaultWidth
	}
	w = max(w, minWidth)
	l := Layout{AxisS: axisSeconds(ps)}
	inner := image.Rect(margin, 0, w-margin, 0)
	l.Title = image.Rect(inner.Min.X, margin, inner.Max.X, margin+titleH)
	l.Legend = image.Rect(inner.Max.X-400, margin+20, inner.Max.X, margin+50)

	y := l.Title.Max.Y
	laneX0 := inner.Min.X + gutter
	for _, p := range ps {
		var r RunLayout
		r.Header = image.Rect(inner.Min.X, y, inner.Max.X, y+headerH)
		y = r.Header.Max.Y
		hh := heatmapHeight(cores(p))
		r.Lane = image.Rect(laneX0, y, inner.Max.X, y+hh+stripH+4)
		dataW := heatmap.Width(r.Lane.Dx(), lastT(p), l.AxisS)
		r.Heatmap = image.Rect(laneX0, y, laneX0+dataW, y+hh)
		r.Strip = image.Rect(laneX0, y+hh+4, laneX0+dataW, y+hh+4+stripH)
		r.Axis = image.Rect(laneX0, r.Lane.Max.Y, inner.Max.X, r.Lane.Max.Y+axisH)
		y = r.Axis.Max.Y + runGap
		l.Runs = append(l.Runs, r)
	}
	y += sectionGap - runGap
	l.Line = image.Rect(inner.Min.X, y, inner.Max.X, y+lineH)
	y = l.Line.Max.Y + sectionGap
	mid := (inner.Min.X + inner.Max.X) / 2
	l.Wall = image.Rect(inner.Min.X, y, mid-sectionGap/2, y+barsH)
	l.Speedup = image.Rect(mid+sectionGap/2, y, inner.Max.X, y+barsH)
	y = l.Wall.Max.Y + sectionGap
	l.Table = image.Rect(inner.Min.X, y, inner.Max.X, y+rowH*(len(ps)+1))
	l.Size = image.Pt(w, l.Table.Max.Y+margin)
	return l
}

// heatmapHeight gives each core coreRowPx rows, within bounds that keep a
// 2-core heatmap visible and a 256-core one on the page (2 px a core).
func heatmapHeight(cores int) int {
	return max(minHeatmapH, min(maxHeatmapH, cores*coreRowPx))
}

// cores is how many cores run p's samples have (or its machine, without samples).
func cores(p *profile.Profile) int {
	n := 0
	for _, f := range p.Frames {
		n = max(n, len(f.Busy))
	}
	if n == 0 {
		return p.Machine.LogicalCores
	}
	return n
}

// lastT is when p's last sample was taken: how long its heatmap is.
func lastT(p *profile.Profile) float64 {
	if len(p.Frames) == 0 {
		return 0
	}
	return p.Frames[len(p.Frames)-1].T
}

// axisSeconds is the length of the shared time scale: the longest run.
func axisSeconds(ps []*profile.Profile) float64 {
	a := 0.0
	for _, p := range ps {
		a = max(a, lastT(p), p.Summary.SubjectEndS)
	}
	return a
}
