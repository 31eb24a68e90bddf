package app

import (
	"testing"

	"corescope/profile"
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.allowed(tt.fieldsValid); got != tt.want {
				t.Errorf("allowed(%v) = %+v; want %+v", tt.fieldsValid, got, tt.want)
			}
		})
	}
}
