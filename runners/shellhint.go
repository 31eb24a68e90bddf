package runners

import (
	"fmt"
	"strings"
)

// shellOperators are the characters a shell acts on outside quotes: pipes,
// redirections, lists, background jobs, globs, expansions, subshells.
const shellOperators = "|&;<>*?[$`()"

// ShellSyntax is the first piece of shell syntax in command line, outside
// quotes and backslash escapes, as SplitArgs reads them: "|", "&&", ">",
// ";", a glob's "*", "$", a word's leading "~". A shell would act on it;
// corescope, which runs a command without one, passes it to the program
// as a word. "" when the line has none.
func ShellSyntax(line string) string {
	var quote rune
	escaped, wordStart := false, true
	runes := []rune(line)
	for i, r := range runes {
		switch {
		case escaped:
			escaped = false
		case quote != 0:
			if r == quote {
				quote = 0
			} else if r == '\\' && quote == '"' {
				escaped = true
			}
		case r == '\\':
			escaped = true
		case r == '\'' || r == '"':
			quote = r
		case r == '~' && wordStart:
			return "~"
		case strings.ContainsRune(shellOperators, r):
			op := string(r)
			for j := i + 1; j < len(runes) && strings.ContainsRune("|&;<>", r) && strings.ContainsRune("|&;<>", runes[j]); j++ {
				op += string(runes[j])
			}
			return op
		}
		wordStart = quote == 0 && !escaped && (r == ' ' || r == '\t' || r == '\n')
	}
	return ""
}

// ShellHint is one line for a command line with shell syntax (see
// ShellSyntax), for the window and the CLI alike: "`|` is shell syntax,
// but the command runs without a shell: to use it, give sh -c 'ls | wc
// -l'". "" for a line without any.
func ShellHint(line string) string {
	op := ShellSyntax(line)
	if op == "" {
		return ""
	}
	quoted := "'" + strings.ReplaceAll(strings.TrimSpace(line), "'", `'\''`) + "'"
	return fmt.Sprintf("`%s` is shell syntax, but the command runs without a shell: to use it, give sh -c %s", op, quoted)
}
