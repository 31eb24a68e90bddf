package nodestest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// The programs, where Debian installs them (make deps).
const (
	ExporterBin   = "/usr/bin/prometheus-node-exporter"
	PrometheusBin = "/usr/bin/prometheus"
)

// Program is an exporter or server a test started on a loopback port.
type Program struct {
	Addr   string // 127.0.0.1:port
	cmd    *exec.Cmd
	log    syncBuffer    // its stderr
	exited chan struct{} // closed when it has ended
	once   sync.Once
}

// Stop ends the program (a node going down mid-run); cleanup stops it
// anyway.
func (p *Program) Stop() {
	p.once.Do(func() {
		p.cmd.Process.Kill()
		<-p.exited
	})
}

// Log is what the program wrote on stderr so far, for a failing test.
func (p *Program) Log() string { return p.log.String() }

// Start runs bin with args, where "ADDR" stands for a free loopback
// address, and waits until it answers 200 at ready there, or fails the test
// with the program's log. A missing program skips the test. A free port
// may be taken before the program binds it (by another test binary on the
// machine): the program then exits, and Start tries another port, up to 5
// times, saying so; an answer from a program other than its own is not
// taken for it.
func Start(t testing.TB, bin, ready string, args ...string) *Program {
	t.Helper()
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("%s is not installed (make deps installs it): %v", bin, err)
	}
	for attempt := 1; ; attempt++ {
		p, err := start(t, bin, ready, args)
		if err == nil {
			return p
		}
		if !errors.Is(err, errPortTaken) || attempt == 5 {
			t.Fatal(err)
		}
		t.Logf("attempt %d: %v; trying another port", attempt, err)
	}
}

// errPortTaken is a program's failure to bind the port it was given.
var errPortTaken = errors.New("its port was taken")

// start is one attempt of Start's, on a new port.
func start(t testing.TB, bin, ready string, args []string) (*Program, error) {
	t.Helper()
	p := &Program{Addr: FreeAddr(t), exited: make(chan struct{})}
	args = append([]string(nil), args...)
	for i, a := range args {
		args[i] = strings.ReplaceAll(a, "ADDR", p.Addr)
	}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Stderr = &p.log
	dieWithParent(p.cmd)
	started := make(chan error, 1)
	go func() {
		// Linux's Pdeathsig fires when the thread that started the child
		// exits, not the process: a server started on a thread the
		// runtime retired was killed mid-test. This goroutine keeps its
		// thread for the child's whole life.
		runtime.LockOSThread()
		if err := p.cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		p.cmd.Wait()
		close(p.exited)
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("starting %s: %v", bin, err)
	}
	t.Cleanup(p.Stop)
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-p.exited:
			if strings.Contains(p.Log(), "address already in use") {
				return nil, fmt.Errorf("%s on %s: %w", bin, p.Addr, errPortTaken)
			}
			return nil, fmt.Errorf("%s %s ended before answering %s:\n%s", bin, strings.Join(args, " "), ready, p.Log())
		default:
		}
		resp, err := http.Get("http://" + p.Addr + ready)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && listensOn(p.cmd.Process.Pid, p.Addr) {
				return p, nil
			}
		}
		if time.Now().After(deadline) {
			p.Stop()
			return nil, fmt.Errorf("%s did not answer %s within 30 s: %v\n%s", bin, ready, err, p.Log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Exporter runs node_exporter with only its cpu collector, on procfs: "/proc"
// for the real machine, or a StatFixture's Dir. A fixture folder needs only
// stat (node_exporter 1.5.0): --collector.cpu.info would also read cpuinfo,
// and without one the whole cpu collector fails.
func Exporter(t testing.TB, procfs string) *Program {
	return Start(t, ExporterBin, "/metrics",
		"--web.listen-address=ADDR", "--collector.disable-defaults", "--collector.cpu",
		"--path.procfs="+procfs)
}

// Prometheus runs a Prometheus server, its storage in a temporary folder,
// scraping targets (host:port) as job every interval, and waits until it has
// scraped each of them once: it starts scraping only when its target
// discovery settles, about 5 s after it says it is ready.
func Prometheus(t testing.TB, interval time.Duration, job string, targets ...string) *Program {
	t.Helper()
	dir := t.TempDir()
	config := filepath.Join(dir, "prometheus.yml")
	quoted, _ := json.Marshal(targets) // a YAML flow sequence
	err := os.WriteFile(config, fmt.Appendf(nil, `global:
  scrape_interval: %v
  scrape_timeout: %v
scrape_configs:
  - job_name: %q
    static_configs:
      - targets: %s
`, interval, interval*8/10, job, quoted), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	p := Start(t, PrometheusBin, "/-/ready", "--config.file="+config,
		"--storage.tsdb.path="+filepath.Join(dir, "data"), "--web.listen-address=ADDR")
	want := len(targets)
	deadline := time.Now().Add(20 * time.Second)
	for {
		if n, err := p.count(fmt.Sprintf(`up{job=%q} == 1`, job)); err == nil && n == want {
			return p
		} else if time.Now().After(deadline) {
			t.Fatalf("Prometheus has scraped %d of %d targets after 20 s (%v); its targets: %s\n%s",
				n, want, err, p.get("/api/v1/targets"), p.Log())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// count is how many series an instant query answers.
func (p *Program) count(query string) (int, error) {
	resp, err := http.Get("http://" + p.Addr + "/api/v1/query?query=" + url.QueryEscape(query))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var ans struct {
		Data struct{ Result []json.RawMessage } `json:"data"`
	}
	err = json.NewDecoder(resp.Body).Decode(&ans)
	return len(ans.Data.Result), err
}

// get is the body at path, for a failing test's message.
func (p *Program) get(path string) string {
	resp, err := http.Get("http://" + p.Addr + path)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return b.String()
}

// Targets is the server's /api/v1/targets answer, for a failing test's
// message.
func (p *Program) Targets() string { return p.get("/api/v1/targets") }

// syncBuffer is a bytes.Buffer a program's output goroutine may write while
// a test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// usedPorts are the ports FreeAddr handed out in this test binary: a port
// closed by one parallel test may be the next one the kernel gives another,
// and two programs told the same port would answer for each other.
var usedPorts sync.Map

// FreeAddr is a loopback address no one listens on right now and no other
// test of this binary was given, for a program to listen on (see Start).
// A test that needs an address no one answers takes RefusingAddr's.
func FreeAddr(t testing.TB) string {
	t.Helper()
	for {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		if _, taken := usedPorts.LoadOrStore(addr, true); !taken {
			return addr
		}
	}
}

// Core is one core of a StatFixture: its busy fraction 0..1, or Frozen
// (counters that never move, which give no figure).
type Core struct {
	Load   float64
	Frozen bool
}

// StatFixture is a /proc/stat in Dir whose cores' counters advance with
// known loads, rewritten every 100 ms (whole: written aside, then renamed)
// until the test ends.
type StatFixture struct {
	Dir   string
	Cores []Core
	start time.Time
}

// NewStatFixture writes the first stat in a new folder and keeps advancing
// it.
func NewStatFixture(t testing.TB, cores ...Core) *StatFixture {
	f := &StatFixture{Dir: t.TempDir(), Cores: cores, start: time.Now()}
	if err := f.write(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if err := f.write(); err != nil {
					t.Error(err)
					return
				}
			}
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	return f
}

// write puts the counters as of now in Dir/stat. Counters are in whole
// 10 ms ticks as the kernel's: a core of load l has floor(l*T) busy ticks of
// T, split among user, system, irq and steal, and the rest split among idle
// and iowait, each part growing monotonically. T is the time since the
// start rounded to the 100 ms of a rewrite, so that any two states differ
// by whole rewrites: a rewrite the test's goroutine made late (on a busy
// machine) would otherwise add 9 or 11 ticks, and a load of 0.8 would read
// 0.89 or 0.73 between it and the next.
func (f *StatFixture) write() error {
	ticks := 10 * uint64(math.Round(float64(time.Since(f.start))/float64(100*time.Millisecond)))
	var lines []string
	var sum [10]uint64
	for i, c := range f.Cores {
		base := uint64(100000 + 1000*i) // a node that has been up a while
		var v [10]uint64                // user nice system idle iowait irq softirq steal guest guest_nice
		if !c.Frozen {
			busyT := uint64(c.Load * float64(ticks))
			idleT := ticks - busyT
			v[0] = busyT * 6 / 10
			rest := busyT - v[0]
			v[2] = rest / 2
			rest -= v[2]
			v[5] = rest / 2
			v[7] = rest - v[5]
			v[4] = idleT * 3 / 10
			v[3] = idleT - v[4]
		}
		v[0] += base
		v[3] += base
		line := fmt.Sprintf("cpu%d", i)
		for k, x := range v {
			line += fmt.Sprintf(" %d", x)
			sum[k] += x
		}
		lines = append(lines, line)
	}
	total := "cpu "
	for _, x := range sum {
		total += fmt.Sprintf(" %d", x)
	}
	text := total + "\n" + strings.Join(lines, "\n") +
		"\nintr 0\nctxt 0\nbtime 1700000000\nprocesses 1\nprocs_running 1\nprocs_blocked 0\n"
	tmp := filepath.Join(f.Dir, ".stat.tmp")
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(f.Dir, "stat"))
}
