package assets

import _ "embed"

// Icon is corescope's application icon: a small heatmap, one core busy,
// then all of them. FyneApp.toml points `fyne package` at the same file.
//
//go:embed icon.png
var Icon []byte
