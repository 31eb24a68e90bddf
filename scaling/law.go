package scaling

import "math"

// Sample is one worker count's measured speedup, with its spread (0 when
// it was measured once): what the laws are fitted to.
type Sample struct {
	Workers float64
	Speedup float64
	Spread  float64
}

// Law is a fitted scaling law: speedup as a function of workers, with the
// uncertainty of its coefficients for a band around it.
type Law struct {
	Kind LawKind
	// Sigma is Amdahl's serial fraction, Gustafson's serial fraction, or
	// USL's contention σ; Kappa is USL's coherency κ (0 for the others).
	Sigma, Kappa float64
	// KappaMeasured is false when the points could not tell κ from σ
	// (fewer than two worker counts above 1): USL then is Amdahl's law.
	KappaMeasured bool
	// Cov is the coefficients' covariance (σσ, σκ, κκ), for Band; zero
	// when the fit had nothing to measure its uncertainty by.
	Cov [3]float64
	// RMSE is the root mean square of the measured speedups less the
	// law's, over the points fitted.
	RMSE float64
	// Band says where Cov comes from: BandRepeats, BandResiduals or
	// BandNone.
	Band string
}

// LawKind names a scaling law.
type LawKind string

// The laws. Amdahl and USL fit strong scaling (fixed work) and USL weak
// scaling too, on the speedup of throughput; Gustafson fits weak scaling.
const (
	Amdahl    LawKind = "amdahl"    // S = n / (1 + σ(n−1)): a serial fraction σ
	Gustafson LawKind = "gustafson" // S = n − σ(n−1): the scaled speedup of a serial fraction σ
	USL       LawKind = "usl"       // S = n / (1 + σ(n−1) + κn(n−1)): contention σ, coherency κ
)

// Where a law's band comes from (Law.Band).
const (
	// BandRepeats: each point's spread over its repeated runs, carried
	// through the fit, widened by the misfit where the law fits the points
	// worse than their spread.
	BandRepeats = "repeats"
	// BandResiduals: the points' scatter about the law, where a point was
	// measured once.
	BandResiduals = "residuals"
	// BandNone: one run a point and no point more than the coefficients,
	// so nothing measures the uncertainty.
	BandNone = ""
)

// minSpread is the least relative spread a point is weighted by: a
// point's repeats may agree by chance, and a spread of 0 would give it all
// the weight. 1% is about what start-up jitter makes of a short run here.
const minSpread = 0.01

// FitLaw fits kind to the samples by weighted least squares, each point
// weighted by the inverse variance its spread gives (at least minSpread of
// its speedup), its coefficients held at or above 0 and serial fractions
// at or below 1.
//
// Amdahl's and USL's laws are fitted in their linear form, n/S − 1 =
// σ(n−1) + κn(n−1), each point's variance carried there ((n/S²)² var S),
// so the weights make the fit minimise the speedups' misfit to first
// order. Gustafson's is linear as it stands: n − S = σ(n−1). The 1-worker
// point carries nothing in these forms (it is the reference, S = 1) and
// needs no special case.
func FitLaw(kind LawKind, samples []Sample) Law {
	m := len(samples)
	cols := [2][]float64{make([]float64, m), make([]float64, m)}
	y, w := make([]float64, m), make([]float64, m)
	repeated, informative := true, 0
	for i, s := range samples {
		n, S := s.Workers, s.Speedup
		e := max(s.Spread, minSpread*S)
		if s.Spread == 0 && n != 1 {
			repeated = false
		}
		cols[0][i] = n - 1
		if n != 1 {
			informative++
		}
		switch kind {
		case Gustafson:
			y[i], w[i] = n-S, 1/(e*e)
		default:
			cols[1][i] = n * (n - 1)
			d := n / (S * S) // ∂y/∂S
			y[i], w[i] = n/S-1, 1/(d*d*e*e)
		}
	}
	f := fitNonNegative(cols, y, w, [2]bool{true, kind == USL})
	// The 1-worker point fits any law exactly: it is no point to spare.
	f.dof = informative - count(f.used)
	law := Law{Kind: kind, Sigma: f.beta[0], Kappa: f.beta[1], KappaMeasured: f.used[1]}
	if kind != USL && law.Sigma > 1 {
		law.Sigma, f.cov = 1, [2][2]float64{} // at its bound: held, as at 0
	}
	law.RMSE = law.rmse(samples)
	law.Band, law.Cov = band(f, repeated)
	return law
}

// count is how many of used hold.
func count(used [2]bool) int {
	n := 0
	for _, u := range used {
		if u {
			n++
		}
	}
	return n
}

// band is the covariance of f's coefficients and where it comes from:
// the repeats' spreads as weights give it as it stands (scaled up by the
// misfit where the points scatter about the law more than their spreads
// say), one run a point only by the scatter about the law, and without a
// point to spare, nothing.
func band(f lsq, repeated bool) (string, [3]float64) {
	scale := 0.0
	reduced := math.NaN()
	if f.dof > 0 {
		reduced = f.rss / float64(f.dof)
	}
	kind := BandNone
	switch {
	case repeated:
		kind, scale = BandRepeats, 1
		if reduced > 1 {
			scale = reduced
		}
	case f.dof > 0:
		kind, scale = BandResiduals, reduced
	}
	if kind == BandNone || !(f.used[0] || f.used[1]) {
		return BandNone, [3]float64{}
	}
	return kind, [3]float64{scale * f.cov[0][0], scale * f.cov[0][1], scale * f.cov[1][1]}
}

// Speedup is the law's speedup at n workers.
func (l Law) Speedup(n float64) float64 {
	if l.Kind == Gustafson {
		return n - l.Sigma*(n-1)
	}
	return n / (1 + l.Sigma*(n-1) + l.Kappa*n*(n-1))
}

// Spread is the standard error of the law's speedup at n, from its
// coefficients' covariance to first order: √(g·Cov·g) with g the
// speedup's gradient in σ and κ. 0 without a band.
func (l Law) Spread(n float64) float64 {
	var gs, gk float64
	if l.Kind == Gustafson {
		gs = -(n - 1)
	} else {
		s := l.Speedup(n)
		gs = -s * s / n * (n - 1)
		gk = gs * n
	}
	v := gs*gs*l.Cov[0] + 2*gs*gk*l.Cov[1] + gk*gk*l.Cov[2]
	return math.Sqrt(max(v, 0))
}

// Peak is the worker count of the law's highest speedup, √((1−σ)/κ) for
// USL with κ > 0 and σ < 1; 0 when the law keeps rising (Amdahl's and
// Gustafson's, USL without κ), and 1 when it never rises (σ ≥ 1).
func (l Law) Peak() float64 {
	switch {
	case l.Kind == Gustafson || l.Kappa <= 0 && l.Sigma < 1:
		return 0
	case l.Sigma >= 1:
		return 1
	}
	return math.Sqrt((1 - l.Sigma) / l.Kappa)
}

// rmse is the root mean square of the samples' speedups less the law's.
func (l Law) rmse(samples []Sample) float64 {
	if len(samples) == 0 {
		return 0
	}
	s := 0.0
	for _, p := range samples {
		d := p.Speedup - l.Speedup(p.Workers)
		s += d * d
	}
	return math.Sqrt(s / float64(len(samples)))
}
