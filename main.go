// Command corescope is a desktop profiler that makes concurrency visible.
// With no arguments it opens the window; subcommands run headless (cli.go).
package main

import (
	"fmt"
	"os"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	_ "corescope/internal/cleanlocale" // before Fyne reads the locale

	"corescope/app"
	"corescope/assets"
	"corescope/runners"
)

// appID names corescope to the desktop and keys its saved preferences.
const appID = "io.github.corescope"

func main() {
	runners.ExitIfWorker()
	args := os.Args[1:]
	if len(args) == 0 || isWindowFlag(args[0]) {
		os.Exit(openWindow(args))
	}
	os.Exit(runCLI(args, os.Stdout, os.Stderr))
}

// isWindowFlag reports whether arg asks for the window rather than a subcommand.
func isWindowFlag(arg string) bool {
	switch arg {
	case "--demo", "-demo", "--exit", "-exit":
		return true
	}
	return false
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
		}
	}
	if opt.ExitWhenDone && !opt.Demo {
		fmt.Fprintln(os.Stderr, "corescope: --exit goes with --demo")
		return exitUsage
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "corescope: cannot find its own executable:", err)
		return exitFailed
	}
	opt.Self = self
	a := fyneapp.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("corescope.png", assets.Icon))
	app.New(a, opt).Window().ShowAndRun()
	return exitOK
}
