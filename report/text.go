package report

import (
	"image"
	"image/color"
	"image/draw"
	"strings"
	"unicode/utf8"

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

// measurer measures text a glyph at a time as font.MeasureString does
// (kerning between glyphs; a glyph the face lacks adds nothing), so that a
// search for where to cut a text reads each glyph once, not once per cut
// tried: a 1,500-rune argument took the report 54 s when each shorter
// prefix was measured again.
type measurer struct {
	face font.Face
	w    fixed.Int26_6 // the width so far
	prev rune          // the last glyph measured; -1 before the first
}

func newMeasurer(face font.Face) measurer { return measurer{face: face, prev: -1} }

// add measures c after the glyphs so far.
func (m *measurer) add(c rune) {
	if m.prev >= 0 {
		m.w += m.face.Kern(m.prev, c)
	}
	a, ok := m.face.GlyphAdvance(c)
	if !ok {
		return
	}
	m.w += a
	m.prev = c
}

// width is the width so far in whole pixels.
func (m *measurer) width() int { return m.w.Round() }

// extend measures s after the glyphs so far and stops before the first
// glyph that takes the width past limit pixels: it returns how many bytes
// of s fit, len(s) when all do, and m holds their width.
func (m *measurer) extend(s string, limit int) int {
	for i, c := range s {
		before := *m
		if m.add(c); m.width() > limit {
			*m = before
			return i
		}
	}
	return len(s)
}

// ellipsis ends a text shortened to fit.
const ellipsis = "…"

// fit shortens s with an ellipsis until it is at most width pixels wide:
// the longest prefix of s, trimmed, that fits with the ellipsis after it.
// It measures no further than width.
func fit(face font.Face, s string, width int) string {
	m := newMeasurer(face)
	if m.extend(s, width) == len(s) {
		return s
	}
	s = strings.TrimSpace(s)
	m = newMeasurer(face)
	cut := -1 // the bytes of s that fit before the ellipsis
	for i, c := range s {
		if m.width() > width {
			break // a longer prefix fits no better
		}
		withEllipsis := m
		if withEllipsis.extend(ellipsis, width) == len(ellipsis) {
			cut = i
		}
		m.add(c)
	}
	if cut < 0 {
		return ""
	}
	return s[:cut] + ellipsis
}

// line is a line of text being filled, and its width.
type line struct {
	text string
	m    measurer
	over bool // wider than the room: a word alone that does not fit
}

// start makes word the whole of l.
func (l *line) start(face font.Face, word string, width int) {
	l.text, l.m = word, newMeasurer(face)
	l.over = l.m.extend(word, width) < len(word)
}

// add appends a space and word to l if they fit within width, and
// reports whether they did.
func (l *line) add(word string, width int) bool {
	if l.over {
		return false
	}
	m := l.m
	if m.extend(" ", width) < 1 || m.extend(word, width) < len(word) {
		return false
	}
	l.text, l.m = l.text+" "+word, m
	return true
}

// wrap breaks s at spaces into lines at most width pixels wide, at most
// most lines; the last is shortened with an ellipsis when s does not fit.
func wrap(face font.Face, s string, width, most int) []string {
	var lines []string
	var l line
	for _, w := range strings.Fields(s) {
		if l.text != "" {
			if l.add(w, width) {
				continue
			}
			lines = append(lines, l.text)
		}
		l.start(face, w, width)
	}
	if l.text != "" {
		lines = append(lines, l.text)
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

// wrapAll breaks s into lines at most width pixels wide and, within most
// lines, never drops a character: at spaces, and inside a word (a long
// path) too wide for a line, after as many of its runes as fit (at least
// one). Past most lines the last ends in an ellipsis, and the measuring
// stops there, so a text of any length costs most lines.
func wrapAll(face font.Face, s string, width, most int) []string {
	var lines []string
	var l line
words:
	for _, w := range strings.Fields(s) {
		if l.text != "" {
			if l.add(w, width) {
				continue
			}
			lines = append(lines, l.text)
		}
		for {
			if len(lines) > most {
				break words
			}
			if l.start(face, w, width); !l.over {
				break
			}
			m := newMeasurer(face)
			n := max(m.extend(w, width), firstRune(w))
			lines = append(lines, w[:n])
			w = w[n:]
		}
	}
	if len(lines) <= most && (l.text != "" || len(lines) == 0) {
		lines = append(lines, l.text)
	}
	if len(lines) > most {
		lines[most-1] = fit(face, lines[most-1]+" "+lines[most], width)
		lines = lines[:most]
	}
	return lines
}

// firstRune is the length in bytes of the first rune of s.
func firstRune(s string) int {
	_, n := utf8.DecodeRuneInString(s)
	return n
}
