//go:build unix

package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCLIChecksOutputsBeforeTheRun refuses, before anything runs, an
// output the write after the run would refuse: the run would be lost.
func TestCLIChecksOutputsBeforeTheRun(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "ran")
	for _, tt := range []struct {
		flag, path, want string
	}{
		{"--json", dir, "--json: cannot write " + dir + ": it is a directory"},
		{"--csv", filepath.Join(dir, strings.Repeat("n", 100_000)), "--csv: cannot write"},
		{"--png", filepath.Join(dir, strings.Repeat("n", 300)+".png"), "file name too long"},
		{"--html", filepath.Join(dir, "missing", "r.html"), "--html: cannot write " + filepath.Join(dir, "missing", "r.html")},
		{"--trace", filepath.Join(dir, "missing", "t.json"), "--trace: cannot write " + filepath.Join(dir, "missing", "t.json") + ": folder " + filepath.Join(dir, "missing") + ": no such file or directory"},
	} {
		code, _, stderr := cli("record", tt.flag, tt.path, "--", "touch", marker)
		if code != ExitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("record %s %.60s: code %d, stderr %.200q; want %d and %q", tt.flag, tt.path, code, stderr, ExitUsage, tt.want)
		}
		if _, err := os.Stat(marker); err == nil {
			t.Fatalf("record %s %.60s ran the command; want it refused first", tt.flag, tt.path)
		}
	}
}

// TestCLIOutputsTakeTheUmask: with umask 077, --json and --csv come out
// private, as any program's files would (they came out 0644).
func TestCLIOutputsTakeTheUmask(t *testing.T) {
	dir := t.TempDir()
	jsonPath, csvPath := filepath.Join(dir, "p.json"), filepath.Join(dir, "p.csv")
	cmd := exec.Command("sh", "-c", `umask 077; exec "$0" "$@"`, os.Args[0], "record", "--json", jsonPath, "--csv", csvPath, "--", "true")
	cmd.Env = append(os.Environ(), cliEnv+"=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("record under umask 077: %v\n%s", err, out)
	}
	for _, path := range []string{jsonPath, csvPath} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s under umask 077: mode %v (%v); want 0600", filepath.Base(path), fi.Mode().Perm(), err)
		}
	}
}

// TestCLIPipeWithoutReaderDoesNotHang: --json to a named pipe no program
// reads fails at once after the run, saying so; it hung, deaf to Ctrl-C.
func TestCLIPipeWithoutReaderDoesNotHang(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "p.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	type result struct {
		code   int
		stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, _, stderr := cli("record", "--json", fifo, "--", "true")
		done <- result{code, stderr}
	}()
	select {
	case r := <-done:
		if r.code != ExitFailed || !strings.Contains(r.stderr, "no program is reading it") {
			t.Errorf("record --json (a pipe nobody reads): code %d, stderr %q; want %d, saying no program reads it", r.code, r.stderr, ExitFailed)
		}
	case <-time.After(time.Minute):
		t.Fatal("record --json (a pipe nobody reads) still waits after a minute")
	}
}
