//go:build unix

package atomicfile

import (
	"io"
	"os"
	"path/filepath"
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
	got := make(chan string, 1)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- string(b)
	}()
	if err := Write(fifo, func(w io.Writer) error { _, err := io.WriteString(w, "report"); return err }); err != nil {
		t.Fatalf("Write(%s) = %v", fifo, err)
	}
	select {
	case s := <-got:
		if s != "report" {
			t.Errorf("the pipe's reader got %q; want %q", s, "report")
		}
	case <-time.After(10 * time.Second):
		t.Errorf("the pipe's reader got nothing in 10 s; want %q", "report")
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("after Write, %s is %v (%v); want the named pipe still", fifo, fi.Mode(), err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
