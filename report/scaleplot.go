package report

import (
	"fmt"
	"image"
	"math"

	"corescope/heatmap"
	"corescope/profile"
	"corescope/scaling"
)

// ScalePlot is a sweep's chart of speedup against workers laid out in
// pixels: the one geometry the PNG report paints and the window draws
// with its own objects. Workers run along a log₂ axis (1, 2, 4...), so
// the measured counts and the projection to many more cores share it;
// speedup runs up a linear one from 0.
type ScalePlot struct {
	// Plot is the area inside the axes; every figure below lies in it.
	Plot image.Rectangle
	// XTicks and YTicks mark the axes: at a pixel x (under the plot) or y
	// (left of it), with a label.
	XTicks, YTicks []PlotTick
	// Lines are drawn in order: the ideal, each law fitted within the
	// cores, its projection past them dashed (a dash a line), and the
	// projection's band.
	Lines []PlotLine
	// Points are the measured points, in the sweep's order.
	Points []PlotPoint
	// CoresX is the x of the cores the law was fitted within, the border
	// between what was measured and what is projected; 0 without a fit.
	CoresX float64
	// Labels name what the lines are, where they end.
	Labels []PlotLabel
}

// PlotTick is one mark of an axis.
type PlotTick struct {
	Pos   float64
	Label string
}

// PlotXY is a point of the plot, in pixels.
type PlotXY struct{ X, Y float64 }

// LineRole says what a line of the plot is, which says how it is drawn.
type LineRole int

// The lines of a plot.
const (
	LineIdeal  LineRole = iota // speedup = workers
	LineSerial                 // Amdahl's (or Gustafson's) law
	LineUSL                    // the Universal Scalability Law, where κ was measured
	LineBand                   // the projection's band, one standard error either side
)

// PlotLine is a polyline of one role; Projected is true past the cores.
type PlotLine struct {
	Role      LineRole
	Projected bool
	Pts       []PlotXY
}

// PlotPoint is a measured point: its median speedup at X, Y, its spread
// from Low to High (pixel y), and what was made of it.
type PlotPoint struct {
	X, Y, Low, High float64
	// Index is the point's index in the sweep's Points.
	Index                      int
	InFit, Competed, PastCores bool
}

// PlotLabel is a text at a pixel, ending there (Right) or starting there.
type PlotLabel struct {
	At    PlotXY
	Text  string
	Role  LineRole
	Right bool
}

// Sizes of the plot's drawing, in pixels.
const (
	plotSamples = 96 // points of a curve across the whole axis
	dashPx      = 12 // a dash of a projection, and the gap after it
)

// LayoutScale lays sweep sw's chart out in plot (the area inside the
// axes: the caller keeps room for the ticks' labels). The axis of workers
// reaches past the measured counts to 8 times the cores fitted within, so
// the projection shows; speedups up to the highest measured or fitted one
// within it, the ideal line cut at the top.
func LayoutScale(sw *scaling.Sweep, plot image.Rectangle) ScalePlot {
	sp := ScalePlot{Plot: plot}
	maxN := 2.0
	top := 1.0
	for _, pt := range sw.Points {
		maxN = max(maxN, float64(pt.Workers))
		top = max(top, pt.Speedup+pt.SpeedupSpread)
	}
	var laws []lawLine
	if f := sw.Fit; f != nil {
		maxN = max(maxN, float64(8*f.Cores))
		laws = lawLines(sw, f)
	}
	maxN = math.Exp2(math.Ceil(math.Log2(maxN)))
	for _, l := range laws {
		for _, n := range samples(1, maxN) {
			top = max(top, l.law.Speedup(n)+l.spread(n))
		}
	}
	step := heatmap.NiceStep(top*1.1, 6)
	top = step * math.Ceil(top*1.1/step)
	x := func(n float64) float64 {
		return float64(plot.Min.X) + math.Log2(n)/math.Log2(maxN)*float64(plot.Dx())
	}
	y := func(s float64) float64 {
		return float64(plot.Max.Y) - min(max(s, 0), top)/top*float64(plot.Dy())
	}
	for n := 1.0; n <= maxN; n *= 2 {
		sp.XTicks = append(sp.XTicks, PlotTick{x(n), fmt.Sprint(n)})
	}
	for s := 0.0; s <= top*(1+1e-9); s += step {
		sp.YTicks = append(sp.YTicks, PlotTick{y(s), fmt.Sprintf("%gx", s)})
	}
	ideal := PlotLine{Role: LineIdeal}
	for _, n := range samples(1, min(maxN, top)) {
		ideal.Pts = append(ideal.Pts, PlotXY{x(n), y(n)})
	}
	sp.Lines = append(sp.Lines, ideal)
	sp.Labels = append(sp.Labels, PlotLabel{At: ideal.Pts[len(ideal.Pts)-1], Text: "ideal", Role: LineIdeal, Right: true})
	if f := sw.Fit; f != nil {
		sp.CoresX = x(float64(f.Cores))
		for _, l := range laws {
			sp.addLaw(l, float64(f.Cores), maxN, x, y)
		}
	}
	for i, pt := range sw.Points {
		if pt.Speedup <= 0 {
			continue
		}
		n := float64(pt.Workers)
		sp.Points = append(sp.Points, PlotPoint{X: x(n), Y: y(pt.Speedup), Low: y(pt.Speedup - pt.SpeedupSpread), High: y(pt.Speedup + pt.SpeedupSpread),
			Index: i, InFit: pt.InFit, Competed: pt.Competed, PastCores: pt.PastCores})
	}
	return sp
}

// lawLine is a law to draw: its role, its name, and whether its band is
// drawn (the projection's).
type lawLine struct {
	role LineRole
	name string
	law  scaling.Law
	band bool
}

// spread is the law's band at n, 0 where it draws none.
func (l lawLine) spread(n float64) float64 {
	if !l.band {
		return 0
	}
	return l.law.Spread(n)
}

// lawLines are the laws of fit f to draw: the serial law, and USL where
// it differs from it (κ measured); the one the fit projects with carries
// the band.
func lawLines(sw *scaling.Sweep, f *profile.ScaleFit) []lawLine {
	serial := lawLine{role: LineSerial, name: serialName(sw), law: scaling.SerialLaw(f, sw.Weak)}
	if f.Kappa == nil {
		serial.band = true
		if !sw.Weak {
			serial.law = scaling.Projection(f, false) // USL without κ: Amdahl's, with USL's band
			serial.name = "Amdahl (USL without κ)"
		}
		return []lawLine{serial}
	}
	return []lawLine{serial, {role: LineUSL, name: "USL", law: scaling.Projection(f, sw.Weak), band: true}}
}

// serialName names sweep sw's serial law: Amdahl's, or Gustafson's for
// weak scaling.
func serialName(sw *scaling.Sweep) string {
	if sw.Weak {
		return "Gustafson"
	}
	return "Amdahl"
}

// addLaw adds law l's curve: solid within the cores, dashed past them up
// to maxN, with its band past them, and its name at its end.
func (sp *ScalePlot) addLaw(l lawLine, cores, maxN float64, x, y func(float64) float64) {
	curve := func(from, to float64, at func(n float64) float64) []PlotXY {
		var pts []PlotXY
		for _, n := range samples(from, to) {
			pts = append(pts, PlotXY{x(n), y(at(n))})
		}
		return pts
	}
	sp.Lines = append(sp.Lines, PlotLine{Role: l.role, Pts: curve(1, cores, l.law.Speedup)})
	if maxN <= cores {
		return
	}
	past := curve(cores, maxN, l.law.Speedup)
	sp.Lines = append(sp.Lines, dashes(l.role, past)...)
	if l.band && l.law.Spread(maxN) > 0 {
		sp.Lines = append(sp.Lines, dashes(LineBand, curve(cores, maxN, func(n float64) float64 { return l.law.Speedup(n) + l.law.Spread(n) }))...)
		sp.Lines = append(sp.Lines, dashes(LineBand, curve(cores, maxN, func(n float64) float64 { return l.law.Speedup(n) - l.law.Spread(n) }))...)
	}
	sp.Labels = append(sp.Labels, PlotLabel{At: past[len(past)-1], Text: l.name + ", projected", Role: l.role, Right: true})
}

// samples are plotSamples-spread worker counts from a to b, evenly on the
// log axis, both ends among them.
func samples(a, b float64) []float64 {
	if b <= a {
		return []float64{a}
	}
	k := max(2, int(math.Ceil(plotSamples*math.Log2(b/a)/8)))
	out := make([]float64, k+1)
	for i := range out {
		out[i] = a * math.Pow(b/a, float64(i)/float64(k))
	}
	return out
}

// dashes cuts the polyline pts into dashes of dashPx with gaps as long,
// each a projected line of role.
func dashes(role LineRole, pts []PlotXY) []PlotLine {
	var out []PlotLine
	var cur []PlotXY
	on, left := true, float64(dashPx)
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		seg := math.Hypot(b.X-a.X, b.Y-a.Y)
		for seg > 0 {
			step := min(seg, left)
			t := step / math.Hypot(b.X-a.X, b.Y-a.Y)
			mid := PlotXY{a.X + (b.X-a.X)*t, a.Y + (b.Y-a.Y)*t}
			if on {
				if len(cur) == 0 {
					cur = append(cur, a)
				}
				cur = append(cur, mid)
			}
			a, seg, left = mid, seg-step, left-step
			if left <= 0 {
				if on && len(cur) > 1 {
					out = append(out, PlotLine{Role: role, Projected: true, Pts: cur})
				}
				cur, on, left = nil, !on, dashPx
			}
		}
	}
	if on && len(cur) > 1 {
		out = append(out, PlotLine{Role: role, Projected: true, Pts: cur})
	}
	return out
}
