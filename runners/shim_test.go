//go:build linux

package runners

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestShimResolved checks that an interpreter given through a wrapper (a
// shell script that execs the real one, as a pyenv shim does in the end)
// runs as the interpreter it starts, with the wrapper kept in the spec,
// and that a symlink to the interpreter (a virtual environment's python)
// runs as given.
func TestShimResolved(t *testing.T) {
	real := testPython(t)
	py, err := FindPython(context.Background(), real)
	if err != nil {
		t.Fatal(err)
	}
	if py.Resolved() != "" {
		t.Fatalf("the interpreter itself resolves to %q; want itself", py.Resolved())
	}
	dir := t.TempDir()
	wrapper := filepath.Join(dir, "python3")
	if err := os.WriteFile(wrapper, []byte("#!/bin/sh\nexec "+real+" \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "venv-python")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		given, python, shim string
	}{
		{wrapper, py.Executable, wrapper},
		{link, link, ""},
	}
	for _, tt := range tests {
		specs, err := Input{Backend: "python", Pythons: []string{tt.given}, Models: "sequential"}.Specs()
		if err != nil {
			t.Fatalf("%s: %v", tt.given, err)
		}
		if s := specs[0]; s.Python != tt.python || s.PythonShim != tt.shim {
			t.Errorf("given %s: runs %q, shim %q; want %q, %q", tt.given, s.Python, s.PythonShim, tt.python, tt.shim)
		}
	}
}

// TestResolvedNeedsAFile checks that an executable the interpreter names
// but that is not there (an embedded Python's) resolves to nothing.
func TestResolvedNeedsAFile(t *testing.T) {
	for _, exe := range []string{"", "python3", filepath.Join(t.TempDir(), "gone"), t.TempDir()} {
		if got := (Interpreter{Path: "/usr/bin/python3", Executable: exe}).Resolved(); got != "" {
			t.Errorf("executable %q resolves to %q; want nothing", exe, got)
		}
	}
}
