package nodes

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The real programs the tests run, as Debian installs them (make deps).
const (
	exporterBin   = "/usr/bin/prometheus-node-exporter"
	prometheusBin = "/usr/bin/prometheus"
)

// program is a real exporter or server started by a test on a loopback port.
type program struct {
	addr   string // 127.0.0.1:port
	cmd    *exec.Cmd
	log    syncBuffer    // its stderr, shown when a test fails
	exited chan struct{} // closed when it has ended
	once   sync.Once
}

// stop ends the program; a test may stop it early, cleanup stops it anyway.
func (p *program) stop() {
	p.once.Do(func() {
		p.cmd.Process.Kill()
		<-p.exited
	})
}

// start runs bin with args (where "ADDR" stands for a free loopback
// address) and waits until ready answers 200 at that address, or fails the
// test with the program's log. A missing program skips the test.
func start(t *testing.T, bin, ready string, args ...string) *program {
	t.Helper()
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("%s is not installed (make deps installs it): %v", bin, err)
	}
	p := &program{addr: freeAddr(t), exited: make(chan struct{})}
	for i, a := range args {
		args[i] = strings.ReplaceAll(a, "ADDR", p.addr)
	}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Stderr = &p.log
	dieWithTest(p.cmd)
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	go func() { p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(p.stop)
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-p.exited:
			t.Fatalf("%s %s ended before answering %s:\n%s", bin, strings.Join(args, " "), ready, p.log.String())
		default:
		}
		resp, err := http.Get("http://" + p.addr + ready)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			p.stop()
			t.Fatalf("%s did not answer %s within 30 s: %v\n%s", bin, ready, err, p.log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

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

// usedPorts are the ports freeAddr handed out in this test binary: a port
// closed by one parallel test may be the next one the kernel gives another,
// and two programs told the same port would answer for each other.
var usedPorts sync.Map

// freeAddr is a loopback address no one listens on right now and no other
// test of this binary was given.
func freeAddr(t *testing.T) string {
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

// startExporter runs node_exporter with only its cpu collector, on procfs.
// A fixture folder needs only stat (node_exporter 1.5.0): --collector.cpu.info
// would also read cpuinfo, and without one the whole cpu collector fails.
func startExporter(t *testing.T, procfs string) *program {
	return start(t, exporterBin, "/metrics",
		"--web.listen-address=ADDR", "--collector.disable-defaults", "--collector.cpu",
		"--path.procfs="+procfs)
}

// fixtureCore is one core of a statFixture: its busy fraction, or frozen
// (counters that never move).
type fixtureCore struct {
	load   float64
	frozen bool
}

// statFixture is a /proc/stat whose cores' counters advance with known loads,
// rewritten every 100 ms (whole: written aside, then renamed) until the test
// ends.
type statFixture struct {
	dir   string
	cores []fixtureCore
	start time.Time
}

// newStatFixture writes the first stat in a new folder and keeps advancing it.
func newStatFixture(t *testing.T, cores ...fixtureCore) *statFixture {
	f := &statFixture{dir: t.TempDir(), cores: cores, start: time.Now()}
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

// write puts the counters as of now in dir/stat. Counters are in whole
// 10 ms ticks as the kernel's: a core of load l has floor(l*T) busy ticks of
// T, split among user, system, irq and steal, and the rest split among idle
// and iowait, each part growing monotonically.
func (f *statFixture) write() error {
	ticks := uint64(time.Since(f.start) / (10 * time.Millisecond))
	var lines []string
	var sum [10]uint64
	for i, c := range f.cores {
		base := uint64(100000 + 1000*i) // a node that has been up a while
		var v [10]uint64                // user nice system idle iowait irq softirq steal guest guest_nice
		if !c.frozen {
			busyT := uint64(c.load * float64(ticks))
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
	tmp := filepath.Join(f.dir, ".stat.tmp")
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(f.dir, "stat"))
}
