package app

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"corescope/levels"
	"corescope/profile"
	"corescope/runtext"
	"corescope/spec"
)

// verdictTexts are the Compare tab's verdict lines, in the runs' order.
func verdictTexts(v *compareView) []string {
	var texts []string
	for _, o := range v.verdicts.Objects {
		texts = append(texts, o.(interface{ String() string }).String())
	}
	return texts
}

// TestRunsShownAreConcluded checks that the runs the recorder hands the
// window are concluded where they join the session: each has the verdict
// runtext words for it and its speedup against the sequential run, which
// the Compare tab and the Live tab's run bar show.
func TestRunsShownAreConcluded(t *testing.T) {
	u, loop := newTestUI(t, Options{}, fakeRecord(5))
	u.ctl.model.SetSelected(compareAll)
	test.Tap(u.runBtn)
	loop.until(t, 20*time.Second, "Compare all to end", func() bool { return u.job == nil })
	if len(u.runs) != len(spec.Models) {
		t.Fatalf("%d runs; want %d", len(u.runs), len(spec.Models))
	}
	texts := verdictTexts(u.compare)
	for i, p := range u.runs {
		v := p.Summary.Verdict
		if v == "" || v != runtext.Verdict(p) || p.Summary.Speedup == nil {
			t.Errorf("%s: verdict %q, speedup %v; want the concluded %q and a speedup", p.Label, v, p.Summary.Speedup, runtext.Verdict(p))
		}
		if i >= len(texts) || !strings.Contains(texts[i], v) {
			t.Errorf("%s: the Compare tab says %q; want its verdict %q", p.Label, texts, v)
		}
	}
	if shown := u.shown.Summary.Verdict; !strings.Contains(u.bars.live.why.Text, shown) {
		t.Errorf("the Live tab's run bar says %q; want the shown run's verdict %q", u.bars.live.why.Text, shown)
	}
}

// TestOpenedFileKeepsItsConclusions opens a file whose runs carry a
// speedup and a verdict: the window shows them as the file keeps them, and
// does not judge the runs again.
func TestOpenedFileKeepsItsConclusions(t *testing.T) {
	run := func(m spec.Model, wall float64, speedup *float64, verdict string) *profile.Profile {
		return &profile.Profile{Label: string(m), Spec: resolvedSpec(t, spec.Spec{Workload: spec.CPU, Model: m}), Started: time.Now(),
			Machine: profile.Machine{LogicalCores: 2}, Frames: []profile.Frame{{T: 0.1, Busy: levels.Row{levels.Steps, 0}}},
			Summary: profile.Summary{WallS: wall, CPUS: wall, CoresUsed: 1, Speedup: speedup, Verdict: verdict}}
	}
	three := 3.0
	path := filepath.Join(t.TempDir(), "kept.corescope.json")
	kept := []*profile.Profile{run(spec.Sequential, 2, nil, "as the file says of sequential"),
		run(spec.Threads, 2, &three, "as the file says of threads")}
	if err := profile.Save(path, kept); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, Options{}, nil)
	u.OpenFile(path)
	if len(u.runs) != 2 {
		t.Fatalf("%d runs after opening the file; want 2", len(u.runs))
	}
	texts := verdictTexts(u.compare)
	for i, p := range u.runs {
		if p.Summary.Verdict != kept[i].Summary.Verdict || !strings.Contains(texts[i], kept[i].Summary.Verdict) {
			t.Errorf("%s: verdict %q, shown %q; want the file's %q", p.Label, p.Summary.Verdict, texts[i], kept[i].Summary.Verdict)
		}
	}
	if s := u.runs[1].Summary.Speedup; s == nil || *s != 3 {
		t.Errorf("threads' speedup = %s; want the file's 3.00x (its wall time against sequential's would say 1.00x)", runtext.Factor(s))
	}
}
