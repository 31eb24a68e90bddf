package nodes

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"corescope/levels"
	"corescope/nodes/nodestest"
)

// scrapeGuarded is s.Scrape, failing the test if it has not returned ten
// seconds after its timeout: a hang guard.
func scrapeGuarded(t *testing.T, ctx context.Context, s *Scraper) (Tick, error) {
	t.Helper()
	type result struct {
		tick Tick
		err  error
	}
	done := make(chan result, 1)
	go func() {
		tick, err := s.Scrape(ctx)
		done <- result{tick, err}
	}()
	select {
	case r := <-done:
		return r.tick, r.err
	case <-time.After(s.timeout + 10*time.Second):
		t.Fatalf("Scrape has not returned 10 s after its timeout of %v", s.timeout)
		return Tick{}, nil
	}
}

// TestScraperRefusesNodeOfTooManyCores: a node that lists 100,000 cpu
// labels (11 MB, under the answer's cap) is refused by counting, with an
// error naming it and the limit, on every tick, and the other node's ticks
// go on. It took 27.7 s a tick, for both nodes, when the cores' labels were
// collected by a linear search each.
func TestScraperRefusesNodeOfTooManyCores(t *testing.T) {
	t.Parallel()
	good := nodestest.HalfBusyNode(t, 4)
	hostileAnswer := nodestest.CPUAnswer(100_000, nodestest.HalfBusy, 1)
	if len(hostileAnswer) >= maxAnswer {
		t.Fatalf("the hostile answer is %d bytes; want it under the %d cap", len(hostileAnswer), maxAnswer)
	}
	hostile := nodestest.StaticNode(t, hostileAnswer)
	// Scraped one tick after another: the interval only sets the timeout,
	// long enough for a loaded machine.
	s, err := NewScraper([]string{good.Addr, hostile.Addr}, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const ticks = 4
	for k := range ticks {
		tick, err := scrapeGuarded(t, context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		if r := tick.Nodes[0]; r.Err != nil || len(r.Busy) != 4 || (k > 0 && r.Busy.At(0) != levels.Of(0.5).Fraction()) {
			t.Errorf("tick %d: the good node's row %v, error %v; want 4 cores half busy", k, r.Busy, r.Err)
		}
		r := tick.Nodes[1]
		if r.Err == nil || !strings.HasPrefix(r.Err.Error(), hostile.Addr+": ") || !strings.Contains(r.Err.Error(), "8192 cores") {
			t.Errorf("tick %d: the hostile node's error %v; want one naming %s and the limit of 8192 cores", k, r.Err, hostile.Addr)
		}
		if len(r.Busy) != 0 {
			t.Errorf("tick %d: the hostile node has a row of %d cores; want none", k, len(r.Busy))
		}
	}
	if got := hostile.Requests(); got != ticks {
		t.Errorf("the hostile node was asked %d times in %d ticks; want once a tick", got, ticks)
	}
	t.Logf("the hostile node's error: %v", s.tick.Nodes[1].Err)
}

// linuxModes are the modes node_exporter gives a core on Linux.
var linuxModes = []string{"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"}

// TestAnswerLimits reads answers at and beyond each limit of one node's
// answer: the largest node is laid out, anything beyond is refused by
// counting, with an error naming the limit, before the text parser sees a
// line; samples that cannot be counted are refused, naming cpu and mode.
func TestAnswerLimits(t *testing.T) {
	t.Parallel()
	largest := nodestest.CPUAnswer(maxCores, linuxModes, 1)
	sample := func(labels, value string) string {
		return "node_cpu_seconds_total{" + labels + "} " + value + "\n"
	}
	manyLabels := `cpu="0",mode="idle"`
	for i := range maxLabels - 2 {
		manyLabels += fmt.Sprintf(",l%d=\"x\"", i)
	}
	for _, c := range []struct {
		name, body, want string
	}{
		{"the largest node", string(largest), ""},
		{"one sample more", string(largest) + sample(`cpu="0",mode="guest"`, "1"), "more than 65536 node_cpu_seconds_total samples, 8 modes of each of 8192 cores"},
		{"one core more", string(nodestest.CPUAnswer(maxCores+1, []string{"idle"}, 1)), "more than 8192 cores"},
		{"a huge cpu label", sample(`cpu="`+strings.Repeat("7", maxLine)+`",mode="idle"`, "1"), "line is 1068 bytes long; corescope reads lines of up to 1024"},
		{"a huge help text", "# HELP node_cpu_seconds_total " + strings.Repeat("x", maxLine) + "\n" + sample(`cpu="0",mode="idle"`, "1"), "line is 1054 bytes long"},
		{"16 labels", sample(manyLabels, "1"), ""},
		{"17 labels", sample(manyLabels+`,l99="x"`, "1"), "has 17 labels or more; corescope reads up to 16"},
		{"a core's mode twice", sample(`cpu="3",mode="idle"`, "1") + sample(`cpu="3",mode="idle",proxy="b"`, "1"), `node_cpu_seconds_total of cpu "3", mode "idle", is given twice`},
		{"NaN", sample(`cpu="0",mode="user"`, "NaN"), `cpu "0", mode "user", is NaN; a counter of seconds is a number from 0 to 2^53`},
		{"+Inf", sample(`cpu="0",mode="user"`, "+Inf"), `is +Inf; a counter of seconds`},
		{"negative", sample(`cpu="0",mode="user"`, "-3"), `is -3; a counter of seconds`},
		{"beyond exact seconds", sample(`cpu="0",mode="user"`, "1e300"), `is 1e+300; a counter of seconds`},
		{"the most exact seconds", sample(`cpu="0",mode="user"`, "9007199254740992"), ""},
	} {
		n := &nodeState{parser: newCountersParser()}
		n.body.WriteString(c.body)
		err := n.read(context.Background())
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v; want it read", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v; want an error saying %q", c.name, err, c.want)
		case c.want != "" && n.node.CPUs != nil:
			t.Errorf("%s: refused, yet laid out as %d cores", c.name, len(n.node.CPUs))
		}
	}
}

// TestParseEndsWithItsContext: a tick's end (or Ctrl-C) stops the parse of
// an answer, both in picking its CPU lines out (the largest node's) and in
// the text parser (a 64-core node's, whose lines are picked out first), and
// nothing is laid out.
func TestParseEndsWithItsContext(t *testing.T) {
	t.Parallel()
	real64, err := os.ReadFile("testdata/node-exporter-64cpu.prom")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if lines, err := cpuLines(ctx, nil, nodestest.CPUAnswer(maxCores, linuxModes, 1)); !errors.Is(err, context.Canceled) {
		t.Errorf("cpuLines of the largest node with its context done = %v, %d bytes; want context.Canceled", err, len(lines))
	}
	n := &nodeState{parser: newCountersParser()}
	n.body.Write(real64)
	if err := n.read(ctx); !errors.Is(err, context.Canceled) || n.node.CPUs != nil {
		t.Errorf("read of 64 cores with its context done = %v, %d cores; want context.Canceled and none", err, len(n.node.CPUs))
	}
}

// matrixAnswer is a query_range answer of one node's one core, half busy at
// every second from 1000 to 1002.
const matrixAnswer = `{"status":"success","data":{"resultType":"matrix","result":[` +
	`{"metric":{"instance":"n:9100","cpu":"0"},"values":[[1000,"0.5"],[1001,"0.5"],[1002,"0.5"]]}]}}`

// historyQuery is a query of 1000..1002 at 1 s steps, its scrape interval
// given so that only query_range is asked.
func historyQuery(server string) HistoryQuery {
	return HistoryQuery{Server: server, From: time.Unix(1000, 0), To: time.Unix(1002, 0), Step: time.Second, ScrapeInterval: time.Second}
}

// TestRedirectsAreRefused: a node, or a Prometheus server, that redirects
// elsewhere gets an error naming it and where it pointed, and the other
// machine is never asked. A node that redirected to another was read, and
// its figures shown as the first node's.
func TestRedirectsAreRefused(t *testing.T) {
	t.Parallel()
	other := nodestest.HalfBusyNode(t, 4)
	redirecting := nodestest.NewFakeNode(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		http.Redirect(w, r, other.URL+"/metrics", http.StatusFound)
	})
	s, err := NewScraper([]string{redirecting.Addr}, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for k := range 2 {
		tick, err := s.Scrape(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := redirecting.Addr + ": it redirects to " + other.URL + "/metrics (HTTP 302 Found)"
		if r := tick.Nodes[0]; r.Err == nil || !strings.HasPrefix(r.Err.Error(), want) || len(r.Busy) != 0 {
			t.Errorf("tick %d: %v, row %v; want an error starting %q, and no row", k, r.Err, r.Busy, want)
		}
	}

	otherServer := nodestest.NewFakeNode(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, matrixAnswer)
	})
	redirectingServer := nodestest.NewFakeNode(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		http.Redirect(w, r, otherServer.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	})
	if h, err := QueryHistory(context.Background(), historyQuery(otherServer.URL)); err != nil || len(h.Nodes) != 1 {
		t.Fatalf("the server redirected to: %v, %v; want its one node", h, err)
	}
	_, err = QueryHistory(context.Background(), historyQuery(redirectingServer.URL))
	want := "--prometheus " + redirectingServer.URL + ": it redirects to " + otherServer.URL + "/api/v1/query_range (HTTP 307 Temporary Redirect)"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("QueryHistory of a server that redirects = %v; want an error starting %q", err, want)
	}
	if other.Requests() != 0 || otherServer.Requests() != 1 {
		t.Errorf("the machines redirected to were asked %d and %d times; want 0 and 1 (by the test itself)", other.Requests(), otherServer.Requests())
	}
	t.Logf("%v\n%v", s.tick.Nodes[0].Err, err)
}

// TestHistoryEndsOnTime: a Prometheus server that accepts and never
// answers, or trickles its answer, ends the query with an error naming it
// and the timeout; Ctrl-C (ctx) ends it at once; an answer that says it is
// larger than the bound is refused before it is read. A silent server held
// report --prometheus forever.
func TestHistoryEndsOnTime(t *testing.T) {
	t.Parallel()
	silent := "http://" + nodestest.SilentAddr(t)
	trickle := nodestest.NewFakeNode(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		for r.Context().Err() == nil { // one byte of JSON whitespace every 50 ms
			w.Write([]byte(" "))
			w.(http.Flusher).Flush()
			time.Sleep(50 * time.Millisecond)
		}
	})
	huge := nodestest.NewFakeNode(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("Content-Length", fmt.Sprint(maxHistoryAnswer+1))
		w.Write([]byte(`{"status":"success",`))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	query := func(server string, timeout time.Duration) HistoryQuery {
		q := historyQuery(server)
		q.Timeout = timeout
		return q
	}
	for _, c := range []struct {
		name        string
		q           HistoryQuery
		cancelAfter time.Duration
		want        string
	}{
		{"silent", query(silent, 500*time.Millisecond), 0, "--prometheus " + silent + ": no answer within 500ms"},
		{"trickling", query(trickle.URL, 500*time.Millisecond), 0, "--prometheus " + trickle.URL + ": no answer within 500ms"},
		{"Ctrl-C", query(silent, 0), 300 * time.Millisecond, "--prometheus " + silent + ": stopped before it answered"},
		{"huge", query(huge.URL, 0), 0, "--prometheus " + huge.URL + ": the answer is larger than 256 MiB"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if c.cancelAfter > 0 {
				time.AfterFunc(c.cancelAfter, cancel)
			}
			done := make(chan error, 1)
			go func() {
				_, err := QueryHistory(ctx, c.q)
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.HasPrefix(err.Error(), c.want) {
					t.Errorf("QueryHistory = %v; want an error starting %q", err, c.want)
				}
				t.Log(err)
			case <-time.After(30 * time.Second): // a hang guard: 60 times the timeout
				t.Fatalf("QueryHistory has not returned after 30 s")
			}
		})
	}
	if DefaultHistoryTimeout != 2*time.Minute {
		t.Errorf("DefaultHistoryTimeout = %v; want Prometheus' own query timeout, 2m", DefaultHistoryTimeout)
	}
}

// TestReadAnswerIsBounded: an answer of undeclared length is read up to
// the bound and refused beyond it.
func TestReadAnswerIsBounded(t *testing.T) {
	var buf bytes.Buffer
	for _, c := range []struct {
		size int
		want string
	}{{1 << 20, ""}, {1<<20 + 1, "the answer is larger than 1 MiB"}} {
		resp := &http.Response{ContentLength: -1, Body: io.NopCloser(bytes.NewReader(make([]byte, c.size)))}
		err := readAnswer(&buf, resp, 1<<20)
		if (c.want == "") != (err == nil) || err != nil && err.Error() != c.want || c.want == "" && buf.Len() != c.size {
			t.Errorf("readAnswer of %d bytes, at most 1 MiB = %v, %d read; want %q", c.size, err, buf.Len(), c.want)
		}
	}
}

// TestHistoryRefusesWhatItCannotLayOut: series that cannot be laid out as
// nodes' cores, or more than the limits, are refused naming what is wrong,
// before the figures' arrays are made; a hostile server's empty series
// could ask for terabytes of them, and a series given twice overwrote the
// first.
func TestHistoryRefusesWhatItCannotLayOut(t *testing.T) {
	t.Parallel()
	series := func(inst string, cpus int) []seriesJSON {
		out := make([]seriesJSON, cpus)
		for c := range out {
			out[c] = seriesJSON{Metric: map[string]string{"instance": inst, "cpu": fmt.Sprint(c)}}
		}
		return out
	}
	var manyNodes []seriesJSON
	for i := range maxNodes + 1 {
		manyNodes = append(manyNodes, series(fmt.Sprintf("n%d:9100", i), 1)...)
	}
	short := historyQuery("")
	long := short // 10,001 ticks
	long.To = long.From.Add(10_000 * time.Second)
	for _, c := range []struct {
		name   string
		series []seriesJSON
		q      HistoryQuery
		want   string
	}{
		{"largest node", series("a:9100", maxCores), short, ""},
		{"a core more", series("a:9100", maxCores+1), short, `instance "a:9100" has more than 8192 cores, the most corescope reads of a node`},
		{"most nodes", manyNodes[:maxNodes], short, ""},
		{"a node more", manyNodes, short, "the answer holds more than 1024 nodes, the most corescope reads"},
		{"most figures", series("a:9100", maxCells/10_001), long, ""},
		{"a core more than the figures allow", series("a:9100", maxCells/10_001+1), long,
			"the answer holds 1678 cores over 10001 ticks: more than the 16777216 figures corescope holds; ask for less"},
		{"twice", append(series("a:9100", 2), series("a:9100", 2)[1]), short, `instance "a:9100", cpu "1", is answered twice`},
		{"no instance", series("", 1), short, `a series has no instance or cpu label`},
		{"no cpu", []seriesJSON{{Metric: map[string]string{"instance": "a:9100"}}}, short, `a series has no instance or cpu label`},
		{"huge instance", series(strings.Repeat("a", maxLine+1), 1), short, "a series' instance label is 1025 bytes long; corescope reads labels of up to 1024"},
	} {
		h, err := historyOf(c.series, c.q)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v; want it laid out", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v; want an error saying %q", c.name, err, c.want)
		case c.want != "" && h != nil:
			t.Errorf("%s: refused, yet laid out", c.name)
		}
	}
}

// TestNodeKeepsNoLargeAnswer: a node whose answer is large (the largest
// node's, 4.3 MB) is read, and its buffers are let go after the tick
// rather than held by every node for the watch's life.
func TestNodeKeepsNoLargeAnswer(t *testing.T) {
	t.Parallel()
	large := nodestest.NewFakeNode(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		nodestest.ServeText(w, nodestest.CPUAnswer(maxCores, linuxModes, n))
	})
	small := nodestest.HalfBusyNode(t, 64)
	s, err := NewScraper([]string{large.Addr, small.Addr}, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tick, err := scrapeGuarded(t, context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if r := tick.Nodes[0]; r.Err != nil || len(r.Busy) != maxCores {
		t.Fatalf("the large node: %v, %d cores; want %d", r.Err, len(r.Busy), maxCores)
	}
	for i, n := range s.nodes {
		if kept := n.body.Cap() + cap(n.parser.lines); kept > 2*keepAnswer || len(n.parser.seen) > keepAnswer/60 {
			t.Errorf("node %d keeps %d bytes of its answer and %d samples' names between ticks; want at most %d and %d",
				i, kept, len(n.parser.seen), 2*keepAnswer, keepAnswer/60)
		}
	}
	if small := s.nodes[1]; small.body.Cap() == 0 || small.parser.seen == nil {
		t.Errorf("the small node let its buffers go; want them kept for the next tick")
	}
}

// TestMeasuredScrapeIntervalIsSane: gaps between a server's samples longer
// than the ten minutes asked for cannot be its scrape interval, and a time
// beyond any clock is not read. A server answering samples three hours
// apart made every point's rate window three hours long.
func TestMeasuredScrapeIntervalIsSane(t *testing.T) {
	t.Parallel()
	server := nodestest.NewFakeNode(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/query") {
			io.WriteString(w, `{"status":"success","data":{"resultType":"matrix","result":[`+
				`{"metric":{"instance":"n:9100","cpu":"0"},"values":[[1000,"1"],[11800,"2"],[22600,"3"]]}]}}`)
			return
		}
		io.WriteString(w, matrixAnswer)
	})
	q := historyQuery(server.URL)
	q.ScrapeInterval = 0 // measured
	h, err := QueryHistory(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Query.ScrapeInterval; got != DefaultScrapeInterval {
		t.Errorf("scrape interval measured from samples 3 h apart = %v; want none measured, so the default %v", got, DefaultScrapeInterval)
	}
	var ps points
	if err := json.Unmarshal([]byte(`[[1e300,"0.5"]]`), &ps); err == nil {
		t.Errorf("a point at 1e300 s read as %v; want an error", ps)
	}
}
