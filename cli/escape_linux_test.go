package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"corescope/internal/proctest"
	"corescope/profile"
)

// TestCLISignalEndsDaemon signals the CLI, as kill does, while its
// subject's daemon (fork, setsid, fork, sleep) runs outside the subject's
// process group. After SIGTERM the CLI stops the run, ends the daemon, and
// its summary and --json name it; after SIGKILL no handler of the CLI runs,
// and the daemon still ends.
func TestCLISignalEndsDaemon(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			marker := fmt.Sprintf("corescope-cli-test-%d-%d", os.Getpid(), time.Now().UnixNano())
			jsonPath := filepath.Join(t.TempDir(), "p.json")
			args := append([]string{"record", "--json", jsonPath, "--"}, proctest.Daemon(t, t.TempDir(), marker, "600")...)
			cmd, stdout, stderr := startCLI(t, args...)
			daemon := proctest.WaitMarked(t, marker, 10*time.Second)
			if daemon == 0 {
				t.Fatal("the daemon never appeared")
			}
			cmd.Process.Signal(sig)
			err := cmd.Wait()
			proctest.WaitMarkedGone(t, marker)
			if sig == syscall.SIGKILL {
				return
			}
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != ExitFailed {
				t.Errorf("exit after %v = %v; want code %d (stderr %q)", sig, err, ExitFailed, stderr.String())
			}
			if want := fmt.Sprintf("pid %d", daemon); !strings.Contains(stdout.String(), "left the subject's process group") || !strings.Contains(stdout.String(), want) {
				t.Errorf("summary:\n%s\nwant it to name the daemon it ended (%s)", stdout.String(), want)
			}
			// Killed: seen ending within a second of its SIGKILL, or said to
			// be still running then (a busy machine); gone since, as checked.
			ps, err := profile.Load(jsonPath)
			if err != nil || len(ps) != 1 || len(ps[0].Summary.Escaped) != 1 || ps[0].Summary.Escaped[0].PID != daemon ||
				!ps[0].Summary.Escaped[0].Ended && !strings.HasSuffix(ps[0].Summary.Escaped[0].Why, "after SIGKILL") {
				t.Errorf("--json after %v: %v; want the daemon %d among the escaped, killed", sig, err, daemon)
			}
		})
	}
}
