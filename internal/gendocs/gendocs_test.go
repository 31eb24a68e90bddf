package main

import (
	"bytes"
	"context"
	_ "embed"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"corescope/cli"
)

// generated writes every file into a temporary folder and returns it.
func generated(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := generate("9.8.7", dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// need fails the test when a tool is missing: make deps installs them all.
func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: make deps installs it", tool)
		}
	}
}

// shell runs a command with a hang guard (a completion that never ends),
// in dir, and returns its standard output; anything on stderr fails the test.
func shell(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// TestManPageRenders renders corescope.1 as man does at 80 columns, with its
// warnings on, and checks that it names every command and, in each
// command's section, every flag the command takes.
func TestManPageRenders(t *testing.T) {
	need(t, "man")
	page := filepath.Join(generated(t), "corescope.1")
	cmd := exec.Command("man", "--warnings", "-l", page)
	cmd.Env = append(os.Environ(), "MANWIDTH=80", "MAN_KEEP_FORMATTING=", "LC_ALL=C.UTF-8")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("man --warnings -l corescope.1: %v\n%s", err, stderr.String())
	}
	text := stdout.String()
	for _, want := range []string{"corescope - see how a program uses your cores", "corescope 9.8.7", "EXIT STATUS", "--version", "--demo"} {
		if !strings.Contains(text, want) {
			t.Errorf("the man page does not say %q:\n%s", want, text)
		}
	}
	if strings.ContainsRune(text, '\u2010') {
		t.Errorf("the man page hyphenates words (U+2010), which breaks flags and names copied from it")
	}
	sections := regexp.MustCompile(`(?m)^   (\w+)\n`).FindAllStringSubmatchIndex(text, -1)
	var names []string
	for i, s := range sections {
		name := text[s[2]:s[3]]
		names = append(names, name)
		end := len(text)
		if i+1 < len(sections) {
			end = sections[i+1][0]
		}
		body := text[s[0]:end]
		for _, c := range cli.Commands() {
			if c.Name != name {
				continue
			}
			c.Flags.VisitAll(func(f *flag.Flag) {
				if !regexp.MustCompile(`(?m)^       --` + regexp.QuoteMeta(f.Name) + `\b`).MatchString(body) {
					t.Errorf("the man page's section on %s does not describe --%s:\n%s", name, f.Name, body)
				}
			})
		}
	}
	if want := commandNames(); !slices.Equal(names, want) {
		t.Errorf("the man page has sections on %q; want one on each command, %q", names, want)
	}
}

func commandNames() []string {
	var names []string
	for _, c := range cli.Commands() {
		names = append(names, c.Name)
	}
	return names
}

// completionCase is a command line being completed (the cursor at its end)
// and the words a shell should offer; with some, at least those.
type completionCase struct {
	line string
	want []string
	some bool
}

// completionCases are what every shell must complete alike: subcommands,
// flags, each kind of value, profiles, and record's command after --; and,
// so that nothing drifts, each command's every flag after "--".
func completionCases() []completionCase {
	workloads, _ := cli.Choices("workload")
	models, _ := cli.Choices("models")
	cases := []completionCase{
		{line: "corescope re", want: []string{"record", "report"}},
		{line: "corescope --ve", want: []string{"--version"}},
		{line: "corescope ", want: append(commandNames(), "a.json", "sub"), some: true},
		{line: "corescope run --wo", want: []string{"--workers", "--workload"}},
		{line: "corescope run --workload ", want: workloads},
		{line: "corescope run --workload=m", want: []string{"mixed"}},
		{line: "corescope run --model " + models[0][:2], want: models[:1]},
		{line: "corescope compare --models threads,pro", want: []string{"processes"}},
		{line: "corescope run --tasks ", want: nil},
		{line: "corescope report ", want: []string{"a.json", "sub"}},
		{line: "corescope record --no", want: []string{"--node"}},
		{line: "corescope record -- ech", want: []string{"echo"}, some: true},
	}
	for _, c := range cli.Commands() {
		want := []string{"--help"}
		c.Flags.VisitAll(func(f *flag.Flag) { want = append(want, "--"+f.Name) })
		cases = append(cases, completionCase{line: "corescope " + c.Name + " --", want: want})
	}
	return cases
}

// checkCompletions compares what a shell offered for each case: got holds
// lines "INDEX<TAB>WORD". Words are compared as the shell shows the part
// being completed: after an = or a comma, without a folder's slash.
func checkCompletions(t *testing.T, shellName, got string, cases []completionCase) {
	t.Helper()
	offered := make([][]string, len(cases))
	for _, line := range strings.Split(strings.TrimSpace(got), "\n") {
		index, word, ok := strings.Cut(line, "\t")
		i, err := strconv.Atoi(index)
		if !ok || err != nil || i >= len(cases) {
			continue
		}
		word, _, _ = strings.Cut(word, "\t") // fish's description
		word = strings.TrimSuffix(word[strings.LastIndexAny(word, "=,")+1:], "/")
		if !slices.Contains(offered[i], word) {
			offered[i] = append(offered[i], word)
		}
	}
	for i, c := range cases {
		slices.Sort(offered[i])
		want := slices.Sorted(slices.Values(c.want))
		switch {
		case c.some && !containsAll(offered[i], want):
			t.Errorf("%s completes %q with %q; want at least %q", shellName, c.line, offered[i], want)
		case !c.some && !slices.Equal(offered[i], want):
			t.Errorf("%s completes %q with %q; want %q", shellName, c.line, offered[i], want)
		}
	}
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// profilesFolder is where completions run: a saved profile, a file of
// another kind, and a folder.
func profilesFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"a.json", "notes.txt", "sub/"} {
		var err error
		if strings.HasSuffix(f, "/") {
			err = os.Mkdir(filepath.Join(dir, f), 0o755)
		} else {
			err = os.WriteFile(filepath.Join(dir, f), []byte("{}"), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// bashWords splits a line into COMP_WORDS as bash does by default: at
// spaces, and around the = of --flag=value (COMP_WORDBREAKS).
func bashWords(line string) []string {
	var words []string
	for _, w := range strings.Split(line, " ") {
		if flagName, value, ok := strings.Cut(w, "="); ok && strings.HasPrefix(w, "-") {
			words = append(words, flagName, "=", value)
			continue
		}
		words = append(words, w)
	}
	return words
}

// TestBashCompletion sources the bash script, checks that it registers a
// function for corescope (complete -p), and calls that function as bash
// does on Tab, with COMP_WORDS and COMP_CWORD set, for each case.
func TestBashCompletion(t *testing.T) {
	need(t, "bash")
	script := filepath.Join(generated(t), "corescope.bash")
	var b strings.Builder
	fmt.Fprintf(&b, "source %s\n", shellQuote(script))
	b.WriteString(`spec=$(complete -p corescope) || exit 1
[[ $spec == 'complete -F '*' corescope' ]] || { echo "complete -p corescope: $spec" >&2; exit 1; }
fn=${spec#complete -F }; fn=${fn%% *}
c() {
    local i=$1; shift
    COMP_WORDS=("$@") COMP_CWORD=$(($# - 1)) COMP_LINE="$*" COMP_POINT=${#COMP_LINE} COMPREPLY=()
    "$fn" corescope "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    ((${#COMPREPLY[@]} == 0)) || printf "$i\t%s\n" "${COMPREPLY[@]}"
}
`)
	cases := completionCases()
	for i, c := range cases {
		fmt.Fprintf(&b, "c %d", i)
		for _, w := range bashWords(c.line) {
			b.WriteString(" " + shellQuote(w))
		}
		b.WriteString("\n")
	}
	got := shell(t, profilesFolder(t), nil, "bash", "--norc", "--noprofile", "-c", b.String())
	checkCompletions(t, "bash", got, cases)
}

// zptyDriver runs an interactive zsh in a pseudo-terminal, types each line
// given and a Tab, and prints the words completion offered, "INDEX<TAB>WORD":
// compadd is wrapped to print its matches. The markers are split in the
// commands sent, so that the terminal's echo of them is not taken for one.
//
//go:embed testdata/zpty.zsh
var zptyDriver string

// TestZshCompletion loads the zsh function as the brief's users would
// (compinit, then source it: it registers itself with compdef), then has
// zsh complete each case through its completion system, the file found on
// fpath as an installed one is.
func TestZshCompletion(t *testing.T) {
	need(t, "zsh")
	dir := generated(t)
	load := "autoload -U compinit && compinit -u -D && source " + shellQuote(filepath.Join(dir, "_corescope")) + " && print -r -- $_comps[corescope]"
	if got := strings.TrimSpace(shell(t, dir, nil, "zsh", "-f", "-c", load)); got != "_corescope" {
		t.Errorf("after sourcing _corescope, zsh completes corescope with %q; want _corescope", got)
	}
	cases := completionCases()
	args := []string{"-f", "-c", zptyDriver, "zpty.zsh", dir}
	for _, c := range cases {
		args = append(args, c.line)
	}
	checkCompletions(t, "zsh", shell(t, profilesFolder(t), nil, "zsh", args...), cases)
}

// TestFishCompletion sources the fish script into a fish that has its own
// completions but no user's configuration, and asks it (complete -C) for
// each case.
func TestFishCompletion(t *testing.T) {
	need(t, "fish")
	script := filepath.Join(generated(t), "corescope.fish")
	var b strings.Builder
	fmt.Fprintf(&b, "source %s\n", fishQuote(script))
	cases := completionCases()
	for i, c := range cases {
		fmt.Fprintf(&b, "for w in (complete -C %s); echo %d\\t$w; end\n", fishQuote(c.line), i)
	}
	home := t.TempDir()
	got := shell(t, profilesFolder(t), []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_DATA_HOME=" + home}, "fish", "-c", b.String())
	checkCompletions(t, "fish", got, cases)
}

// TestUsageItCannotRead checks that a usage gendocs cannot read fails the
// build with the line at fault, rather than leaving a call out of the page.
func TestUsageItCannotRead(t *testing.T) {
	for _, c := range []struct{ usage, want string }{
		{"Usage:\n  corescope run [flags]\n", `does not say what "corescope run [flags]" does`},
		{"Usage:\n  corescope    open the window\nrun things\n", `"run things" is neither a call nor its description`},
		{"corescope does things\n", "no Usage: block"},
	} {
		p := &program{}
		if err := p.readForms(strings.Split(c.usage, "\n")); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("readForms(%q) = %v; want an error saying %s", c.usage, err, c.want)
		}
	}
}
