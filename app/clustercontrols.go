package app

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"corescope/nodes"
	"corescope/profile"
)

// backendCluster is the Run choice that watches other machines'
// node_exporters instead of running a subject.
const backendCluster = "Cluster"

// clusterFields are the Cluster source's fields: the nodes' addresses, one
// a line, how often they are read, and for how long (empty: until Stop).
type clusterFields struct {
	nodes, interval, duration *field
	form                      *widget.Form
}

// newClusterFields builds the fields; changed is called after any edit.
func newClusterFields(do func(func()), changed func()) *clusterFields {
	c := &clusterFields{nodes: newField(do), interval: newField(do), duration: newField(do)}
	c.nodes.MultiLine = true
	c.nodes.SetMinRowsVisible(4)
	c.nodes.SetPlaceHolder("host:9100\nhttp://host2:9100/metrics")
	// A form shows a field's error in place of its hint, on one line: the
	// validators say only what is allowed, in a few words that never echo
	// the text typed, or a long line would widen the window; Run's error
	// (options) says the rest.
	c.nodes.Validator = func(s string) error {
		if _, err := nodeAddresses(s); err != nil {
			var bad badLine
			if errors.As(err, &bad) {
				return fmt.Errorf("line %d: host:port or a URL", int(bad))
			}
			return errors.New("one host:port or URL a line")
		}
		return nil
	}
	c.interval.SetText(nodes.DefaultInterval.String())
	c.interval.Validator = func(s string) error {
		if _, err := watchInterval(s); err != nil {
			return fmt.Errorf("%v or more, such as 1s", nodes.MinInterval)
		}
		return nil
	}
	c.duration.SetPlaceHolder("until Stop")
	c.duration.Validator = func(s string) error {
		if _, err := watchDuration(s); err != nil {
			return errors.New("such as 10m; empty = until Stop")
		}
		return nil
	}
	for _, f := range []*field{c.nodes, c.interval, c.duration} {
		f.OnChanged = func(string) { call(changed) }
	}
	c.form = widget.NewForm(
		&widget.FormItem{Text: "Nodes", Widget: c.nodes, HintText: "node_exporters: host:port or URL a line"},
		&widget.FormItem{Text: "Every", Widget: c.interval, HintText: "how often nodes are read (100ms or more)"},
		&widget.FormItem{Text: "For", Widget: c.duration, HintText: "how long; empty = until Stop"},
	)
	return c
}

// disableables are the fields, to disable during a run.
func (c *clusterFields) disableables() []fyne.Disableable {
	return []fyne.Disableable{c.nodes, c.interval, c.duration}
}

// options are the watch the fields ask for; the error names the first bad
// field.
func (c *clusterFields) options() (profile.WatchOptions, error) {
	var opt profile.WatchOptions
	var err error
	if opt.Addresses, err = nodeAddresses(c.nodes.Text); err != nil {
		return opt, fmt.Errorf("Nodes: %w", err)
	}
	if opt.Interval, err = watchInterval(c.interval.Text); err != nil {
		return opt, fmt.Errorf("Every: %w", err)
	}
	if opt.Duration, err = watchDuration(c.duration.Text); err != nil {
		return opt, fmt.Errorf("For: %w", err)
	}
	return opt, nil
}

// nodeAddresses are the non-blank lines of text, each checked as --node
// takes it (nodes.ParseAddress); a bad line is named by its number.
func nodeAddresses(text string) ([]string, error) {
	var out []string
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if _, err := nodes.ParseAddress(line); err != nil {
			// The field is named by the form; the error names the line.
			return nil, fmt.Errorf("%w: %s", badLine(i+1), strings.TrimPrefix(err.Error(), "--node "))
		}
		out = append(out, line)
	}
	if len(out) == 0 {
		return nil, errors.New("no node: give a node_exporter's host:port (such as host:9100) or URL, one a line")
	}
	return out, nil
}

// badLine is the number of a line of the Nodes field that is no address.
type badLine int

func (b badLine) Error() string { return fmt.Sprintf("line %d", int(b)) }

// watchInterval is how often the nodes are read: empty means
// nodes.DefaultInterval; at least nodes.MinInterval.
func watchInterval(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nodes.DefaultInterval, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < nodes.MinInterval {
		return 0, fmt.Errorf("%q: use a duration of %v or more, such as 1s", s, nodes.MinInterval)
	}
	return d, nil
}

// watchDuration is how long to watch: empty means until Stop (0).
func watchDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q: use a positive duration such as 10m, or nothing to watch until Stop", s)
	}
	return d, nil
}

func (c *controls) isCluster() bool { return c.backend.Selected == backendCluster }

// showCluster shows the Cluster source's rows alone when it is chosen,
// and reports whether it is; otherwise it hides them.
func (c *controls) showCluster() bool {
	if !c.isCluster() {
		c.cluster.form.Hide()
		c.rateForm.Show()
		return false
	}
	c.goForm.Hide()
	c.cmdForm.Hide()
	c.rateForm.Hide()
	c.pyInfo.Hide()
	c.cluster.form.Show()
	return true
}
