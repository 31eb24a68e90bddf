// Package runtext words runs for people: a run's name, what its spec ran,
// the summary table's columns and how their figures read, with "-" where a
// value is unknown; the verdict, one sentence that words a run's findings
// (diagnosis.Of), and the why that explains them. The CLI, the window's
// Compare tab and the PNG report all write runs through it, so a run reads
// the same wherever it is shown.
//
// A sweep of worker counts (package scaling) reads through it too: its
// table's rows (ScaleCells), its fitted law and projection in one line
// (FitLine, FitNote), and why its curve bends, from each point's evidence
// (Bend, Bends).
//
// Conclude is where a run gets what it concludes, its speedup and verdict,
// which its file keeps: the CLI and the window call it on the runs the
// recorder hands them. A run shows its stored verdict (Outcome), so a file
// reads as it was written.
//
// Imports: diagnosis, scaling, profile, spec.
package runtext
