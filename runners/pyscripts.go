package runners

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"

	"corescope/assets"
	"corescope/atomicfile"
	"corescope/spec"
)

// pythonScripts names the script of each Python model in assets/python.
var pythonScripts = map[spec.Model]string{
	spec.Sequential: "sequential.py",
	spec.Threads:    "threads.py",
	spec.Async:      "async_tasks.py",
	spec.Processes:  "processes.py",
}

// PythonScript is the code the Python backend runs for model m and its file
// name, for a person to read (the window's "Show code"); ok is false for a
// model Python has no script for.
func PythonScript(m spec.Model) (name string, code []byte, ok bool) {
	name, ok = pythonScripts[m]
	if !ok {
		return "", nil, false
	}
	code, err := assets.Python.ReadFile("python/" + name)
	return name, code, err == nil
}

// pythonDir returns the folder the Python scripts run from: one of the
// user's cache named after the scripts' content, so that every corescope
// version runs its own. Python runs them by path (a spawned worker imports
// its script again), so they must be real files, and so the folder must be
// one no other user can change, before or during the run: a folder another
// user owns or may write in is refused (see private), not trusted. It is
// then made to hold the embedded scripts, each checked against its
// embedded copy, and nothing else, since Python imports from a script's
// folder before its standard library.
func pythonDir() (string, error) {
	dir := filepath.Join(cacheDir(), "python-"+scriptsHash())
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("cannot write the Python scripts: %w", err)
	}
	dir, err := filepath.EvalSymlinks(dir) // Python is given the path without links
	if err != nil {
		return "", fmt.Errorf("cannot write the Python scripts: %w", err)
	}
	if err := private(dir); err != nil {
		return "", fmt.Errorf("cannot run the Python scripts from %s: %w, who could change them (set XDG_CACHE_HOME to a folder of your own)", dir, err)
	}
	if err := putScripts(dir); err != nil {
		return "", fmt.Errorf("cannot write the Python scripts: %w", err)
	}
	return dir, nil
}

// scriptsHash names the embedded scripts' content.
func scriptsHash() string {
	files, _ := fs.Glob(assets.Python, "python/*.py")
	h := sha256.New()
	for _, f := range files {
		b, _ := assets.Python.ReadFile(f)
		fmt.Fprintf(h, "%s %d\n", f, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// cacheDir is corescope's folder in the user's cache. Without HOME and
// XDG_CACHE_HOME (cron, env -i, some services) it is in the home the user
// database names, or else a folder of the user's own in the temporary
// directory: never one all users share, whose first maker would own every
// user's scripts.
func cacheDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "corescope")
	}
	if u, err := user.Current(); err == nil {
		if fi, err := os.Stat(u.HomeDir); err == nil && fi.IsDir() {
			return filepath.Join(u.HomeDir, ".cache", "corescope")
		}
	}
	return filepath.Join(os.TempDir(), "corescope-"+strconv.Itoa(os.Geteuid()))
}

// putScripts leaves in dir, a folder no one else may change, the embedded
// scripts and nothing else Python could import. A script that is the
// embedded one, and that only the user (or root) may change, is kept;
// anything else is removed, and the missing scripts written. Hidden names
// cannot be imported: they are left alone, being another corescope's
// scripts on their way in (atomicfile's temporary files).
func putScripts(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	kept := map[string]bool{}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if code, err := assets.Python.ReadFile("python/" + e.Name()); err == nil && intact(path, code) {
			kept[e.Name()] = true
			continue
		}
		if err := os.RemoveAll(path); err != nil {
			return err
		}
	}
	files, _ := assets.Python.ReadDir("python")
	for _, f := range files {
		if kept[f.Name()] {
			continue
		}
		code, _ := assets.Python.ReadFile("python/" + f.Name())
		err := atomicfile.WritePerm(filepath.Join(dir, f.Name()), 0o644, func(w io.Writer) error { _, err := w.Write(code); return err })
		if err != nil {
			return err
		}
	}
	return nil
}

// intact reports whether path is a regular file holding code that only
// the user or root may change.
func intact(path string, code []byte) bool {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() || !ownFile(fi) || fi.Mode().Perm()&0o022 != 0 {
		return false
	}
	b, err := os.ReadFile(path)
	return err == nil && bytes.Equal(b, code)
}

// pythonArgv is the command that runs spec (after Resolve) on its
// interpreter against the site at siteURL.
func pythonArgv(s spec.Spec, dir, siteURL string) []string {
	iters := 0
	switch s.Workload {
	case spec.CPU:
		iters = pythonItersFor(s.Size)
	case spec.Mixed:
		iters = pythonItersFor(s.Size / 2)
	}
	// -B: no __pycache__ beside the scripts. Made with the umask, it could
	// be open to others, who could put compiled code there that a spawned
	// worker would load instead of the scripts.
	argv := []string{s.Python, "-B", filepath.Join(dir, pythonScripts[s.Model]),
		"--workload", string(s.Workload),
		"--tasks", strconv.Itoa(s.Tasks),
		"--workers", strconv.Itoa(s.Workers),
		"--iters", strconv.Itoa(iters),
	}
	switch s.Model {
	case spec.Threads:
		argv = append(argv, "--switch-interval", strconv.FormatFloat(s.SwitchInterval.D().Seconds(), 'g', -1, 64))
	case spec.Processes:
		argv = append(argv, "--start-method", s.StartMethod)
	}
	if siteURL != "" {
		argv = append(argv, "--url", siteURL)
	}
	return argv
}
