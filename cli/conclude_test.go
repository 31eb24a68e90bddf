package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"corescope/nodes/nodestest"
	"corescope/profile"
	"corescope/runtext"
	"corescope/spec"
)

// concluded fails the test unless every run in the file at path carries
// the verdict runtext.Conclude words for it, and the command's output
// shows the outcome of each run that stands for its repeats (runtext.Rows):
// the recorder judges nothing, so the command that shows and saves the
// runs must conclude them.
func concluded(t *testing.T, path, stdout string) []*profile.Profile {
	t.Helper()
	ps, err := profile.Load(path)
	if err != nil || len(ps) == 0 {
		t.Fatalf("Load(%s) = %d profiles, %v", path, len(ps), err)
	}
	for _, p := range ps {
		if v := p.Summary.Verdict; v == "" || v != runtext.Verdict(p) {
			t.Errorf("%s: --json verdict %q; want the concluded %q", p.Label, v, runtext.Verdict(p))
		}
	}
	for _, r := range runtext.Rows(ps) {
		if !strings.Contains(stdout, runtext.Outcome(r.Run)) {
			t.Errorf("%s: the output does not show its outcome %q:\n%s", r.Run.Label, runtext.Outcome(r.Run), stdout)
		}
	}
	return ps
}

// TestRecordAndCompareConcludeTheirRuns checks record's and compare's
// summaries and --json files: each run has its verdict, and compare's runs
// their speedups against the sequential one.
func TestRecordAndCompareConcludeTheirRuns(t *testing.T) {
	dir := t.TempDir()
	recorded := filepath.Join(dir, "record.json")
	code, stdout, stderr := cli("record", "--interval", "50ms", "--json", recorded, "--", "sh", "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done")
	if code != ExitOK {
		t.Fatalf("record exit code %d: %s", code, stderr)
	}
	concluded(t, recorded, stdout)

	compared := filepath.Join(dir, "compare.json")
	code, stdout, stderr = cli("compare", "--models", "sequential,goroutines", "--tasks", "4", "--size", "0.2", "--interval", "50ms", "--json", compared)
	if code != ExitOK {
		t.Fatalf("compare exit code %d: %s", code, stderr)
	}
	for _, p := range concluded(t, compared, stdout) {
		if p.Summary.Speedup == nil {
			t.Errorf("%s: no speedup in the --json file; want one against the sequential run", p.Label)
		}
		if p.Spec.Model == spec.Goroutines && !strings.Contains(p.Summary.Verdict, "sequential") {
			t.Errorf("goroutines' verdict %q; want it measured against sequential", p.Summary.Verdict)
		}
	}
}

// TestWatchConcludesItsProfile checks watch's summary and --json file: the
// watch is named by its nodes and has the cluster's verdict.
func TestWatchConcludesItsProfile(t *testing.T) {
	node := nodestest.HalfBusyNode(t, 2)
	path := filepath.Join(t.TempDir(), "watch.json")
	code, stdout, stderr := cli("watch", "--node", node.Addr, "--interval", "100ms", "--duration", "1s", "--json", path)
	if code != ExitOK {
		t.Fatalf("watch exit code %d: %s", code, stderr)
	}
	p := concluded(t, path, stdout)[0]
	if p.Label != "watch of 1 node" || !strings.HasPrefix(p.Summary.Verdict, "1 node, 2 cores: ") {
		t.Errorf("watch named %q, verdict %q; want \"watch of 1 node\" and the cluster's figures", p.Label, p.Summary.Verdict)
	}
}
