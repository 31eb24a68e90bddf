package nodes

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"sync"
	"time"

	"corescope/levels"
	"corescope/spec"
)

const (
	// DefaultInterval is the nodes' default tick: node_exporter's counters
	// move in 10 ms steps, so a 1 s tick is good to about one point.
	DefaultInterval = time.Second
	// MinInterval is the shortest tick allowed, good to about ten points.
	MinInterval = 100 * time.Millisecond
	// maxNodes bounds the nodes of one watch, or of one history: a frame
	// holds every core of every node, and each node's answer is kept
	// between ticks.
	maxNodes = 1024
	// keepAnswer is the most of its answer's buffers a node keeps between
	// ticks: a 64-core node_exporter's answer is about 100 KB. A larger
	// answer is read into new buffers each tick rather than held by each of
	// up to maxNodes nodes for the watch's life.
	keepAnswer = 1 << 20
	// maxAnswer bounds one answer: a 64-core node_exporter sends about
	// 100 KB, so this leaves room for thousands of cores and stops a
	// runaway server from filling memory.
	maxAnswer = 16 << 20
)

// Node is one machine the figures come from.
type Node struct {
	// Name is how the node is shown: host:port of its URL for a Scraper,
	// the instance label for History (the same text for the same target).
	Name string
	// URL is what a Scraper fetches, with any password in it replaced by
	// "xxxxx" so it can be shown and saved; History leaves it empty.
	URL string
	// CPUs are the node's cpu labels in row order (numerically: "2" before
	// "10"). A Scraper's node has none until it first answers.
	CPUs []string
}

// Reading is one node's figures for one tick.
type Reading struct {
	// Busy is each core's busy fraction, in the order of Node.CPUs;
	// levels.Missing where a core has no figure. Every core is Missing
	// when Err is set, and at a node's baseline (its first answer, and its
	// first after a failure); empty while the node has never answered.
	Busy levels.Row
	// Err says why the node has no figures this tick; a *NodeError.
	Err error
}

// Tick is one sampling time's readings of every node, in the order the
// nodes were given.
type Tick struct {
	Time  time.Time
	Nodes []Reading
}

// NodeError is a node's failure on one tick, naming the node.
type NodeError struct {
	Node string // Node.Name
	Err  error
}

func (e *NodeError) Error() string { return e.Node + ": " + e.Err.Error() }
func (e *NodeError) Unwrap() error { return e.Err }

// Scraper fetches every node's CPU counters once a tick, in parallel, and
// turns their growth into per-core busy fractions. One goroutine uses it at
// a time.
//
// A node's cores are laid out by its first answer that lists any, and keep
// that layout for the Scraper's life, so a profile's rows never move: a cpu
// that later vanishes (taken offline) is Missing, a cpu that appears later
// is left out. A node that fails a tick takes its next answer as a new
// baseline, so no figure ever spans a gap; a node whose counters went
// backwards (it restarted) has no figures for that tick, and its counters from
// then on are the baseline.
type Scraper struct {
	client  *http.Client
	timeout time.Duration
	nodes   []*nodeState
	tick    Tick
}

// nodeState is what a Scraper keeps of one node between ticks. Only the
// goroutine scraping the node touches it during a tick.
type nodeState struct {
	node     Node
	url      string         // node.URL with its password, if any
	index    map[string]int // cpu label -> position in node.CPUs
	parser   countersParser
	body     bytes.Buffer
	prev     []coreTimes // the baseline
	next     []coreTimes // this tick's counters; swapped with prev
	haveBase bool
	row      levels.Row
}

// NewScraper checks every address and the interval (see CheckAddresses and
// CheckInterval) and returns a Scraper whose requests time out after 80% of
// the interval, so a tick's readings are in before the next tick starts.
func NewScraper(addresses []string, interval time.Duration) (*Scraper, error) {
	if err := CheckInterval(interval); err != nil {
		return nil, err
	}
	urls, err := CheckAddresses(addresses)
	if err != nil {
		return nil, err
	}
	s := &Scraper{
		timeout: interval * 8 / 10,
		client: &http.Client{Transport: &http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			MaxIdleConnsPerHost: 2,
			IdleConnTimeout:     max(90*time.Second, 3*interval),
		}, CheckRedirect: refuseRedirects},
		tick: Tick{Nodes: make([]Reading, len(addresses))},
	}
	for _, u := range urls {
		s.nodes = append(s.nodes, &nodeState{
			node:   Node{Name: nameOf(u), URL: redacted(u)},
			url:    u,
			parser: newCountersParser(),
		})
	}
	return s, nil
}

// CheckInterval says, as a *spec.FieldError, when nodes cannot be read
// every interval: MinInterval is the shortest.
func CheckInterval(interval time.Duration) error {
	if interval < MinInterval {
		return &spec.FieldError{Field: "interval", Value: interval.String(),
			Allowed: fmt.Sprintf("use %v or more (nodes' counters move in 10 ms steps)", MinInterval)}
	}
	return nil
}

// CheckAddresses turns addresses into the URLs to scrape (ParseAddress),
// or says, as a *spec.FieldError naming the address, that one is bad or
// given twice, or beyond the 1024 nodes read at once, or that there is
// none.
func CheckAddresses(addresses []string) ([]string, error) {
	if len(addresses) == 0 {
		return nil, &spec.FieldError{Field: "node", Value: "none", Allowed: "give at least one: " + acceptedForms}
	}
	if len(addresses) > maxNodes {
		return nil, &spec.FieldError{Field: "node", Value: strconv.Quote(addresses[maxNodes]),
			Allowed: fmt.Sprintf("it is node %d: corescope reads up to %d nodes at once", maxNodes+1, maxNodes)}
	}
	urls := make([]string, 0, len(addresses))
	seen := make(map[string]bool, len(addresses))
	for _, a := range addresses {
		u, err := ParseAddress(a)
		if err != nil {
			return nil, err
		}
		if seen[u] {
			return nil, &spec.FieldError{Field: "node", Value: strconv.Quote(a), Allowed: "it is given twice; give each node once"}
		}
		seen[u] = true
		urls = append(urls, u)
	}
	return urls, nil
}

// Close lets go of the connections kept open to the nodes between ticks.
func (s *Scraper) Close() { s.client.CloseIdleConnections() }

// Nodes returns the nodes in the order given, with the cores known so far
// (their CPUs are shared: do not change them). Like Scrape, it must not be
// called while a Scrape runs.
func (s *Scraper) Nodes() []Node {
	out := make([]Node, len(s.nodes))
	for i, n := range s.nodes {
		out[i] = n.node
	}
	return out
}

// Scrape fetches every node once, in parallel, and returns each one's busy
// row since its previous answer. It waits at most Timeout; a node that did
// not answer by then, or answered something else than CPU counters, gets a
// NodeError and no figures, and the others are not held up. The first
// Scrape only takes baselines.
//
// The returned Tick and its rows are reused by the next Scrape: copy what
// you keep. Scrape fails only when ctx is done.
func (s *Scraper) Scrape(ctx context.Context) (Tick, error) {
	if err := ctx.Err(); err != nil {
		return Tick{}, err
	}
	s.tick.Time = time.Now()
	tctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	var wg sync.WaitGroup
	for i, n := range s.nodes {
		wg.Go(func() { s.tick.Nodes[i] = n.scrape(tctx, s.client, s.timeout) })
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return Tick{}, err
	}
	return s.tick, nil
}

// scrape fetches and reads one node's answer, both under ctx, so a node
// that is slow to answer or to parse never holds up the tick.
func (n *nodeState) scrape(ctx context.Context, client *http.Client, timeout time.Duration) Reading {
	err := n.fetch(ctx, client)
	if err == nil {
		err = n.read(ctx)
	}
	n.shed()
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("timed out after %v", timeout)
		}
		n.haveBase = false
		return Reading{Busy: n.missingRow(), Err: &NodeError{Node: n.node.Name, Err: err}}
	}
	return Reading{Busy: n.row}
}

// fetch puts the node's answer in n.body.
func (n *nodeState) fetch(ctx context.Context, client *http.Client) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, n.url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "text/plain;version=0.0.4")
	resp, err := client.Do(req)
	if err != nil {
		return plainNetError(err)
	}
	defer resp.Body.Close()
	if err := redirectError(resp); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %s", resp.Status)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "text/plain" {
			return fmt.Errorf("not the Prometheus text format (Content-Type %q)", ct)
		}
	}
	return readAnswer(&n.body, resp, maxAnswer)
}

// readAnswer puts resp's body in buf, or says that it is larger than limit
// bytes: before reading it when its Content-Length says so, else once
// limit bytes have come.
func readAnswer(buf *bytes.Buffer, resp *http.Response, limit int64) error {
	if resp.ContentLength > limit {
		return tooLargeError(limit)
	}
	buf.Reset()
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1)); err != nil {
		return err
	}
	if int64(buf.Len()) > limit {
		return tooLargeError(limit)
	}
	return nil
}

// tooLargeError is an answer beyond its bound, in bytes.
type tooLargeError int64

func (e tooLargeError) Error() string { return fmt.Sprintf("the answer is larger than %d MiB", e>>20) }

// plainNetError drops what a net/http error repeats of the address, which the
// message names already: "cannot connect: connection refused", not
// `Get "http://h:9100/metrics": dial tcp h:9100: connect: connection refused`.
func plainNetError(err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	var oerr *net.OpError
	if errors.As(err, &oerr) && oerr.Op == "dial" {
		inner := oerr.Err
		var serr *os.SyscallError
		if errors.As(inner, &serr) {
			inner = serr.Err
		}
		return fmt.Errorf("cannot connect: %w", inner)
	}
	return err
}

// refuseRedirects is the CheckRedirect of every client here: a node or
// server that points elsewhere points at another machine, whose figures
// must not be shown under its name. The redirect comes back as the answer,
// for redirectError to name.
func refuseRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// redirectError says where resp, a redirect, points; nil when resp is no
// redirect.
func redirectError(resp *http.Response) error {
	if resp.StatusCode < 300 || resp.StatusCode > 399 {
		return nil
	}
	to, err := resp.Location()
	if err != nil {
		return nil // a 3xx without Location, such as 304, redirects nowhere
	}
	if resp.Request != nil && to.RawQuery == resp.Request.URL.RawQuery {
		to.RawQuery = "" // the query asked, carried along, would bury the address
	}
	return fmt.Errorf("it redirects to %s (HTTP %s); corescope follows no redirect: give the address that answers",
		redacted(to.String()), resp.Status)
}

// read parses n.body and fills n.row with each core's busy fraction since
// the baseline, then makes this answer the baseline.
func (n *nodeState) read(ctx context.Context) error {
	fam, err := n.parser.parse(ctx, n.body.Bytes())
	if err != nil {
		return err
	}
	if n.index == nil {
		if n.node.CPUs, err = cpuLabels(fam); err != nil {
			return err
		}
		n.index = make(map[string]int, len(n.node.CPUs))
		for i, cpu := range n.node.CPUs {
			n.index[cpu] = i
		}
		n.prev = make([]coreTimes, len(n.node.CPUs))
		n.next = make([]coreTimes, len(n.node.CPUs))
		n.row = make(levels.Row, len(n.node.CPUs))
	}
	fold(n.next, n.index, fam)
	for i := range n.row {
		n.row[i] = levels.Missing
		if n.haveBase {
			n.row[i] = busy(n.prev[i], n.next[i])
		}
	}
	n.prev, n.next = n.next, n.prev
	n.haveBase = true
	return nil
}

// shed lets go of what the node keeps of its answer between ticks when it
// outgrew an answer of keepAnswer bytes.
func (n *nodeState) shed() {
	if n.body.Cap() > keepAnswer {
		n.body = bytes.Buffer{}
	}
	n.parser.shed()
}

// missingRow is the node's row with every core Missing (none before the node
// first answered).
func (n *nodeState) missingRow() levels.Row {
	for i := range n.row {
		n.row[i] = levels.Missing
	}
	return n.row
}
