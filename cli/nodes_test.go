package cli

import (
	"strings"
	"testing"
	"time"

	"corescope/levels"
	"corescope/profile"
	"corescope/runtext"
	"corescope/spec"
)

// TestPrintNodesSilentNode: a node that never answered has no mean or peak
// ("-", not an idle 0.00); the others' figures and the "all" row stay.
func TestPrintNodesSilentNode(t *testing.T) {
	p := &profile.Profile{Spec: spec.Spec{Interval: spec.Duration(time.Second)},
		Nodes: []profile.Node{{Name: "a:9100", Cores: 2}, {Name: "b:9100", First: 2, MissedTicks: 2, LastError: "cannot connect: connection refused"}}}
	for _, busy := range []levels.Row{{levels.Of(0.5), levels.Of(1)}, {levels.Of(0), levels.Of(0.5)}} {
		p.Frames = append(p.Frames, profile.Frame{Busy: busy})
	}
	var out strings.Builder
	printNodes(&out, p)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("printNodes wrote %d lines; want a heading, 2 nodes and all:\n%s", len(lines), out.String())
	}
	for _, tt := range []struct{ line, want string }{
		{lines[1], "a:9100 2 1.00 1.50 0 of 2 -"},
		{lines[2], "b:9100 0 - - 2 of 2 cannot connect: connection refused"},
		{lines[3], "all 2 1.00 1.50"},
	} {
		if got := strings.Join(strings.Fields(tt.line), " "); got != tt.want {
			t.Errorf("line %q; want %q", got, tt.want)
		}
	}
}

// A cluster none of whose nodes ever answered has no mean or peak either.
func TestPrintNodesNoFigureAtAll(t *testing.T) {
	p := &profile.Profile{Spec: spec.Spec{Interval: spec.Duration(time.Second)},
		Nodes: []profile.Node{{Name: "a:9100", MissedTicks: 2, LastError: "timed out after 800ms"},
			{Name: "b:9100", MissedTicks: 2, LastError: "cannot connect: connection refused"}},
		Frames: []profile.Frame{{Busy: levels.Row{}}, {Busy: levels.Row{}}}}
	var out strings.Builder
	printNodes(&out, p)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if got := strings.Join(strings.Fields(lines[len(lines)-1]), " "); got != "all 0 - -" {
		t.Errorf("the all row reads %q; want %q", got, "all 0 - -")
	}
	if got := runtext.Verdict(p); !strings.Contains(got, "none gave a figure") {
		t.Errorf("verdict %q; want it to say no node gave a figure", got)
	}
}
