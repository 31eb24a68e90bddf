// Package report turns recorded profiles into files people read elsewhere:
// a PNG report (heatmaps, charts, the summary table), a CSV of every sample,
// and a Chrome Trace Event JSON that Perfetto and chrome://tracing open.
// Every file is written whole or not at all.
//
// Imports: runtext, diagnosis, heatmap, lanes, profile, levels, spec,
// atomicfile (and go-chart).
package report
