package atomicfile

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// slowSaveEnv makes the test binary a process that saves DIR/out.json and
// stops in the middle, to be killed there.
const slowSaveEnv = "ATOMICFILE_TEST_SLOW_SAVE"

// TestKillDuringWriteLeavesNothing kills (SIGKILL) a process in the middle
// of a save: the folder must hold what it held before, and no hidden
// temporary file, which nothing would ever remove.
func TestKillDuringWriteLeavesNothing(t *testing.T) {
	if dir := os.Getenv(slowSaveEnv); dir != "" {
		Write(filepath.Join(dir, "out.json"), func(w io.Writer) error {
			w.Write(bytes.Repeat([]byte("x"), 1<<20)) // past any buffer: on disk
			fmt.Println("saving")
			time.Sleep(time.Hour) // until killed
			return nil
		})
		return
	}
	for _, existing := range []bool{false, true} {
		t.Run(fmt.Sprintf("existing %v", existing), func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "out.json")
			if existing {
				if err := os.WriteFile(out, []byte("old"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestKillDuringWriteLeavesNothing$")
			cmd.Env = append(os.Environ(), slowSaveEnv+"="+dir)
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Wait()
			defer cmd.Process.Kill()
			saving := make(chan string, 1)
			go func() {
				line, _ := bufio.NewReader(stdout).ReadString('\n')
				saving <- line
			}()
			select {
			case line := <-saving:
				if strings.TrimSpace(line) != "saving" {
					t.Fatalf("the saving process said %q; want it in the middle of a save", line)
				}
			case <-time.After(time.Minute):
				t.Fatal("the saving process did not reach the middle of its save in a minute")
			}
			cmd.Process.Kill()
			cmd.Wait()
			entries, _ := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			want := ""
			if existing {
				want = "out.json"
			}
			if got := strings.Join(names, " "); got != want {
				t.Errorf("after a kill during a save the folder holds %q; want %q", got, want)
			}
			if b, _ := os.ReadFile(out); existing && string(b) != "old" {
				t.Errorf("after a kill during a save the file holds %.20q; want the old %q", b, "old")
			}
		})
	}
}

// TestWriteThroughALinkToAPipe writes to /dev/stdout when it is a pipe (a
// link to /proc/self/fd/1, whose target names no file: "pipe:[1234]"): to
// the pipe, not to a file of that name in the working folder.
func TestWriteThroughALinkToAPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	dir := t.TempDir()
	stdout := filepath.Join(dir, "stdout")
	if err := os.Symlink(fmt.Sprintf("/proc/self/fd/%d", w.Fd()), stdout); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	if err := Write(stdout, func(w io.Writer) error { _, err := io.WriteString(w, "report"); return err }); err != nil {
		t.Fatalf("Write(a link to a pipe) = %v", err)
	}
	w.Close()
	if b, _ := io.ReadAll(r); string(b) != "report" {
		t.Errorf("the pipe got %q; want %q", b, "report")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder holds %v; want the link alone", entries)
	}
}
