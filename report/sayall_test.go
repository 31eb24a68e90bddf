package report

import (
	"fmt"
	"image"
	"strings"
	"testing"

	"golang.org/x/image/font"

	"corescope/profile"
	"corescope/runtext"
	"corescope/spec"
)

// repeated is groups groups of a comparison, each of repeats repeats of
// one label interleaved round-robin as compare runs them, every run with a
// verdict of about 80 words, each repeat slower than the last.
func repeated(groups, repeats int) []*profile.Profile {
	var ps []*profile.Profile
	for r := 1; r <= repeats; r++ {
		for g := range groups {
			p := fixture(fmt.Sprintf("model %d", g), spec.Threads, 2, 20, wave)
			p.Repeat = r
			p.Summary.WallS += 0.01 * float64(r)
			p.Summary.Verdict = fmt.Sprintf("group %d repeat %d: %s", g, r, strings.Repeat("threads took turns in the GIL while the other waited 0.42 s; ", 8))
			ps = append(ps, p)
		}
	}
	return ps
}

// TestPNGOfSixteenGroupsSaysEverything draws 16 groups of 3 repeats with
// long verdicts and reads back what it laid out: 16 runs drawn, the
// median repeat of each, every verdict and explanation whole (no line
// ends in an ellipsis, none wider than its paragraph), which repeat each
// is, a table row a group; and in the image every line of text has ink in
// its place, within the image. The old report drew the first 16 of the 48
// runs, repeats of the first 6 groups, each verdict cut to one line.
func TestPNGOfSixteenGroupsSaysEverything(t *testing.T) {
	ps := repeated(maxDrawnRuns, 3)
	tf, err := newTypeface()
	if err != nil {
		t.Fatal(err)
	}
	l := Locate(ps, Options{})
	rows := runtext.Rows(ps)
	if len(rows) != maxDrawnRuns || len(l.Runs) != maxDrawnRuns || l.Listed != maxDrawnRuns || !l.Omitted.Empty() {
		t.Fatalf("%d groups: %d drawn, %d listed, omitted %v; want all %d, nothing omitted", len(rows), len(l.Runs), l.Listed, l.Omitted, maxDrawnRuns)
	}
	whole := func(what string, pa Paragraph, want string) {
		t.Helper()
		face := tf.body
		if pa.small {
			face = tf.small
		}
		for _, line := range pa.Lines {
			if strings.Contains(line, ellipsis) || strings.Contains(line, "...") {
				t.Errorf("%s: line %q is cut", what, line)
			}
			if w := font.MeasureString(face, line).Round(); w > pa.Rect.Dx() {
				t.Errorf("%s: line %q is %d px wide; want at most %d", what, line, w, pa.Rect.Dx())
			}
		}
		if got := strings.Join(pa.Lines, " "); got != strings.Join(strings.Fields(want), " ") {
			t.Errorf("%s reads back %q; want %q", what, got, want)
		}
	}
	for i, r := range l.Runs {
		shown := rows[i].Run
		if shown.Repeat != 2 {
			t.Errorf("group %d is drawn by repeat %d; want 2, the median wall", i, shown.Repeat)
		}
		if len(r.Text[1].Lines) < 2 {
			t.Errorf("group %d's verdict takes %d lines; want it wrapped over several", i, len(r.Text[1].Lines))
		}
		whole(fmt.Sprintf("group %d's verdict", i), r.Text[1], shown.Summary.Verdict)
		whole(fmt.Sprintf("group %d's explanation", i), r.Why, runtext.Why(shown))
		whole(fmt.Sprintf("group %d's notes", i), r.Text[2], strings.Join(runtext.Notes(rows[i]), " "))
		if !strings.Contains(strings.Join(r.Text[2].Lines, " "), "Shown: repeat 2 of 3, the median wall.") {
			t.Errorf("group %d's notes = %q; want which repeat it is", i, r.Text[2].Lines)
		}
	}
	whole("machine line", l.Machine, machineLine(runtext.Shown(rows)))
	whole("spec line", l.Spec, specLine(runtext.Shown(rows)))

	img, err := PNG(ps, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rgba := img.(*image.RGBA)
	if rgba.Bounds().Size() != l.Size || l.Size.Y > MaxHeight {
		t.Fatalf("image %v; want its layout's %v, at most %d px high", rgba.Bounds().Size(), l.Size, MaxHeight)
	}
	inked := func(what string, pa Paragraph) {
		t.Helper()
		for k := range pa.Lines {
			line := image.Rect(pa.Rect.Min.X, pa.Rect.Min.Y+k*pa.lead(), pa.Rect.Max.X, pa.Rect.Min.Y+(k+1)*pa.lead())
			if !line.In(rgba.Bounds()) || count(rgba, line, is(pa.c)) < 20 {
				t.Errorf("%s: line %d at %v has no text drawn in the image %v", what, k, line, rgba.Bounds())
			}
		}
	}
	for i, r := range l.Runs {
		inked(fmt.Sprintf("group %d's verdict", i), r.Text[1])
		inked(fmt.Sprintf("group %d's explanation", i), r.Why)
	}
}
