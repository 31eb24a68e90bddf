package runners

import (
	"bytes"
	"net"
	"strings"
	"testing"

	"corescope/spec"
)

func TestWorkerMainBadArgs(t *testing.T) {
	tests := []struct {
		args []string
		want string // in the message
	}{
		{[]string{"--no-such-flag"}, "no-such-flag"},
		{[]string{"--tasks", "-1"}, "tasks"},
		{[]string{"--tasks", "many"}, "tasks"},
		{[]string{"--model", "fibers"}, "sequential, threads"},
		{[]string{"--workload", "disk"}, "cpu, io, mixed"},
		{[]string{"--size", "NaN"}, "size"},
		{[]string{"--workers", "1025"}, "workers"},
		{[]string{"--switch-interval", "1us"}, "switch-interval"},
		{[]string{"--workload", "io"}, "url"},
		{[]string{"--workload", "io", "--url", "ftp://x"}, "url"},
		{[]string{"extra"}, "extra"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if code := WorkerMain(tt.args, &stdout, &stderr); code != 2 {
			t.Errorf("WorkerMain(%q) = %d; want 2", tt.args, code)
		}
		if !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("WorkerMain(%q) said %q; want it to mention %q", tt.args, stderr.String(), tt.want)
		}
		if stdout.Len() != 0 {
			t.Errorf("WorkerMain(%q) wrote %q on stdout; want nothing", tt.args, stdout.String())
		}
	}
}

// closedURL is the address of a loopback port that nobody listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	return url
}

func TestWorkerMainFailingTask(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"--workload", "io", "--model", "sequential", "--tasks", "2", "--url", closedURL(t)}
	if code := WorkerMain(args, &stdout, &stderr); code != 1 {
		t.Errorf("WorkerMain(%q) = %d; want 1", args, code)
	}
	if !strings.Contains(stderr.String(), "task 0: request failed") {
		t.Errorf("WorkerMain(%q) said %q; want it to name the failed task", args, stderr.String())
	}
	if strings.Contains(stdout.String(), spec.EvStats) {
		t.Errorf("WorkerMain(%q) wrote stats after a failure: %q", args, stdout.String())
	}
}
