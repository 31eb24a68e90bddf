package app

import (
	"slices"
	"testing"

	"corescope/profile"
	"corescope/spec"
)

func TestSessionAllowed(t *testing.T) {
	runs := []*profile.Profile{{Label: "sequential"}}
	tests := []struct {
		name        string
		s           session
		fieldsValid bool
		want        actions
	}{
		{"fresh, valid fields", session{}, true, actions{run: true, open: true}},
		{"fresh, a bad field", session{}, false, actions{open: true}},
		{"idle with runs", session{runs: runs}, true, actions{run: true, open: true, save: true, export: true, pick: true, clear: true}},
		{"running", session{runs: runs, job: &job{}}, true, actions{stop: true, open: true, save: true}},
		{"stopping", session{runs: runs, job: &job{stopped: true}}, true, actions{open: true, save: true}},
		{"exporting", session{runs: runs, exporting: true}, true, actions{pick: true}},
		{"running with runs: nothing to pick or clear", session{runs: runs, job: &job{}}, false, actions{stop: true, open: true, save: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.allowed(tt.fieldsValid); got != tt.want {
				t.Errorf("allowed(%v) = %+v; want %+v", tt.fieldsValid, got, tt.want)
			}
		})
	}
}

// TestSessionGroups checks how runs are grouped as they come: each job of
// several runs a new comparison, single runs together, each file apart;
// what the selectors list, newest first; and what picking one shows.
func TestSessionGroups(t *testing.T) {
	run := func(m spec.Model) *profile.Profile {
		return &profile.Profile{Label: string(m), Spec: spec.Spec{Backend: spec.BackendGo, Workload: spec.CPU, Model: m, Tasks: 20, Size: 1},
			Summary: profile.Summary{WallS: 1}}
	}
	seq, thr := run(spec.Sequential), run(spec.Threads)
	one, two := []spec.Spec{seq.Spec}, []spec.Spec{seq.Spec, thr.Spec}
	seq2, thr2 := run(spec.Sequential), run(spec.Threads)
	single, opened := run(spec.Processes), run(spec.Async)
	type step struct {
		name    string
		do      func(s *session)
		choices []string
		chosen  int
		shown   *profile.Profile
	}
	steps := []step{
		{"a comparison", func(s *session) { s.add(s.groupFor(two), seq, thr) },
			[]string{"Comparison 1 (2 runs, cpu)"}, 0, thr},
		{"a second comparison, run by run", func(s *session) { g := s.groupFor(two); s.add(g, seq2); s.add(g, thr2) },
			[]string{"Comparison 2 (2 runs, cpu)", "Comparison 1 (2 runs, cpu)"}, 0, thr2},
		{"a single run", func(s *session) { s.add(s.groupFor(one), single) },
			[]string{"Single runs (1)", "Comparison 2 (2 runs, cpu)", "Comparison 1 (2 runs, cpu)"}, 0, single},
		{"a file", func(s *session) { s.add(fileGroup("/tmp/old.json"), opened) },
			[]string{"old.json (1 run)", "Single runs (1)", "Comparison 2 (2 runs, cpu)", "Comparison 1 (2 runs, cpu)"}, 0, opened},
		{"choosing the first comparison shows its last run", func(s *session) { s.choose(3) },
			[]string{"old.json (1 run)", "Single runs (1)", "Comparison 2 (2 runs, cpu)", "Comparison 1 (2 runs, cpu)"}, 3, thr},
		{"showing a run shows its group", func(s *session) { s.show(seq2) },
			[]string{"old.json (1 run)", "Single runs (1)", "Comparison 2 (2 runs, cpu)", "Comparison 1 (2 runs, cpu)"}, 2, seq2},
		{"clearing forgets everything", func(s *session) { s.clear() }, []string{}, -1, nil},
	}
	var s session
	for _, st := range steps {
		st.do(&s)
		if got := s.choices(); !slices.Equal(got, st.choices) || s.chosen() != st.chosen || s.shown != st.shown {
			t.Errorf("%s: choices %q, chosen %d, shown %v; want %q, %d, %v", st.name, got, s.chosen(), s.shown, st.choices, st.chosen, st.shown)
		}
	}
	s.add(s.groupFor(two), seq, thr)
	if got := s.groupFor(two).n; got != 2 {
		t.Errorf("after a clear and one comparison, the next is numbered %d; want 2", got)
	}
	if s.group.runs[1].Summary.Speedup == nil {
		t.Error("a comparison's threads run has no speedup; want one against its own sequential run")
	}
	names, runs := s.runChoices()
	if want := []string{"Comparison 1 (2 runs, cpu): sequential", "Comparison 1 (2 runs, cpu): threads"}; !slices.Equal(names, want) || !slices.Equal(runs, []*profile.Profile{seq, thr}) {
		t.Errorf("runChoices() = %q; want %q", names, want)
	}
}
