package nodes

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"corescope/levels"
)

const (
	// DefaultScrapeInterval is what HistoryQuery assumes of the server when
	// not told: the scrape_interval of Prometheus' example configuration and
	// of most installations.
	DefaultScrapeInterval = 15 * time.Second
	// maxPoints is how many points a series Prometheus' query_range answers
	// at most.
	maxPoints = 11000
)

// HistoryQuery is a past window of nodes to read from a Prometheus server.
type HistoryQuery struct {
	Server   string        // the server's base URL, e.g. http://prometheus:9090
	Selector string        // label matchers that pick the nodes, e.g. job="node"; empty: all
	From, To time.Time     // the window
	Step     time.Duration // one tick
	// ScrapeInterval is how often the server scrapes these nodes;
	// zero means DefaultScrapeInterval. It sets the rate window (see Window).
	ScrapeInterval time.Duration
}

// History is the nodes' figures over a past window: one Tick a Step from
// From to To, one Reading a node (an instance label), ordered by name.
type History struct {
	Nodes []Node
	Ticks []Tick
}

// Window is the range each point's rate is taken over: one step plus one
// scrape interval (a step shorter than the scrape interval counts as one).
// rate needs two samples in its window, and a window of exactly one step
// would leave out the time between the last sample before it and the first
// in it; one scrape interval more makes consecutive points share one sample,
// so together they cover every second once. Grafana's $__rate_interval adds
// a floor of four scrape intervals to ride over missed scrapes; a profile
// should show those as gaps instead, so there is none here.
func (q HistoryQuery) Window() time.Duration {
	si := q.scrapeInterval()
	return max(q.Step, si) + si
}

func (q HistoryQuery) scrapeInterval() time.Duration {
	if q.ScrapeInterval > 0 {
		return q.ScrapeInterval
	}
	return DefaultScrapeInterval
}

// Expr is the PromQL expression History asks for: per instance and cpu, the
// growth of the busy modes' seconds over the growth of all of them, the rule
// of the live Scraper (idle and iowait are idle). A core whose counters did
// not move gives NaN there, a gap here.
func (q HistoryQuery) Expr() string {
	sel := strings.TrimSpace(q.Selector)
	sel = strings.TrimSuffix(strings.TrimPrefix(sel, "{"), "}")
	if sel != "" {
		sel = "," + sel
	}
	w := promDuration(q.Window())
	return fmt.Sprintf(`sum by (instance, cpu) (rate(%[1]s{mode!~"idle|iowait"%[2]s}[%[3]s]))`+
		` / sum by (instance, cpu) (rate(%[1]s{mode=~".+"%[2]s}[%[3]s]))`, cpuMetric, sel, w)
}

// promDuration writes d as a PromQL duration in milliseconds.
func promDuration(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) + "ms" }

// check says what is wrong with q, naming the field.
func (q HistoryQuery) check() (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(q.Server))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--prometheus %q: not a server URL; use http://host:port (Prometheus listens on 9090 by default)", q.Server)
	}
	switch {
	case q.Step <= 0:
		return nil, fmt.Errorf("--step %v: must be longer than zero", q.Step)
	case !q.To.After(q.From):
		return nil, fmt.Errorf("--to %s is not after --from %s", q.To.Format(time.RFC3339), q.From.Format(time.RFC3339))
	case q.To.Sub(q.From)/q.Step >= maxPoints:
		return nil, fmt.Errorf("--from..--to at --step %v is %d ticks; Prometheus answers at most %d: use a longer --step",
			q.Step, q.To.Sub(q.From)/q.Step+1, maxPoints)
	}
	return u, nil
}

// QueryHistory reads the per-core busy fractions of every node the selector
// matches from the server's /api/v1/query_range, one tick a Step from From
// to To. A core with no figure at a tick (the node was down, not yet scraped,
// or its counters stood still) is levels.Missing there.
func QueryHistory(ctx context.Context, q HistoryQuery) (*History, error) {
	base, err := q.check()
	if err != nil {
		return nil, err
	}
	series, err := queryRange(ctx, base, q)
	if err != nil {
		return nil, err
	}
	if len(series) == 0 {
		sel := q.Selector
		if sel == "" {
			sel = "(no selector)"
		}
		return nil, fmt.Errorf("no %s matched %s from %s to %s on %s", cpuMetric, sel,
			q.From.Format(time.RFC3339), q.To.Format(time.RFC3339), q.Server)
	}
	return historyOf(series, q), nil
}

// seriesJSON is one series of a query_range answer: its labels and its
// [unix seconds, "value"] points.
type seriesJSON struct {
	Metric map[string]string    `json:"metric"`
	Values [][2]json.RawMessage `json:"values"`
}

// answerJSON is Prometheus' HTTP API envelope.
type answerJSON struct {
	Status    string `json:"status"`
	ErrorType string `json:"errorType"`
	Error     string `json:"error"`
	Data      struct {
		ResultType string       `json:"resultType"`
		Result     []seriesJSON `json:"result"`
	} `json:"data"`
}

func queryRange(ctx context.Context, base *url.URL, q HistoryQuery) ([]seriesJSON, error) {
	u := base.JoinPath("api/v1/query_range")
	u.RawQuery = url.Values{
		"query": {q.Expr()},
		"start": {unixSeconds(q.From)},
		"end":   {unixSeconds(q.To)},
		"step":  {strconv.FormatFloat(q.Step.Seconds(), 'f', -1, 64)},
	}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("Prometheus at %s: %w", q.Server, plainNetError(err))
	}
	defer resp.Body.Close()
	var ans answerJSON
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<30))
	if err != nil {
		return nil, fmt.Errorf("Prometheus at %s: %w", q.Server, err)
	}
	if err := json.Unmarshal(body, &ans); err != nil || ans.Status == "" {
		return nil, fmt.Errorf("%s answered HTTP %s, not Prometheus' API (is it a Prometheus server?)", q.Server, resp.Status)
	}
	if ans.Status != "success" {
		return nil, fmt.Errorf("Prometheus at %s refused the query (%s): %s; the query was %s", q.Server, ans.ErrorType, ans.Error, q.Expr())
	}
	if ans.Data.ResultType != "matrix" {
		return nil, fmt.Errorf("Prometheus at %s answered a %q, not a matrix", q.Server, ans.Data.ResultType)
	}
	return ans.Data.Result, nil
}

func unixSeconds(t time.Time) string {
	return strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', -1, 64)
}

// historyOf lays the series out as nodes (by instance, then cpu
// numerically) and ticks (From + k*Step), Missing where no point is.
func historyOf(series []seriesJSON, q HistoryQuery) *History {
	byName := make(map[string][]string) // instance -> its cpus
	for _, s := range series {
		inst, cpu := s.Metric["instance"], s.Metric["cpu"]
		if !slices.Contains(byName[inst], cpu) {
			byName[inst] = append(byName[inst], cpu)
		}
	}
	h := &History{}
	for name, cpus := range byName {
		slices.SortFunc(cpus, compareCPU)
		h.Nodes = append(h.Nodes, Node{Name: name, CPUs: cpus})
	}
	slices.SortFunc(h.Nodes, func(a, b Node) int { return strings.Compare(a.Name, b.Name) })
	nodeOf := make(map[string]int, len(h.Nodes))
	for i, n := range h.Nodes {
		nodeOf[n.Name] = i
	}

	ticks := int(q.To.Sub(q.From)/q.Step) + 1
	h.Ticks = make([]Tick, ticks)
	for k := range h.Ticks {
		h.Ticks[k] = Tick{Time: q.From.Add(time.Duration(k) * q.Step), Nodes: make([]Reading, len(h.Nodes))}
		for i, n := range h.Nodes {
			row := make(levels.Row, len(n.CPUs))
			for c := range row {
				row[c] = levels.Missing
			}
			h.Ticks[k].Nodes[i].Busy = row
		}
	}
	for _, s := range series {
		i := nodeOf[s.Metric["instance"]]
		c := slices.Index(h.Nodes[i].CPUs, s.Metric["cpu"])
		for _, p := range s.Values {
			t, v, ok := point(p)
			if !ok {
				continue
			}
			k := int(math.Round(t.Sub(q.From).Seconds() / q.Step.Seconds()))
			if k < 0 || k >= ticks || math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			h.Ticks[k].Nodes[i].Busy[c] = levels.Of(v)
		}
	}
	for k := range h.Ticks {
		for i := range h.Ticks[k].Nodes {
			r := &h.Ticks[k].Nodes[i]
			if !slices.ContainsFunc(r.Busy, levels.Level.Known) {
				r.Err = &NodeError{Node: h.Nodes[i].Name, Err: errNoSamples}
			}
		}
	}
	return h
}

// errNoSamples marks a tick at which the server has no figure of a node: it
// was down, not yet scraped, or its scrapes failed.
var errNoSamples = errors.New("Prometheus has no samples of it at this time")

// point reads one [unix seconds, "value"] pair.
func point(p [2]json.RawMessage) (time.Time, float64, bool) {
	var secs float64
	var text string
	if json.Unmarshal(p[0], &secs) != nil || json.Unmarshal(p[1], &text) != nil {
		return time.Time{}, 0, false
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return time.Time{}, 0, false
	}
	return time.UnixMilli(int64(math.Round(secs * 1000))), v, true
}
