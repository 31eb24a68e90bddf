package runtext

import (
	"fmt"
	"strings"

	"corescope/diagnosis"
	"corescope/profile"
)

// Repeat names one run of a comparison as it goes: "threads", or with
// repeats "threads, repeat 2 of 3", "threads, warm-up 1 of 1".
func Repeat(label string, repeat, of int, warmup bool) string {
	switch {
	case warmup:
		return fmt.Sprintf("%s, warm-up %d of %d", label, repeat, of)
	case of > 1:
		return fmt.Sprintf("%s, repeat %d of %d", label, repeat, of)
	}
	return label
}

// Which says which of its group's runs p is, for a picture that shows
// one run of several: "repeat 2 of 3, the median wall", "warm-up 1 of 1,
// left out of the figures"; "" for a run that is its group's only one.
func Which(g diagnosis.Group, p *profile.Profile) string {
	if len(g.Runs) < 2 || p.Repeat == 0 {
		return ""
	}
	if p.Warmup {
		return fmt.Sprintf("warm-up %d of %d, left out of the figures", p.Repeat, g.Warmups())
	}
	which := fmt.Sprintf("repeat %d of %d", p.Repeat, g.Repeats())
	switch {
	case p.Failed():
		return which + ", left out of the figures"
	case p == g.Shown() && g.Wall().N%2 == 1:
		return which + ", the median wall"
	case p == g.Shown():
		return which + ", the faster of the two middle walls"
	}
	return which
}

// Spread writes a figure with its spread over the repeats, "2.38 s
// (2.31–2.45)", or alone when one run measured it (or none: "-").
func Spread(s diagnosis.Spread, unit string) string {
	switch s.N {
	case 0:
		return "-"
	case 1:
		return fmt.Sprintf("%.2f%s", s.Median, unit)
	}
	return fmt.Sprintf("%.2f%s (%.2f–%.2f)", s.Median, unit, s.Min, s.Max)
}

// Speedup writes a speedup with its range over the repeats, "1.93x
// (1.88–1.99)", or "-" without one.
func Speedup(x *float64, r *profile.Range) string {
	if r == nil {
		return Factor(x)
	}
	return fmt.Sprintf("%s (%.2f–%.2f)", Factor(x), r.Low(), r.High())
}

// Repeats says how a table of groups was measured, for its heading: "3
// runs each, after 1 warm-up: the median wall (min–max) and the median
// run's figures"; "" when every group ran once.
func Repeats(groups []diagnosis.Group) string {
	most, warmups := 0, 0
	for _, g := range groups {
		most, warmups = max(most, g.Repeats()), max(warmups, g.Warmups())
	}
	if most < 2 {
		return ""
	}
	each := fmt.Sprintf("%d runs each", most)
	if warmups > 0 {
		each += ", after " + Count(warmups, "warm-up")
	}
	return each + ": the median wall (min–max) and the median run's figures"
}

// Noise words what made group g's figures unreliable, to be shown next to
// them: "unreliable: walls varied 35% between runs; CPU per task varied
// 58%; others kept 0.80 cores busy"; "" when nothing did.
func Noise(g diagnosis.Group) string {
	n := diagnosis.NoiseOf(g)
	if !n.Noisy() {
		return ""
	}
	var why []string
	if n.Spread > 0 {
		why = append(why, fmt.Sprintf("walls varied %.0f%% between runs", 100*n.Spread))
	}
	if n.CPU > 0 {
		unit := "run"
		if n.PerTask {
			unit = "task"
		}
		why = append(why, fmt.Sprintf("CPU per %s varied %.0f%% between runs", unit, 100*n.CPU))
	}
	if n.Others > 0 {
		why = append(why, fmt.Sprintf("others kept %.2f cores busy", n.Others))
	}
	return "unreliable: " + strings.Join(why, "; ")
}

// Notes are what row r's figures need said beside them, each a sentence:
// which of its repeats its pictures and figures are ("Shown: repeat 2 of
// 3, the median wall."), what made them unreliable (Noise), its speedup
// over the work after start-up where that differs from the whole wall's,
// and what its start-up was (Startup); none when nothing applies.
func Notes(r Row) []string {
	var notes []string
	if which := Which(r.Group, r.Run); which != "" {
		notes = append(notes, "Shown: "+which+".")
	}
	if noise := Noise(r.Group); noise != "" {
		notes = append(notes, Capitalized(noise)+".")
	}
	if work, whole := r.Run.Summary.WorkSpeedup, r.Run.Summary.Speedup; work != nil && whole != nil && *work != *whole {
		notes = append(notes, "Over the work after start-up: "+ColWorkSpeedup.RowCell(r)+".")
	}
	if st := Startup(r.Run); st != "" {
		notes = append(notes, st)
	}
	return notes
}

// RunNames names every run of ps, repeats and warm-ups included, each
// uniquely, for a file that holds them all (the CSV, the trace): its
// group's name among the groups (Names of the runs that stand for them)
// and which of its repeats it is (Repeat): "threads, repeat 2 of 3",
// "threads, warm-up 1 of 1"; a run alone keeps its name, "cpu #2" beside
// another "cpu" of an older file.
func RunNames(ps []*profile.Profile) []string {
	groups := diagnosis.Groups(ps)
	shown := make([]*profile.Profile, len(groups))
	for i, g := range groups {
		shown[i] = g.Shown()
	}
	names := Names(shown)
	in := make(map[*profile.Profile][]string, len(ps)) // a run's names, in the order it recurs in ps
	for i, g := range groups {
		for _, p := range g.Runs {
			of := g.Repeats()
			if p.Warmup {
				of = g.Warmups()
			}
			in[p] = append(in[p], Repeat(names[i], p.Repeat, of, p.Warmup))
		}
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i], in[p] = in[p][0], in[p][1:]
	}
	return out
}
