package profile

import (
	"cmp"
	"fmt"
	"math"

	"corescope/spec"
)

// Scaling is a run's place in the law its sweep of worker counts was
// fitted to (spec.Scale; package scaling concludes it): the figures of its
// worker count over the sweep's runs of that count, and the sweep's fit,
// which every run of the sweep keeps so that one run read alone still says
// it.
type Scaling struct {
	Point ScalePoint `json:"point"`
	Fit   *ScaleFit  `json:"fit,omitempty"`
}

// ScalePoint is one worker count of a sweep, over its successful runs.
type ScalePoint struct {
	Workers int `json:"workers"`
	Runs    int `json:"runs"`
	// WallS is the runs' median wall time and WallSpreadS half their
	// range; Speedup is the 1-worker median's over this one's (times the
	// workers with weak scaling, whose work grew with them) and
	// SpeedupSpread its spread; Efficiency is Speedup over Workers. All 0
	// where not measured (no successful run, or none of 1 worker).
	WallS         float64 `json:"wall_s"`
	WallSpreadS   float64 `json:"wall_spread_s"`
	Speedup       float64 `json:"speedup"`
	SpeedupSpread float64 `json:"speedup_spread"`
	Efficiency    float64 `json:"efficiency"`
	// Competed is true when other programs competed in one of its runs,
	// PastCores when it had more workers than the cores its runs could use,
	// and InFit whether the law was fitted to it.
	Competed  bool `json:"competed,omitempty"`
	PastCores bool `json:"past_cores,omitempty"`
	InFit     bool `json:"in_fit"`
	// Bend names what its runs' evidence says held it below the ideal
	// (a Bend* name), with its figures; "" where it was not held.
	Bend        string             `json:"bend,omitempty"`
	BendFigures map[string]float64 `json:"bend_figures,omitempty"`
}

// Why a sweep's point falls short of the ideal (ScalePoint.Bend), from its
// runs' evidence, in the order they are told.
const (
	BendQuota     = "quota"      // its cgroup's CPU quota: a ceiling of so many cores
	BendAffinity  = "affinity"   // allowed fewer cores than its workers (taskset, a cpuset)
	BendGIL       = "gil"        // CPython's GIL: one core's worth from 1 worker on
	BendOneCore   = "one-core"   // its model or a lock held it to one core's worth
	BendTasks     = "tasks"      // fewer tasks than workers: some had nothing to do
	BendPastCores = "past-cores" // more workers than cores: squeezed onto them
	BendCompeted  = "competed"   // other programs took cores it could have used
	BendStartup   = "startup"    // a serial start-up before the work: Amdahl's part
	BendWaiting   = "waiting"    // its workers waited, on I/O or each other
	BendUndecided = "undecided"  // its run's evidence cannot tell what held it
	BendOverhead  = "overhead"   // none of the above: the law's contention and coherency
)

// ScaleFit is the scaling law fitted to a sweep's points.
type ScaleFit struct {
	// Cores is the worker count the law was fitted up to: the machine's
	// logical cores, or fewer where the runs were allowed fewer. Points
	// is how many points it was fitted to, the 1-worker one among them.
	Cores  int `json:"cores"`
	Points int `json:"points"`
	// SerialFraction is Amdahl's serial fraction (strong scaling) or
	// Gustafson's (weak), SerialSpread its standard error (0 without a
	// band), SerialRMSE the law's misfit to the speedups.
	SerialFraction float64 `json:"serial_fraction"`
	SerialSpread   float64 `json:"serial_fraction_spread,omitempty"`
	SerialRMSE     float64 `json:"serial_rmse"`
	// Sigma and Kappa are the Universal Scalability Law's contention and
	// coherency; Kappa is nil where the points could not tell it from
	// Sigma (fewer than two worker counts above 1 fitted). USLCov is their
	// covariance (σσ, σκ, κκ), for the band; USLRMSE the misfit.
	Sigma   float64    `json:"usl_sigma"`
	Kappa   *float64   `json:"usl_kappa"`
	USLCov  [3]float64 `json:"usl_cov"`
	USLRMSE float64    `json:"usl_rmse"`
	// Band says where the spreads come from: "repeats" (the points'
	// spreads over repeated runs), "residuals" (the points' scatter about
	// the law) or "" (nothing measures them).
	Band string `json:"band,omitempty"`
	// PeakWorkers is the worker count of USL's highest speedup,
	// PeakSpeedup that speedup; 0 where it keeps rising.
	PeakWorkers float64 `json:"peak_workers,omitempty"`
	PeakSpeedup float64 `json:"peak_speedup,omitempty"`
	// Projection is USL's speedup at core counts past Cores.
	Projection []Projected `json:"projection,omitempty"`
}

// Projected is a fitted law's speedup at a core count not measured, with
// a band of one standard error either side.
type Projected struct {
	Cores   int     `json:"cores"`
	Speedup float64 `json:"speedup"`
	Low     float64 `json:"low"`
	High    float64 `json:"high"`
}

// maxProjected bounds a fit's projection: a word, not a book.
const maxProjected = 64

// check refuses figures no sweep gives: negative or not finite ones,
// worker counts out of range, a fit of no points.
func (s *Scaling) check() error {
	p := s.Point
	if err := cmp.Or(checkCount("scaling.point.workers", p.Workers, spec.MaxWorkers), checkCount("scaling.point.runs", p.Runs, math.MaxInt32),
		finiteNonNegative("scaling.point", []figure{{"wall_s", p.WallS}, {"wall_spread_s", p.WallSpreadS},
			{"speedup", p.Speedup}, {"speedup_spread", p.SpeedupSpread}, {"efficiency", p.Efficiency}}),
		checkWord("scaling.point.bend", p.Bend)); err != nil {
		return err
	}
	for name, v := range p.BendFigures {
		if err := cmp.Or(checkWord("scaling.point.bend_figures", name), finite("scaling.point.bend_figures."+name, v)); err != nil {
			return err
		}
	}
	f := s.Fit
	if f == nil {
		return nil
	}
	figures := []figure{{"serial_fraction", f.SerialFraction}, {"serial_fraction_spread", f.SerialSpread}, {"serial_rmse", f.SerialRMSE},
		{"usl_sigma", f.Sigma}, {"usl_rmse", f.USLRMSE}, {"peak_workers", f.PeakWorkers}, {"peak_speedup", f.PeakSpeedup}}
	if f.Kappa != nil {
		figures = append(figures, figure{"usl_kappa", *f.Kappa})
	}
	if err := cmp.Or(checkCount("scaling.fit.cores", f.Cores, MaxCores), checkCount("scaling.fit.points", f.Points, math.MaxInt32),
		finiteNonNegative("scaling.fit", figures), oneOf("scaling.fit.band", f.Band, "", "repeats", "residuals"),
		checkCount("scaling.fit.projection", len(f.Projection), maxProjected)); err != nil {
		return err
	}
	for i, c := range f.USLCov {
		if err := finite(fmt.Sprintf("scaling.fit.usl_cov[%d]", i), c); err != nil {
			return err
		}
	}
	for i, pr := range f.Projection {
		field := fmt.Sprintf("scaling.fit.projection[%d]", i)
		if err := cmp.Or(checkCount(field+".cores", pr.Cores, MaxCores),
			finiteNonNegative(field, []figure{{"speedup", pr.Speedup}, {"low", pr.Low}, {"high", pr.High}})); err != nil {
			return err
		}
	}
	return nil
}

// finite refuses NaN and infinities, which no measurement gives.
func finite(field string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return &spec.FieldError{Field: field, Value: fmt.Sprint(v), Allowed: "use a finite number"}
	}
	return nil
}

// figure is a named figure of a file, for finiteNonNegative.
type figure struct {
	name string
	v    float64
}

// finiteNonNegative refuses the first of figures, named under field, that
// is negative or not finite.
func finiteNonNegative(field string, figures []figure) error {
	for _, f := range figures {
		if err := nonNegative(field+"."+f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}
