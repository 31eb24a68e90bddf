package nodes

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseAddress(t *testing.T) {
	for _, c := range []struct{ in, want, err string }{
		{"node1:9100", "http://node1:9100/metrics", ""},
		{" 10.0.0.7:9100 ", "http://10.0.0.7:9100/metrics", ""},
		{"[::1]:9100", "http://[::1]:9100/metrics", ""},
		{"http://node1:9100/metrics", "http://node1:9100/metrics", ""},
		{"https://node1/exporter/metrics?x=1", "https://node1/exporter/metrics?x=1", ""},
		{"http://node1:9100", "http://node1:9100/metrics", ""},
		{"", "", "empty"},
		{"node1", "", "not host:port"},
		{":9100", "", "not host:port"},
		{"node1:http", "", "the port is not a number"},
		{"node1:70000", "", "the port is not a number"},
		{"ftp://node1:9100/metrics", "", `scheme "ftp"`},
		{"http:///metrics", "", "no host"},
		{"http://node1:0/metrics", "", "the port is not a number"},
	} {
		got, err := ParseAddress(c.in)
		switch {
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("ParseAddress(%q) = %q, %v; want %q", c.in, got, err, c.want)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err) ||
			!strings.HasPrefix(err.Error(), "node: "+strconv.Quote(c.in)+" is not allowed; ") || !strings.Contains(err.Error(), acceptedForms)):
			t.Errorf("ParseAddress(%q) = %q, %v; want an error naming the node, saying %q and listing the forms", c.in, got, err, c.err)
		}
	}
}

func TestNewScraperChecks(t *testing.T) {
	for _, c := range []struct {
		name     string
		addrs    []string
		interval string
		want     string
	}{
		{"no node", nil, "1s", "node: none is not allowed; give at least one"},
		{"too fast", []string{"a:9100"}, "50ms", "interval: 50ms is not allowed; use 100ms or more"},
		{"twice", []string{"a:9100", "http://a:9100/metrics"}, "1s", `node: "http://a:9100/metrics" is not allowed; it is given twice`},
		{"bad", []string{"a:9100", "b"}, "1s", `node: "b" is not allowed; it is not host:port`},
		{"too many", manyAddresses(maxNodes + 1), "1s", `node: "n1024:9100" is not allowed; it is node 1025: corescope reads up to 1024 nodes at once`},
	} {
		d, _ := time.ParseDuration(c.interval)
		_, err := NewScraper(c.addrs, d)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: NewScraper = %v; want an error with %q", c.name, err, c.want)
		}
	}
	most, err := NewScraper(manyAddresses(maxNodes), DefaultInterval)
	if err != nil {
		t.Fatalf("NewScraper of %d nodes: %v; want them all", maxNodes, err)
	}
	most.Close()
	s, err := NewScraper([]string{"a:9100", "https://ops:secret@b/m"}, DefaultInterval)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := s.Nodes()
	if s.timeout != 800*time.Millisecond || n[0].Name != "a:9100" || n[1].Name != "b" ||
		n[1].URL != "https://ops:xxxxx@b/m" || s.nodes[1].url != "https://ops:secret@b/m" {
		t.Errorf("timeout %v, nodes %+v; want 800ms, a:9100 and b, b's password kept for requests only", s.timeout, n)
	}
}

// manyAddresses are n distinct node addresses.
func manyAddresses(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "n" + strconv.Itoa(i) + ":9100"
	}
	return out
}
