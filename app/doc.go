// Package app is corescope's desktop window (Fyne): the run controls, the
// live heatmap, per-core bars and thread lanes, the comparison of a
// session's runs, and opening and saving profiles. It holds only UI code:
// the recorder records, runtext words, and a session concludes the runs
// the recorder hands it (runtext.Conclude) as they join it.
//
// Each file is named after the type it extends, and a feature of a type
// has a file of its own named type_feature.go, as Fyne's widget package
// does (entry.go, entry_validation.go):
//
//   - ui.go is the window (UI, New); ui_run.go runs a job's specs through
//     recorder.Compare, ui_watch.go watches a cluster, ui_runs.go picks
//     runs and groups, ui_menu.go opens and saves, ui_export.go exports,
//     ui_code.go shows a model's code.
//   - session.go is what the window holds besides widgets: runs, groups,
//     the job, what is allowed when; session_baseline.go what a group's
//     speedups are measured against.
//   - controls.go are the run's fields, controls_python.go the Python
//     backend's interpreter, controls_cluster.go the Cluster source's rows,
//     controls_command.go the command's, controls_repeat.go the Repeat
//     field, controls_prefs.go what the next launch restores.
//   - live.go, threads.go, compare.go and scaling.go are the tabs;
//     live_nodes.go is the Live tab over a cluster, compare_repeats.go the
//     Compare tab's rows of repeats and its baseline picker.
//   - One widget a file: heatmapwidget.go (with heatmapwidget_nodes.go for
//     a cluster's rows), threadlanes.go, runlanes.go, corebars.go,
//     busybar.go, runrow.go, scalechart.go, field.go (the entry that
//     dozes), and keys.go's button, check and choice, which hand Escape to
//     the window.
//   - Parts the widgets share: timeview.go (zoom and pan), timeline.go,
//     hover.go, labels.go (axes and row labels), runbar.go, output.go,
//     feed.go, attribution.go.
//
// Its widgets are unexported: nothing outside the window uses them, and a
// package of their own would have to export what they share (the hover
// readout, the time axis, the gestures) for no second user. main only
// calls New and Window.
//
// Imports: recorder, runners, nodes, report, runtext, scaling, diagnosis,
// heatmap, lanes, profile, levels, spec, assets (and Fyne).
package app
