package report

import (
	"image"
	"testing"

	"corescope/runtext"
)

// TestBusyCoresPastFourRunsAreSmallMultiples draws 5 and 16 groups: the
// busy-cores chart is a small chart a group, each with its run's busy
// cores drawn in its place (the old report crossed 16 lines on one chart,
// its key cut with "…" after the fourth name); 4 groups keep one line chart.
func TestBusyCoresPastFourRunsAreSmallMultiples(t *testing.T) {
	if got := lineHeightFor(lineRunsMost); got != lineH {
		t.Errorf("the chart of %d runs is %d px high; want the line chart's %d", lineRunsMost, got, lineH)
	}
	for _, n := range []int{5, maxDrawnRuns} {
		ps := repeated(n, 3)
		l := Locate(ps, Options{})
		img, err := PNG(ps, Options{})
		if err != nil {
			t.Fatal(err)
		}
		plot := l.Line
		plot.Min.Y += chartLegendH
		for k := range n {
			cell := multiplePlot(plot, k)
			if !cell.In(l.Line) || count(img.(*image.RGBA), cell, not(shade)) < cell.Dx()*cell.Dy()/2 {
				t.Errorf("%d groups: small chart %d at %v, in %v, has too little drawn", n, k, cell, l.Line)
			}
		}
	}
}

// TestBarsCarryTheirFigures checks that each bar of wall time and speedup
// prints its figure with the range of its repeats, as the table words it,
// past its end (go-chart's bars had none), and that its range has a
// whisker.
func TestBarsCarryTheirFigures(t *testing.T) {
	rows := runtext.Rows(repeated(3, 3))
	for i, r := range rows {
		w := wallBar(r, "", runColor(i))
		if w.label != runtext.ColWall.RowCell(r) || !(w.lo < w.v && w.v < w.hi) {
			t.Errorf("group %d's wall bar = %+v; want the table's %q and the repeats' range around the median", i, w, runtext.ColWall.RowCell(r))
		}
	}
	tf, err := newTypeface()
	if err != nil {
		t.Fatal(err)
	}
	dst := image.NewRGBA(image.Rect(0, 0, 800, 300))
	box(dst, dst.Bounds(), paper)
	pg := &page{dst: dst, tf: tf}
	bars := []bar{{name: "a", c: runColor(0), v: 2, lo: 1.5, hi: 2.5, label: "2.00 s (1.50–2.50)"}, {name: "b", c: runColor(1), v: 1, lo: 1, hi: 1, label: "1.00 s"}}
	pg.hbars(dst.Bounds(), bars, 0, 0, " s")
	x0 := dst.Bounds().Dx() * barNameFrac / 100
	for i, b := range bars {
		mid := i*barRowMostH + barRowMostH/2
		right := image.Rect(x0, mid-8, dst.Bounds().Max.X, mid+8)
		if n := count(dst, right, is(b.c)); n == 0 {
			t.Errorf("bar %d: not drawn", i)
		}
		if n := count(dst, right, is(ink)); n < 40 {
			t.Errorf("bar %d: %d px of ink right of its name; want its figure %q printed", i, n, b.label)
		}
	}
}
