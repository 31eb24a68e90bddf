package cli

import (
	"io"
	"slices"

	"corescope/runners"
	"corescope/runtext"
	"corescope/spec"
)

// noteInput says on stderr, before anything runs, what corescope makes of
// input a person may not expect: an interpreter shim it resolved to the
// interpreter the shim starts, which runs instead, and a compare --cmd
// line with shell syntax, which runs without a shell.
func noteInput(stderr io.Writer, specs []spec.Spec, cmdLines []string) {
	var said []string
	for _, s := range specs {
		if r := runtext.Resolution(s.PythonShim, s.Python); s.PythonShim != "" && !slices.Contains(said, r) {
			said = append(said, r)
			printf(stderr, "python: %s\n", r)
		}
	}
	for _, line := range cmdLines {
		if hint := runners.ShellHint(line); hint != "" {
			printf(stderr, "--cmd %q: %s\n", line, hint)
		}
	}
}
