package report

import (
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// countingFace counts the glyphs measured through it and fails the test
// once they pass budget, so that a super-linear measure stops early
// rather than running for minutes.
type countingFace struct {
	font.Face
	t        *testing.T
	measured int
	budget   int
}

func (f *countingFace) GlyphAdvance(r rune) (fixed.Int26_6, bool) {
	f.measured++
	if f.measured > f.budget {
		f.t.Fatalf("measured %d glyphs; want at most %d", f.measured, f.budget)
	}
	return f.Face.GlyphAdvance(r)
}

// TestLongWordMeasuresEachGlyphAFewTimes gives the text functions a word
// of 100,000 runes (a command's long argument): each glyph is measured a
// few times, not once per cut tried, and wrapAll still keeps every rune.
func TestLongWordMeasuresEachGlyphAFewTimes(t *testing.T) {
	tf, err := newTypeface()
	if err != nil {
		t.Fatal(err)
	}
	const n, width = 100_000, 300
	word := strings.Repeat("a", n)
	face := func(budget int) *countingFace { return &countingFace{Face: tf.body, t: t, budget: budget} }

	f := face(4 * n)
	lines := wrapAll(f, word, width, n)
	if got := strings.Join(lines, ""); got != word {
		t.Errorf("wrapAll of %d runes kept %d; want every one", n, len(got))
	}
	for k, l := range lines {
		if w := font.MeasureString(tf.body, l).Round(); w > width {
			t.Fatalf("line %d is %d px wide; want at most %d", k, w, width)
		}
	}
	t.Logf("wrapAll: %d lines, %d glyphs measured", len(lines), f.measured)

	// fit, wrap and wrapAll within a few lines read no further than the
	// room they fill.
	f = face(4 * width)
	if got := wrapAll(f, word, width, 3); len(got) != 3 || !strings.HasSuffix(got[2], "…") {
		t.Errorf("wrapAll into 3 lines = %d lines, the last %.20q; want 3, the last cut", len(got), got[len(got)-1])
	}
	f = face(2 * width)
	if got := fit(f, word, width); !strings.HasSuffix(got, "…") || font.MeasureString(tf.body, got).Round() > width {
		t.Errorf("fit = %q; want a prefix and an ellipsis within %d px", got, width)
	}
	f = face(4 * n)
	if got := wrap(f, word+" "+word+" "+word+" b", width, 3); len(got) != 3 || !strings.HasSuffix(got[2], "…") {
		t.Errorf("wrap into 3 lines = %d lines, the last %.20q; want 3, the last cut", len(got), got[len(got)-1])
	}
}

// TestFitAndWrapKeepTheirCuts checks the cuts on short texts: fit keeps a
// text that fits and otherwise the longest prefix that fits with its
// ellipsis; wrap breaks at spaces.
func TestFitAndWrapKeepTheirCuts(t *testing.T) {
	tf, err := newTypeface()
	if err != nil {
		t.Fatal(err)
	}
	face := tf.body
	width := func(s string) int { return font.MeasureString(face, s).Round() }
	s := "processes kept 1.96 of 2 cores busy"
	if got := fit(face, s, width(s)); got != s {
		t.Errorf("fit at its own width = %q; want %q", got, s)
	}
	cut := fit(face, s, width(s)-1)
	if !strings.HasSuffix(cut, "…") || width(cut) > width(s)-1 {
		t.Fatalf("fit 1 px short = %q; want a prefix and an ellipsis", cut)
	}
	prefix := strings.TrimSuffix(cut, "…")
	if longer := s[:len(prefix)+1] + "…"; width(longer) <= width(s)-1 {
		t.Errorf("fit 1 px short = %q; %q fits too", cut, longer)
	}
	if got := fit(face, s, 0); got != "" {
		t.Errorf("fit in 0 px = %q; want nothing", got)
	}
	if got, want := wrap(face, "aa bb cc", width("aa bb"), 5), []string{"aa bb", "cc"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("wrap = %q; want %q", got, want)
	}
	all := wrapAll(face, "aa bbbbbbbbbb", width("aa"), 10)
	if len(all) < 3 || all[0] != "aa" || strings.Join(all, "") != "aabbbbbbbbbb" {
		t.Errorf("wrapAll = %q; want \"aa\", then the long word over several lines", all)
	}
	for _, l := range all {
		if width(l) > width("aa") {
			t.Errorf("wrapAll line %q is %d px; want at most %d", l, width(l), width("aa"))
		}
	}
}
