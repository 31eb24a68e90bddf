package nodes

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"corescope/spec"
)

// acceptedForms is the error text's list of what --node takes.
const acceptedForms = "host:port (meaning http://host:port/metrics) or a full http:// or https:// URL"

// ParseAddress turns a --node value into the URL to scrape: "host:port"
// means http://host:port/metrics, the way Prometheus' static_configs name
// targets; an http:// or https:// URL is kept as given (a URL with no path
// gets /metrics). Anything else is an error that names the field and the
// accepted forms.
func ParseAddress(s string) (string, error) {
	in := strings.TrimSpace(s)
	bad := func(why string) (string, error) {
		return "", &spec.FieldError{Field: "node", Value: strconv.Quote(s), Allowed: why + "; use " + acceptedForms}
	}
	if in == "" {
		return bad("it is empty")
	}
	if !strings.Contains(in, "://") {
		host, port, err := net.SplitHostPort(in)
		if err != nil || host == "" || port == "" {
			return bad("it is not host:port")
		}
		if !validPort(port) {
			return bad("the port is not a number from 1 to 65535")
		}
		in = "http://" + in + "/metrics"
	}
	u, err := url.Parse(in)
	switch {
	case err != nil:
		return bad("it is not a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return bad(fmt.Sprintf("scheme %q is neither http nor https", u.Scheme))
	case u.Hostname() == "":
		return bad("it has no host")
	case u.Port() != "" && !validPort(u.Port()):
		return bad("the port is not a number from 1 to 65535")
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/metrics"
	}
	return u.String(), nil
}

func validPort(p string) bool {
	n := 0
	for _, c := range p {
		if c < '0' || c > '9' || n > 65535 {
			return false
		}
		n = n*10 + int(c-'0')
	}
	return n >= 1 && n <= 65535
}

// nameOf is how a node is shown: host:port of its URL, which is also the
// instance label Prometheus gives the same target.
func nameOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return rawURL
	}
	return u.Host
}

// redacted is rawURL with its password, if any, replaced by "xxxxx".
func redacted(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	return u.Redacted()
}
