package report

import (
	"fmt"
	"html/template"
	"image"
	"image/color"
	"strings"

	"corescope/profile"
	"corescope/runtext"
	"corescope/scaling"
)

// htmlScale is a sweep's Scaling section in the HTML report: its title,
// its chart as SVG (the PNG's, from LayoutScale) and its texts.
type htmlScale struct {
	Title string   `json:"title"`
	SVG   string   `json:"svg"`
	Texts []string `json:"texts"`
}

// Size of a Scaling chart in the HTML report, in SVG units (the page
// scales it to its width).
const svgW, svgH = 900, 400

// htmlScales are the sections of the sweeps among ps the PNG draws, and
// how many it leaves out.
func htmlScales(ps []*profile.Profile) ([]htmlScale, string) {
	sweeps, all := sweepsOf(ps)
	var out []htmlScale
	for _, sw := range sweeps {
		s := htmlScale{Title: clipText("Scaling: " + runtext.ScaleTitle(sw)), SVG: scaleSVG(sw)}
		for i, t := range scaleTexts(sw) {
			if i == 2 {
				t = "Why it bends: " + t
			}
			s.Texts = append(s.Texts, clipText(t))
		}
		out = append(out, s)
	}
	left := ""
	if all > len(sweeps) {
		left = fmt.Sprintf("%d of %d sweeps drawn, the first", len(sweeps), all)
	}
	return out, left
}

// scaleSVG draws sweep sw's chart as the PNG report does, in SVG.
func scaleSVG(sw *scaling.Sweep) string {
	sp := LayoutScale(sw, image.Rect(scalePlotLeft*2/3, scalePlotTop, svgW-scalePlotRight, svgH-scalePlotBottom*3/4))
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="speedup against workers" font-size="13" font-family="sans-serif">`, svgW, svgH)
	r := sp.Plot
	txt := func(x, y float64, anchor string, c color.RGBA, s string) {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="%s" fill="%s">%s</text>`, x, y, anchor, hexColor(c), template.HTMLEscapeString(s))
	}
	seg := func(x1, y1, x2, y2 float64, c color.RGBA, w float64) {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%g"/>`, x1, y1, x2, y2, hexColor(c), w)
	}
	for _, t := range sp.YTicks {
		seg(float64(r.Min.X), t.Pos, float64(r.Max.X), t.Pos, shade, 1)
		txt(float64(r.Min.X)-8, t.Pos+4, "end", muted, t.Label)
	}
	for _, t := range sp.XTicks {
		seg(t.Pos, float64(r.Min.Y), t.Pos, float64(r.Max.Y), shade, 1)
		txt(t.Pos, float64(r.Max.Y)+18, "middle", muted, t.Label)
	}
	seg(float64(r.Min.X), float64(r.Max.Y), float64(r.Max.X), float64(r.Max.Y), muted, 1)
	seg(float64(r.Min.X), float64(r.Min.Y), float64(r.Min.X), float64(r.Max.Y), muted, 1)
	txt(float64(r.Min.X+r.Max.X)/2, float64(r.Max.Y)+38, "middle", muted, "workers (and cores, projected)")
	txt(float64(r.Min.X)-8, float64(r.Min.Y)-12, "end", muted, "speedup")
	if sp.CoresX > 0 {
		seg(sp.CoresX, float64(r.Min.Y)-8, sp.CoresX, float64(r.Max.Y), muted, 1)
		txt(sp.CoresX-6, float64(r.Min.Y)-12, "end", muted, "measured")
		txt(sp.CoresX+6, float64(r.Min.Y)-12, "start", muted, "projected")
	}
	for _, l := range sp.Lines {
		c, w := ScaleLineStyle(l.Role)
		b.WriteString(`<polyline fill="none" points="`)
		for _, p := range l.Pts {
			fmt.Fprintf(&b, "%.1f,%.1f ", p.X, p.Y)
		}
		fmt.Fprintf(&b, `" stroke="%s" stroke-width="%g"/>`, hexColor(c), w*2/3)
	}
	for _, pt := range sp.Points {
		c := ink
		if pt.Competed {
			c = notice
		}
		seg(pt.X, pt.Low, pt.X, pt.High, c, 1.5)
		fill := hexColor(c)
		if !pt.InFit {
			fill = hexColor(paper)
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4.5" fill="%s" stroke="%s" stroke-width="2"><title>%d workers</title></circle>`,
			pt.X, pt.Y, fill, hexColor(c), sw.Points[pt.Index].Workers)
	}
	for _, lb := range sp.Labels {
		c, _ := ScaleLineStyle(lb.Role)
		anchor := "start"
		if lb.Right {
			anchor = "end"
		}
		txt(lb.At.X-4, lb.At.Y-8, anchor, c, lb.Text)
	}
	b.WriteString("</svg>")
	return b.String()
}
