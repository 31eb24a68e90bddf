package nodestest

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// FakeNode is an in-process server standing for a node_exporter that is
// broken or hostile: it answers what a test's function writes, on a
// loopback port, ended with the test.
type FakeNode struct {
	Addr     string // 127.0.0.1:port, as --node takes it
	URL      string // http://127.0.0.1:port
	requests atomic.Int64
}

// Requests is how many requests the node has been sent so far.
func (f *FakeNode) Requests() int { return int(f.requests.Load()) }

// NewFakeNode serves answer at every path; answer gets the request's number
// (1 for the first), so counters can grow from one request to the next.
func NewFakeNode(t testing.TB, answer func(w http.ResponseWriter, r *http.Request, n int)) *FakeNode {
	f := &FakeNode{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		answer(w, r, int(f.requests.Add(1)))
	}))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	f.Addr = strings.TrimPrefix(srv.URL, "http://")
	return f
}

// CPUAnswer is the node_cpu_seconds_total family node_exporter writes for
// cpus cores labelled "0" to cpus-1, with the given modes, each at n
// seconds: every mode grows alike, so between two answers every core is
// busy in the share of modes that are not idle or iowait.
func CPUAnswer(cpus int, modes []string, n int) []byte {
	var b strings.Builder
	b.Grow(cpus * len(modes) * 60)
	b.WriteString("# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.\n# TYPE node_cpu_seconds_total counter\n")
	for cpu := range cpus {
		for _, mode := range modes {
			fmt.Fprintf(&b, "node_cpu_seconds_total{cpu=\"%d\",mode=%q} %d\n", cpu, mode, n)
		}
	}
	return []byte(b.String())
}

// ServeText writes body as node_exporter does, with its Content-Type.
func ServeText(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Write(body)
}

// HalfBusy are a busy and an idle mode: between two answers of CPUAnswer
// with them, every core is half busy.
var HalfBusy = []string{"user", "idle"}

// HalfBusyNode is a fake node_exporter of cpus cores, each half busy.
func HalfBusyNode(t testing.TB, cpus int) *FakeNode {
	return NewFakeNode(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		ServeText(w, CPUAnswer(cpus, HalfBusy, n))
	})
}

// StaticNode is a fake node that answers body, in the text format, to
// every request.
func StaticNode(t testing.TB, body []byte) *FakeNode {
	return NewFakeNode(t, func(w http.ResponseWriter, _ *http.Request, _ int) { ServeText(w, body) })
}

// SilentAddr is a loopback address that accepts connections and never
// answers, until the test ends.
func SilentAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var held []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})
	return l.Addr().String()
}
