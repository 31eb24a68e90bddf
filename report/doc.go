// Package report turns recorded profiles into files people read elsewhere:
// a PNG report (heatmaps, charts, the summary table, and for a sweep of
// worker counts its Scaling section: speedup against workers, the fitted
// laws and their projection, laid out by LayoutScale, which the window
// draws too), the same as one HTML
// page that zooms and reads out what is under the pointer as the window
// does (its template, style and script embedded from html/), a CSV of
// every sample, and a Chrome Trace Event JSON that Perfetto and
// chrome://tracing open.
// Every file is written whole or not at all.
//
// Imports: runtext, diagnosis, scaling, heatmap, lanes, profile, levels,
// spec, atomicfile (and go-chart, golang.org/x/image).
package report
