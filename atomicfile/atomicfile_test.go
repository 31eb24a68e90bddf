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
				if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
					t.Errorf("file mode = %v; want 0644", fi.Mode().Perm())
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
