package runners

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"corescope/assets"
	"corescope/spec"
)

// nobody is the user another local user's files are given to here.
const nobody = 65534

// TestPythonScriptsFolderOthersControl makes the scripts' folder as
// another local user could before a run (owning it or its parent, or
// leaving it writable to all) with a payload in workload.py, and a module
// named after one the scripts import: the folder is refused, or its
// content put right, and the payload never runs. Under cron or env -i the
// folder was the shared /tmp/corescope, trusted as found.
func TestPythonScriptsFolderOthersControl(t *testing.T) {
	py := testPython(t)
	tests := []struct {
		name     string
		byNobody bool // needs root, to give files to another user
		prepare  func(t *testing.T, dir string, payload []byte)
		want     func(dir string) string // in the error; "" for the folder put right
	}{
		{"the folder is another user's", true, func(t *testing.T, dir string, payload []byte) {
			plant(t, dir, 0o755, payload)
			chownAll(t, dir)
		}, func(string) string { return "belongs to user 65534" }},
		{"its parent is another user's", true, func(t *testing.T, dir string, payload []byte) {
			plant(t, dir, 0o755, payload)
			chownAll(t, filepath.Dir(dir))
			if err := os.Chown(dir, os.Geteuid(), os.Getegid()); err != nil {
				t.Fatal(err)
			}
		}, func(dir string) string { return filepath.Dir(dir) + " belongs to user 65534" }},
		{"anyone may write in it", false, func(t *testing.T, dir string, payload []byte) {
			plant(t, dir, 0o777, payload)
		}, func(dir string) string { return dir + " can be written by others" }},
		{"its own, with strangers in it", false, func(t *testing.T, dir string, payload []byte) {
			plant(t, dir, 0o700, payload)
			if err := os.Chmod(filepath.Join(dir, "threads.py"), 0o666); err != nil {
				t.Fatal(err)
			}
			if os.Geteuid() == 0 {
				chownAll(t, filepath.Join(dir, "argparse.py"))
				chownAll(t, filepath.Join(dir, "__pycache__"))
			}
		}, func(string) string { return "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.byNobody && os.Geteuid() != 0 {
				t.Skip("giving the folder to another user (nobody) needs root")
			}
			t.Setenv("XDG_CACHE_HOME", t.TempDir())
			dir, err := pythonDir()
			if err != nil {
				t.Fatal(err)
			}
			if err := os.RemoveAll(filepath.Dir(dir)); err != nil {
				t.Fatal(err)
			}
			mark := filepath.Join(t.TempDir(), "payload ran")
			payload := []byte("open(" + quotePy(mark) + ", 'w').close()\n")
			tt.prepare(t, dir, payload)

			got, err := pythonDir()
			if err == nil {
				out, runErr := exec.Command(py, filepath.Join(got, "threads.py"), "--tasks", "1", "--iters", "10").CombinedOutput()
				if runErr != nil {
					t.Errorf("threads.py after pythonDir: %v\n%s", runErr, out)
				}
			}
			if _, statErr := os.Stat(mark); statErr == nil {
				t.Fatalf("the payload ran (pythonDir = %s, %v); want the folder refused or put right", got, err)
			}
			if want := tt.want(dir); want != "" {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("pythonDir() = %s, %v; want an error saying %q", got, err, want)
				}
				return
			}
			if err != nil {
				t.Fatalf("pythonDir() = %v; want the folder put right", err)
			}
			assertEmbeddedScriptsAlone(t, got)
		})
	}
}

// plant makes dir, mode perm, holding the embedded scripts with payload
// before workload.py's code, argparse.py (which workload.py imports, and
// Python finds first in the script's folder) running payload, and a
// __pycache__ anyone may write in.
func plant(t *testing.T, dir string, perm os.FileMode, payload []byte) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	files, _ := assets.Python.ReadDir("python")
	for _, f := range files {
		code, _ := assets.Python.ReadFile("python/" + f.Name())
		if f.Name() == "workload.py" {
			code = append(payload, code...)
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name()), code, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "argparse.py"), payload, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "__pycache__"), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "__pycache__"), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, perm); err != nil {
		t.Fatal(err)
	}
}

// chownAll gives path and what it holds to nobody.
func chownAll(t *testing.T, path string) {
	t.Helper()
	err := filepath.Walk(path, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, nobody, nobody)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// assertEmbeddedScriptsAlone fails unless dir holds the embedded scripts,
// as embedded, and nothing else.
func assertEmbeddedScriptsAlone(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := assets.Python.ReadDir("python")
	if len(entries) != len(files) {
		t.Errorf("%s holds %d entries; want the %d scripts alone: %v", dir, len(entries), len(files), entries)
	}
	for _, f := range files {
		want, _ := assets.Python.ReadFile("python/" + f.Name())
		got, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil || string(got) != string(want) {
			t.Errorf("%s is not the embedded script (%v)", f.Name(), err)
		}
		if fi, err := os.Stat(filepath.Join(dir, f.Name())); err != nil || fi.Mode().Perm()&0o022 != 0 {
			t.Errorf("%s: mode %v (%v); want no one else allowed to write it", f.Name(), fi.Mode().Perm(), err)
		}
	}
}

// quotePy is s as a Python string literal.
func quotePy(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
}

// TestPythonScriptsNotSharedWithoutHome: with neither HOME nor
// XDG_CACHE_HOME set (cron, env -i), the scripts do not go to a folder all
// users share, which the first to make it would own.
func TestPythonScriptsNotSharedWithoutHome(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	dir, err := pythonDir()
	if err != nil {
		t.Fatal(err)
	}
	if shared := filepath.Join(os.TempDir(), "corescope") + string(filepath.Separator); strings.HasPrefix(dir+string(filepath.Separator), shared) {
		t.Errorf("without HOME the scripts are in %s; want a folder of the user's own, not the shared %s", dir, shared)
	}
}

// TestPythonRunLeavesNoBytecode runs a processes model that spawns its
// workers, which import the scripts again: no __pycache__ may appear
// beside the scripts, where compiled code someone else put would be
// loaded in their place.
func TestPythonRunLeavesNoBytecode(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("PYTHONDONTWRITEBYTECODE", "") // empty: Python writes bytecode, as by default
	sp := pySpec(t, spec.Spec{Workload: spec.CPU, Model: spec.Processes, Tasks: 2, Workers: 2, Size: 0.01, StartMethod: "spawn"})
	s, err := Prepare(sp, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if out, err := exec.Command(s.Argv[0], s.Argv[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("%q: %v\n%s", s.Argv, err, out)
	}
	script := s.Argv[slices.IndexFunc(s.Argv, func(a string) bool { return strings.HasSuffix(a, "processes.py") })]
	dir := filepath.Dir(script)
	if _, err := os.Stat(filepath.Join(dir, "__pycache__")); err == nil {
		t.Errorf("a run left %s/__pycache__; want no compiled code beside the scripts", dir)
	}
}
