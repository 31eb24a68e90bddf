package runners

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"corescope/assets"
	"corescope/atomicfile"
)

// pythonScripts names the script of each Python model in assets/python.
var pythonScripts = map[Model]string{
	Sequential: "sequential.py",
	Threads:    "threads.py",
	Async:      "async_tasks.py",
	Processes:  "processes.py",
}

// PythonScript is the code the Python backend runs for model m and its file
// name, for a person to read (the window's "Show code"); ok is false for a
// model Python has no script for.
func PythonScript(m Model) (name string, code []byte, ok bool) {
	name, ok = pythonScripts[m]
	if !ok {
		return "", nil, false
	}
	code, err := assets.Python.ReadFile("python/" + name)
	return name, code, err == nil
}

// pythonDir writes the embedded scripts, once, to a folder of the user's
// cache named after their content, so that every corescope version runs its
// own scripts and a folder once written is never rewritten. It returns the
// folder.
func pythonDir() (string, error) {
	files, err := fs.Glob(assets.Python, "python/*.py")
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, f := range files {
		b, _ := assets.Python.ReadFile(f)
		fmt.Fprintf(h, "%s %d\n", f, len(b))
		h.Write(b)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	dir := filepath.Join(base, "corescope", "python-"+hex.EncodeToString(h.Sum(nil))[:12])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("cannot write the Python scripts: %w", err)
	}
	for _, f := range files {
		dst := filepath.Join(dir, filepath.Base(f))
		if _, err := os.Stat(dst); err == nil {
			continue // written whole by an earlier run
		}
		b, _ := assets.Python.ReadFile(f)
		if err := atomicfile.Write(dst, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
			return "", fmt.Errorf("cannot write the Python scripts: %w", err)
		}
	}
	return dir, nil
}

// pythonArgv is the command that runs spec (after Resolve) on its
// interpreter against the site at siteURL.
func pythonArgv(spec Spec, dir, siteURL string) []string {
	iters := 0
	switch spec.Workload {
	case CPU:
		iters = pythonItersFor(spec.Size)
	case Mixed:
		iters = pythonItersFor(spec.Size / 2)
	}
	argv := []string{spec.Python, filepath.Join(dir, pythonScripts[spec.Model]),
		"--workload", string(spec.Workload),
		"--tasks", strconv.Itoa(spec.Tasks),
		"--workers", strconv.Itoa(spec.Workers),
		"--iters", strconv.Itoa(iters),
	}
	switch spec.Model {
	case Threads:
		argv = append(argv, "--switch-interval", strconv.FormatFloat(spec.SwitchInterval.D().Seconds(), 'g', -1, 64))
	case Processes:
		argv = append(argv, "--start-method", spec.StartMethod)
	}
	if siteURL != "" {
		argv = append(argv, "--url", siteURL)
	}
	return argv
}
