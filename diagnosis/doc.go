// Package diagnosis judges runs: figures and evidence in, findings out.
// Of puts a recorded run in the case its figures show (waiting, starved,
// held to one core by its model, a GIL or a lock, crowded by other
// programs, parallel) with the figures that decide it: the cores' worth of
// CPU judged, the busy threads, how long they were on cores together, the
// competition, the speedup against the run's baseline (Speedups). It words
// nothing: runtext says the findings in sentences (runtext.Verdict) and
// explains them (runtext.Why). Reasons, phases and limits found in a run's
// evidence belong here too, as more findings.
//
// Imports: profile, spec.
package diagnosis
