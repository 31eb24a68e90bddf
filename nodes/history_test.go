package nodes

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"corescope/levels"
	"corescope/nodes/nodestest"
)

func TestHistoryAgreesWithScraper(t *testing.T) {
	t.Parallel()
	fx := nodestest.NewStatFixture(t, fixtureLoads...)
	ex := nodestest.Exporter(t, fx.Dir)
	prom := nodestest.Prometheus(t, time.Second, "fixture", ex.Addr)
	server := "http://" + prom.Addr

	s, err := NewScraper([]string{ex.Addr}, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seen := scrapeTicks(t, s, time.Second, 16)
	for k, tick := range seen {
		if err := tick.Nodes[0].Err; err != nil {
			t.Fatalf("live tick %d: %v", k, err)
		}
		checkFixtureRow(t, k, tick.Nodes[0].Busy, 0.05)
	}
	q := HistoryQuery{
		Server: server, Selector: `job="fixture"`, Step: time.Second, // scrape interval measured
		From: seen[0].Time.Truncate(time.Millisecond),
	}
	q.To = q.From.Add(time.Duration(len(seen)-1) * q.Step)
	// The server scrapes on its own clock: ask again until its answer
	// reaches the last of those seconds, or 15 s pass.
	var h *History
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(250 * time.Millisecond) {
		h, err = QueryHistory(context.Background(), q)
		if err == nil && len(h.Ticks) > 0 && len(h.Ticks[len(h.Ticks)-1].Nodes) > 0 &&
			slices.ContainsFunc(h.Ticks[len(h.Ticks)-1].Nodes[0].Busy, levels.Level.Known) || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatalf("%v\ntargets: %s\n%s", err, prom.Targets(), prom.Log())
	}
	if si := h.Query.ScrapeInterval; si < 900*time.Millisecond || si > 1100*time.Millisecond {
		t.Errorf("measured scrape interval %v; want the configured 1s", si)
	}
	if len(h.Nodes) != 1 || h.Nodes[0].Name != ex.Addr || strings.Join(h.Nodes[0].CPUs, ",") != strings.Join(s.Nodes()[0].CPUs, ",") {
		t.Fatalf("history nodes = %+v; want one, %s with the scraper's cpus %v", h.Nodes, ex.Addr, s.Nodes()[0].CPUs)
	}
	if len(h.Ticks) != len(seen) {
		t.Errorf("%d history ticks for %d scraped; want as many", len(h.Ticks), len(seen))
	}
	compared, worst := 0, 0.0
	for k, ht := range h.Ticks {
		if ht.Nodes[0].Err != nil {
			t.Logf("history tick %d: %v", k, ht.Nodes[0].Err)
			continue
		}
		if k >= len(seen) {
			break
		}
		live := seen[k]
		if d := ht.Time.Sub(live.Time); d.Abs() > 250*time.Millisecond {
			t.Fatalf("history tick %d at %v, scraped tick at %v: want the same seconds", k, ht.Time, live.Time)
		}
		compared++
		for c := range fixtureLoads {
			got, want := ht.Nodes[0].Busy[c], live.Nodes[0].Busy[c]
			if got.Known() != want.Known() {
				t.Errorf("tick %d core %d: history %v, scraper %v; want both Missing or both known", k, c, got, want)
				continue
			}
			if d := math.Abs(got.Fraction() - want.Fraction()); want.Known() {
				if !(d <= 0.1) {
					t.Errorf("tick %d core %d: history %.3f, scraper %.3f; want within 0.1", k, c, got.Fraction(), want.Fraction())
				}
				worst = max(worst, d)
			}
		}
	}
	if compared < len(seen)-2 {
		t.Errorf("only %d of %d ticks had figures in the history", compared, len(seen))
	}
	t.Logf("%d ticks at 1 s compared, scrape interval measured %v, window %v: worst core differs by %.3f",
		compared, h.Query.ScrapeInterval, h.Query.Window(), worst)

	t.Run("errors", func(t *testing.T) {
		down := q
		down.Server = "http://" + nodestest.RefusingAddr(t)
		badSelector := q
		badSelector.Selector = "job="
		empty := q
		empty.Selector = `job="nope"`
		notPrometheus := q
		notPrometheus.Server = "http://" + ex.Addr
		for _, c := range []struct {
			name string
			q    HistoryQuery
			want string
		}{
			{"down", down, "--prometheus " + down.Server + ": cannot connect: connection refused"},
			{"bad selector", badSelector, "refused the query (bad_data)"},
			{"empty", empty, `no node_cpu_seconds_total matched job="nope" from `},
			{"not Prometheus", notPrometheus, "not Prometheus' API"},
		} {
			_, err := QueryHistory(context.Background(), c.q)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: QueryHistory = %v; want an error with %q", c.name, err, c.want)
			} else {
				t.Logf("%s: %v", c.name, err)
			}
		}
	})
}

func TestHistoryQueryChecks(t *testing.T) {
	from := time.Date(2026, 11, 29, 2, 0, 0, 0, time.UTC)
	ok := HistoryQuery{Server: "http://prom:9090", Selector: `job="node"`, From: from, To: from.Add(time.Hour), Step: 15 * time.Second}
	for _, c := range []struct {
		name string
		edit func(*HistoryQuery)
		want string
	}{
		{"fine", func(*HistoryQuery) {}, ""},
		{"no scheme", func(q *HistoryQuery) { q.Server = "prom:9090" }, "--prometheus"},
		{"no step", func(q *HistoryQuery) { q.Step = 0 }, "--step 0s: must be 1ms or longer"},
		{"backwards", func(q *HistoryQuery) { q.To = q.From }, "--to"},
		{"too many points", func(q *HistoryQuery) { q.Step = 100 * time.Millisecond }, "at most 11000"},
	} {
		q := ok
		c.edit(&q)
		_, err := q.check()
		if (err == nil) != (c.want == "") || err != nil && !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: check() = %v; want %q", c.name, err, c.want)
		}
	}
	down := ok
	down.Server = "http://ops:secret@" + nodestest.RefusingAddr(t)
	if _, err := QueryHistory(context.Background(), down); err == nil ||
		!strings.Contains(err.Error(), "cannot connect: connection refused") || strings.Contains(err.Error(), "secret") {
		t.Errorf("QueryHistory of a server that is down = %v; want cannot connect, without the password", err)
	} else {
		t.Log(err)
	}
	if got, want := ok.Window(), 30*time.Second; got != want {
		t.Errorf("Window() at step 15s, default scrape interval = %v; want %v", got, want)
	}
	braces := ok
	braces.Selector = `{job="node"}`
	want := `sum by (instance, cpu) (rate(node_cpu_seconds_total{mode!~"idle|iowait",job="node"}[30s]))` +
		` / sum by (instance, cpu) (rate(node_cpu_seconds_total{mode=~".+",job="node"}[30s]))`
	for _, q := range []HistoryQuery{ok, braces} {
		if got := q.Expr(); got != want {
			t.Errorf("Expr() with selector %s =\n%s; want\n%s", q.Selector, got, want)
		}
	}
}

// TestHistoryLayout checks how series become rows: nodes by name, cores by
// number, points on the tick grid, NaN, infinite, negative and absent points
// Missing (a negative point was a made-up zero), and a node
// with no point at a tick marked with an error naming it.
func TestHistoryLayout(t *testing.T) {
	from := time.Unix(1000, 0)
	q := HistoryQuery{From: from, To: from.Add(2 * time.Second), Step: time.Second}
	var series []seriesJSON
	err := json.Unmarshal([]byte(`[
		{"metric":{"instance":"b:9100","cpu":"10"},"values":[[1000,"0.5"],[1001,"NaN"]]},
		{"metric":{"instance":"b:9100","cpu":"2"},"values":[ [1000, "1"] ,
			[1002,"0.25"] ]},
		{"metric":{"instance":"a:9100","cpu":"0"},"values":[[1000,"-0.25"],[1001,"+Inf"],[1002.0004,"0.75"]]},
		{"metric":{"instance":"c:9100","cpu":"0"},"values":[]}]`), &series)
	if err != nil {
		t.Fatal(err)
	}
	h, err := historyOf(series, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Nodes) != 3 || h.Nodes[0].Name != "a:9100" || strings.Join(h.Nodes[1].CPUs, ",") != "2,10" {
		t.Fatalf("nodes = %+v; want a:9100, b:9100 with cpus 2,10, c:9100", h.Nodes)
	}
	M := levels.Missing
	want := [][]levels.Row{
		{{M}, {levels.Of(1), levels.Of(0.5)}, {M}},
		{{M}, {M, M}, {M}},
		{{levels.Of(0.75)}, {levels.Of(0.25), M}, {M}},
	}
	for k, tick := range h.Ticks {
		if tick.Time != from.Add(time.Duration(k)*time.Second) {
			t.Errorf("tick %d at %v", k, tick.Time)
		}
		for i, r := range tick.Nodes {
			if fmt.Sprint(r.Busy) != fmt.Sprint(want[k][i]) {
				t.Errorf("tick %d node %s = %v; want %v", k, h.Nodes[i].Name, r.Busy, want[k][i])
			}
			if allMissing := countKnown(r.Busy) == 0; allMissing != (r.Err != nil) {
				t.Errorf("tick %d node %s: err %v with row %v; want an error exactly when every core is Missing", k, h.Nodes[i].Name, r.Err, r.Busy)
			}
			if r.Err != nil && !strings.HasPrefix(r.Err.Error(), h.Nodes[i].Name+": ") {
				t.Errorf("tick %d: error %q does not name %s", k, r.Err, h.Nodes[i].Name)
			}
		}
	}
}

func TestPointsJSON(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []float64 // values; times are 1, 2, ...
	}{
		{`[]`, nil},
		{` [ [1,"0.5"], [2.000,"1e-05"] , [3,"+Inf"],[4,"-0.25"],[5,"0.12345678901234567890"]] `,
			[]float64{0.5, 1e-05, math.Inf(1), -0.25, 0.12345678901234567890}},
	} {
		var ps points
		if err := json.Unmarshal([]byte(c.in), &ps); err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		for i, p := range ps {
			if i >= len(c.want) || p.ms != int64(i+1)*1000 || math.Abs(p.v-c.want[i]) > 1e-15 && p.v != c.want[i] {
				t.Errorf("%s: point %d = %v ms %v; want %v at %d s", c.in, i, p.ms, p.v, c.want, i+1)
			}
		}
		if len(ps) != len(c.want) {
			t.Errorf("%s: %d points; want %d", c.in, len(ps), len(c.want))
		}
	}
	for _, bad := range []string{`[[1,0.5]]`, `[[1,"x"]]`, `[["1","0.5"]]`, `[[1,"0.5",3]]`, `[[1,"0.5"],]`, `{}`, `[[,"1"]]`} {
		var ps points
		if err := json.Unmarshal([]byte(bad), &ps); err == nil {
			t.Errorf("%s: read as %v; want an error", bad, ps)
		}
	}
}

func countKnown(r levels.Row) int {
	n := 0
	for _, l := range r {
		if l.Known() {
			n++
		}
	}
	return n
}
