package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"
)

// fileLine is where a test's log line was written: "name_test.go:36: ".
var fileLine = regexp.MustCompile(`^\S+\.go:\d+:\s*`)

func main() {
	os.Exit(summarize(os.Stdin, os.Stdout))
}

// event is one line of go test -json (cmd/test2json's TestEvent).
type event struct {
	Action     string
	Package    string
	ImportPath string // of build-output and build-fail
	Test       string
	Elapsed    float64
	Output     string
}

// pkg is what one package's tests did so far.
type pkg struct {
	name                  string
	passed, failed, skips int
	skipped               []string // "TestX: why"
	failures              []string // each failed test's output, in order
	output                map[string]*strings.Builder
	partial               map[string]string // output of a test up to its next newline
	shown                 []string          // goal and benchmark lines
	parents               map[string]bool   // tests that ran subtests
	done                  bool
}

func newPkg(name string) *pkg {
	return &pkg{name: name, output: map[string]*strings.Builder{}, partial: map[string]string{}, parents: map[string]bool{}}
}

// summarize reads go test -json from in and writes a line a package as it
// ends, with what failed, why tests were skipped, and the goal and
// benchmark lines its tests printed. It returns the exit code: 1 when a
// test or build failed, or a package never said how it ended.
func summarize(in io.Reader, out io.Writer) int {
	start := time.Now()
	pkgs := map[string]*pkg{}
	var order []string
	get := func(name string) *pkg {
		p, ok := pkgs[name]
		if !ok {
			p = newPkg(name)
			pkgs[name] = p
			order = append(order, name)
		}
		return p
	}
	builds := map[string]*strings.Builder{} // build output by import path
	exit, unbuilt := 0, 0
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var ev event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil || ev.Action == "" {
			fmt.Fprintln(out, sc.Text()) // go vet's or the go command's own words
			continue
		}
		switch ev.Action {
		case "build-output":
			if builds[ev.ImportPath] == nil {
				builds[ev.ImportPath] = &strings.Builder{}
			}
			builds[ev.ImportPath].WriteString(ev.Output)
			continue
		case "build-fail":
			fmt.Fprintf(out, "BUILD FAIL %s\n%s", ev.ImportPath, indent(builds[ev.ImportPath].String()))
			exit = 1
			unbuilt++
			continue
		}
		p := get(ev.Package)
		switch ev.Action {
		case "run":
			if i := strings.LastIndexByte(ev.Test, '/'); i > 0 {
				p.parents[ev.Test[:i]] = true
			}
		case "output":
			p.addOutput(ev.Test, ev.Output)
		case "pass", "fail", "skip":
			if ev.Test == "" {
				p.done = true
				if ev.Action == "fail" {
					exit = 1
				}
				p.print(out, ev.Action, ev.Elapsed)
				continue
			}
			p.end(ev.Test, ev.Action)
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(out, "reading go test -json: %v\n", err)
		exit = 1
	}
	var unfinished []string
	passed, failed, skipped := 0, 0, 0
	for _, name := range order {
		p := pkgs[name]
		passed, failed, skipped = passed+p.passed, failed+p.failed, skipped+p.skips
		if !p.done {
			unfinished = append(unfinished, name)
		}
	}
	if len(unfinished) > 0 {
		fmt.Fprintf(out, "no result from %s: the test binary crashed or was killed\n", strings.Join(unfinished, ", "))
		exit = 1
	}
	notBuilt := ""
	if unbuilt > 0 {
		notBuilt = fmt.Sprintf(", %d did not build", unbuilt)
	}
	fmt.Fprintf(out, "%d packages, %d tests passed, %d skipped, %d failed%s, in %s\n",
		len(order), passed, skipped, failed, notBuilt, time.Since(start).Round(time.Second))
	return exit
}

// addOutput keeps a test's output whole lines at a time: a benchmark's
// name and its figures come in separate events.
func (p *pkg) addOutput(test, text string) {
	text = p.partial[test] + text
	complete := strings.LastIndexByte(text, '\n') + 1
	p.partial[test] = text[complete:]
	for _, line := range strings.SplitAfter(text[:complete], "\n") {
		if line == "" {
			continue
		}
		if shown(line) {
			p.shown = append(p.shown, strings.TrimRight(line, "\n"))
		}
		if p.output[test] == nil {
			p.output[test] = &strings.Builder{}
		}
		p.output[test].WriteString(line)
	}
}

// shown says whether a line is a figure make bench prints: a goal line of
// internal/goal or a benchmark's result.
func shown(line string) bool {
	if strings.HasPrefix(line, "goal ") || strings.HasPrefix(line, "figure ") {
		return true
	}
	return strings.HasPrefix(line, "Benchmark") && strings.Contains(line, "\t")
}

// end counts a test that ended. Only tests without subtests are counted;
// a parent's output holds only its own lines, kept when it says more than
// that it ran and failed.
func (p *pkg) end(test, action string) {
	text := ""
	if b := p.output[test]; b != nil {
		text = b.String()
	}
	delete(p.output, test)
	if p.parents[test] {
		if action == "fail" && ownWords(text) != "" {
			p.failures = append(p.failures, text)
		}
		return
	}
	switch action {
	case "pass":
		p.passed++
	case "skip":
		p.skips++
		p.skipped = append(p.skipped, test+": "+skipReason(text))
	case "fail":
		p.failed++
		p.failures = append(p.failures, text)
	}
}

// ownWords is what a test logged, without the lines that say it ran,
// paused, went on and ended.
func ownWords(text string) string {
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "=== ") && !strings.HasPrefix(t, "--- ") {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// skipReason is the last line a skipped test logged, without its file and
// line.
func skipReason(text string) string {
	lines := strings.Split(strings.TrimSpace(ownWords(text)), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if reason := fileLine.ReplaceAllString(last, ""); reason != "" {
		return reason
	}
	return "no reason given"
}

// print writes the package's line and what follows it.
func (p *pkg) print(out io.Writer, action string, elapsed float64) {
	status := map[string]string{"pass": "ok", "fail": "FAIL", "skip": "-"}[action]
	counts := fmt.Sprintf("%d passed", p.passed)
	if p.passed+p.failed+p.skips == 0 {
		counts = "no tests"
	}
	if p.skips > 0 {
		counts += fmt.Sprintf(", %d skipped", p.skips)
	}
	if p.failed > 0 {
		counts += fmt.Sprintf(", %d failed", p.failed)
	}
	fmt.Fprintf(out, "%-4s %-36s %7.1fs  %s\n", status, p.name, elapsed, counts)
	for _, s := range p.skipped {
		fmt.Fprintf(out, "     skip %s\n", s)
	}
	for _, line := range p.shown {
		fmt.Fprintf(out, "     %s\n", line)
	}
	for _, f := range p.failures {
		fmt.Fprint(out, indent(f))
	}
	if action == "fail" && p.failed == 0 {
		// The binary failed outside any test: a panic in TestMain, a
		// timeout, a build error; its own output says which.
		fmt.Fprint(out, indent(p.leftover()))
	}
}

// leftover is the output of tests that never ended and the package's own,
// for a binary that died.
func (p *pkg) leftover() string {
	var b strings.Builder
	tests := make([]string, 0, len(p.output))
	for name := range p.output {
		tests = append(tests, name)
	}
	slices.Sort(tests)
	for _, name := range tests {
		b.WriteString(p.output[name].String())
	}
	for _, rest := range p.partial {
		b.WriteString(rest)
	}
	return b.String()
}

// indent sets text off under its package's line.
func indent(text string) string {
	if text == "" {
		return ""
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(strings.TrimRight(text, "\n"), "\n") {
		b.WriteString("     " + line)
	}
	return b.String() + "\n"
}
