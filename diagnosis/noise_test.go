package diagnosis

import (
	"fmt"
	"path/filepath"
	"testing"

	"corescope/profile"
	"corescope/profile/profiletest"
	"corescope/spec"
)

// TestNoiseOnRecordedRuns judges comparisons recorded on this 2-core
// machine, 3 repeats of each model (testdata/noise, their figures only):
// go-quiet while other helpers' load came and went, go-busy and py-busy
// with busy loops started among the repeats (2 and 3 of them), py-loaded
// beside a steady load of the other helpers. Each group's noise is what
// the thresholds make of its measured figures, written beside it.
func TestNoiseOnRecordedRuns(t *testing.T) {
	type want struct{ others, spread, cpu bool }
	tests := []struct {
		file  string
		label string
		want  want
	}{
		// others 1.06, 0.05, 0.04 cores; walls within 14%; CPU per task within 6%
		{"go-quiet", "sequential", want{others: true}},
		// others at most 0.12; walls within 5%; CPU per task within 4%: quiet
		{"go-quiet", "threads", want{}},
		// others up to 1.03; walls 78% apart
		{"go-quiet", "processes", want{others: true, spread: true}},
		// a busy loop: others 1.02-1.52, walls 31-69% apart, CPU per task within 9%
		{"go-busy", "sequential", want{others: true, spread: true}},
		{"go-busy", "threads", want{others: true, spread: true}},
		{"go-busy", "processes", want{others: true, spread: true}},
		// a busy loop: walls 125%, 87%, 21% apart, CPU per task 18%, 22%, 12%
		{"py-busy", "sequential", want{true, true, true}},
		{"py-busy", "threads", want{true, true, true}},
		{"py-busy", "processes", want{others: true, spread: true}},
		// others 1.1-1.4 all along: walls within 19%, CPU per task within 6%
		{"py-loaded", "sequential", want{others: true}},
		{"py-loaded", "threads", want{others: true}},
		{"py-loaded", "processes", want{others: true}},
	}
	loaded := map[string][]Group{}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.label, func(t *testing.T) {
			groups, ok := loaded[tt.file]
			if !ok {
				ps, err := profile.Load(filepath.Join("testdata", "noise", tt.file+".json"))
				if err != nil {
					t.Fatal(err)
				}
				groups = Groups(ps)
				loaded[tt.file] = groups
			}
			var g Group
			for _, gr := range groups {
				if label(gr.Runs[0]) == tt.label {
					g = gr
				}
			}
			if len(g.Measured()) != 3 {
				t.Fatalf("%d measured repeats of %s; want 3", len(g.Measured()), tt.label)
			}
			n := NoiseOf(g)
			if got := (want{n.Others > 0, n.Spread > 0, n.CPU > 0}); got != tt.want {
				t.Errorf("noise %+v (others, spread, CPU: %v); want %v", n, got, tt.want)
			}
			if n.CPU > 0 && !n.PerTask {
				t.Error("CPU compared per run; want per task: the models report them")
			}
		})
	}
}

// TestNoiseThresholds checks each threshold at its edge, on runs of
// chosen figures, and that a command's CPU is compared per run.
func TestNoiseThresholds(t *testing.T) {
	group := func(others []float64, walls []float64, cpus []float64) Group {
		var g Group
		for i := range walls {
			p := profiletest.Command("app", walls[i], 1)
			p.Repeat, p.Summary.OthersBusyCores, p.Summary.CPUS = i+1, others[i], cpus[i]
			g.Runs = append(g.Runs, p)
		}
		return g
	}
	tests := []struct {
		name string
		g    Group
		want Noise
	}{
		{"within every bound", group([]float64{0.25, 0.1, 0}, []float64{1.0, 1.1, 1.21}, []float64{1, 1.1, 1.16}), Noise{}},
		{"others over 0.25 cores of 2", group([]float64{0.26, 0, 0}, []float64{1, 1, 1}, []float64{1, 1, 1}), Noise{Others: 0.26}},
		{"walls 21% of their median apart", group([]float64{0, 0, 0}, []float64{1.0, 1.1, 1.231}, []float64{1, 1, 1}), Noise{Spread: 0.231 / 1.1}},
		{"CPU per run 16% of its median apart", group([]float64{0, 0, 0}, []float64{1, 1, 1}, []float64{1, 1.1, 1.176}), Noise{CPU: 0.176 / 1.1}},
	}
	for _, tt := range tests {
		got := NoiseOf(tt.g)
		if fmt.Sprintf("%.4f", []float64{got.Others, got.Spread, got.CPU}) != fmt.Sprintf("%.4f", []float64{tt.want.Others, tt.want.Spread, tt.want.CPU}) || got.PerTask {
			t.Errorf("%s: NoiseOf = %+v; want %+v, per run", tt.name, got, tt.want)
		}
	}
	big := profiletest.Model(spec.Sequential, 1, 1)
	big.Machine.LogicalCores, big.Summary.OthersBusyCores, big.Summary.Attribution = 64, 6, profile.AttributionExact
	if n := NoiseOf(Group{Runs: []*profile.Profile{big}}); n.Noisy() {
		t.Errorf("6 busy cores of 64 = %+v; want no noise: under 10%% of a big machine", n)
	}
}
