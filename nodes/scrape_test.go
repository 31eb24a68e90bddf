package nodes

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"corescope/levels"
	"corescope/nodes/nodestest"
	"corescope/probes"
)

// fixtureLoads are the known loads of the fixture node: different on every
// core, a frozen core (5), and more than ten cores, so "10" must come after
// "9".
var fixtureLoads = []nodestest.Core{
	{Load: 0.1}, {Load: 0.5}, {Load: 0.9}, {Load: 1.0}, {Load: 0},
	{Frozen: true}, {Load: 0.25}, {Load: 0.75}, {Load: 0.6}, {Load: 0.05}, {Load: 0.95},
}

// scrapeTicks scrapes n ticks (after the baseline) every interval and
// returns copies of them.
func scrapeTicks(t *testing.T, s *Scraper, interval time.Duration, n int) []Tick {
	t.Helper()
	var ticks []Tick
	next := time.Now()
	for i := 0; i <= n; i++ {
		time.Sleep(time.Until(next))
		next = next.Add(interval)
		tick, err := s.Scrape(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			ticks = append(ticks, copyTick(tick))
		}
	}
	return ticks
}

func copyTick(t Tick) Tick {
	c := Tick{Time: t.Time, Nodes: make([]Reading, len(t.Nodes))}
	for i, r := range t.Nodes {
		c.Nodes[i] = Reading{Busy: append(levels.Row(nil), r.Busy...), Err: r.Err}
	}
	return c
}

// checkFixtureRow fails unless row holds fixtureLoads within tol, and the
// frozen core is Missing.
func checkFixtureRow(t *testing.T, tick int, row levels.Row, tol float64) (worst float64) {
	t.Helper()
	if len(row) != len(fixtureLoads) {
		t.Fatalf("tick %d: %d cores; want %d", tick, len(row), len(fixtureLoads))
	}
	for i, c := range fixtureLoads {
		got := row.At(i)
		if c.Frozen {
			if row[i] != levels.Missing {
				t.Errorf("tick %d: frozen core %d = %.3f; want Missing (counters that stand still give no figure)", tick, i, got)
			}
			continue
		}
		d := math.Abs(got - c.Load)
		if !(d <= tol) {
			t.Errorf("tick %d: core %d = %.3f; want %.2f +- %.2f", tick, i, got, c.Load, tol)
		}
		worst = max(worst, d)
	}
	return worst
}

func TestScraperReadsKnownLoads(t *testing.T) {
	t.Parallel()
	fx := nodestest.NewStatFixture(t, fixtureLoads...)
	ex := nodestest.Exporter(t, fx.Dir)
	s, err := NewScraper([]string{ex.Addr}, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ticks := scrapeTicks(t, s, time.Second, 4)
	want := []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}
	if got := s.Nodes()[0].CPUs; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("CPUs = %v; want %v (numeric order)", got, want)
	}
	if got := s.Nodes()[0].Name; got != ex.Addr {
		t.Errorf("Name = %q; want %q", got, ex.Addr)
	}
	worst := 0.0
	for k, tick := range ticks {
		if err := tick.Nodes[0].Err; err != nil {
			t.Fatalf("tick %d: %v\n%s", k, err, ex.Log())
		}
		worst = max(worst, checkFixtureRow(t, k, tick.Nodes[0].Busy, 0.05))
	}
	t.Logf("%d ticks at 1 s: worst core off its known load by %.3f", len(ticks), worst)
}

func TestScraperAgreesWithLocalSampler(t *testing.T) {
	t.Parallel()
	ex := nodestest.Exporter(t, "/proc")
	s, err := NewScraper([]string{ex.Addr}, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// One core's worth of spinning, so the figures compared are not all
	// near zero.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		runtime.LockOSThread()
		for ctx.Err() == nil {
		}
	}()
	local := probes.NewCPUSampler()
	worst, worstUser, sumLocal, sumNode := 0.0, 0.0, 0.0, 0.0
	next := time.Now()
	for k := 0; k <= 4; k++ {
		time.Sleep(time.Until(next))
		next = next.Add(time.Second)
		loads, err := local.Sample(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tick, err := s.Scrape(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if k == 0 {
			continue
		}
		r := tick.Nodes[0]
		if r.Err != nil {
			t.Fatalf("tick %d: %v", k, r.Err)
		}
		if len(r.Busy) != len(loads) {
			t.Fatalf("tick %d: node_exporter on /proc has %d cores, the local sampler %d", k, len(r.Busy), len(loads))
		}
		for i, l := range loads {
			got := r.Busy.At(i)
			d := math.Abs(got - l.Busy)
			if !(d <= 0.2) {
				t.Errorf("tick %d core %d: node_exporter %.3f, local sampler %.3f; want within 0.2", k, i, got, l.Busy)
			}
			worst = max(worst, d)
			sumLocal += l.Busy
			sumNode += got
			// Busy alone is 1.0 on every core of a saturated machine; the
			// user share is not, and checks that modes fold as locally.
			n := s.nodes[0] // after Scrape, prev is this tick's counters
			before, after := n.next[i], n.prev[i]
			user := (after.user - before.user) / (after.total() - before.total())
			if du := math.Abs(user - l.User); !(du <= 0.2) {
				t.Errorf("tick %d core %d: user share node_exporter %.3f, local sampler %.3f; want within 0.2", k, i, user, l.User)
			}
			worstUser = max(worstUser, math.Abs(user-l.User))
		}
	}
	if sumLocal < 0.5*4 || sumNode < 0.5*4 {
		t.Errorf("busy cores summed over 4 ticks: local %.2f, node %.2f; want at least 2 each (one core spins)", sumLocal, sumNode)
	}
	t.Logf("4 ticks at 1 s on the real /proc: worst core differs by %.3f busy, %.3f user share; busy core-seconds local %.2f, node %.2f",
		worst, worstUser, sumLocal, sumNode)
}

func TestScraperReportsBadNodesAndGoesOn(t *testing.T) {
	t.Parallel()
	fx := nodestest.NewStatFixture(t, fixtureLoads...)
	stopped := nodestest.Exporter(t, fx.Dir)
	steady := nodestest.Exporter(t, fx.Dir)

	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("<html><body>a login page</body></html>\n"))
	}))
	defer html.Close()
	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("node_cpu_seconds_total{cpu=\"0\" 12 {{ garbage\n"))
	}))
	defer garbage.Close()
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "exporter broke", http.StatusInternalServerError)
	}))
	defer failing.Close()
	otherMetrics := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		w.Write([]byte("# TYPE up gauge\nup 1\n"))
	}))
	defer otherMetrics.Close()
	silent := nodestest.SilentAddr(t)

	addrs := []string{stopped.Addr, steady.Addr, html.URL, garbage.URL, failing.URL, otherMetrics.URL, silent}
	s, err := NewScraper(addrs, 500*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	names := make([]string, len(addrs))
	for i, n := range s.Nodes() {
		names[i] = n.Name
	}
	wantErr := []string{"", "", `not the Prometheus text format (Content-Type "text/html`, "not the Prometheus text format: its node_cpu_seconds_total lines: text format parsing error", "HTTP 500", "no node_cpu_seconds_total in the answer", "timed out after 400ms"}

	const ticks, stopAfter = 6, 3
	next := time.Now()
	for k := 0; k <= ticks; k++ {
		time.Sleep(time.Until(next))
		next = next.Add(500 * time.Millisecond)
		if k == stopAfter+1 {
			stopped.Stop()
		}
		began := time.Now()
		tick, err := s.Scrape(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		// The silent node's error says its request timed out after 400ms;
		// this only guards against a tick that waits for it for good.
		if took := time.Since(began); took > 5*time.Second {
			t.Errorf("tick %d took %v; want the 400ms timeout to bound it", k, took)
		}
		for i, r := range tick.Nodes {
			want := wantErr[i]
			if i == 0 && k > stopAfter {
				want = "cannot connect: connection refused"
			}
			switch {
			case want == "" && r.Err != nil:
				t.Errorf("tick %d node %s: %v; want figures", k, names[i], r.Err)
			case want != "" && (r.Err == nil || !strings.Contains(r.Err.Error(), want) || !strings.HasPrefix(r.Err.Error(), names[i]+": ")):
				t.Errorf("tick %d node %d: error %v; want one naming %s and saying %q", k, i, r.Err, names[i], want)
			}
			if r.Err != nil {
				for c, l := range r.Busy {
					if l != levels.Missing {
						t.Errorf("tick %d node %s core %d = %v with error %v; want Missing", k, names[i], c, l, r.Err)
					}
				}
			}
		}
		if k == ticks {
			for _, r := range tick.Nodes {
				if r.Err != nil {
					t.Logf("last tick: %v", r.Err)
				}
			}
		}
		if k > 0 {
			checkFixtureRow(t, k, tick.Nodes[1].Busy, 0.1)
			if k <= stopAfter {
				checkFixtureRow(t, k, tick.Nodes[0].Busy, 0.1)
			}
			if got := len(tick.Nodes[0].Busy); got != len(fixtureLoads) {
				t.Errorf("tick %d: the stopped node's row has %d cores; want its %d kept, all Missing", k, got, len(fixtureLoads))
			}
		}
	}
}

// TestScraperSendsURLCredentials checks that a password in --node's URL is
// sent (as basic auth, the way Prometheus' basic_auth does) but never shown.
func TestScraperSendsURLCredentials(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "ops" || p != "secret" {
			http.Error(w, "who are you", http.StatusUnauthorized)
			return
		}
		n := float64(calls.Add(1))
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		w.Write(answer(map[string][2]float64{"0": {n, n}}))
	}))
	defer srv.Close()
	withPassword := strings.Replace(srv.URL, "http://", "http://ops:secret@", 1)
	s, err := NewScraper([]string{withPassword, srv.URL}, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var tick Tick
	for range 2 {
		if tick, err = s.Scrape(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if r := tick.Nodes[0]; r.Err != nil || r.Busy.At(0) != 0.5 {
		t.Errorf("with the password: %v, %v; want 0.5", r.Busy, r.Err)
	}
	if r := tick.Nodes[1]; r.Err == nil || !strings.Contains(r.Err.Error(), "HTTP 401") {
		t.Errorf("without: %v; want HTTP 401", r.Err)
	}
	if u := s.Nodes()[0].URL; strings.Contains(u, "secret") {
		t.Errorf("Node.URL = %s shows the password", u)
	}
}
