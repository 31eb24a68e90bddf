package main

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	_ "corescope/internal/cleanlocale" // before Fyne reads the locale

	"corescope/app"
	"corescope/assets"
	"corescope/cli"
	"corescope/runners"
)

// appID names corescope to the desktop and keys its saved preferences.
const appID = "io.github.corescope"

func main() {
	runners.ExitIfWorker()
	cli.Version = cli.ReleaseVersion(fyneAppTOML)
	args := os.Args[1:]
	if opt, ok := windowOptions(args); ok {
		os.Exit(openWindow(opt))
	}
	os.Exit(cli.Run(args, os.Stdout, os.Stderr))
}

// windowOptions reads args as the window's: none, --demo and --exit, and
// profiles to open, as paths or file:// URIs (what a file manager passes
// for %F and %U). ok is false when any argument is something else, such as
// a subcommand or a flag, which the CLI then handles.
func windowOptions(args []string) (opt app.Options, ok bool) {
	for _, a := range args {
		switch {
		case a == "--demo" || a == "-demo":
			opt.Demo = true
		case a == "--exit" || a == "-exit":
			opt.ExitWhenDone = true
		case strings.HasPrefix(a, "file://"):
			opt.Open = append(opt.Open, fileURIPath(a))
		case isProfilePath(a):
			opt.Open = append(opt.Open, a)
		default:
			return app.Options{}, false
		}
	}
	return opt, true
}

// isProfilePath reports whether arg names a file rather than a subcommand:
// it ends in .json or has a directory in it, as every path a file manager
// passes does. No subcommand name does either, and a flag is not a path.
func isProfilePath(arg string) bool {
	return !strings.HasPrefix(arg, "-") && (strings.EqualFold(filepath.Ext(arg), ".json") ||
		strings.ContainsRune(arg, '/') || strings.ContainsRune(arg, filepath.Separator))
}

// fileURIPath is the local path a file:// URI names, percent-decoded. A URI
// that names no local file is kept as it is, so that opening it fails with
// a dialog that names it.
func fileURIPath(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Host != "" && u.Host != "localhost" || u.Path == "" {
		return uri
	}
	return u.Path
}

// noDisplay is the one line printed instead of the window when there is no
// display, pointing at what works without one.
const noDisplay = "corescope: no display (DISPLAY and WAYLAND_DISPLAY are unset): the window cannot open; " +
	"the headless commands work: corescope run|compare|record|report|models --help"

// hasDisplay reports whether the window can open: on Linux and the BSDs,
// GLFW panics with a stack trace when there is neither an X nor a Wayland
// display; macOS and Windows always have one.
func hasDisplay() bool {
	switch runtime.GOOS {
	case "darwin", "windows":
		return true
	}
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}

// openWindow shows the window until the user quits it.
func openWindow(opt app.Options) int {
	if opt.ExitWhenDone && !opt.Demo {
		fmt.Fprintln(os.Stderr, "corescope: --exit goes with --demo")
		return cli.ExitUsage
	}
	if !hasDisplay() {
		fmt.Fprintln(os.Stderr, noDisplay)
		return cli.ExitUsage
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "corescope: cannot find its own executable:", err)
		return cli.ExitFailed
	}
	opt.Self = self
	a := fyneapp.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("corescope.png", assets.Icon))
	app.New(a, opt).Window().ShowAndRun()
	return cli.ExitOK
}
