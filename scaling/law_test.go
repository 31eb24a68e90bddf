package scaling

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// synthetic is a sweep of a subject that follows USL(σ, κ) exactly, each
// of its repeats' wall times off by relative Gaussian noise of sd noise:
// the samples a sweep measures (median speedups and their spreads, as
// pointOf makes them).
func synthetic(rng *rand.Rand, sigma, kappa, noise float64, ns []float64, repeats int) []Sample {
	walls := func(n float64) []float64 {
		ideal := 10 * (1 + sigma*(n-1) + kappa*n*(n-1)) / n
		ws := make([]float64, repeats)
		for i := range ws {
			ws[i] = ideal * (1 + noise*rng.NormFloat64())
		}
		return ws
	}
	one := walls(1)
	var out []Sample
	for _, n := range ns {
		ws := one
		if n != 1 {
			ws = walls(n)
		}
		s, spread := speedupOf(one, ws, 1)
		out = append(out, Sample{Workers: n, Speedup: s, Spread: spread})
	}
	return out
}

var sweepNs = []float64{1, 2, 4, 8, 12, 16, 24, 32, 48}

// TestUSLRecoversSigmaKappa fits USL to 200 noisy sweeps of known σ and κ
// (0.05 and 0.002: a peak at 21.8 workers), 3 repeats of 9 worker counts
// from 1 to 48, each wall time off by 3% relative Gaussian noise. Stated
// tolerance: σ within 0.02 and κ within 0.0005 of the truth, the peak
// within 5 workers, in every seed. Over 1,000 seeds the errors' standard
// deviations were σ 0.0052 and κ 0.00011, so the tolerance is about 4 of
// them. The band is checked too: the truth lies within 2 of the fit's own
// standard errors in at least 85% of the seeds (91% here).
func TestUSLRecoversSigmaKappa(t *testing.T) {
	const sigma, kappa = 0.05, 0.002
	rng := rand.New(rand.NewPCG(22, 1))
	covered := 0
	const seeds = 200
	var worstS, worstK float64
	for range seeds {
		law := FitLaw(USL, synthetic(rng, sigma, kappa, 0.03, sweepNs, 3))
		if !law.KappaMeasured || law.Band != BandRepeats {
			t.Fatalf("fit %+v: want κ measured and a band from the repeats", law)
		}
		dS, dK := math.Abs(law.Sigma-sigma), math.Abs(law.Kappa-kappa)
		worstS, worstK = max(worstS, dS), max(worstK, dK)
		if dS > 0.02 || dK > 0.0005 {
			t.Errorf("σ %.4f κ %.5f; want within 0.02 of %.2f and 0.0005 of %.3f", law.Sigma, law.Kappa, sigma, kappa)
		}
		if peak := law.Peak(); math.Abs(peak-math.Sqrt((1-sigma)/kappa)) > 5 {
			t.Errorf("peak at %.1f workers; want within 5 of 21.8", peak)
		}
		if dS <= 2*math.Sqrt(law.Cov[0]) && dK <= 2*math.Sqrt(law.Cov[2]) {
			covered++
		}
	}
	t.Logf("worst errors over %d seeds: σ %.4f, κ %.5f; truth within 2 standard errors in %d", seeds, worstS, worstK, covered)
	if covered < seeds*85/100 {
		t.Errorf("the truth was within 2 standard errors in %d of %d seeds; want 85%% or more", covered, seeds)
	}
}

// TestAmdahlRecoversSerialFraction fits Amdahl's law to 200 noisy sweeps
// of a known serial fraction, 0.1, over 1..8 workers, 3 repeats a point,
// each wall time off by 2% relative Gaussian noise. Stated tolerance:
// within 0.02 in every seed (over 1,000 seeds the error's standard
// deviation was 0.005). One run a point (3% noise, deviation 0.011) is
// fitted within 0.04, its band taken from the residuals.
func TestAmdahlRecoversSerialFraction(t *testing.T) {
	rng := rand.New(rand.NewPCG(22, 2))
	ns := []float64{1, 2, 3, 4, 6, 8}
	for range 200 {
		if a := FitLaw(Amdahl, synthetic(rng, 0.1, 0, 0.02, ns, 3)); math.Abs(a.Sigma-0.1) > 0.02 || a.Band != BandRepeats {
			t.Errorf("3 repeats: serial fraction %.4f, band from %q; want 0.1 ± 0.02 from the repeats", a.Sigma, a.Band)
		}
		if a := FitLaw(Amdahl, synthetic(rng, 0.1, 0, 0.03, ns, 1)); math.Abs(a.Sigma-0.1) > 0.04 || a.Band != BandResiduals {
			t.Errorf("1 run a point: serial fraction %.4f, band from %q; want 0.1 ± 0.04 from the residuals", a.Sigma, a.Band)
		}
	}
}

// TestGustafson fits weak scaling's scaled speedups of a serial fraction
// 0.2 (S = n − 0.2(n−1)), noiseless: exact.
func TestGustafson(t *testing.T) {
	var samples []Sample
	for _, n := range []float64{1, 2, 4, 8} {
		samples = append(samples, Sample{Workers: n, Speedup: n - 0.2*(n-1)})
	}
	g := FitLaw(Gustafson, samples)
	if math.Abs(g.Sigma-0.2) > 1e-12 || g.RMSE > 1e-12 || g.Peak() != 0 {
		t.Errorf("Gustafson fit %+v; want σ 0.2 exactly, no misfit, no peak", g)
	}
	if s := g.Speedup(16); math.Abs(s-13) > 1e-9 {
		t.Errorf("projected %.3f at 16; want 13", s)
	}
}

// TestKappaNotMeasured: with one worker count above 1 (a 2-core machine's
// sweep, fitted within its cores), σ and κ cannot be told apart: USL holds
// κ at 0 and is Amdahl's law, exactly through the point, with no band (one
// run, no point to spare) or a band from the repeats.
func TestKappaNotMeasured(t *testing.T) {
	samples := []Sample{{Workers: 1, Speedup: 1}, {Workers: 2, Speedup: 1.6}}
	u := FitLaw(USL, samples)
	want := 2/1.6 - 1
	if u.KappaMeasured || u.Kappa != 0 || math.Abs(u.Sigma-want) > 1e-12 {
		t.Errorf("USL on 1 and 2 workers: %+v; want κ not measured, σ = %.3f", u, want)
	}
	if u.Band != BandNone || u.Spread(8) != 0 {
		t.Errorf("band %q, spread %.3f; want none", u.Band, u.Spread(8))
	}
	samples[1].Spread = 0.1
	r := FitLaw(Amdahl, samples)
	// σ = 2/S − 1: its standard error is 2/S² times the speedup's.
	if se := math.Sqrt(r.Cov[0]); r.Band != BandRepeats || math.Abs(se-2/(1.6*1.6)*0.1) > 1e-9 {
		t.Errorf("band %q, σ's standard error %.4f; want %.4f from the repeats", r.Band, se, 2/(1.6*1.6)*0.1)
	}
}

// TestBounds: the coefficients stay within their bounds whatever the
// points: superlinear speedups give σ = κ = 0, speedups that fall give a
// serial fraction of at most 1, and a rise then a fall a κ > 0 with σ ≥ 0.
func TestBounds(t *testing.T) {
	pts := func(ss ...float64) []Sample {
		var out []Sample
		for i, s := range ss {
			out = append(out, Sample{Workers: float64(i + 1), Speedup: s})
		}
		return out
	}
	for _, tt := range []struct {
		name         string
		samples      []Sample
		kind         LawKind
		sigma, kappa float64 // want; -1: any value ≥ 0
	}{
		{"superlinear, Amdahl", pts(1, 2.2, 3.5), Amdahl, 0, 0},
		{"superlinear, USL", pts(1, 2.2, 3.5), USL, 0, 0},
		{"slower with workers, Amdahl", pts(1, 0.5, 0.3), Amdahl, 1, 0},
		{"slower with workers, USL", pts(1, 0.5, 0.3), USL, -1, -1},
		{"rise then fall, USL", pts(1, 1.8, 2.2, 2.0, 1.7), USL, -1, -1},
	} {
		l := FitLaw(tt.kind, tt.samples)
		if l.Sigma < 0 || l.Kappa < 0 || tt.kind == Amdahl && l.Sigma > 1 {
			t.Errorf("%s: σ %g κ %g out of bounds", tt.name, l.Sigma, l.Kappa)
		}
		if tt.sigma >= 0 && math.Abs(l.Sigma-tt.sigma) > 1e-12 || tt.kappa >= 0 && math.Abs(l.Kappa-tt.kappa) > 1e-12 {
			t.Errorf("%s: σ %g κ %g; want %g, %g", tt.name, l.Sigma, l.Kappa, tt.sigma, tt.kappa)
		}
		if math.IsNaN(l.RMSE) || math.IsNaN(l.Spread(64)) {
			t.Errorf("%s: NaN in %+v", tt.name, l)
		}
	}
	if l := FitLaw(USL, pts(1, 1.8, 2.2, 2.0, 1.7)); !(l.Kappa > 0) || !(l.Peak() > 2 && l.Peak() < 5) {
		t.Errorf("rise then fall: κ %g, peak %.1f; want κ > 0 and a peak between 2 and 5 workers", l.Kappa, l.Peak())
	}
}

// TestSolveConditioning: the QR solve keeps its digits where the normal
// equations of a column of n(n−1) up to a million would not.
func TestSolveConditioning(t *testing.T) {
	ns := []float64{1, 2, 8, 64, 256, 1024}
	var samples []Sample
	for _, n := range ns {
		samples = append(samples, Sample{Workers: n, Speedup: n / (1 + 0.03*(n-1) + 1e-5*n*(n-1))})
	}
	l := FitLaw(USL, samples)
	if math.Abs(l.Sigma-0.03) > 1e-10 || math.Abs(l.Kappa-1e-5) > 1e-14 {
		t.Errorf("σ %.12f κ %.15f; want 0.03 and 1e-5 to 10 digits", l.Sigma, l.Kappa)
	}
	if !slices.IsSorted(ns) {
		t.Fatal("test points out of order")
	}
}
