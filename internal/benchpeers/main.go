package main

import (
	"bufio"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"corescope/probes"
	"corescope/profile"
)

// peersScript is psutil's side of every comparison and the 64-thread subject.
//
//go:embed peers.py
var peersScript []byte

// python is Debian's interpreter, which has Debian's psutil; a python3
// earlier on PATH (pyenv, a venv) may not.
const python = "/usr/bin/python3"

func main() {
	corescope := flag.String("corescope", "./corescope", "the corescope binary whose `record` is measured")
	seconds := flag.Float64("seconds", 10, "how long the own-cost comparison records")
	runs := flag.Int("runs", 3, "how many recordings the own cost is the median of (a busy machine moves it)")
	flag.Parse()
	if *runs < 1 {
		fmt.Fprintln(os.Stderr, "bench-peers: -runs must be 1 or more")
		os.Exit(2)
	}
	missed, err := run(*corescope, *seconds, *runs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-peers:", err)
		os.Exit(2)
	}
	if missed > 0 {
		fmt.Printf("\n%d goal(s) missed\n", missed)
		os.Exit(1)
	}
}

// table collects the rows and remembers whether every goal was met, and
// the notes printed under it.
type table struct {
	missed int
	notes  []string
}

func (t *table) head() {
	fmt.Printf("%-46s %12s %14s %8s  %s\n", "what", "corescope", "peer", "ratio", "goal")
}

// row prints one comparison; ok says whether its goal was met.
func (t *table) row(what, ours, peer string, ratio float64, goal string, ok bool) {
	verdict := "met"
	if !ok {
		verdict = "MISSED"
		t.missed++
	}
	r := "-"
	if ratio > 0 {
		r = fmt.Sprintf("%.2fx", ratio)
	}
	fmt.Printf("%-46s %12s %14s %8s  %s: %s\n", what, ours, peer, r, goal, verdict)
}

// run prints the comparisons and returns how many goals were missed.
func run(corescope string, seconds float64, runs int) (missed int, err error) {
	dir, err := os.MkdirTemp("", "bench-peers-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "peers.py")
	if err := os.WriteFile(script, peersScript, 0o644); err != nil {
		return 0, err
	}
	version, err := output(python, "-c", "import psutil, platform; print(psutil.__version__, platform.python_version())")
	if err != nil {
		return 0, fmt.Errorf("psutil is needed (apt-get install python3-psutil): %w", err)
	}
	v := strings.Fields(version)
	fmt.Printf("corescope against psutil %s (CPython %s), same machine, same minute\n\n", v[0], v[1])
	var t table
	t.head()
	if err := samples(&t, script, dir); err != nil {
		return 0, err
	}
	if err := trees(&t, script); err != nil {
		return 0, err
	}
	if err := ownCost(&t, script, corescope, seconds, runs); err != nil {
		return 0, err
	}
	for _, note := range t.notes {
		fmt.Println(note)
	}
	return t.missed, nil
}

// samples compares one per-core sample on this machine's /proc and on a
// 256-core /proc/stat fixture, which both sides read through their own
// override of /proc (HOST_PROC, psutil.PROCFS_PATH).
func samples(t *table, script, dir string) error {
	fixture := filepath.Join(dir, "proc")
	if err := os.Mkdir(fixture, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(fixture, "stat"), stat256(), 0o644); err != nil {
		return err
	}
	for _, c := range []struct {
		what, procfs, goal string
		meets              func(ns, allocs, ratio float64) bool
	}{
		{"per-core sample, this machine's /proc", "", "<= 0.5x psutil",
			func(_, _, ratio float64) bool { return ratio <= 0.5 }},
		{"per-core sample, 256-core fixture", fixture, "<= 50 us, 0 allocs",
			func(ns, allocs, _ float64) bool { return ns <= 50e3 && allocs == 0 }},
	} {
		ns, allocs, err := sampleCost(c.procfs)
		if err != nil {
			return err
		}
		args := []string{script, "cpu", "--iterations", "2000"}
		if c.procfs != "" {
			args = append(args, "--procfs", c.procfs)
		}
		peer, err := micros(python, args...)
		if err != nil {
			return err
		}
		ratio := ns / 1e3 / peer
		t.row(c.what, fmt.Sprintf("%.1f us", ns/1e3), fmt.Sprintf("psutil %.1f us", peer), ratio,
			c.goal, c.meets(ns, allocs, ratio))
	}
	return nil
}

// sampleCost times CPUSampler.Sample with HOST_PROC set to procfs (the real
// /proc when empty): ns and allocations a call.
func sampleCost(procfs string) (ns, allocs float64, err error) {
	if procfs != "" {
		os.Setenv("HOST_PROC", procfs)
		defer os.Unsetenv("HOST_PROC")
	}
	s := probes.NewCPUSampler()
	ctx := context.Background()
	if _, err := s.Sample(ctx); err != nil {
		return 0, 0, err
	}
	r := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, e := s.Sample(ctx); e != nil {
				err = e
				b.FailNow()
			}
		}
	})
	return float64(r.NsPerOp()), float64(r.AllocsPerOp()), err
}

// stat256 is a /proc/stat of 256 cores with counters of their own.
func stat256() []byte {
	var b strings.Builder
	b.WriteString("cpu  1 2 3 4 5 6 7 8 0 0\n")
	for i := range 256 {
		fmt.Fprintf(&b, "cpu%d %d 0 300 90000 7 1 2 0 0 0\n", i, 1000+i)
	}
	b.WriteString("intr 12345 0 0\nctxt 67890\nbtime 1700000000\nprocesses 42\n")
	return []byte(b.String())
}

// trees compares the probe on an idle 64-thread subject (BenchmarkProbe's)
// and on one whose threads all run between two probes.
func trees(t *table, script string) error {
	for _, idle := range []bool{true, false} {
		if err := tree(t, script, idle); err != nil {
			return err
		}
	}
	return nil
}

// tree compares one probe of a 64-thread subject's process tree, with its
// threads and context switches, against psutil reading the same figures.
func tree(t *table, script string, idle bool) error {
	subject, pid, err := startSubject(script, idle)
	if err != nil {
		return err
	}
	defer subject.stop()
	p, err := probes.NewTreeProber()
	if err != nil {
		return err
	}
	ours, err := probeMicros(p, pid, idle)
	if err != nil {
		return err
	}
	peer, err := micros(python, script, "tree", "--pid", strconv.Itoa(pid), "--iterations", "200")
	if err != nil {
		return err
	}
	ratio := ours / peer
	what := "process tree, 64 threads that all ran"
	if idle {
		what = "process tree, 64 idle threads"
	}
	t.row(what, fmt.Sprintf("%.0f us", ours), fmt.Sprintf("psutil %.0f us", peer),
		ratio, "<= 0.3x psutil", ratio <= 0.3)
	return nil
}

// probeMicros is the best of 5 rounds of probes of pid, in microseconds a
// probe. For a subject whose threads run, the probes are 100 ms apart, as
// in a recording at 10 Hz: back to back, few threads would have run between
// two probes, and the probe skips those that did not.
func probeMicros(p *probes.TreeProber, pid int, idle bool) (float64, error) {
	ctx := context.Background()
	if _, err := p.Probe(ctx, pid, true); err != nil {
		return 0, err
	}
	n, gap := 200, time.Duration(0)
	if !idle {
		n, gap = 20, 100*time.Millisecond
	}
	best := time.Duration(1<<63 - 1)
	for range 5 {
		var spent time.Duration
		for range n {
			time.Sleep(gap)
			start := time.Now()
			if _, err := p.Probe(ctx, pid, true); err != nil {
				return 0, err
			}
			spent += time.Since(start)
		}
		best = min(best, spent/time.Duration(n))
	}
	return float64(best) / 1e3, nil
}

// ownCost records the 65-thread subject with `corescope record` at 10 Hz
// runs times and reads corescope's own cost from each profile's summary, as
// the window and the CLI report it: the row has the median, a note each
// run's. htop, when installed, watches a second copy of the subject at
// 10 Hz (-d 1) for the time of the first recording, in a pseudo-terminal.
func ownCost(t *table, script, corescope string, seconds float64, runs int) error {
	if _, err := os.Stat(corescope); err != nil {
		return fmt.Errorf("no corescope binary at %s (make build): %w", corescope, err)
	}
	out := filepath.Join(filepath.Dir(script), "record.json")
	secs := strconv.FormatFloat(seconds, 'f', -1, 64)
	peer := "htop not installed"
	var htopDone chan float64
	if htop, err := exec.LookPath("htop"); err == nil {
		htopDone = make(chan float64, 1)
		go func() { htopDone <- htopCost(htop, script, seconds) }()
	}
	var selves []float64
	for range runs {
		rec := exec.Command(corescope, "record", "--interval", "100ms", "--json", out, "--",
			python, script, "threads", "--threads", "64", "--seconds", secs)
		if b, err := rec.CombinedOutput(); err != nil {
			return fmt.Errorf("corescope record: %w\n%s", err, b)
		}
		ps, err := profile.Load(out)
		if err != nil {
			return err
		}
		selves = append(selves, 100*ps[0].Summary.SelfCores)
	}
	each := make([]string, len(selves))
	for i, v := range selves {
		each[i] = fmt.Sprintf("%.2f%%", v)
	}
	t.notes = append(t.notes, fmt.Sprintf("own CPU of %d recordings, in order: %s (the row has the median)", runs, strings.Join(each, ", ")))
	slices.Sort(selves)
	self := selves[len(selves)/2]
	ratio := 0.0
	if htopDone != nil {
		if h := <-htopDone; h > 0 {
			peer, ratio = fmt.Sprintf("htop %.1f%%", h), self/h
		}
	}
	t.row("own CPU, recording a 65-thread subject, 10 Hz", fmt.Sprintf("%.2f%%", self), peer, ratio,
		"< 1.5% of a core", self < 1.5)
	return nil
}

// htopCost runs htop at 10 Hz beside its own copy of the subject for
// seconds and returns its CPU as a percentage of one core, or 0 when it
// could not be measured.
func htopCost(htop, script string, seconds float64) float64 {
	subject, _, err := startSubject(script, false)
	if err != nil {
		return 0
	}
	defer subject.stop()
	// script(1) gives htop the terminal it insists on; its output is dropped.
	cmd := exec.Command("script", "-qfc", htop+" -d 1", "/dev/null")
	cmd.Env = append(os.Environ(), "TERM=xterm", "COLUMNS=200", "LINES=60")
	if err := cmd.Start(); err != nil {
		return 0
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	time.Sleep(time.Second) // past htop's start-up
	pid := childNamed(cmd.Process.Pid, "htop")
	before, err1 := cpuSeconds(pid)
	time.Sleep(time.Duration(seconds * float64(time.Second)))
	after, err2 := cpuSeconds(pid)
	if pid == 0 || errors.Join(err1, err2) != nil {
		return 0
	}
	return 100 * (after - before) / seconds
}

// childNamed is the pid of parent's child with the given command name, or 0.
func childNamed(parent int, name string) int {
	out, err := output("pgrep", "-P", strconv.Itoa(parent), "-x", name)
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.Fields(out)[0])
	return pid
}

// cpuSeconds is a process's user plus system time from /proc/PID/stat.
func cpuSeconds(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command's closing parenthesis; utime and stime are
	// the 14th and 15th of the line, the 12th and 13th after it.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	utime, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	return (utime + stime) / 100, nil // USER_HZ is 100 on Linux
}

// process is a started subject that stop ends.
type process struct{ cmd *exec.Cmd }

func (p process) stop() {
	p.cmd.Process.Kill()
	p.cmd.Wait()
}

// startSubject starts the 64-thread subject and waits until its threads run.
func startSubject(script string, idle bool) (process, int, error) {
	args := []string{script, "threads", "--threads", "64"}
	if idle {
		args = append(args, "--idle")
	}
	cmd := exec.Command(python, args...)
	if _, err := cmd.StdinPipe(); err != nil {
		return process{}, 0, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return process{}, 0, err
	}
	if err := cmd.Start(); err != nil {
		return process{}, 0, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "ready\n" {
		cmd.Process.Kill()
		cmd.Wait()
		return process{}, 0, fmt.Errorf("the 64-thread subject said %q, %v; want ready", line, err)
	}
	return process{cmd}, cmd.Process.Pid, nil
}

// micros runs a peers.py measurement and returns its one number.
func micros(name string, args ...string) (float64, error) {
	out, err := output(name, args...)
	if err != nil {
		return 0, err
	}
	return strconv.ParseFloat(strings.TrimSpace(out), 64)
}

func output(name string, args ...string) (string, error) {
	b, err := exec.Command(name, args...).Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return "", fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, exit.Stderr)
		}
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return string(b), nil
}
