package scaling

import (
	"math"
	"slices"
)

// median is the middle of xs (the mean of the two middle ones for an even
// count); 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	k := len(s) / 2
	if len(s)%2 == 1 {
		return s[k]
	}
	return (s[k-1] + s[k]) / 2
}

// halfRange is half of xs' range, the spread a point's repeats show: for 3
// runs of normal noise about 0.85 of its standard deviation, and defined
// for 2. 0 for fewer than 2.
func halfRange(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	return (slices.Max(xs) - slices.Min(xs)) / 2
}

// speedupOf is the speedup of the runs of walls over the 1-worker runs of
// one, median over median, times scale (the workers in weak scaling, whose
// n workers did n times the work), and its spread: the two medians'
// relative spreads added in quadrature.
func speedupOf(one, walls []float64, scale float64) (speedup, spread float64) {
	t1, tn := median(one), median(walls)
	if !(t1 > 0 && tn > 0) {
		return 0, 0
	}
	speedup = scale * t1 / tn
	r1, rn := halfRange(one)/t1, halfRange(walls)/tn
	return speedup, speedup * math.Hypot(r1, rn)
}
