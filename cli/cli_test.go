package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"corescope/internal/pngtest"
	"corescope/internal/proctest"
	"corescope/profile"
	"corescope/runtext"
	"corescope/spec"
)

func cli(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCLIUsageErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		want string // in stderr
	}{
		{[]string{"run", "--tasks", "0"}, "tasks: 0 is not allowed; use 1..100000"},
		{[]string{"run", "--tasks", "-3"}, "tasks: -3 is not allowed"},
		{[]string{"run", "--tasks", "100001"}, "tasks: 100001 is not allowed"},
		{[]string{"run", "--workers", "1025"}, "workers: 1025 is not allowed; use 1..1024"},
		{[]string{"run", "--size", "-1"}, "size: -1 is not allowed; use a positive number"},
		{[]string{"run", "--size", "0"}, "size: 0 is not allowed"},
		{[]string{"run", "--size", "lots"}, `size: "lots" is not allowed; give a number`},
		{[]string{"run", "--model", "fibers"}, `model: "fibers" is not allowed; use one of sequential, threads, async, processes, goroutines`},
		{[]string{"compare", "--models", "threads,fibers"}, `model: "fibers" is not allowed`},
		{[]string{"run", "--workload", "disk"}, `workload: "disk" is not allowed; use one of cpu, io, mixed`},
		{[]string{"run", "--interval", "1ms"}, "interval: 1ms is not allowed; use 10ms..5s"},
		{[]string{"run", "--interval", "6s"}, "interval: 6s is not allowed"},
		{[]string{"record", "--", "no-such-program-corescope"}, `"no-such-program-corescope"`},
		{[]string{"record"}, "command: give the command to profile after --"},
		{[]string{"run", "--json", filepath.Join(dir, "missing", "p.json")}, "--json: cannot write"},
		{[]string{"run", "extra"}, `unexpected argument "extra"`},
		{[]string{"report"}, "give at least one profile file"},
		{[]string{"report", filepath.Join(dir, "none.json"), "--png", filepath.Join(dir, "r.png")}, "none.json"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"watch"}, "node: none is not allowed; give at least one: host:port"},
		{[]string{"watch", "--node", "nohost"}, `node: "nohost" is not allowed; it is not host:port`},
		{[]string{"watch", "--node", "h:9100", "--node", "h:9100"}, `node: "h:9100" is not allowed; it is given twice`},
		{[]string{"watch", "--node", "h:9100", "--interval", "50ms"}, "interval: 50ms is not allowed; use 100ms or more"},
		{[]string{"watch", "--node", "h:9100", "--interval", "soon"}, `interval: "soon" is not allowed; use a duration of 100ms or more`},
		{[]string{"watch", "--node", "h:9100", "--duration", "-1s"}, `duration: "-1s" is not allowed; use a positive duration`},
		{[]string{"watch", "--node", "h:9100", "extra"}, `unexpected argument "extra"`},
		{[]string{"record", "--node", "h:9100", "--interval", "20ms", "--", "true"}, "interval: 20ms is not allowed; use 100ms or more"},
		{[]string{"record", "--node", "h:99999", "--", "true"}, `node: "h:99999" is not allowed; the port is not a number from 1 to 65535`},
		{[]string{"report", "--prometheus", "http://p:9090", "--from", "yesterday"}, `--from "yesterday": use an RFC 3339 time`},
		{[]string{"report", "--prometheus", "http://p:9090", "--to", "+1h"}, `--to "+1h"`},
		{[]string{"report", "--prometheus", "http://p:9090", "--step", "0s"}, `--step "0s": use a positive duration`},
		{[]string{"report", "--prometheus", "http://p:9090", filepath.Join(dir, "p.json")}, "give profile files or --prometheus, not both"},
		{[]string{"report", "--prometheus", "notaurl"}, `--prometheus "notaurl": not a server URL`},
		{[]string{"report", "--prometheus", "http://p:9090", "--from", "now", "--to", "-1h"}, "is not after --from"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := cli(tt.args...)
			if code != ExitUsage {
				t.Errorf("exit code = %d; want %d (stderr %q)", code, ExitUsage, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr = %q; want it to contain %q", stderr, tt.want)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("usage errors left files behind: %v", entries)
	}
}

func TestCLIHelp(t *testing.T) {
	for _, cmd := range []string{"run", "compare", "record", "report", "models", "watch"} {
		code, stdout, _ := cli(cmd, "--help")
		if code != ExitOK || !strings.Contains(stdout, "Usage: corescope "+cmd) {
			t.Errorf("%s --help: code %d, stdout %q; want 0 and a usage line", cmd, code, stdout)
		}
	}
}

func TestCLIModels(t *testing.T) {
	code, stdout, _ := cli("models")
	if code != ExitOK {
		t.Fatalf("models exit code = %d", code)
	}
	for _, name := range []string{"cpu", "io", "mixed", "sequential", "threads", "async", "processes", "goroutines"} {
		if !strings.Contains(stdout, "  "+name+" ") {
			t.Errorf("models output lacks %q:\n%s", name, stdout)
		}
	}
}

func TestCLIRunWritesFiles(t *testing.T) {
	dir := t.TempDir()
	jsonPath, csvPath := filepath.Join(dir, "p.json"), filepath.Join(dir, "p.csv")
	code, stdout, stderr := cli("run", "--model", "sequential", "--tasks", "4", "--size", "0.05",
		"--interval", "50ms", "--json", jsonPath, "--csv", csvPath)
	if code != ExitOK {
		t.Fatalf("run exit code = %d; stderr %q", code, stderr)
	}
	for _, want := range []string{"sequential, cpu workload, 4 tasks", "wall", "cores used", "verdict"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	ps, err := profile.Load(jsonPath)
	if err != nil || len(ps) != 1 {
		t.Fatalf("Load(--json file) = %d profiles, %v; want 1", len(ps), err)
	}
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cores := len(ps[0].Frames[0].Busy)
	if want := 1 + len(ps[0].Frames)*cores; len(rows) != want {
		t.Errorf("csv rows = %d; want header + frames x cores = %d", len(rows), want)
	}
}

func TestCLIRecordFailure(t *testing.T) {
	jsonPath := filepath.Join(t.TempDir(), "p.json")
	code, _, stderr := cli("record", "--json", jsonPath, "--", "sh", "-c", "echo broken pipe dream >&2; exit 4")
	if code != ExitFailed {
		t.Errorf("exit code = %d; want %d", code, ExitFailed)
	}
	if !strings.Contains(stderr, "exited with code 4") || !strings.Contains(stderr, "broken pipe dream") {
		t.Errorf("stderr = %q; want the exit code and the subject's stderr", stderr)
	}
	if ps, err := profile.Load(jsonPath); err != nil || len(ps) != 1 || !ps[0].Failed() {
		t.Errorf("--json of a failed run: %v, %v; want the failed profile saved", ps, err)
	}
}

func TestCLIReportRendersSavedProfiles(t *testing.T) {
	dir := t.TempDir()
	jsonPath := filepath.Join(dir, "p.json")
	if code, _, stderr := cli("compare", "--models", "sequential,goroutines", "--tasks", "2", "--size", "0.1", "--json", jsonPath); code != ExitOK {
		t.Fatalf("compare exit code = %d; stderr %q", code, stderr)
	}
	pngPath, tracePath, htmlPath := filepath.Join(dir, "r.png"), filepath.Join(dir, "r.trace.json"), filepath.Join(dir, "r.html")
	code, _, stderr := cli("report", jsonPath, "--png", pngPath, "--trace", tracePath, "--html", htmlPath)
	if code != ExitOK {
		t.Fatalf("report exit code = %d; stderr %q", code, stderr)
	}
	if page, err := os.ReadFile(htmlPath); err != nil || !strings.Contains(string(page), "<title>corescope report: sequential, goroutines</title>") {
		t.Errorf("--html wrote %.200q (%v); want the report page of both runs", page, err)
	}
	if !strings.Contains(stderr, "wrote "+htmlPath) {
		t.Errorf("stderr = %q; want it to say it wrote %s", stderr, htmlPath)
	}
	if w := pngtest.Read(t, pngPath).Bounds().Dx(); w < 800 {
		t.Errorf("report width = %d; want a full-size report", w)
	}
	var trace struct {
		TraceEvents []map[string]any `json:"traceEvents"`
	}
	data, _ := os.ReadFile(tracePath)
	if err := json.Unmarshal(data, &trace); err != nil || len(trace.TraceEvents) == 0 {
		t.Errorf("trace: %d events, %v; want a parseable trace", len(trace.TraceEvents), err)
	}
}

func TestCLIReportRefusesBrokenFile(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.json")
	os.WriteFile(broken, []byte(`{"format": "corescope/v1", "profiles": [`), 0o644)
	code, _, stderr := cli("report", broken, "--png", filepath.Join(dir, "r.png"))
	if code != ExitUsage || !strings.Contains(stderr, "broken JSON") {
		t.Errorf("report of a broken file: code %d, stderr %q; want %d and the reason", code, stderr, ExitUsage)
	}
	if _, err := os.Stat(filepath.Join(dir, "r.png")); err == nil {
		t.Error("a report was written from a broken file")
	}
}

// TestCLIInterruptStopsEveryProcess sends the CLI a Ctrl-C during a
// processes run of 200 tasks: it stops at once rather than finishing them,
// leaves no process of the run behind, still writes --json, and exits 1.
// That it stops within a second is a goal (make bench).
func TestCLIInterruptStopsEveryProcess(t *testing.T) {
	jsonPath := filepath.Join(t.TempDir(), "p.json")
	_, err, stderr := interruptRun(t, jsonPath)
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != ExitFailed {
		t.Errorf("exit after Ctrl-C = %v; want code %d (stderr %q)", err, ExitFailed, stderr)
	}
	ps, err := profile.Load(jsonPath)
	if err != nil || len(ps) != 1 || !strings.Contains(ps[0].Error, "stopped") || len(ps[0].Frames) == 0 {
		t.Errorf("--json after Ctrl-C: %v; want the stopped run with its frames", err)
	}
}

// interruptRun starts a processes run of 200 tasks writing jsonPath, sends
// the CLI Ctrl-C once its workers run, and returns how long it took to
// exit after that, how it exited and its stderr. No process of the run may
// be left.
func interruptRun(t *testing.T, jsonPath string) (took time.Duration, err error, stderr string) {
	t.Helper()
	cmd, errBuf, subject, _ := startWithWorkers(t, "run", "--model", "processes", "--workers", "2", "--tasks", "200", "--json", jsonPath)
	interrupted := time.Now()
	cmd.Process.Signal(os.Interrupt)
	err = cmd.Wait()
	took = time.Since(interrupted)
	t.Logf("the CLI exited %v after Ctrl-C", took.Round(time.Millisecond))
	proctest.WaitGroupGone(t, subject)
	return took, err, errBuf.String()
}

// startWithWorkers starts the CLI on args in a process of its own, as from a
// terminal, and waits until the run's subject leads a group of at least
// three processes (it and two workers). It returns the CLI's command and
// stderr, the subject's pid and the group's members.
func startWithWorkers(t *testing.T, args ...string) (cmd *exec.Cmd, stderr *bytes.Buffer, subject int, members []int) {
	t.Helper()
	cmd, _, stderr = startCLI(t, args...)
	for deadline := time.Now().Add(10 * time.Second); len(members) < 3; {
		if time.Now().After(deadline) {
			t.Fatal("the run's subject and its two workers never appeared")
		}
		time.Sleep(20 * time.Millisecond)
		if subject = proctest.ChildOf(t, cmd.Process.Pid); subject != 0 {
			members = proctest.GroupMembers(t, subject)
		}
	}
	return cmd, stderr, subject, members
}

// startCLI starts the CLI on args in a process of its own, as from a
// terminal, with its output kept; the test's end kills it if it still runs.
func startCLI(t *testing.T, args ...string) (cmd *exec.Cmd, stdout, stderr *bytes.Buffer) {
	t.Helper()
	cmd = exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), cliEnv+"=1")
	stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	return cmd, stdout, stderr
}

func TestCommandLabels(t *testing.T) {
	tests := []struct {
		name         string
		cmds, labels []string
		want         []string
	}{
		{"scripts and a module", []string{"python3 seq.py", "python3 -m json.tool", "python3 pool.py"}, nil,
			[]string{"seq.py", "json.tool", "pool.py"}},
		{"repeats numbered among their name", []string{"python3 seq.py", "python3 pool.py", "python3 seq.py 2", "python3 seq.py 3"}, nil,
			[]string{"seq.py", "pool.py", "seq.py #2", "seq.py #3"}},
		{"a --label taken by a repeat's number", []string{"sh a.sh", "sh a.sh", "sh a.sh"}, []string{"", "a.sh #2"},
			[]string{"a.sh", "a.sh #2", "a.sh #3"}},
		{"labels first, then names", []string{"true", "true"}, []string{"first"}, []string{"first", "true"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := specFlags{cmds: tt.cmds, labels: tt.labels}
			specs, err := f.commandSpecs()
			if err != nil {
				t.Fatalf("commandSpecs(%q) = %v", tt.cmds, err)
			}
			if got := labelsOf(specs); strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("labels of %q = %q; want %q", tt.cmds, got, tt.want)
			}
		})
	}
}

func TestPrintSummary(t *testing.T) {
	s := spec.Spec{Backend: spec.BackendCommand, Command: []string{"/bin/true"}}
	tests := []struct {
		name     string
		p        *profile.Profile
		want     []string // lines, white space folded
		unwanted string
	}{
		{"no sample saw the subject", &profile.Profile{Spec: s, Summary: profile.Summary{WallS: 0.001}},
			[]string{"threads - processes -, context switches 0", "max RSS -"}, "switch timeline"},
		{"the switch timeline dropped its oldest", &profile.Profile{Spec: s, Slices: make([]profile.Slice, profile.MaxSlices),
			SlicesDropped: 1234, Summary: profile.Summary{WallS: 9, Threads: 5, Procs: 1, MaxRSS: 12 << 20}},
			[]string{"max RSS 12.0 MiB", "switch timeline 250,000 slices kept, 1,234 older dropped"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			printSummary(&b, runtext.Rows([]*profile.Profile{tt.p})[0])
			got := strings.Join(strings.Fields(b.String()), " ")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("summary lacks %q:\n%s", w, b.String())
				}
			}
			if tt.unwanted != "" && strings.Contains(got, tt.unwanted) {
				t.Errorf("summary says %q:\n%s", tt.unwanted, b.String())
			}
		})
	}
}

func TestPrintTableModels(t *testing.T) {
	run := func(m spec.Model, workers int, set func(*spec.Spec)) *profile.Profile {
		s := spec.Spec{Backend: spec.BackendPython, Python: "/usr/bin/python3", Workload: spec.CPU, Model: m,
			Tasks: 4, Workers: workers, Size: 1}
		if set != nil {
			set(&s)
		}
		return &profile.Profile{Label: string(m), Spec: s, Machine: profile.Machine{Python: "CPython 3.11.2", LogicalCores: 2}}
	}
	ps := []*profile.Profile{
		run(spec.Threads, 5, func(s *spec.Spec) { s.SwitchInterval = spec.Duration(5 * time.Millisecond) }),
		run(spec.Processes, 2, func(s *spec.Spec) { s.StartMethod = "spawn" }),
	}
	var b bytes.Buffer
	printTable(&b, ps)
	for _, w := range []string{"CPython 3.11.2 (/usr/bin/python3), 2 logical cores", "run ", "model ",
		"threads    threads, 5 workers, switch 5ms", "processes  processes, 2 workers, spawn"} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("table lacks %q:\n%s", w, b.String())
		}
	}
}

// TestPrintTableOneCommand heads the table of one recorded command in the
// singular: it said "1 commands".
func TestPrintTableOneCommand(t *testing.T) {
	p := &profile.Profile{Label: "sh", Spec: spec.Spec{Backend: spec.BackendCommand, Command: []string{"sh", "-c", "exit 3"}},
		Machine: profile.Machine{LogicalCores: 2}}
	var b bytes.Buffer
	printTable(&b, []*profile.Profile{p})
	if want := "1 command, 2 logical cores"; !strings.HasPrefix(b.String(), want) {
		t.Errorf("table begins %q; want %q", strings.SplitN(b.String(), "\n", 2)[0], want)
	}
}
