// Package runtext words runs for people: a run's name, what its spec ran,
// the summary table's columns and how their figures read, with "-" where a
// value is unknown. The CLI, the window's Compare tab and the PNG report
// all write runs through it, so a run reads the same wherever it is shown.
package runtext
