package cli

import (
	"cmp"
	"fmt"
	"regexp"
	"runtime/debug"
)

// Version is the release this program is: FyneApp.toml's Version, which main
// sets from the copy it embeds, so that every build says it, not only make's.
var Version = "devel"

// fyneAppVersion matches the Version line of FyneApp.toml, as make reads it.
var fyneAppVersion = regexp.MustCompile(`(?m)^\s*Version\s*=\s*"([^"]+)"`)

// ReleaseVersion is the Version in FyneApp.toml's text, "" when it has none.
func ReleaseVersion(fyneAppTOML []byte) string {
	if m := fyneAppVersion.FindSubmatch(fyneAppTOML); m != nil {
		return string(m[1])
	}
	return ""
}

// commit is the git commit make builds from, with -dirty when the tree had
// changes (git describe --dirty), set with -ldflags -X: go build's own stamp
// is missing from a build in a linked git worktree (golang/go#58218), or
// with GOFLAGS=-buildvcs=false.
var commit string

// versionLine is what --version prints: the release and the commit, the one
// make set or else the one go build stamped from git (vcs.revision, and
// vcs.modified). A build from outside a git checkout has none to name.
func versionLine(info *debug.BuildInfo, ok bool) string {
	built := commit
	if built == "" && ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				built = s.Value[:min(12, len(s.Value))] + built
			case "vcs.modified":
				if s.Value == "true" {
					built += "-dirty"
				}
			}
		}
	}
	return fmt.Sprintf("corescope %s (commit %s)", Version, cmp.Or(built, "unknown"))
}
