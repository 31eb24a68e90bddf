package main

import _ "embed"

// fyneAppTOML is FyneApp.toml, whose Version is the release's: embedded so
// that every build says which release it is (corescope --version), not only
// make's.
//
//go:embed FyneApp.toml
var fyneAppTOML []byte
