// Package app is corescope's desktop window (Fyne): the run controls, the
// live heatmap, per-core bars and thread lanes, the comparison of a
// session's runs, and opening and saving profiles. It holds only UI code;
// recording is the profile package's job.
package app
