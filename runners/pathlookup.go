package runners

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// A desktop may start corescope with a PATH that is not the user's: a
// session started by a display manager often has only the system
// directories, without the ~/.local/bin, pyenv shims or /opt tools that the
// user's login shell adds. So a program that is not in PATH is also looked
// for in the login shell's PATH when corescope was not started from a
// terminal, and a miss names every directory searched.

// NotFoundError is a program that none of the directories searched holds.
type NotFoundError struct {
	Name string
	// PATH is the process's own search path, in order.
	PATH []string
	// Login is what the login shell's PATH adds to PATH. Asked says that
	// the shell answered; LoginErr, why it did not.
	Login    []string
	Asked    bool
	LoginErr error
}

func (e *NotFoundError) Error() string {
	msg := fmt.Sprintf("%q not found in PATH (%s)", e.Name, listDirs(e.PATH))
	switch {
	case e.LoginErr != nil:
		msg += fmt.Sprintf("; your login shell's PATH is unknown: %v", e.LoginErr)
	case e.Asked && len(e.Login) == 0:
		msg += "; your login shell's PATH adds no directory to it"
	case e.Asked:
		msg += fmt.Sprintf(" nor in what your login shell's PATH adds (%s)", listDirs(e.Login))
	}
	return msg
}

// Unwrap makes errors.Is(err, exec.ErrNotFound) hold.
func (e *NotFoundError) Unwrap() error { return exec.ErrNotFound }

func listDirs(dirs []string) string {
	if len(dirs) == 0 {
		return "empty"
	}
	return strings.Join(dirs, string(os.PathListSeparator))
}

// LookPath finds the program name as exec.LookPath does and, for a bare
// name that is not in PATH when corescope was started from a desktop, in
// the login shell's PATH too ($SHELL, else /bin/sh; asked once per process,
// for at most loginShellTimeout). A program found nowhere gives a
// *NotFoundError.
func LookPath(name string) (string, error) {
	path, _, err := lookPath(name, true)
	return path, err
}

// lookPath is LookPath; with wait false it does not wait for the login
// shell, and known is false when the answer depends on it and it has not
// answered yet (the question is then asked in the background).
func lookPath(name string, wait bool) (path string, known bool, err error) {
	path, err = exec.LookPath(name)
	if err == nil || !errors.Is(err, exec.ErrNotFound) || strings.ContainsRune(name, '/') ||
		strings.ContainsRune(name, filepath.Separator) {
		return path, true, err
	}
	nf := &NotFoundError{Name: name, PATH: filepath.SplitList(os.Getenv("PATH"))}
	if !startedFromDesktop() {
		return "", true, nf
	}
	if !wait && !loginPATH.ready.Load() {
		go loginPATH.get()
		return "", false, nf
	}
	dirs, err := loginPATH.get()
	nf.Asked, nf.LoginErr = err == nil, err
	for _, dir := range dirs {
		if slices.Contains(nf.PATH, dir) || slices.Contains(nf.Login, dir) {
			continue
		}
		nf.Login = append(nf.Login, dir)
		if p, err := exec.LookPath(filepath.Join(dir, name)); err == nil {
			return p, true, nil
		}
	}
	return "", true, nf
}

// loginPATHEnv is the extra environment the program at path runs with:
// when the login shell's PATH was asked and path's folder is not in
// corescope's PATH, corescope's PATH followed by the login shell's (the
// program's "#!/usr/bin/env ..." scripts may need it too); else nothing.
func loginPATHEnv(path string) []string {
	own := filepath.SplitList(os.Getenv("PATH"))
	if slices.Contains(own, filepath.Dir(path)) || !loginPATH.ready.Load() {
		return nil
	}
	login, err := loginPATH.get()
	if err != nil {
		return nil
	}
	for _, dir := range login {
		if !slices.Contains(own, dir) {
			own = append(own, dir)
		}
	}
	return []string{"PATH=" + strings.Join(own, string(os.PathListSeparator))}
}

// startedFromDesktop reports whether corescope's PATH may not be the
// user's: TERM is unset, as under a desktop, file manager or launcher
// (every terminal sets it, and a terminal's shell has set PATH already).
func startedFromDesktop() bool {
	return os.Getenv("TERM") == "" && loginShellSupported
}

// loginShellTimeout bounds the login shell's answer: its start-up files
// may do anything.
const loginShellTimeout = 2 * time.Second

// loginPATH caches the login shell's answer for the life of the process.
var loginPATH = &loginPATHCache{}

type loginPATHCache struct {
	mu    sync.Mutex
	ready atomic.Bool // dirs and err are set
	dirs  []string
	err   error
}

// get asks the login shell once; callers wait for the one question.
func (c *loginPATHCache) get() ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.ready.Load() {
		shell := os.Getenv("SHELL")
		if shell == "" {
			shell = "/bin/sh"
		}
		c.dirs, c.err = askLoginShell(shell, loginShellTimeout)
		c.ready.Store(true)
	}
	return c.dirs, c.err
}

// askLoginShell runs shell as an interactive login shell (where users set
// PATH: ~/.profile, ~/.bash_profile, ~/.bashrc, ~/.zshrc, ...) to print
// its PATH. Its own session keeps an interactive shell away from any
// terminal; exec leaves no logout scripts to print after the answer, which
// is the last line (start-up files may print before it).
func askLoginShell(shell string, timeout time.Duration) ([]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, shell, "-l", "-i", "-c", "exec printenv PATH")
	detachFromTerminal(cmd)
	cmd.WaitDelay = timeout / 4 // a background job of its start-up files may hold stdout
	out := &cappedBuffer{max: askLimit}
	cmd.Stdout = out
	err := cmd.Run()
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("%s did not answer within %v", shell, timeout)
	case err != nil:
		return nil, fmt.Errorf("%s -l -i -c 'printenv PATH': %v", shell, err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if last == "" {
		return nil, fmt.Errorf("%s printed no PATH", shell)
	}
	return filepath.SplitList(last), nil
}
