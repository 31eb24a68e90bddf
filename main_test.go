package main

import (
	"os"
	"reflect"
	"testing"

	"corescope/app"
	"corescope/runners"
)

// TestMain lets the test binary act as corescope's worker, as the real
// binary does, and removes what the tests built.
func TestMain(m *testing.M) {
	runners.ExitIfWorker()
	os.Exit(runTests(m))
}

// runTests runs the tests with a folder for the programs they build.
func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "corescope-test-bin-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	binDir = dir
	return m.Run()
}

// TestWindowSmokeArguments checks which command lines open the window, and
// with which files: paths and file:// URIs, as a file manager passes them,
// open it; a subcommand or a flag anywhere goes to the CLI. (Its name puts
// it among the tests make test runs in this package.)
func TestWindowSmokeArguments(t *testing.T) {
	tests := []struct {
		args   []string
		window bool
		want   app.Options
	}{
		{nil, true, app.Options{}},
		{[]string{"a.json"}, true, app.Options{Open: []string{"a.json"}}},
		{[]string{"A.JSON", "runs/saved"}, true, app.Options{Open: []string{"A.JSON", "runs/saved"}}},
		{[]string{"/tmp/a.json", "file:///tmp/my%20runs/b.corescope.json"}, true,
			app.Options{Open: []string{"/tmp/a.json", "/tmp/my runs/b.corescope.json"}}},
		{[]string{"file://localhost/tmp/a%23b.json"}, true, app.Options{Open: []string{"/tmp/a#b.json"}}},
		// Not a local file: kept, so that opening it fails with a dialog naming it.
		{[]string{"file://server/tmp/a.json"}, true, app.Options{Open: []string{"file://server/tmp/a.json"}}},
		{[]string{"--demo", "--exit"}, true, app.Options{Demo: true, ExitWhenDone: true}},
		{[]string{"run"}, false, app.Options{}},
		{[]string{"report", "a.json"}, false, app.Options{}},
		{[]string{"a.json", "report"}, false, app.Options{}},
		{[]string{"models"}, false, app.Options{}},
		{[]string{"notes"}, false, app.Options{}},
		{[]string{"--help"}, false, app.Options{}},
		{[]string{"a.json", "--json=b.json"}, false, app.Options{}},
	}
	for _, tt := range tests {
		opt, window := windowOptions(tt.args)
		if window != tt.window || !reflect.DeepEqual(opt, tt.want) {
			t.Errorf("windowOptions(%q) = %+v, %v; want %+v, %v", tt.args, opt, window, tt.want, tt.window)
		}
	}
}
