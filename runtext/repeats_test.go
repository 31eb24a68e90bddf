package runtext

import (
	"slices"
	"strings"
	"testing"

	"corescope/diagnosis"
	"corescope/profile"
	"corescope/profile/profiletest"
	"corescope/spec"
)

// repeated is a comparison of sequential and processes, 3 repeats each
// after a warm-up, interleaved as compare runs them: sequential's walls
// 2.0, 2.4, 2.2 s, processes' 1.3, 1.0, 1.1 s, other programs quiet but
// during processes' second repeat (0.8 cores), every run's CPU 2 s.
func repeated() []*profile.Profile {
	var ps []*profile.Profile
	add := func(m spec.Model, n int, warmup bool, wall, others float64) {
		p := profiletest.Model(m, wall, 1)
		p.Repeat, p.Warmup = n, warmup
		p.Summary.Attribution, p.Summary.OthersBusyCores, p.Summary.TasksDone = profile.AttributionExact, others, 20
		p.Summary.CPUS = 2 // the same work, the same CPU
		ps = append(ps, p)
	}
	add(spec.Sequential, 1, true, 2.9, 0)
	add(spec.Processes, 1, true, 1.9, 0)
	for i, walls := range [][2]float64{{2.0, 1.3}, {2.4, 1.0}, {2.2, 1.1}} {
		others := 0.0
		if i == 1 {
			others = 0.8
		}
		add(spec.Sequential, i+1, false, walls[0], 0)
		add(spec.Processes, i+1, false, walls[1], others)
	}
	Conclude(ps)
	return ps
}

// TestRowsOfRepeats checks the table of a repeated comparison: a row per
// model, the median wall with its spread, the speedup with its range, what
// made the figures unreliable, and which run the rest of the row is.
func TestRowsOfRepeats(t *testing.T) {
	rows := Rows(repeated())
	if len(rows) != 2 {
		t.Fatalf("%d rows; want 2, a row per model", len(rows))
	}
	cols := []Column{ColWall, ColSpeedup, ColNoise}
	tests := []struct {
		want  []string
		which string
	}{
		{[]string{"2.20 s (2.00–2.40)", "1.00x", "-"}, "repeat 3 of 3, the median wall"},
		{[]string{"1.10 s (1.00–1.30)", "2.00x (1.54–2.40)", "unreliable: walls varied 27% between runs; others kept 0.80 cores busy"},
			"repeat 3 of 3, the median wall"},
	}
	for i, tt := range tests {
		r := rows[i]
		if got := RowCells(r, cols); strings.Join(got, " | ") != strings.Join(tt.want, " | ") {
			t.Errorf("row %d = %q; want %q", i, got, tt.want)
		}
		if got := Which(r.Group, r.Run); got != tt.which {
			t.Errorf("row %d shows %q; want %q", i, got, tt.which)
		}
	}
	warm := rows[0].Group.Runs[0]
	if got := Which(rows[0].Group, warm); got != "warm-up 1 of 1, left out of the figures" {
		t.Errorf("the warm-up is %q; want it marked", got)
	}
	if got := Repeats([]diagnosis.Group{rows[0].Group, rows[1].Group}); got != "3 runs each, after 1 warm-up: the median wall (min–max) and the median run's figures" {
		t.Errorf("Repeats = %q", got)
	}
	if got := Cells(rows[1].Run, cols)[0]; got != "1.10 s" {
		t.Errorf("a run's own wall cell = %q; want its wall alone", got)
	}
}

// TestVerdictOfARangeAcross1 checks that a speedup whose range over the
// repeats straddles 1 is called neither faster nor slower.
func TestVerdictOfARangeAcross1(t *testing.T) {
	var ps []*profile.Profile
	for i, walls := range [][2]float64{{2.0, 1.0}, {2.0, 1.5}, {2.0, 2.2}} {
		for j, m := range []spec.Model{spec.Sequential, spec.Threads} {
			p := profiletest.Model(m, walls[j], 1)
			p.Repeat = i + 1
			ps = append(ps, p)
		}
	}
	Conclude(ps)
	if got, want := ps[3].Summary.Verdict, "neither faster nor slower than sequential for sure (1.33x, 0.91–2.00x over the repeats)"; !strings.Contains(got, want) {
		t.Errorf("verdict = %q; want it to say %q", got, want)
	}
	for i := range ps {
		ps[i].Summary.WallS = []float64{2.0, 1.0, 2.0, 1.1, 2.0, 1.2}[i]
	}
	Conclude(ps)
	if got, want := ps[3].Summary.Verdict, "1.82x faster than sequential (1.67–2.00x over the repeats)"; !strings.Contains(got, want) {
		t.Errorf("verdict = %q; want it to say %q", got, want)
	}
}

func TestRepeatName(t *testing.T) {
	for _, tt := range []struct {
		repeat, of int
		warmup     bool
		want       string
	}{
		{1, 1, false, "threads"},
		{2, 3, false, "threads, repeat 2 of 3"},
		{1, 2, true, "threads, warm-up 1 of 2"},
	} {
		if got := Repeat("threads", tt.repeat, tt.of, tt.warmup); got != tt.want {
			t.Errorf("Repeat(%d, %d, %v) = %q; want %q", tt.repeat, tt.of, tt.warmup, got, tt.want)
		}
	}
}

// TestRunNames names every run of a comparison of two models, 2 repeats
// after a warm-up, interleaved, and two runs of an older file that share
// a label: a repeat by its group and number, as the progress line names
// it, not "threads #2".
func TestRunNames(t *testing.T) {
	var ps []*profile.Profile
	for _, r := range []struct {
		repeat int
		warmup bool
	}{{1, true}, {1, false}, {2, false}} {
		for _, m := range []spec.Model{spec.Sequential, spec.Threads} {
			p := profiletest.Model(m, 1, 1)
			p.Repeat, p.Warmup = r.repeat, r.warmup
			ps = append(ps, p)
		}
	}
	old := profiletest.Model(spec.Threads, 1, 1)
	old2 := profiletest.Model(spec.Threads, 1, 1)
	ps = append(ps, old, old2)
	label := Label(ps[1]) + " #1" // beside the old file's two runs of threads
	want := []string{Label(ps[0]) + ", warm-up 1 of 1", label + ", warm-up 1 of 1", Label(ps[0]) + ", repeat 1 of 2", label + ", repeat 1 of 2",
		Label(ps[0]) + ", repeat 2 of 2", label + ", repeat 2 of 2", Label(old) + " #2", Label(old) + " #3"}
	if got := RunNames(ps); !slices.Equal(got, want) {
		t.Errorf("RunNames = %q; want %q", got, want)
	}
}
