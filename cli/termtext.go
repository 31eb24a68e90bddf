package cli

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// termSafe is s made harmless to print on a terminal. Text the CLI prints
// comes from profile files, subjects and servers as much as from
// corescope: labels, verdicts, commands, node names, notes, errors. Raw, an
// escape in it could clear, recolour or retitle the terminal, a carriage
// return or a newline fake a line of corescope's own, a bidi override
// reverse what follows. So control characters (C0 with tab and newline,
// DEL, C1), Unicode bidi controls, line and paragraph separators, and
// bytes that are not UTF-8 are shown escaped, as Go writes them in a
// quoted string: \x1b, \n, \u202e.
func termSafe(s string) string {
	if !strings.ContainsFunc(s, unsafeRune) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], string(utf8.RuneError)):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafeRune(r):
			q := fmt.Sprintf("%+q", string(r)) // "\x1b", "\n", "\u202e"
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// unsafeRune is a rune a terminal acts on rather than shows.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029'
}

// sprintf is fmt.Sprintf with every string and error argument through
// termSafe: the format is corescope's, the arguments may come from
// anywhere. Every line the CLI prints about runs goes through it (or
// printRow).
func sprintf(format string, args ...any) string {
	safe := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			safe[i] = termSafe(v)
		case error:
			safe[i] = termSafe(v.Error())
		default:
			safe[i] = a
		}
	}
	return fmt.Sprintf(format, safe...)
}

// printf writes sprintf(format, args...) to w.
func printf(w io.Writer, format string, args ...any) {
	io.WriteString(w, sprintf(format, args...))
}

// printRow writes cells as one line of a tabwriter table, each through
// termSafe, so that no cell can add a column or a line.
func printRow(w io.Writer, cells ...string) {
	safe := make([]string, len(cells))
	for i, c := range cells {
		safe[i] = termSafe(c)
	}
	io.WriteString(w, strings.Join(safe, "\t")+"\n")
}
