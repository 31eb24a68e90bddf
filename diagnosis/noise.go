package diagnosis

import (
	"corescope/profile"
)

// The noise thresholds: past any of them a group's figures are unreliable,
// and the views say so next to them. Chosen on comparisons recorded on a
// shared 2-core machine, 3 repeats of each model (noise_test.go, its
// testdata): repeats during which other programs kept at most 0.12 cores
// busy agreed within 5% in wall time and 4% in CPU per task; beside a
// steady load of 1.1-1.4 cores, within 9-19% and 3-6% (Python), up to 12%
// in CPU per task for Go's threads; with busy loops started among the
// repeats, walls 21-125% apart, and Python's CPU per task 18-22% (Go's, which
// the loops only time-shared, within 9%).
const (
	// SpreadShare bounds how far the repeats' walls may disagree:
	// (max-min)/median.
	SpreadShare = 0.20
	// CPUShare bounds how far the CPU time of the same work may differ
	// between the repeats, (max-min)/median: per task for the built-in
	// models, per run for a command. The same work costing more CPU is
	// another program taking the cores' caches, clocks or hyper-threads.
	CPUShare = 0.15
)

// Competing is the share of the machine other programs may keep busy
// before they may have held a run back: 0.25 cores, or 10% of the cores
// on a big machine.
func Competing(cores int) float64 { return max(0.25, 0.1*float64(cores)) }

// Noise is what made a group's figures unreliable, each measured over its
// measured runs; the zero Noise for a group whose figures can be trusted.
type Noise struct {
	// Others is the most cores other programs kept busy during one of its
	// runs, set when over Competing.
	Others float64
	// Spread is its walls' (max-min)/median, set when over SpreadShare.
	Spread float64
	// CPU is its CPU per unit of work's (max-min)/median, set when over
	// CPUShare; PerTask says the unit is a task, not a whole run.
	CPU     float64
	PerTask bool
}

// Noisy reports whether anything made the group's figures unreliable.
func (n Noise) Noisy() bool { return n.Others > 0 || n.Spread > 0 || n.CPU > 0 }

// NoiseOf judges group g's figures (see Noise). It reads the runs and
// changes nothing.
func NoiseOf(g Group) Noise {
	var n Noise
	ms := g.Measured()
	var cpu []float64
	perTask := true
	for _, p := range ms {
		if o := p.Summary.OthersBusyCores; p.Summary.Attribution != "" && o > Competing(p.Machine.LogicalCores) {
			n.Others = max(n.Others, o)
		}
		c, task := cpuPerWork(p)
		cpu, perTask = append(cpu, c), perTask && task
	}
	if s := g.Wall().Share(); s > SpreadShare {
		n.Spread = s
	}
	if s := SpreadOf(cpu).Share(); s > CPUShare {
		n.CPU, n.PerTask = s, perTask
	}
	return n
}

// cpuPerWork is run p's CPU time per unit of its work: per task done for a
// run that reports tasks, else per run; task says which.
func cpuPerWork(p *profile.Profile) (cpu float64, task bool) {
	if n := p.Summary.TasksDone; n > 0 {
		return p.Summary.CPUS / float64(n), true
	}
	return p.Summary.CPUS, false
}
