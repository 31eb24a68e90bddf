package probes

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProcReaderReadsWholeFiles reads a /proc file twice through the file
// kept open, and a fixture longer than a page and than the reader's buffer,
// as a children file of thousands of children would be.
func TestProcReaderReadsWholeFiles(t *testing.T) {
	owner := new(int)
	live := newProcReader("/proc", owner)
	if !live.keep {
		t.Fatal("newProcReader(/proc) keeps no file open; want it to on a real /proc")
	}
	want, err := os.ReadFile("/proc/filesystems")
	if err != nil {
		t.Fatal(err)
	}
	f := newProcFile("/proc/filesystems")
	for i := range 2 {
		got, err := live.read(&f)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("read %d of /proc/filesystems = %q, %v; want %q", i+1, got, err, want)
		}
		if f.fd < 0 {
			t.Errorf("read %d of /proc/filesystems closed the file; want it kept open", i+1)
		}
	}
	live.close(&f)

	dir := t.TempDir()
	fixture := newProcReader(dir, owner)
	long := strings.Repeat("1234 ", 8000)
	path := filepath.Join(dir, "children")
	if err := os.WriteFile(path, []byte(long), 0o644); err != nil {
		t.Fatal(err)
	}
	f = newProcFile(path)
	if got, err := fixture.read(&f); err != nil || string(got) != long {
		t.Errorf("read of a %d-byte fixture = %d bytes, %v; want all of it", len(long), len(got), err)
	}
	if f.fd >= 0 || fixture.keep {
		t.Error("a fixture's file was kept open; want it opened for each read")
	}
}
