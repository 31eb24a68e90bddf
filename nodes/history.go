package nodes

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
	// DefaultScrapeInterval is what QueryHistory assumes of the server when
	// neither told nor able to measure it: the scrape_interval of
	// Prometheus' example configuration and of most installations.
	DefaultScrapeInterval = 15 * time.Second
	// maxPoints is how many points a series Prometheus' query_range answers
	// at most.
	maxPoints = 11000
	// DefaultHistoryTimeout is how long a server has to answer each request
	// (unless HistoryQuery.Timeout says otherwise): Prometheus' own query
	// timeout (--query.timeout), beyond which it answers nothing useful.
	DefaultHistoryTimeout = 2 * time.Minute
	// maxHistoryAnswer bounds one answer read: 64 nodes of 64 cores over 600
	// ticks take 84 MB.
	maxHistoryAnswer = 256 << 20
	// maxCells bounds the figures a History holds, cores times ticks (a
	// byte each): 64 nodes of 64 cores over 4096 ticks. An answer's empty
	// series cost it a few bytes each, their figures a byte a tick.
	maxCells = 1 << 24
)

// HistoryQuery is a past window of nodes to read from a Prometheus server.
type HistoryQuery struct {
	Server   string        // the server's base URL, e.g. http://prometheus:9090
	Selector string        // label matchers that pick the nodes, e.g. job="node"; empty: all
	From, To time.Time     // the window
	Step     time.Duration // one tick
	// ScrapeInterval is how often the server scrapes these nodes, which sets
	// the rate window (see Window). Zero: QueryHistory measures it from the
	// server's samples, or takes DefaultScrapeInterval when there are none.
	ScrapeInterval time.Duration
	// Timeout is how long the server has to answer each request, to the
	// end of its answer; zero means DefaultHistoryTimeout.
	Timeout time.Duration
}

// History is the nodes' figures over a past window: one Tick a Step from
// From to To, one Reading a node (an instance label), ordered by name.
type History struct {
	Nodes []Node
	Ticks []Tick
	// Query is what was asked, its ScrapeInterval filled in; Query.Window()
	// is the span each figure averages over.
	Query HistoryQuery
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
	sel := q.selector()
	w := promDuration(q.Window())
	return fmt.Sprintf(`sum by (instance, cpu) (rate(%[1]s{mode!~"idle|iowait"%[2]s}[%[3]s]))`+
		` / sum by (instance, cpu) (rate(%[1]s{mode=~".+"%[2]s}[%[3]s]))`, cpuMetric, sel, w)
}

// selector is q.Selector to append to other matchers: ",job=\"node\"", or
// empty; braces around it are dropped.
func (q HistoryQuery) selector() string {
	sel := strings.TrimSpace(q.Selector)
	sel = strings.TrimSuffix(strings.TrimPrefix(sel, "{"), "}")
	if sel != "" {
		sel = "," + sel
	}
	return sel
}

// promDuration writes d as a PromQL duration, in whole minutes, seconds or
// milliseconds, whichever is exact.
func promDuration(d time.Duration) string {
	ms := d.Milliseconds()
	switch {
	case ms%60000 == 0:
		return strconv.FormatInt(ms/60000, 10) + "m"
	case ms%1000 == 0:
		return strconv.FormatInt(ms/1000, 10) + "s"
	}
	return strconv.FormatInt(ms, 10) + "ms"
}

// check says what is wrong with q, naming the field.
// Check reports what is wrong with q before anything is asked of the
// server: its URL, the step, and the window.
func (q HistoryQuery) Check() error {
	_, err := q.check()
	return err
}

func (q HistoryQuery) check() (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(q.Server))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--prometheus %q: not a server URL; use http://host:port (Prometheus listens on 9090 by default)", q.Server)
	}
	switch {
	case q.Step < time.Millisecond:
		return nil, fmt.Errorf("--step %v: must be 1ms or longer", q.Step)
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
	if q.ScrapeInterval <= 0 {
		if q.ScrapeInterval, err = measureScrapeInterval(ctx, base, q); err != nil {
			return nil, err
		}
	}
	q.ScrapeInterval = q.scrapeInterval()
	series, err := queryRange(ctx, base, q)
	if err != nil {
		return nil, err
	}
	if len(series) == 0 {
		sel := q.Selector
		if sel == "" {
			sel = "(no selector)"
		}
		return nil, fmt.Errorf("no %s matched %s from %s to %s on %s (rates over %v windows: a step plus a scrape interval of %v)", cpuMetric, sel,
			q.From.Format(time.RFC3339), q.To.Format(time.RFC3339), base.Redacted(), q.Window(), q.ScrapeInterval)
	}
	h, err := historyOf(series, q)
	if err != nil {
		return nil, fmt.Errorf("--prometheus %s: %w", base.Redacted(), err)
	}
	return h, nil
}

// seriesJSON is one series of a query_range answer: its labels and its
// [unix seconds, "value"] points.
type seriesJSON struct {
	Metric map[string]string `json:"metric"`
	Values points            `json:"values"`
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

// historyClient asks Prometheus servers; it follows no redirect (see
// refuseRedirects).
var historyClient = &http.Client{CheckRedirect: refuseRedirects}

// queryRange asks for q.Expr() from From to To, a point a Step.
func queryRange(ctx context.Context, base *url.URL, q HistoryQuery) ([]seriesJSON, error) {
	return apiMatrix(ctx, base, q.Timeout, "api/v1/query_range", url.Values{
		"query": {q.Expr()},
		"start": {unixSeconds(q.From)},
		"end":   {unixSeconds(q.To)},
		"step":  {strconv.FormatFloat(q.Step.Seconds(), 'f', -1, 64)},
	})
}

// apiMatrix calls one of the server's query endpoints and returns the
// matrix it answers, or an error that says what went wrong in the user's
// words, passing on Prometheus' own. The server has timeout (zero:
// DefaultHistoryTimeout) to answer, to the end of its answer.
func apiMatrix(ctx context.Context, base *url.URL, timeout time.Duration, path string, args url.Values) ([]seriesJSON, error) {
	server := base.Redacted() // a password in the URL is sent, never shown
	u := base.JoinPath(path)
	u.RawQuery = args.Encode()
	timeout = cmp.Or(timeout, DefaultHistoryTimeout)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	body, resp, err := askServer(ctx, u)
	switch {
	case errors.Is(err, context.DeadlineExceeded) && timeout == DefaultHistoryTimeout:
		return nil, fmt.Errorf("--prometheus %s: no answer within %v, Prometheus' own query timeout", server, timeout)
	case errors.Is(err, context.DeadlineExceeded):
		return nil, fmt.Errorf("--prometheus %s: no answer within %v", server, timeout)
	case errors.Is(err, context.Canceled):
		return nil, fmt.Errorf("--prometheus %s: stopped before it answered", server)
	case errors.As(err, new(tooLargeError)):
		return nil, fmt.Errorf("--prometheus %s: %w; ask for less: a longer --step, a shorter window, or a narrower --selector", server, err)
	case err != nil:
		return nil, fmt.Errorf("--prometheus %s: %w", server, err)
	}
	var ans answerJSON
	if err := json.Unmarshal(body, &ans); err != nil || ans.Status == "" {
		return nil, fmt.Errorf("--prometheus %s answered HTTP %s, not Prometheus' API (is it a Prometheus server?)", server, resp.Status)
	}
	if ans.Status != "success" {
		return nil, fmt.Errorf("--prometheus %s refused the query (%s): %s; the query was %s", server, ans.ErrorType, ans.Error, args.Get("query"))
	}
	if ans.Data.ResultType != "matrix" {
		return nil, fmt.Errorf("--prometheus %s answered a %q, not a matrix", server, ans.Data.ResultType)
	}
	return ans.Data.Result, nil
}

// askServer GETs u and returns its answer's body, up to maxHistoryAnswer.
func askServer(ctx context.Context, u *url.URL) ([]byte, *http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, nil, err
	}
	resp, err := historyClient.Do(req)
	if err != nil {
		return nil, nil, plainNetError(err)
	}
	defer resp.Body.Close()
	if err := redirectError(resp); err != nil {
		return nil, nil, err
	}
	var body bytes.Buffer
	if err := readAnswer(&body, resp, maxHistoryAnswer); err != nil {
		return nil, nil, err
	}
	return body.Bytes(), resp, nil
}

// measureScrapeInterval is the median gap between the server's samples of
// each matched node's cpu 0 idle counter, over the ten minutes before To
// (or, when the nodes were down then, before From plus ten minutes); zero
// when it finds fewer than two samples of any node.
func measureScrapeInterval(ctx context.Context, base *url.URL, q HistoryQuery) (time.Duration, error) {
	const span = 10 * time.Minute
	query := fmt.Sprintf(`%s{mode="idle",cpu="0"%s}[%s]`, cpuMetric, q.selector(), promDuration(span))
	times := []time.Time{q.To}
	if early := q.From.Add(span); early.Before(q.To) {
		times = append(times, early)
	}
	for _, at := range times {
		series, err := apiMatrix(ctx, base, q.Timeout, "api/v1/query", url.Values{"query": {query}, "time": {unixSeconds(at)}})
		if err != nil {
			return 0, err
		}
		var gaps []time.Duration
		for _, s := range series {
			for i := 1; i < len(s.Values); i++ {
				// A gap longer than the span asked for is no scrape
				// interval, but an answer that is not what was asked.
				if gap := s.Values[i].ms - s.Values[i-1].ms; gap > 0 && gap <= span.Milliseconds() {
					gaps = append(gaps, time.Duration(gap)*time.Millisecond)
				}
			}
		}
		if len(gaps) > 0 {
			slices.Sort(gaps)
			return gaps[len(gaps)/2].Round(time.Millisecond), nil
		}
	}
	return 0, nil
}

func unixSeconds(t time.Time) string {
	return strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', -1, 64)
}

// historyOf lays the series out as nodes (by instance, then cpu
// numerically) and ticks (From + k*Step), Missing where no point is. It
// refuses series it cannot lay out (no instance or cpu label, a label over
// maxLine bytes, a core answered twice) and more nodes, cores or figures
// than it holds, before it makes their arrays.
func historyOf(series []seriesJSON, q HistoryQuery) (*History, error) {
	byName := make(map[string][]string) // instance -> its cpus
	column := make(map[seriesKey]int, len(series))
	for _, s := range series {
		key, err := s.key()
		if err != nil {
			return nil, err
		}
		if _, twice := column[key]; twice {
			return nil, fmt.Errorf("instance %q, cpu %q, is answered twice", key.instance, key.cpu)
		}
		column[key] = -1 // placed below
		if len(byName[key.instance]) == maxCores {
			return nil, fmt.Errorf("instance %q has more than %d cores, the most corescope reads of a node", key.instance, maxCores)
		}
		byName[key.instance] = append(byName[key.instance], key.cpu)
	}
	ticks := int(q.To.Sub(q.From)/q.Step) + 1
	cores := len(series)
	switch {
	case len(byName) > maxNodes:
		return nil, fmt.Errorf("the answer holds more than %d nodes, the most corescope reads; ask for fewer with --selector", maxNodes)
	case ticks*cores > maxCells:
		return nil, fmt.Errorf("the answer holds %d cores over %d ticks: more than the %d figures corescope holds; ask for less: a longer --step, a shorter window, or a narrower --selector",
			cores, ticks, maxCells)
	}

	h := &History{Query: q}
	for name, cpus := range byName {
		slices.SortFunc(cpus, compareCPU)
		h.Nodes = append(h.Nodes, Node{Name: name, CPUs: cpus})
	}
	slices.SortFunc(h.Nodes, func(a, b Node) int { return strings.Compare(a.Name, b.Name) })
	nodeOf := make(map[string]int, len(h.Nodes))
	for i, n := range h.Nodes {
		nodeOf[n.Name] = i
		for c, cpu := range n.CPUs {
			column[seriesKey{n.Name, cpu}] = c
		}
	}

	// One array holds every row and one every reading: 600 ticks of 64
	// nodes would otherwise be 39,000 small allocations.
	levelsAll := make(levels.Row, ticks*cores)
	for i := range levelsAll {
		levelsAll[i] = levels.Missing
	}
	readings := make([]Reading, ticks*len(h.Nodes))
	h.Ticks = make([]Tick, ticks)
	for k := range h.Ticks {
		h.Ticks[k] = Tick{Time: q.From.Add(time.Duration(k) * q.Step), Nodes: readings[k*len(h.Nodes) : (k+1)*len(h.Nodes) : (k+1)*len(h.Nodes)]}
		for i, n := range h.Nodes {
			h.Ticks[k].Nodes[i].Busy, levelsAll = levelsAll[:len(n.CPUs):len(n.CPUs)], levelsAll[len(n.CPUs):]
		}
	}
	for _, s := range series {
		key, _ := s.key()
		i, c := nodeOf[key.instance], column[key]
		for _, p := range s.Values {
			k := int(math.Round(float64(p.ms-q.From.UnixMilli()) / float64(q.Step.Milliseconds())))
			if k < 0 || k >= ticks || !(p.v >= 0) || math.IsInf(p.v, 1) {
				continue // off the grid, or no fraction: a gap, not a made-up zero
			}
			h.Ticks[k].Nodes[i].Busy[c] = levels.Of(p.v)
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
	return h, nil
}

// seriesKey is which node and core a series is.
type seriesKey struct{ instance, cpu string }

// key is s's node and core, or why it has none.
func (s seriesJSON) key() (seriesKey, error) {
	k := seriesKey{s.Metric["instance"], s.Metric["cpu"]}
	switch {
	case k.instance == "" || k.cpu == "":
		return k, fmt.Errorf("a series has no instance or cpu label: %v", s.Metric)
	case len(k.instance) > maxLine:
		return k, fmt.Errorf("a series' instance label is %d bytes long; corescope reads labels of up to %d", len(k.instance), maxLine)
	case len(k.cpu) > maxLine:
		return k, fmt.Errorf("a series' cpu label is %d bytes long; corescope reads labels of up to %d", len(k.cpu), maxLine)
	}
	return k, nil
}

// errNoSamples marks a tick at which the server has no figure of a node: it
// was down, not yet scraped, or its scrapes failed.
var errNoSamples = errors.New("the Prometheus server has no samples of it at this time")

// point is one sample of a series: Unix milliseconds and value.
type point struct {
	ms int64
	v  float64
}

// maxUnixSeconds bounds a point's time (the year 33,658), so that its
// milliseconds, and their differences, stay far inside an int64.
const maxUnixSeconds = 1e12

// points are a series' values as the API writes them, [[1700000000.123,
// "0.5"], ...], read without reflection. An answer of 64 nodes x 64 cores x
// 600 points (84 MB) decoded as [][2]json.RawMessage cost 2.4-2.8 s, 1.2 GB
// and 17 million allocations; read here, 1.0-1.7 s (mostly encoding/json
// checking the text), 46 MB and 45,000 (BenchmarkHistory64Nodes).
type points []point

// UnmarshalJSON reads b, which encoding/json has already checked is JSON.
func (ps *points) UnmarshalJSON(b []byte) error {
	bad := errors.New(`a series' values are not [[unix seconds, "value"], ...]`)
	out := slices.Grow((*ps)[:0], max(0, bytes.Count(b, []byte{'['})-1))
	rest, ok := cutByte(b, '[')
	if !ok {
		return bad
	}
	if end, ok := cutByte(rest, ']'); ok && len(bytes.TrimSpace(end)) == 0 {
		*ps = out
		return nil // []
	}
	for {
		var num, text []byte
		if rest, ok = cutByte(rest, '['); !ok {
			return bad
		}
		i := bytes.IndexByte(rest, ',')
		if i < 0 {
			return bad
		}
		num, rest = bytes.TrimSpace(rest[:i]), rest[i+1:]
		if rest, ok = cutByte(rest, '"'); !ok {
			return bad
		}
		if i = bytes.IndexByte(rest, '"'); i < 0 {
			return bad
		}
		text, rest = rest[:i], rest[i+1:]
		if rest, ok = cutByte(rest, ']'); !ok {
			return bad
		}
		secs, ok1 := parseNumber(num)
		v, ok2 := parseNumber(text)
		if !ok1 || !ok2 || math.Abs(secs) > maxUnixSeconds {
			return bad
		}
		out = append(out, point{ms: int64(math.Round(secs * 1000)), v: v})
		if rest, ok = cutByte(rest, ','); !ok {
			break
		}
	}
	if rest, ok = cutByte(rest, ']'); !ok || len(bytes.TrimSpace(rest)) > 0 {
		return bad
	}
	*ps = out
	return nil
}

// cutByte skips blanks, then c: what follows, and whether c was there.
func cutByte(b []byte, c byte) ([]byte, bool) {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 || b[0] != c {
		return b, false
	}
	return b[1:], true
}

// parseNumber reads a plain decimal (digits, a point, digits, as Prometheus
// writes times and values) without making a string of it; anything else
// (NaN, +Inf, an exponent, a long mantissa) goes to strconv.
func parseNumber(b []byte) (float64, bool) {
	var mant uint64
	digits, frac, seenPoint := 0, 0, false
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9' && digits < 18:
			mant = mant*10 + uint64(c-'0')
			digits++
			if seenPoint {
				frac++
			}
		case c == '.' && !seenPoint:
			seenPoint = true
		default:
			v, err := strconv.ParseFloat(string(b), 64)
			return v, err == nil
		}
	}
	if digits == 0 {
		return 0, false
	}
	return float64(mant) / math.Pow10(frac), true
}
