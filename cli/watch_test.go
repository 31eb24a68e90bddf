package cli

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"corescope/levels"
	"corescope/nodes/nodestest"
	"corescope/probes"
	"corescope/profile"
	"corescope/runtext"
)

// loadProfile reads the one profile a command wrote to path.
func loadProfile(t *testing.T, path string) *profile.Profile {
	t.Helper()
	ps, err := profile.Load(path)
	if err != nil || len(ps) != 1 {
		t.Fatalf("Load(%s) = %d profiles, %v; want one", path, len(ps), err)
	}
	return ps[0]
}

// localMeans samples this machine's cores every interval until stop is
// closed and returns each core's mean busy fraction: what corescope's own
// sampler saw while a watch read the same /proc through node_exporter.
func localMeans(t *testing.T, interval time.Duration, stop <-chan struct{}) <-chan []float64 {
	out := make(chan []float64, 1)
	go func() {
		s := probes.NewCPUSampler()
		var sums []float64
		n := 0
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			loads, err := s.Sample(context.Background())
			if err == nil && loads != nil {
				sums = slices.Grow(sums, len(loads))[:len(loads)]
				for i, l := range loads {
					sums[i] += l.Busy
				}
				n++
			}
			select {
			case <-stop:
				for i := range sums {
					sums[i] /= float64(max(n, 1))
				}
				out <- sums
				return
			case <-tick.C:
			}
		}
	}()
	return out
}

// TestWatchNodes watches, through the CLI, a node_exporter on a fixture with
// known loads, one on the real /proc, one that is stopped mid-watch, a port
// that answers garbage and one that never answers.
func TestWatchNodes(t *testing.T) {
	t.Parallel()
	loads := []nodestest.Core{{Load: 0.25}, {Load: 0.75}, {Load: 1}, {Load: 0}}
	fixture := nodestest.Exporter(t, nodestest.NewStatFixture(t, loads...).Dir)
	real := nodestest.Exporter(t, "/proc")
	doomed := nodestest.Exporter(t, nodestest.NewStatFixture(t, nodestest.Core{Load: 0.5}, nodestest.Core{Load: 0.5}).Dir)
	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintln(w, "hello, this is not a node_exporter")
	}))
	defer garbage.Close()
	silent := nodestest.SilentAddr(t)
	garbageAddr := strings.TrimPrefix(garbage.URL, "http://")
	addrs := []string{fixture.Addr, real.Addr, doomed.Addr, garbageAddr, silent}

	const interval = 500 * time.Millisecond
	// Something to see on the real node: one core's worth of spinning.
	spin := make(chan struct{})
	go func() {
		for {
			select {
			case <-spin:
				return
			//lint:ignore SA5004 spinning is the point: one core's worth of load
			default:
			}
		}
	}()
	stopLocal := make(chan struct{})
	local := localMeans(t, interval, stopLocal)
	path := filepath.Join(t.TempDir(), "watch.json")
	args := []string{"watch", "--interval", interval.String(), "--duration", "5s", "--json", path}
	for _, a := range addrs {
		args = append(args, "--node", a)
	}
	began := time.Now()
	var stoppedAt time.Duration
	stopper := time.AfterFunc(2500*time.Millisecond, func() { stoppedAt = time.Since(began); doomed.Stop() })
	defer stopper.Stop()
	code, stdout, stderr := cli(args...)
	close(stopLocal)
	close(spin)
	localMean := <-local
	if code != ExitOK {
		t.Fatalf("watch exit code %d; stderr:\n%s", code, stderr)
	}
	t.Logf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
	p := loadProfile(t, path)
	if len(p.Nodes) != len(addrs) {
		t.Fatalf("profile names %d nodes; want %d: %+v", len(p.Nodes), len(addrs), p.Nodes)
	}
	for i, n := range p.Nodes {
		if n.Name != addrs[i] {
			t.Errorf("node %d is named %q; want %q", i, n.Name, addrs[i])
		}
	}
	if n := len(p.Frames); n < 7 {
		t.Fatalf("a 5 s watch at %v has %d frames; want 7 or more", interval, n)
	}

	// The fixture's cores match its loads in every frame.
	fix := p.Nodes[0]
	if fix.Cores != len(loads) || fix.MissedTicks > 0 {
		t.Errorf("fixture node = %+v; want %d cores and no missed tick", fix, len(loads))
	}
	for k, f := range p.Frames {
		for c, want := range loads {
			if got := f.Busy.At(fix.First + c); !(math.Abs(got-want.Load) <= 0.05) {
				t.Errorf("frame %d (%.1f s), fixture core %d = %.3f; want %.2f within 0.05", k, f.T, c, got, want.Load)
			}
		}
	}

	// The real node agrees with corescope's own sampler.
	rn := p.Nodes[1]
	if rn.Cores != len(localMean) {
		t.Fatalf("the real node has %d cores; this machine's sampler saw %d", rn.Cores, len(localMean))
	}
	sum := 0.0
	for c := range rn.Cores {
		watched, n := 0.0, 0
		for _, f := range p.Frames {
			if v := f.Busy.At(rn.First + c); !math.IsNaN(v) {
				watched += v
				n++
			}
		}
		watched /= float64(max(n, 1))
		sum += watched
		t.Logf("real core %d: watch %.3f over %d frames, local sampler %.3f", c, watched, n, localMean[c])
		if math.Abs(watched-localMean[c]) > 0.2 {
			t.Errorf("real core %d: watch saw %.3f busy, the local sampler %.3f; want within 0.2", c, watched, localMean[c])
		}
	}
	if sum < 0.5 {
		t.Errorf("the real node was %.2f cores busy while a goroutine spun; want 0.5 or more", sum)
	}

	// The stopped node is missing from shortly after its stop, never zero.
	dn := p.Nodes[2]
	after := stoppedAt.Seconds() + interval.Seconds() + 0.1 // a tick in flight may still have its answer
	gone := 0
	for _, f := range p.Frames {
		if f.T < after {
			continue
		}
		gone++
		if row := dn.Row(f.Busy); slices.ContainsFunc(row, levels.Level.Known) {
			t.Errorf("frame at %.2f s, after the node stopped at %.2f s, holds %v; want every core Missing", f.T, stoppedAt.Seconds(), row)
		}
	}
	if gone < 3 || dn.MissedTicks < gone || dn.LastError == "" {
		t.Errorf("stopped node = %+v, %d frames after its stop; want them all missed, with why", dn, gone)
	}
	for _, want := range []string{doomed.Addr + " is missing: ", dn.Name + " missed " + fmt.Sprint(dn.MissedTicks)} {
		if !strings.Contains(stderr+stdout, want) {
			t.Errorf("output lacks %q", want)
		}
	}

	// The garbage and silent ports are named, with why, and never had cores.
	for i, why := range map[int]string{3: "no node_cpu_seconds_total", 4: "timed out after 400ms"} {
		n := p.Nodes[i]
		if n.Cores != 0 || n.MissedTicks != len(p.Frames) || !strings.Contains(n.LastError, why) {
			t.Errorf("node %s = %+v; want 0 cores, every tick missed, and an error saying %q", n.Name, n, why)
		}
		if !strings.Contains(stderr, n.Name+" is missing: ") || !strings.Contains(stdout, n.LastError) {
			t.Errorf("output does not name %s as missing with %q", n.Name, n.LastError)
		}
	}
	// The watch went on: the fixture answered to the end.
	if last := p.Frames[len(p.Frames)-1]; !fix.Answered(last.Busy) {
		t.Errorf("last frame has no figure of the fixture node")
	}
}

// meanBusy is node n's mean busy fraction per core over p's frames that
// end between from and to (absolute times), and how many frames gave it.
func meanBusy(p *profile.Profile, n profile.Node, from, to time.Time) ([]float64, int) {
	means := make([]float64, n.Cores)
	frames := 0
	for _, f := range p.Frames {
		at := p.Started.Add(time.Duration(f.T * float64(time.Second)))
		if at.Before(from) || at.After(to) || !n.Answered(f.Busy) {
			continue
		}
		frames++
		for c := range means {
			means[c] += f.Busy.At(n.First + c)
		}
	}
	for c := range means {
		means[c] /= float64(max(frames, 1))
	}
	return means, frames
}

// TestReportPrometheusAgreesWithWatch has a Prometheus server scrape two
// exporters every second while corescope watches them, then reads the same
// seconds back with report --prometheus: the figures agree within 0.1.
func TestReportPrometheusAgreesWithWatch(t *testing.T) {
	t.Parallel()
	loads := []nodestest.Core{{Load: 0.2}, {Load: 0.6}, {Load: 0.9}}
	fixture := nodestest.Exporter(t, nodestest.NewStatFixture(t, loads...).Dir)
	real := nodestest.Exporter(t, "/proc")
	prom := nodestest.Prometheus(t, time.Second, "node", fixture.Addr, real.Addr)

	dir := t.TempDir()
	watched := filepath.Join(dir, "watch.json")
	code, _, stderr := cli("watch", "--node", fixture.Addr, "--node", real.Addr, "--duration", "8s", "--json", watched)
	if code != ExitOK {
		t.Fatalf("watch exit code %d: %s", code, stderr)
	}
	w := loadProfile(t, watched)
	// Compare the seconds both cover: Prometheus' first points need two
	// scrapes in their window, and its last scrape may be a second behind.
	from := w.Started.Add(3 * time.Second)
	to := w.Started.Add(time.Duration(w.Frames[len(w.Frames)-1].T * float64(time.Second))).Add(-time.Second)
	time.Sleep(2 * time.Second) // the server scrapes the watch's last seconds

	history := filepath.Join(dir, "history.json")
	code, stdout, stderr := cli("report", "--prometheus", "http://"+prom.Addr, "--selector", `job="node"`,
		"--from", w.Started.Format(time.RFC3339Nano), "--to", w.Started.Add(10*time.Second).Format(time.RFC3339Nano),
		"--step", "1s", "--json", history, "--csv", filepath.Join(dir, "history.csv"))
	if code != ExitOK {
		t.Fatalf("report --prometheus exit code %d: %s\ntargets: %s", code, stderr, prom.Targets())
	}
	t.Logf("report --prometheus:\n%s", stdout)
	h := loadProfile(t, history)
	if len(h.Nodes) != 2 {
		t.Fatalf("history has nodes %+v; want the two exporters", h.Nodes)
	}
	// Each is concluded where the command shows and saves it: named by its
	// nodes, with the cluster's verdict.
	for _, c := range []struct {
		p    *profile.Profile
		name string
	}{{w, "watch of 2 nodes"}, {h, "history of 2 nodes"}} {
		if v := c.p.Summary.Verdict; c.p.Label != c.name || v == "" || v != runtext.Verdict(c.p) {
			t.Errorf("named %q, verdict %q; want %q and the concluded verdict", c.p.Label, v, c.name)
		}
	}
	if !strings.Contains(stdout, h.Summary.Verdict) {
		t.Errorf("report --prometheus does not show the history's verdict %q", h.Summary.Verdict)
	}
	for _, hn := range h.Nodes {
		i := slices.IndexFunc(w.Nodes, func(n profile.Node) bool { return n.Name == hn.Name })
		if i < 0 || hn.Cores != w.Nodes[i].Cores {
			t.Fatalf("history's node %+v is not one the watch saw: %+v", hn, w.Nodes)
		}
		if !strings.Contains(stdout, hn.Name) {
			t.Errorf("report's table does not name %s", hn.Name)
		}
		seen, wf := meanBusy(w, w.Nodes[i], from, to)
		kept, hf := meanBusy(h, hn, from, to)
		if wf < 3 || hf < 3 {
			t.Fatalf("%s: %d watch frames and %d history frames from %s to %s; want 3 or more of each",
				hn.Name, wf, hf, from.Format(time.TimeOnly), to.Format(time.TimeOnly))
		}
		t.Logf("%s: watch %.3f over %d frames, Prometheus %.3f over %d", hn.Name, seen, wf, kept, hf)
		var ws, hs float64
		for c := range seen {
			ws += seen[c] / float64(len(seen))
			hs += kept[c] / float64(len(seen))
			if hn.Name == fixture.Addr && (math.Abs(seen[c]-loads[c].Load) > 0.05 || math.Abs(kept[c]-loads[c].Load) > 0.1) {
				t.Errorf("fixture core %d: watch %.3f, Prometheus %.3f; want %.2f", c, seen[c], kept[c], loads[c].Load)
			}
		}
		if math.Abs(ws-hs) > 0.1 {
			t.Errorf("%s: watch saw %.3f of each core busy on average, Prometheus %.3f; want within 0.1", hn.Name, ws, hs)
		}
	}
}

// TestRecordWithNodes records a command with a fixture node beside this
// machine: the local machine comes first, the subject's figures are its
// own, and the node's cores hold its loads.
func TestRecordWithNodes(t *testing.T) {
	t.Parallel()
	loads := []nodestest.Core{{Load: 0.3}, {Load: 0.8}}
	fixture := nodestest.Exporter(t, nodestest.NewStatFixture(t, loads...).Dir)
	path := filepath.Join(t.TempDir(), "record.json")
	code, stdout, stderr := cli("record", "--node", fixture.Addr, "--interval", "200ms", "--json", path, "--", "sleep", "1.5")
	if code != ExitOK {
		t.Fatalf("record exit code %d: %s", code, stderr)
	}
	p := loadProfile(t, path)
	if len(p.Nodes) != 2 || p.Nodes[0].URL != "" || p.Nodes[0].Name != p.Machine.Hostname || p.Nodes[1].Name != fixture.Addr {
		t.Fatalf("nodes = %+v; want this machine (%s) then %s", p.Nodes, p.Machine.Hostname, fixture.Addr)
	}
	local, remote := p.Nodes[0], p.Nodes[1]
	if local.Cores != p.Machine.LogicalCores || remote.Cores != len(loads) || remote.First != local.Cores {
		t.Errorf("layout = %+v; want %d local cores then %d", p.Nodes, p.Machine.LogicalCores, len(loads))
	}
	if strings.Contains(p.Summary.AttributionNote, fmt.Sprintf("CPU %d:", local.Cores)) {
		t.Errorf("attribution note %q: the subject's per-core clocks were opened on the other node's cores", p.Summary.AttributionNote)
	}
	if p.Summary.PeakBusyCores > float64(local.Cores)+0.01 {
		t.Errorf("peak busy cores %.2f is more than this machine's %d: the node's cores were counted as the machine's", p.Summary.PeakBusyCores, local.Cores)
	}
	measured := 0
	for k, f := range p.Frames {
		if len(f.SubjectBusy) > 0 {
			if len(f.SubjectBusy) != len(f.Busy) || slices.ContainsFunc(remote.Row(f.SubjectBusy), levels.Level.Known) {
				t.Errorf("frame %d: subject_busy %v; want Missing on the node's cores", k, f.SubjectBusy)
			}
		}
		if !remote.Answered(f.Busy) {
			continue
		}
		measured++
		for c, want := range loads {
			if got := f.Busy.At(remote.First + c); math.Abs(got-want.Load) > 0.06 {
				t.Errorf("frame %d, node core %d = %.3f; want %.2f within 0.06 (0.05 and a 10 ms step at 200 ms)", k, c, got, want.Load)
			}
		}
	}
	// Each tick's request has 160 ms (80% of the interval): on a busy
	// machine node_exporter may answer later, and the tick is missed, saying
	// why. The first frame may lack the node (its baseline).
	if missed := len(p.Frames) - measured; measured < 2 || missed > remote.MissedTicks+1 {
		t.Errorf("the node gave figures in %d of %d frames, %d ticks counted missed (%s); want figures in the others",
			measured, len(p.Frames), remote.MissedTicks, remote.LastError)
	} else if missed > 1 {
		t.Logf("the node missed %d ticks: %s", remote.MissedTicks, remote.LastError)
	}
	if !strings.Contains(stdout, fixture.Addr) || !strings.Contains(stdout, "verdict") {
		t.Errorf("stdout lacks the subject's summary or the node's line:\n%s", stdout)
	}
}

// TestWatchEndsOnSignal stops a watch as Ctrl-C and kill do: it ends
// cleanly, prints its table and writes its files.
func TestWatchEndsOnSignal(t *testing.T) {
	t.Parallel()
	fixture := nodestest.Exporter(t, nodestest.NewStatFixture(t, nodestest.Core{Load: 0.5}).Dir)
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "watch.json")
			cmd := exec.Command(os.Args[0], "watch", "--node", fixture.Addr, "--interval", "200ms", "--json", path)
			cmd.Env = append(os.Environ(), cliEnv+"=1")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cmd.Process.Kill() })
			time.Sleep(1500 * time.Millisecond)
			cmd.Process.Signal(sig)
			if err := cmd.Wait(); err != nil {
				t.Fatalf("watch ended with %v after %v; want exit 0\n%s", err, sig, stderr.String())
			}
			p := loadProfile(t, path)
			if len(p.Frames) < 3 || !strings.Contains(stdout.String(), fixture.Addr) {
				t.Errorf("after %v: %d frames, stdout %q; want the frames so far and the node's line", sig, len(p.Frames), stdout.String())
			}
		})
	}
}

// TestWatchOfNoAnswerFails: a watch in which no node ever answered still
// writes its file, and exits 1 saying so, for scripts.
func TestWatchOfNoAnswerFails(t *testing.T) {
	t.Parallel()
	addr := nodestest.RefusingAddr(t)
	path := filepath.Join(t.TempDir(), "watch.json")
	code, stdout, stderr := cli("watch", "--node", addr, "--interval", "200ms", "--duration", "1s", "--json", path)
	if code != ExitFailed || !strings.Contains(stderr, "no node gave a figure in ") {
		t.Errorf("exit code %d, stderr %q; want 1 and why", code, stderr)
	}
	if p := loadProfile(t, path); p.Nodes[0].MissedTicks != len(p.Frames) || !strings.Contains(stdout, "connection refused") {
		t.Errorf("nodes %+v, stdout %q; want every tick missed, and why", p.Nodes, stdout)
	}
}

// TestReportPrometheusEndsOnSignal: Ctrl-C ends report --prometheus at a
// server that never answers at once, saying so (the server has 2 minutes).
func TestReportPrometheusEndsOnSignal(t *testing.T) {
	t.Parallel()
	server := "http://" + nodestest.SilentAddr(t)
	cmd := exec.Command(os.Args[0], "report", "--prometheus", server, "--from", "-1h", "--to", "now")
	cmd.Env = append(os.Environ(), cliEnv+"=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	time.Sleep(500 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		want := "--prometheus " + server + ": stopped before it answered"
		if code := cmd.ProcessState.ExitCode(); err == nil || code != ExitFailed || !strings.Contains(stderr.String(), want) {
			t.Errorf("after Ctrl-C: %v, exit code %d, stderr %q; want %d and %q", err, code, stderr.String(), ExitFailed, want)
		}
	case <-time.After(10 * time.Second): // a hang guard, far below the server's 2 minutes
		t.Fatalf("report --prometheus has not ended 10 s after Ctrl-C")
	}
}
