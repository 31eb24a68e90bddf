package report

import (
	"corescope/profile"
	"corescope/runtext"
)

// Locate lays the report of ps out as WritePNG does, for tests to find
// its parts.
func Locate(ps []*profile.Profile, opt Options) Layout {
	tf, err := newTypeface()
	if err != nil { // PNG fails too; give a layout without measured notes
		return locate(runtext.Rows(ps), opt, nil)
	}
	return locate(runtext.Rows(ps), opt, tf)
}
