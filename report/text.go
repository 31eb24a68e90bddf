package report

import (
	"image"
	"image/color"
	"image/draw"
	"strings"

	"github.com/golang/freetype/truetype"
	"github.com/wcharczuk/go-chart/v2"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// typeface draws text into the report with go-chart's built-in Roboto, at a
// few sizes made once per report (freetype faces cache glyphs and are not
// safe for concurrent use).
type typeface struct {
	title, body, small font.Face
}

// Text sizes in pixels, chosen so the report still reads shrunk to 1200 px.
const (
	titlePx = 40
	bodyPx  = 20
	smallPx = 16
)

func newTypeface() (*typeface, error) {
	f, err := chart.GetDefaultFont()
	if err != nil {
		return nil, err
	}
	face := func(px float64) font.Face {
		return truetype.NewFace(f, &truetype.Options{Size: px, DPI: 72, Hinting: font.HintingFull})
	}
	return &typeface{title: face(titlePx), body: face(bodyPx), small: face(smallPx)}, nil
}

// Alignment of a text against its x position.
type align int

const (
	left align = iota
	right
	center
)

// text draws s with face in c so that its baseline is at y and it starts
// at, ends at or is centred on x. It returns the text's width.
func text(dst draw.Image, face font.Face, c color.Color, x, y int, a align, s string) int {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: face}
	w := d.MeasureString(s).Round()
	switch a {
	case right:
		x -= w
	case center:
		x -= w / 2
	}
	d.Dot = fixed.P(x, y)
	d.DrawString(s)
	return w
}

// fit shortens s with an ellipsis until it is at most width pixels wide.
func fit(face font.Face, s string, width int) string {
	if font.MeasureString(face, s).Round() <= width {
		return s
	}
	r := []rune(strings.TrimSpace(s))
	for len(r) > 0 {
		r = r[:len(r)-1]
		if t := string(r) + "…"; font.MeasureString(face, t).Round() <= width {
			return t
		}
	}
	return ""
}

// wrap breaks s at spaces into lines at most width pixels wide, at most
// most lines; the last is shortened with an ellipsis when s does not fit.
func wrap(face font.Face, s string, width, most int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		next := strings.TrimSpace(line + " " + w)
		if line != "" && font.MeasureString(face, next).Round() > width {
			lines = append(lines, line)
			next = w
		}
		line = next
	}
	if line != "" {
		lines = append(lines, line)
	}
	if len(lines) > most {
		lines[most-1] = fit(face, strings.Join(lines[most-1:], " "), width)
		lines = lines[:most]
	}
	for i, l := range lines {
		lines[i] = fit(face, l, width) // a single word too wide
	}
	return lines
}

// lineHeight is the distance between two baselines of face.
func lineHeight(face font.Face) int { return face.Metrics().Height.Ceil() }

// wrapAll breaks s into lines at most width pixels wide and never drops a
// character: at spaces, and inside a word (a long path) too wide for a line.
func wrapAll(face font.Face, s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		next := strings.TrimSpace(line + " " + w)
		if font.MeasureString(face, next).Round() <= width {
			line = next
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		line = w
		for font.MeasureString(face, line).Round() > width {
			r := []rune(line)
			n := len(r) - 1
			for n > 1 && font.MeasureString(face, string(r[:n])).Round() > width {
				n--
			}
			lines = append(lines, string(r[:n]))
			line = string(r[n:])
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}
