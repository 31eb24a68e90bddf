//go:build unix

package runners

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"corescope/spec"
)

// desktopSession sets up what a desktop launch looks like to LookPath: no
// TERM, a PATH (an empty folder) that holds nothing, and a fake login shell
// whose start-up files chat, then put bin (holding tool) in PATH. The shell
// records each time it is asked in the returned file. Its start-up files
// run wait (a shell command) before they answer.
func desktopSession(t *testing.T, wait string) (bin, tool, calls string) {
	t.Helper()
	dir := t.TempDir()
	bin, calls = filepath.Join(dir, "bin"), filepath.Join(dir, "calls")
	empty := filepath.Join(dir, "empty")
	for _, d := range []string{bin, empty} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	tool = filepath.Join(bin, "corescope-test-tool")
	writeScript(t, tool, "#!/bin/sh\nexit 0\n")
	shell := filepath.Join(dir, "loginsh")
	writeScript(t, shell, `#!/bin/sh
echo asked >>`+calls+`
[ "$1 $2 $3" = "-l -i -c" ] || { echo "called as $*" >&2; exit 9; }
echo "Welcome back!"
`+wait+`
PATH=`+bin+`:/usr/bin:/bin; export PATH
eval "$4"
`)
	t.Setenv("TERM", "")
	t.Setenv("SHELL", shell)
	t.Setenv("PATH", empty)
	freshLoginPATH(t)
	return bin, tool, calls
}

// freshLoginPATH forgets the login shell's answer, now and after the test.
func freshLoginPATH(t *testing.T) {
	loginPATH = &loginPATHCache{}
	t.Cleanup(func() { loginPATH = &loginPATHCache{} })
}

func writeScript(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o755); err != nil {
		t.Fatal(err)
	}
}

func timesAsked(t *testing.T, calls string) int {
	b, err := os.ReadFile(calls)
	if errors.Is(err, os.ErrNotExist) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "asked")
}

func TestLookPathFromDesktopAsksLoginShellOnce(t *testing.T) {
	bin, tool, calls := desktopSession(t, "true")
	got, err := LookPath("corescope-test-tool")
	if err != nil || got != tool {
		t.Fatalf("LookPath(corescope-test-tool) = %q, %v; want %q from the login shell's PATH", got, err, tool)
	}
	_, err = LookPath("corescope-no-such-tool")
	var nf *NotFoundError
	if !errors.As(err, &nf) || !errors.Is(err, exec.ErrNotFound) {
		t.Fatalf("LookPath(corescope-no-such-tool) = %v; want a *NotFoundError", err)
	}
	// The window shows this text: it must name where corescope looked.
	msg := err.Error()
	for _, want := range []string{`"corescope-no-such-tool" not found in PATH (` + os.Getenv("PATH") + ")", bin, "login shell"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error %q does not say %q", msg, want)
		}
	}
	if n := timesAsked(t, calls); n != 1 {
		t.Errorf("the login shell was asked %d times; want once", n)
	}
	// A command found there runs with that PATH, as from a terminal.
	s, err := Prepare(spec.Spec{Backend: spec.BackendCommand, Command: []string{"corescope-test-tool"}, Interval: spec.Duration(spec.DefaultInterval)}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Env) != 1 || !slices.Contains(filepath.SplitList(strings.TrimPrefix(s.Env[0], "PATH=")), bin) {
		t.Errorf("the subject's environment = %q; want a PATH with %s", s.Env, bin)
	}
}

func TestLookPathFromTerminalTrustsPATH(t *testing.T) {
	_, _, calls := desktopSession(t, "true")
	t.Setenv("TERM", "xterm-256color")
	_, err := LookPath("corescope-test-tool")
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Asked || strings.Contains(err.Error(), "login shell") {
		t.Errorf("LookPath from a terminal = %v; want not found in PATH, without asking the login shell", err)
	}
	if n := timesAsked(t, calls); n != 0 {
		t.Errorf("the login shell was asked %d times; want never from a terminal", n)
	}
	// Paths are not looked up at all.
	if _, err := LookPath("/bin/sh"); err != nil {
		t.Errorf("LookPath(/bin/sh) = %v", err)
	}
}

// TestKnownPythonDoesNotWaitForLoginShell: the window asks KnownPython on
// its UI goroutine, so a slow login shell makes the answer unknown (for
// now) rather than freezing the window. The shell here answers only once
// KnownPython has returned: one that waited for it would wait out the
// shell's timeout and say the answer is known (the timeout's error).
func TestKnownPythonDoesNotWaitForLoginShell(t *testing.T) {
	release := filepath.Join(t.TempDir(), "release")
	bin, _, calls := desktopSession(t, "i=0; while [ $i -lt 3000 ] && [ ! -e "+release+" ]; do /bin/sleep 0.01; i=$((i+1)); done")
	writeScript(t, filepath.Join(bin, "python3"), "#!/bin/sh\nexit 1\n")
	start := time.Now()
	_, _, known := KnownPython("")
	if waited := time.Since(start); known || waited > 10*time.Second {
		t.Errorf("KnownPython with the login shell still starting: known %v after %v; want unknown at once", known, waited)
	}
	os.WriteFile(release, nil, 0o644)
	if got, _, _ := defaultPython(true); got != filepath.Join(bin, "python3") {
		t.Errorf("defaultPython() = %q; want the login shell's %s", got, filepath.Join(bin, "python3"))
	}
	if n := timesAsked(t, calls); n != 1 {
		t.Errorf("the login shell was asked %d times; want once", n)
	}
}

// TestLookPathSaysWhenLoginShellFails: a shell that cannot answer leaves
// the PATH it would add unknown, and the error says so.
func TestLookPathSaysWhenLoginShellFails(t *testing.T) {
	dir := t.TempDir()
	shell := filepath.Join(dir, "brokensh")
	writeScript(t, shell, "#!/bin/sh\nexit 3\n")
	t.Setenv("TERM", "")
	t.Setenv("SHELL", shell)
	t.Setenv("PATH", dir)
	freshLoginPATH(t)
	_, err := LookPath("corescope-no-such-tool")
	if err == nil || !strings.Contains(err.Error(), "your login shell's PATH is unknown: "+shell) ||
		!strings.Contains(err.Error(), "exit status 3") {
		t.Errorf("LookPath with a failing login shell = %v; want an error saying its PATH is unknown and why", err)
	}
}

func TestAskLoginShellTimesOut(t *testing.T) {
	shell := filepath.Join(t.TempDir(), "slowsh")
	writeScript(t, shell, "#!/bin/sh\nexec sleep 30\n")
	start := time.Now()
	dirs, err := askLoginShell(shell, 200*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "did not answer within 200ms") {
		t.Errorf("askLoginShell(slow shell) = %q, %v; want an error saying it did not answer", dirs, err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("askLoginShell took %v with a 200ms timeout", took)
	}
}
