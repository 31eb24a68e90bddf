package runners

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// Interpreter is a Python interpreter as it described itself.
type Interpreter struct {
	Path           string `json:"-"`
	Version        string `json:"version"`        // "3.11.2"
	Implementation string `json:"implementation"` // "cpython", "pypy"
	// GIL is false on a free-threaded build (3.13t and later) running
	// without its global interpreter lock.
	GIL bool `json:"gil"`
	// Executable is the interpreter's own path (sys.executable): another
	// file than Path when Path is a shim or wrapper that starts it.
	Executable string `json:"executable"`
}

// Label names the interpreter for people: "CPython 3.11.2", or
// "CPython 3.13.1, no GIL" for a free-threaded one.
func (in Interpreter) Label() string {
	name := in.Implementation
	switch name {
	case "cpython":
		name = "CPython"
	case "pypy":
		name = "PyPy"
	}
	l := name + " " + in.Version
	if !in.GIL {
		l += ", no GIL"
	}
	return l
}

// pythonQuery asks an interpreter what it is. sys._is_gil_enabled exists
// from 3.13 on; older interpreters always have their GIL. sys.executable
// names the interpreter itself, where a shim ran it.
const pythonQuery = `import json, platform, sys
gil = getattr(sys, "_is_gil_enabled", lambda: True)()
print(json.dumps({"version": platform.python_version(), "implementation": sys.implementation.name,
                  "gil": bool(gil), "ok": sys.version_info >= (3, 8), "executable": sys.executable or ""}))`

// pythonPlaces are where a Python is looked for when PATH has none: a
// desktop launch may start corescope with a bare PATH.
var pythonPlaces = []string{"/usr/bin/python3", "/usr/local/bin/python3", "/opt/homebrew/bin/python3"}

// defaultPython finds python3 as LookPath does (PATH, then for a desktop
// launch the login shell's PATH), then in the usual system places, without
// running it; with wait false,
// known is false while the answer waits for the login shell (see lookPath).
func defaultPython(wait bool) (path string, known bool, err error) {
	path, known, err = lookPath("python3", wait)
	if err == nil || !known {
		return path, known, err
	}
	for _, p := range pythonPlaces {
		if _, err := exec.LookPath(p); err == nil {
			return p, true, nil
		}
	}
	return "", true, fmt.Errorf("no python3: %v, nor at %s; install Python 3 or give its path",
		err, strings.Join(pythonPlaces, ", "))
}

// pythonKey identifies one interpreter file: a new install at the same
// path has another modification time or size.
type pythonKey struct {
	path  string
	mtime time.Time
	size  int64
}

// pythons caches what each interpreter said, for the life of the process:
// asking costs a process start (tens of ms, more through a pyenv shim), and
// the window asks on every keystroke of a form. Shared because the
// interpreters on the machine are.
var pythons = struct {
	sync.Mutex
	m map[pythonKey]pythonAnswer
}{m: map[pythonKey]pythonAnswer{}}

type pythonAnswer struct {
	in  Interpreter
	err error
}

// FindPython finds the interpreter path names (a path, or a name looked up
// in PATH; empty means defaultPython) and asks it what it is, once per
// process for each file. The error says why it cannot be used, in words
// for the --python flag.
func FindPython(ctx context.Context, path string) (Interpreter, error) {
	key, _, err := pythonFile(path, true)
	if err != nil {
		return Interpreter{}, err
	}
	if in, err, known := cachedPython(key); known {
		return in, err
	}
	// Asked without the lock held, so KnownPython never waits for an
	// interpreter that is slow to answer.
	in, err := askPython(ctx, key.path)
	if ctx.Err() == nil { // a cancelled question says nothing of the interpreter
		pythons.Lock()
		pythons.m[key] = pythonAnswer{in, err}
		pythons.Unlock()
	}
	return in, err
}

// KnownPython is what FindPython would answer for path without running
// anything or waiting: known is false when the interpreter must still be
// asked, or found through the login shell's PATH (see LookPath), which a
// window does off its UI goroutine (a program that is not Python may take
// until askTimeout to answer).
func KnownPython(path string) (in Interpreter, err error, known bool) {
	key, known, err := pythonFile(path, false)
	if !known {
		return Interpreter{}, nil, false
	}
	if err != nil {
		return Interpreter{}, err, true
	}
	return cachedPython(key)
}

// cachedPython is what the interpreter file key answered, if it was asked.
func cachedPython(key pythonKey) (Interpreter, error, bool) {
	pythons.Lock()
	defer pythons.Unlock()
	a, ok := pythons.m[key]
	return a.in, a.err, ok
}

// pythonFile finds the interpreter file that path names (empty means
// defaultPython), without running it. With wait false, known is false
// while finding it waits for the login shell's PATH.
func pythonFile(path string, wait bool) (key pythonKey, known bool, err error) {
	if path == "" {
		if path, known, err = defaultPython(wait); !known || err != nil {
			return pythonKey{}, known, err
		}
	}
	found, known, err := lookPath(path, wait)
	if !known {
		return pythonKey{}, false, nil
	}
	var nf *NotFoundError
	if err != nil && !errors.As(err, &nf) {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		err = fmt.Errorf("%s cannot be run: %v", path, err)
	}
	if err != nil {
		return pythonKey{}, true, err
	}
	st, err := os.Stat(found)
	if err != nil {
		return pythonKey{}, true, fmt.Errorf("%s cannot be run: %v", path, err)
	}
	return pythonKey{found, st.ModTime(), st.Size()}, true, nil
}

// askTimeout bounds how long an interpreter may take to say what it is,
// and askLimit how much it may print: a program that is not Python may do
// anything with "-c".
const (
	askTimeout = 5 * time.Second
	askLimit   = 64 << 10
)

// askPython runs the query on the interpreter at path.
func askPython(ctx context.Context, path string) (Interpreter, error) {
	ctx, cancel := context.WithTimeout(ctx, askTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "-c", pythonQuery)
	cmd.Env = append(os.Environ(), loginPATHEnv(path)...) // a pyenv shim runs "env bash"
	stdout, stderr := &cappedBuffer{max: askLimit}, &cappedBuffer{max: askLimit}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	out := stdout.b.Bytes()
	if err != nil {
		why := strings.TrimSpace(stderr.String())
		if i := strings.LastIndexByte(why, '\n'); i >= 0 {
			why = why[i+1:]
		}
		if why == "" {
			why = err.Error()
		}
		return Interpreter{}, fmt.Errorf("%s does not work as Python: %s", path, why)
	}
	var a struct {
		Interpreter
		OK bool `json:"ok"`
	}
	if err := json.Unmarshal(out, &a); err != nil || a.Version == "" {
		return Interpreter{}, fmt.Errorf("%s is not a Python interpreter: it answered %q", path, firstLine(string(out)))
	}
	if !a.OK {
		return Interpreter{}, fmt.Errorf("%s is Python %s; the models need 3.8 or later", path, a.Version)
	}
	a.Path = path
	return a.Interpreter, nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// cappedBuffer keeps what is written up to max bytes and refuses the rest,
// which ends the copy from the child, so a chatty program cannot fill memory.
type cappedBuffer struct {
	b   bytes.Buffer
	max int
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if c.b.Len()+len(p) > c.max {
		return 0, errors.New("more output than an interpreter's answer")
	}
	return c.b.Write(p)
}

func (c *cappedBuffer) String() string { return c.b.String() }
