// Package cli is corescope's headless side: the run, compare, record,
// watch, scale, report and models subcommands. It records through the
// recorder and concludes the runs it prints and saves (runtext.Conclude);
// it never
// imports Fyne, so it builds and tests without cgo or a display.
//
// Imports: recorder, report, runtext, scaling, diagnosis, runners, nodes, profile,
// spec, atomicfile (and golang.org/x/term).
package cli
