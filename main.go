package main

import (
	"fmt"
	"os"
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
	args := os.Args[1:]
	if len(args) == 0 || isWindowFlag(args[0]) || isProfileFile(args) {
		os.Exit(openWindow(args))
	}
	os.Exit(cli.Run(args, os.Stdout, os.Stderr))
}

// isWindowFlag reports whether arg asks for the window rather than a subcommand.
func isWindowFlag(arg string) bool {
	switch arg {
	case "--demo", "-demo", "--exit", "-exit":
		return true
	}
	return false
}

// isProfileFile reports whether args name one profile to open in the
// window, as a file manager passes it on a double-click.
func isProfileFile(args []string) bool {
	return len(args) == 1 && strings.HasSuffix(args[0], ".json")
}

// openWindow shows the window until the user quits it.
func openWindow(args []string) int {
	opt := app.Options{}
	for _, a := range args {
		switch a {
		case "--demo", "-demo":
			opt.Demo = true
		case "--exit", "-exit":
			opt.ExitWhenDone = true
		default:
			opt.Open = a
		}
	}
	if opt.ExitWhenDone && !opt.Demo {
		fmt.Fprintln(os.Stderr, "corescope: --exit goes with --demo")
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
