//go:build unix

package atomicfile

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestWriteToAPipeWritesThrough writes to a named pipe, as to /dev/null or
// /dev/stdout: renaming a temporary file over it would leave a regular file
// in its place (for /dev/null, as root, breaking it for every program on the
// machine) and the reader would get nothing.
func TestWriteToAPipeWritesThrough(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "report.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	// The reader is there first: a pipe no program reads is refused.
	r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := Write(fifo, func(w io.Writer) error { _, err := io.WriteString(w, "report"); return err }); err != nil {
		t.Fatalf("Write(%s) = %v", fifo, err)
	}
	if b, err := io.ReadAll(r); string(b) != "report" {
		t.Errorf("the pipe's reader got %q (%v); want %q", b, err, "report")
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("after Write, %s is %v (%v); want the named pipe still", fifo, fi.Mode(), err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestWriteToAPipeWithoutReaderFails says at once that no program reads
// the pipe: opening it to write would otherwise wait for a reader forever,
// deaf to Ctrl-C, after the run it was to save.
func TestWriteToAPipeWithoutReaderFails(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "report.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		done <- Write(fifo, func(w io.Writer) error { _, err := io.WriteString(w, "report"); return err })
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "no program is reading") || !strings.Contains(err.Error(), fifo) {
			t.Errorf("Write(a pipe nobody reads) = %v; want an error naming it and saying no program is reading it", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Write(a pipe nobody reads) still waits after 10 s; want an error at once")
	}
	if err := Check(fifo); err != nil {
		t.Errorf("Check(a pipe) = %v; want none: a reader may come later, and opening the pipe would end its input", err)
	}
}

// TestWriteTakesTheUmask gives a new file 0666 less the umask, as any
// program's files: a user who keeps their files private (umask 077) keeps
// their profiles private too.
func TestWriteTakesTheUmask(t *testing.T) {
	for _, tt := range []struct{ umask, want os.FileMode }{{0o077, 0o600}, {0o022, 0o644}, {0o027, 0o640}} {
		path := filepath.Join(t.TempDir(), "p.json")
		old := syscall.Umask(int(tt.umask))
		err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err })
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != tt.want {
			t.Errorf("umask %03o: a new file's mode = %v (%v); want %v", tt.umask, fi.Mode().Perm(), err, tt.want)
		}
	}
}

// TestWriteRefusesALinkOthersPlanted applies the kernel's rule on links in
// shared folders (fs.protected_symlinks): in a sticky folder anyone may
// write, such as /tmp, a link is followed only if the follower or the
// folder's owner made it. Another user's link there would redirect the
// output onto any file the follower may write.
func TestWriteRefusesALinkOthersPlanted(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("giving a link to another user (nobody) needs root")
	}
	base := t.TempDir()
	shared := filepath.Join(base, "tmp")
	if err := os.Mkdir(shared, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(shared, os.ModeSticky|0o777); err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(base, "victim")
	if err := os.WriteFile(victim, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	planted := filepath.Join(shared, "out.json")
	if err := os.Symlink(victim, planted); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(planted, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	write := func(path string) error {
		return Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err })
	}
	if err := write(planted); err == nil || !strings.Contains(err.Error(), planted) {
		t.Errorf("Write(another user's link in a sticky folder) = %v; want it refused, naming the link", err)
	}
	if err := Check(planted); err == nil {
		t.Error("Check(another user's link in a sticky folder) = nil; want it refused")
	}
	if b, _ := os.ReadFile(victim); string(b) != "precious" {
		t.Errorf("the link's target holds %q; want it untouched", b)
	}
	// The folder's owner's own link is followed, as the kernel would.
	mine := filepath.Join(shared, "mine.json")
	if err := os.Symlink(victim, mine); err != nil {
		t.Fatal(err)
	}
	if err := write(mine); err != nil {
		t.Errorf("Write(my own link in a sticky folder) = %v; want it followed", err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "new" {
		t.Errorf("my link's target holds %q; want %q", b, "new")
	}
}
