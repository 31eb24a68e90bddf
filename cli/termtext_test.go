package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"corescope/levels"
	"corescope/profile"
	"corescope/runtext"
	"corescope/spec"
)

// hostile is text a profile file may hold to take over a terminal: a
// clear-screen escape, a carriage return, a C1 CSI, a right-to-left
// override, and a newline that fakes a line of its own.
const hostile = "evil\x1b[2J\r\u009b31m\u202ename\ncores used  spoofed"

// TestCLIReportEscapesTheFilesStrings prints saved profiles whose strings
// are hostile: nothing of them reaches the terminal raw.
func TestCLIReportEscapesTheFilesStrings(t *testing.T) {
	run := &profile.Profile{Label: hostile, ExitCode: 3, Error: hostile,
		Spec:    spec.Spec{Backend: spec.BackendCommand, Command: []string{"/bin/" + hostile, hostile}, Interval: spec.Duration(100 * time.Millisecond)},
		Machine: profile.Machine{LogicalCores: 1}, Summary: profile.Summary{Verdict: hostile},
		Nodes: []profile.Node{{Name: hostile, Cores: 1, LastError: hostile}}, Frames: []profile.Frame{{Busy: levels.Row{levels.Of(0.5)}}}}
	watched := &profile.Profile{Label: hostile, Spec: spec.Spec{Interval: spec.Duration(time.Second)},
		Summary: profile.Summary{Verdict: hostile},
		Nodes:   []profile.Node{{Name: hostile, Cores: 1, LastError: hostile, MissedTicks: 1}}, Frames: []profile.Frame{{Busy: levels.Row{levels.Missing}}}}
	path := filepath.Join(t.TempDir(), "hostile.json")
	if err := profile.Save(path, []*profile.Profile{run, watched}); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := cli("report", path)
	if code != ExitOK {
		t.Fatalf("report: code %d, stderr %q", code, stderr)
	}
	assertTerminalSafe(t, "report", stdout)
	if !strings.Contains(stdout, `evil\x1b[2J\r\u009b31m\u202ename\ncores used  spoofed`) {
		t.Errorf("report does not show the label escaped:\n%s", stdout)
	}
}

// TestPrintSummaryEscapesTheRunsStrings: what a run brings back (its
// command, its error) is printed escaped too.
func TestPrintSummaryEscapesTheRunsStrings(t *testing.T) {
	p := &profile.Profile{Label: hostile, ExitCode: 3, Error: hostile,
		Spec:    spec.Spec{Backend: spec.BackendCommand, Command: []string{hostile}},
		Machine: profile.Machine{Python: hostile}, Summary: profile.Summary{AttributionNote: hostile, Attribution: hostile}}
	var b bytes.Buffer
	printSummary(&b, runtext.Rows([]*profile.Profile{p})[0])
	assertTerminalSafe(t, "printSummary", b.String())
}

// TestCLIErrorsAreEscaped: an error that quotes a file's strings (a
// profile that contradicts itself, named by its label) is printed escaped.
func TestCLIErrorsAreEscaped(t *testing.T) {
	p := &profile.Profile{Label: hostile, Spec: spec.Spec{Backend: spec.BackendCommand, Command: []string{"true"}},
		Frames: []profile.Frame{{T: 1, Busy: levels.Row{0}}, {T: 0, Busy: levels.Row{0}}}}
	path := filepath.Join(t.TempDir(), "broken.json")
	if err := profile.Save(path, []*profile.Profile{p}); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := cli("report", path)
	if code != ExitUsage || !strings.Contains(stderr, "goes back in time") {
		t.Fatalf("report of a profile going back in time: code %d, stderr %q", code, stderr)
	}
	assertTerminalSafe(t, "the error", stderr)
}

// assertTerminalSafe fails if out holds a control character other than a
// line's end, or a Unicode bidi control, or a line that starts with the
// spoofed text (a newline of the file's own).
func assertTerminalSafe(t *testing.T, what, out string) {
	t.Helper()
	for _, r := range out {
		if (unicode.IsControl(r) && r != '\n') || unicode.Is(unicode.Bidi_Control, r) {
			t.Errorf("%s printed %U raw:\n%q", what, r, out)
			return
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "cores used  spoofed") {
			t.Errorf("%s printed a line of the file's own:\n%s", what, out)
		}
	}
}

func TestTermSafe(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"threads, 4 workers: 1.98 cores used", "threads, 4 workers: 1.98 cores used"},
		{"naïve 日本 ✓ \ufffd", "naïve 日本 ✓ \ufffd"}, // text, and a real U+FFFD, stay
		{"a\x1b]0;title\x07b", `a\x1b]0;title\ab`},
		{"line\r\nfake\tcell", `line\r\nfake\tcell`},
		{"c1 \u009b2J del \x7f", `c1 \u009b2J del \x7f`},
		{"bidi \u202eevil\u202c \u2066x\u2069 \u200f", `bidi \u202eevil\u202c \u2066x\u2069 \u200f`},
		{"sep \u2028 \u2029", `sep \u2028 \u2029`},
		{"bad \x9b\xff utf-8", `bad \x9b\xff utf-8`},
	} {
		if got := termSafe(tt.in); got != tt.want {
			t.Errorf("termSafe(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
