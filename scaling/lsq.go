package scaling

import "math"

// lsq is a weighted least-squares fit of y ≈ β₀·c₀ + β₁·c₁ with β ≥ 0: the
// linear form every law here takes. Used says which coefficients the fit
// let move; a coefficient held at 0 (by its bound, or because the data
// cannot tell it from the other) has no variance.
type lsq struct {
	beta [2]float64
	// cov is (XᵀWX)⁻¹ over the coefficients used: their covariance when the
	// weights are the inverse variances of y.
	cov  [2][2]float64
	used [2]bool
	// rss is the weighted sum of squared residuals, and dof the points
	// less the coefficients used.
	rss float64
	dof int
}

// dependence is how close to dependent two weighted columns may be (the
// sine of the angle between them) before the fit holds the second at 0:
// below it the data cannot tell them apart, and a solve would only
// magnify noise. Two worker counts above 1 are the least that tell σ from κ.
const dependence = 1e-6

// fitNonNegative fits y by the columns cols[j] for which want[j] holds,
// with weights w, every coefficient at or above 0. With two coefficients
// the bounded minimum is the unbounded one when that is feasible, else the
// best fit with one of them held at 0 (the problem is convex, so its
// minimum over the bounds lies on the face of the least residual). When the
// two columns are dependent on the points given, the second is held at 0:
// a second coefficient the data cannot tell apart is not measured.
func fitNonNegative(cols [2][]float64, y, w []float64, want [2]bool) lsq {
	best := lsq{rss: weightedSS(y, nil, w), dof: len(y)} // every coefficient at 0
	try := func(use [2]bool) bool {
		f, ok := solve(cols, y, w, use)
		if !ok {
			return false
		}
		if f.beta[0] >= 0 && f.beta[1] >= 0 && f.rss < best.rss {
			best = f
		}
		return true
	}
	if want[0] && want[1] && !try([2]bool{true, true}) {
		want[1] = false // dependent columns: the second is not measured
	}
	if want[0] && want[1] && best.used[0] && best.used[1] {
		return best // the unbounded minimum is feasible: nothing beats it
	}
	for j := range 2 {
		if want[j] {
			var use [2]bool
			use[j] = true
			try(use)
		}
	}
	return best
}

// solve is the unbounded weighted least-squares fit over the columns in
// use, by a QR factorisation of the weighted columns (Gram–Schmidt, twice
// over for the second column): solving the normal equations instead would
// square the condition number, which a column of n(n−1) makes large. ok is
// false when a column in use is zero or the two are dependent.
func solve(cols [2][]float64, y, w []float64, use [2]bool) (lsq, bool) {
	var idx []int
	for j := range 2 {
		if use[j] {
			idx = append(idx, j)
		}
	}
	m := len(y)
	sw := make([]float64, m)
	wy := make([]float64, m)
	for i := range m {
		sw[i] = math.Sqrt(w[i])
		wy[i] = sw[i] * y[i]
	}
	var q [2][]float64
	var r [2][2]float64
	for k, j := range idx {
		v := make([]float64, m)
		for i := range m {
			v[i] = sw[i] * cols[j][i]
		}
		norm0 := norm(v)
		for pass := 0; pass < 2; pass++ { // reorthogonalise: one pass loses digits
			for l := 0; l < k; l++ {
				d := dot(q[l], v)
				r[l][k] += d
				axpy(-d, q[l], v)
			}
		}
		r[k][k] = norm(v)
		if norm0 == 0 || r[k][k] <= dependence*norm0 {
			return lsq{}, false
		}
		for i := range v {
			v[i] /= r[k][k]
		}
		q[k] = v
	}
	// R·β = Qᵀ·(√w·y), R upper triangular; (XᵀWX)⁻¹ = R⁻¹R⁻ᵀ.
	p := len(idx)
	var beta, qy [2]float64
	for k := range p {
		qy[k] = dot(q[k], wy)
	}
	var rinv [2][2]float64
	for k := p - 1; k >= 0; k-- {
		s := qy[k]
		for l := k + 1; l < p; l++ {
			s -= r[k][l] * beta[l]
		}
		beta[k] = s / r[k][k]
		rinv[k][k] = 1 / r[k][k]
		for l := k + 1; l < p; l++ {
			rinv[k][l] = -r[k][l] * rinv[l][l] / r[k][k]
		}
	}
	f := lsq{dof: m - p}
	for a, ja := range idx {
		f.beta[ja], f.used[ja] = beta[a], true
		for b, jb := range idx {
			for k := range p {
				f.cov[ja][jb] += rinv[a][k] * rinv[b][k]
			}
		}
	}
	f.rss = weightedSS(y, func(i int) float64 { return f.beta[0]*cols[0][i] + f.beta[1]*cols[1][i] }, w)
	return f, true
}

// weightedSS is Σ wᵢ(yᵢ − fit(i))², fit nil meaning 0.
func weightedSS(y []float64, fit func(int) float64, w []float64) float64 {
	s := 0.0
	for i, v := range y {
		if fit != nil {
			v -= fit(i)
		}
		s += w[i] * v * v
	}
	return s
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func norm(a []float64) float64 { return math.Sqrt(dot(a, a)) }

// axpy sets y to y + a·x.
func axpy(a float64, x, y []float64) {
	for i := range x {
		y[i] += a * x[i]
	}
}
