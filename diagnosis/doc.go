// Package diagnosis judges runs: figures and evidence in, findings out.
// Of reads a run's evidence once: each thread's time on a core, runnable
// (waiting for one) and blocked, and on what (Stretches, from the switch
// records' slices and how each ended, or from the thread samples' CPU,
// run-queue time and state); the other programs' load; the cores the
// subject was allowed and its cgroup quota's throttling. It splits the run
// into phases of alike frames (idle, one core, parallel) and gives each
// phase its reasons, in their order of precedence (quota, affinity,
// squeezed, took-turns or gil, one-thread, waiting, parallel, undecided),
// each only where its evidence holds, with its figures, where they came
// from, and what evidence was missing. It also measures speedups against
// a run's baseline (Speedups) and threads on cores together (Together).
// It words nothing: runtext says the findings in sentences
// (runtext.Verdict) and explains them (runtext.Why).
//
// Imports: profile, spec.
package diagnosis
