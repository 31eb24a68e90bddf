package runners

import (
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
// from 3.13 on; older interpreters always have their GIL.
const pythonQuery = `import json, platform, sys
gil = getattr(sys, "_is_gil_enabled", lambda: True)()
print(json.dumps({"version": platform.python_version(), "implementation": sys.implementation.name,
                  "gil": bool(gil), "ok": sys.version_info >= (3, 8)}))`

// pythonPlaces are where a Python is looked for when PATH has none: a
// desktop launch may start corescope with a bare PATH.
var pythonPlaces = []string{"/usr/bin/python3", "/usr/local/bin/python3", "/opt/homebrew/bin/python3"}

// DefaultPython finds python3 in PATH, then in the usual system places;
// empty when there is none. It runs nothing.
func DefaultPython() string {
	if p, err := exec.LookPath("python3"); err == nil {
		return p
	}
	for _, p := range pythonPlaces {
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	return ""
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
// in PATH; empty means DefaultPython) and asks it what it is, once per
// process for each file. The error says why it cannot be used, in words
// for the --python flag.
func FindPython(ctx context.Context, path string) (Interpreter, error) {
	if path == "" {
		if path = DefaultPython(); path == "" {
			return Interpreter{}, errors.New("no python3 in PATH, /usr/bin or /usr/local/bin; install Python 3 or give its path")
		}
	}
	found, err := exec.LookPath(path)
	if err != nil {
		if errors.Is(err, exec.ErrNotFound) && !strings.Contains(path, "/") {
			return Interpreter{}, fmt.Errorf("%s is not in PATH", path)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return Interpreter{}, fmt.Errorf("%s cannot be run: %v", path, err)
	}
	st, err := os.Stat(found)
	if err != nil {
		return Interpreter{}, fmt.Errorf("%s cannot be run: %v", path, err)
	}
	key := pythonKey{found, st.ModTime(), st.Size()}
	pythons.Lock()
	defer pythons.Unlock()
	if a, ok := pythons.m[key]; ok {
		return a.in, a.err
	}
	in, err := askPython(ctx, found)
	if ctx.Err() == nil { // a cancelled question says nothing of the interpreter
		pythons.m[key] = pythonAnswer{in, err}
	}
	return in, err
}

// askPython runs the query on the interpreter at path.
func askPython(ctx context.Context, path string) (Interpreter, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "-c", pythonQuery)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
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
