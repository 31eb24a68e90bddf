package runners

import (
	"os"
	"path/filepath"
)

// Resolved is the interpreter a shim or wrapper at Path starts, the file
// corescope runs in its place, once: "" when Path is the interpreter
// itself (a symlink to it included, such as a virtual environment's
// python, whose own path must stay what runs it). A pyenv shim starts
// bash and pyenv, some 30 processes and 0.4 s here, before every run, and
// each worker of a pool started by spawn would pay it again.
func (in Interpreter) Resolved() string {
	if in.Executable == "" || in.Executable == in.Path || !filepath.IsAbs(in.Executable) {
		return ""
	}
	exe, err := os.Stat(in.Executable)
	if err != nil || exe.IsDir() {
		return "" // sys.executable may name nothing (an embedded Python): run what was given
	}
	if given, err := os.Stat(in.Path); err == nil && os.SameFile(given, exe) {
		return ""
	}
	return in.Executable
}
