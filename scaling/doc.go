// Package scaling fits the laws of how speed grows with workers to a
// sweep's measured points: the same work run at several worker counts
// (corescope scale). FitLaw fits Amdahl's law (a serial fraction),
// Gustafson's (the same for work that grows with the workers) and the
// Universal Scalability Law (contention σ and coherency κ, which bends
// the curve back down past its peak at √((1−σ)/κ) workers) by weighted
// least squares in their linear forms, each coefficient held at or above
// 0, with its own small solver (a QR factorisation, no dependency), the
// misfit (RMSE) and the coefficients' covariance, from the repeats'
// spreads or the points' scatter, for a band about the curve and its
// projection to core counts not measured.
//
// Conclude reads a sweep's runs (spec.Scale) into points, one a worker
// count: their median wall time and spread, speedup and efficiency, and
// marks for those that other programs competed in or that had more
// workers than cores; it fits the laws to the points within the cores
// (past them the runs measure how the machine squeezes the workers, not
// the law) and says from each point's own evidence (package diagnosis)
// what held it below the ideal. It words nothing: runtext does.
//
// Imports: diagnosis, profile, spec.
package scaling
