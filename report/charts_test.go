package report

import (
	"math"
	"testing"

	"github.com/wcharczuk/go-chart/v2"

	"corescope/levels"
	"corescope/profile"
	"corescope/spec"
)

// TestLineChartBreaksAtGaps checks that the busy-cores lines stop where a
// run's samples are missing rather than drawing across the gap, and that a
// line has a point a pixel column, not a sample.
func TestLineChartBreaksAtGaps(t *testing.T) {
	p := withSubject(fixture("gappy", spec.Threads, 4, 3000, wave), profile.AttributionExact,
		func(s, c int) float64 { return wave(s, c) / 2 })
	for s := 1000; s < 1500; s++ { // 50 s of the run's 300 missing
		f := &p.Frames[s]
		for c := range f.Busy {
			f.Busy[c], f.SubjectBusy[c] = levels.Missing, levels.Missing
		}
	}
	gapFrom, gapTo := p.Frames[999].T, p.Frames[1499].T
	ps := []*profile.Profile{p}
	l := Locate(ps, Options{})
	c, shown := lineChart(l.Line, ps, []string{"gappy"}, runSeries(ps))
	if c == nil || !shown[0] {
		t.Fatal("no line for the run")
	}
	if got := len(c.Series); got != 4 {
		t.Errorf("%d series; want 4: the subject's and other programs' lines, each before and after the gap", got)
	}
	for _, s := range c.Series {
		cs := s.(chart.ContinuousSeries)
		if n := len(cs.XValues); n > l.Line.Dx() {
			t.Errorf("%s has %d points; want at most one a pixel column of %d", cs.Name, n, l.Line.Dx())
		}
		for k, x := range cs.XValues {
			if x > gapFrom+1 && x < gapTo-1 || math.IsNaN(cs.YValues[k]) {
				t.Errorf("%s has a point (%v, %v) in the gap %v..%v s", cs.Name, x, cs.YValues[k], gapFrom, gapTo)
			}
		}
	}
}

func TestSpeedupTitleNamesTheBaseline(t *testing.T) {
	for _, c := range []struct {
		over []string
		want string
	}{
		{[]string{"sequential"}, "Speedup over sequential"},
		{[]string{"seq.py"}, "Speedup over seq.py"},
		{[]string{"seq.py", "sequential"}, "Speedup over each run's baseline"},
	} {
		over := map[string]bool{}
		for _, o := range c.over {
			over[o] = true
		}
		if got := speedupTitle(over); got != c.want {
			t.Errorf("speedupTitle(%v) = %q; want %q", c.over, got, c.want)
		}
	}
}
