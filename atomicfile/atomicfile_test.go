package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name    string
		path    func(dir string) string
		fill    func(w io.Writer) error
		wantErr error // nil: success; else errors.Is target, or errAny
	}{
		{"writes", func(d string) string { return filepath.Join(d, "out.csv") },
			func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }, nil},
		{"fill fails", func(d string) string { return filepath.Join(d, "out.csv") },
			func(w io.Writer) error { io.WriteString(w, "partial"); return boom }, boom},
		{"directory missing", func(d string) string { return filepath.Join(d, "missing", "out.csv") },
			func(w io.Writer) error { return nil }, os.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := tt.path(dir)
			err := Write(path, tt.fill)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Write(%s) error = %v; want none", path, err)
				}
				b, _ := os.ReadFile(path)
				if string(b) != "new" {
					t.Errorf("file content = %q; want %q", b, "new")
				}
			} else {
				if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), path) {
					t.Errorf("Write(%s) error = %v; want %v naming the path", path, err, tt.wantErr)
				}
				if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("after a failed write, stat(%s) = %v; want no file", path, err)
				}
			}
			if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
				t.Errorf("temporary files left in %s: %v", dir, left)
			}
		})
	}
}

func TestWriteKeepsOldFileOnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.csv")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Write(path, func(w io.Writer) error { io.WriteString(w, "half"); return errors.New("disk full") })
	if err == nil {
		t.Fatal("Write() error = nil; want the fill's error")
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("after a failed write the file holds %q; want the old %q", b, "old")
	}
}

// TestWriteThroughALinkKeepsTheLink replaces the file a symbolic link
// points to, not the link.
func TestWriteThroughALinkKeepsTheLink(t *testing.T) {
	dir := t.TempDir()
	real, link := filepath.Join(dir, "real.png"), filepath.Join(dir, "report.png")
	if err := os.WriteFile(real, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if err := Write(link, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatalf("Write(%s) = %v", link, err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("after Write, %s is %v (%v); want the link still", link, fi.Mode(), err)
	}
	if b, _ := os.ReadFile(real); string(b) != "new" {
		t.Errorf("the link's target holds %q; want %q", b, "new")
	}
}

func TestWriteToADirectoryIsRefused(t *testing.T) {
	dir := t.TempDir()
	err := Write(dir, func(w io.Writer) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "is a directory") || !strings.Contains(err.Error(), dir) {
		t.Errorf("Write(%s) = %v; want an error naming the directory", dir, err)
	}
}

// TestWriteKeepsTheModeOfTheFileItReplaces keeps a private file private:
// a profile holds command lines and output, which may hold secrets.
func TestWriteKeepsTheModeOfTheFileItReplaces(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.json")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o640); err != nil { // whatever the umask took
		t.Fatal(err)
	}
	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("the replaced file's mode = %v (%v); want its old 0640", fi.Mode().Perm(), err)
	}
}

// TestCheck refuses, before anything is written, what Write would refuse,
// and writes nothing itself.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "old.json")
	if err := os.WriteFile(existing, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		want       string // in the error; "" for none
	}{
		{"a new file", filepath.Join(dir, "new.json"), ""},
		{"an existing file", existing, ""},
		{"a directory", dir, "it is a directory"},
		{"a missing folder", filepath.Join(dir, "missing", "p.json"), "no such file or directory"},
		{"a name too long", filepath.Join(dir, strings.Repeat("n", 300)), "file name too long"},
		{"a path too long", filepath.Join(dir, strings.Repeat("n/", 3000)+"p.json"), "file name too long"},
		{"below a file", filepath.Join(existing, "p.json"), "not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.path)
			if tt.want == "" {
				if err != nil {
					t.Errorf("Check(%s) = %v; want none", tt.path, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "cannot write "+tt.path) {
				t.Errorf("Check(%.80s) = %.200v; want an error naming the path and saying %q", tt.path, err, tt.want)
			}
			if werr := Write(tt.path, func(w io.Writer) error { return nil }); werr == nil {
				t.Errorf("Check refused %.80s but Write wrote it", tt.path)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("Check left %d entries in %s; want only the existing file", len(entries), dir)
	}
	if b, _ := os.ReadFile(existing); string(b) != "old" {
		t.Errorf("Check changed the existing file to %q", b)
	}
}

// TestNamedTemp checks the hidden-name temporary file that systems without
// unnamed files (all but Linux, and some Linux file systems) write to.
func TestNamedTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.json")
	for _, commit := range []bool{false, true} {
		tmp, err := openNamed(path, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(filepath.Base(tmp.name), ".p.json.") {
			t.Errorf("temporary name %s; want a hidden name after the file's", tmp.name)
		}
		io.WriteString(tmp.f, "new")
		if !commit {
			tmp.discard()
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("after discard the folder holds %v; want nothing", entries)
			}
			continue
		}
		if err := tmp.commit(path); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(path); string(b) != "new" {
			t.Errorf("after commit the file holds %q; want %q", b, "new")
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("after commit the folder holds %v; want the file alone", entries)
		}
	}
}
