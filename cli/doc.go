// Package cli is corescope's headless side: the run, compare, record, report
// and models subcommands. It never imports Fyne, so it builds and tests
// without cgo or a display.
package cli
