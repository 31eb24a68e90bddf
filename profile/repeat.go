package profile

import (
	"fmt"
	"math"

	"corescope/spec"
)

// Range is the low and high end of a figure measured over repeats, such
// as a speedup's ([1.88, 1.99]).
type Range [2]float64

// Low and High are its ends.
func (r Range) Low() float64  { return r[0] }
func (r Range) High() float64 { return r[1] }

// Straddles reports whether x lies within the range, ends included: a
// speedup whose range straddles 1 is neither faster nor slower.
func (r Range) Straddles(x float64) bool { return r[0] <= x && x <= r[1] }

// checkRepeat refuses a repeat number no comparison gives and speedup
// ranges that are not ranges of positive numbers.
func (p *Profile) checkRepeat() error {
	most, what := spec.MaxRepeat, "repeat"
	if p.Warmup {
		most, what = spec.MaxWarmup, "warm-up"
	}
	switch {
	case p.Repeat < 0 || p.Repeat > most:
		return &spec.FieldError{Field: "repeat", Value: fmt.Sprint(p.Repeat), Allowed: fmt.Sprintf("use 1..%d, the %s's number, or leave it out", most, what)}
	case p.Warmup && p.Repeat == 0:
		return &spec.FieldError{Field: "repeat", Value: "none", Allowed: fmt.Sprintf("a warm-up run has its number, 1..%d", most)}
	}
	for _, r := range []struct {
		field string
		r     *Range
	}{{"summary.speedup_range", p.Summary.SpeedupRange}, {"summary.work_speedup_range", p.Summary.WorkSpeedupRange}} {
		if r.r != nil && !(r.r[0] > 0 && r.r[1] >= r.r[0] && !math.IsInf(r.r[1], 0)) {
			return &spec.FieldError{Field: r.field, Value: fmt.Sprint(*r.r), Allowed: "use [low, high], two positive numbers, low first"}
		}
	}
	if x := p.Summary.WorkSpeedup; x != nil && !(*x > 0 && !math.IsInf(*x, 0)) {
		return &spec.FieldError{Field: "summary.work_speedup", Value: fmt.Sprint(*x), Allowed: "use a positive number or leave it out"}
	}
	return nil
}
