package report

import (
	"image"
	"strings"
	"testing"

	"corescope/profile"
	"corescope/profile/profiletest"
	"corescope/runtext"
)

// TestPNGListsPhasesAndReasons checks that a run's header lists its
// phases, each with its reasons and evidence, and that a run of many
// phases lists a bounded number of lines, saying how many it leaves out.
func TestPNGListsPhasesAndReasons(t *testing.T) {
	phased := profiletest.Phased().Exact()
	runtext.Conclude([]*profile.Profile{phased})
	ps := []*profile.Profile{phased}
	out, err := PNG(ps, Options{})
	if err != nil {
		t.Fatal(err)
	}
	img, l := out.(*image.RGBA), Locate(ps, Options{})
	if r := l.Runs[0]; r.Findings.Empty() || count(img, r.Findings, is(ink)) < 200 || r.Findings.Max.Y > r.Header.Max.Y {
		t.Errorf("phases drawn at %v in the header %v, %d pixels of ink; want them in the header, written", r.Findings, r.Header, count(img, r.Findings, is(ink)))
	}
	lines := findingsLines(nil, phased, 0)
	for i, want := range []string{"phase 1, 0.00 s to 2.00 s", "phase 2, ", "phase 3, "} {
		if i >= len(lines) || !strings.HasPrefix(lines[i], want) {
			t.Errorf("line %d of %q; want it to begin %q", i, lines, want)
		}
	}
	for i, want := range []string{"one thread did the work", "parallel", "waiting: asleep"} {
		if i < len(lines) && !strings.Contains(lines[i], want) {
			t.Errorf("line %d = %q; want it to say %q", i, lines[i], want)
		}
	}

	many := profiletest.Command("app", 20, 1.5) // one core, then two, every second
	many.Summary.SubjectEndS = 20
	for i := range 200 {
		cpu := 0.1
		if i/10%2 == 1 {
			cpu = 0.2
		}
		many.Frames = append(many.Frames, profile.Frame{T: float64(i+1) / 10, SubjectCPU: cpu})
	}
	tf, err := newTypeface()
	if err != nil {
		t.Fatal(err)
	}
	lines = findingsLines(tf, many, 600)
	if len(lines) > maxFindingsLines || !strings.HasPrefix(lines[len(lines)-1], "and ") || !strings.HasSuffix(lines[len(lines)-1], " more phases") {
		t.Errorf("a run of 20 phases lists %d lines, the last %q; want at most %d, the last saying how many more", len(lines), lines[len(lines)-1], maxFindingsLines)
	}
}
