package report

import (
	"strings"
	"testing"

	"corescope/profile"
	"corescope/runtext"
	"corescope/spec"
)

// TestTableWrapsCommands gives two commands that share a long prefix: the
// table keeps every character of each, over as many lines as it takes, and
// grows to hold them.
func TestTableWrapsCommands(t *testing.T) {
	tf, err := newTypeface()
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "/home/someone/projects/a-rather-long-project-name/.venv/bin/python3 -X importtime /home/someone/projects/"
	command := func(label, line string) *profile.Profile {
		p := fixture(label, spec.Sequential, 2, 5, func(s, c int) float64 { return 0.5 })
		p.Spec = spec.Spec{Backend: spec.BackendCommand, Command: strings.Fields(line), Interval: p.Spec.Interval}
		return p
	}
	ps := []*profile.Profile{command("seq.py", prefix+"seq.py --size 3"), command("pool.py", prefix+"pool.py --workers 2")}
	const width = 1000
	for _, p := range ps {
		lines := modelLines(tf, p, width-2*margin)
		if got, want := strings.Join(lines, " "), strings.Join(p.Spec.Command, " "); len(lines) < 2 || strings.ReplaceAll(got, " ", "") != strings.ReplaceAll(want, " ", "") {
			t.Errorf("%s's command in the table: %q; want all of %q over several lines", p.Label, lines, want)
		}
	}
	tall := locate(runtext.Rows(ps), Options{Width: width}, tf).Table.Dy()
	short := locate(runtext.Rows(ps), Options{Width: width}, nil).Table.Dy()
	if tall <= short {
		t.Errorf("a table of wrapped commands is %d px high, of one-line ones %d; want it taller", tall, short)
	}
	if _, err := PNG(ps, Options{Width: width}); err != nil {
		t.Errorf("PNG of wrapped commands: %v", err)
	}
}
