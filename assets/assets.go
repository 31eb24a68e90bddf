package assets

import (
	"embed"
	_ "embed"
)

// Icon is corescope's application icon: a small heatmap, one core busy,
// then all of them. FyneApp.toml points `fyne package` at the same file.
//
//go:embed icon.png
var Icon []byte

// Python holds the Python backend's scripts, python/*.py: one per model and
// workload.py, which they share. They are ordinary files a learner can read
// and run by hand; corescope writes them to a cache folder before a run.
//
//go:embed python/*.py
var Python embed.FS
