package app

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"corescope/nodes"
	"corescope/recorder"
	"corescope/spec"
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
		fe := c.problem("node", func(in *recorder.WatchInput) { in.Nodes = strings.Split(s, "\n") })
		switch {
		case fe == nil:
			return nil
		case lineOf(s, fe) > 0:
			return fmt.Errorf("line %d: host:port or a URL, once", lineOf(s, fe))
		}
		return errors.New("one host:port or URL a line")
	}
	c.interval.SetText(nodes.DefaultInterval.String())
	c.interval.Validator = func(s string) error {
		if c.problem("interval", func(in *recorder.WatchInput) { in.Interval = s }) != nil {
			return fmt.Errorf("%v or more, such as 1s", nodes.MinInterval)
		}
		return nil
	}
	c.duration.SetPlaceHolder("until Stop")
	c.duration.Validator = func(s string) error {
		if c.problem("duration", func(in *recorder.WatchInput) { in.Duration = s }) != nil {
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

// input is the watch the fields ask for, as typed.
func (c *clusterFields) input() recorder.WatchInput {
	return recorder.WatchInput{Nodes: strings.Split(c.nodes.Text, "\n"), Interval: c.interval.Text, Duration: c.duration.Text}
}

// problem is the *spec.FieldError of field when set gives it the text
// being typed, whatever the other fields hold; nil when it is fine.
func (c *clusterFields) problem(field string, set func(*recorder.WatchInput)) *spec.FieldError {
	in := c.input()
	set(&in)
	var fe *spec.FieldError
	if errors.As(in.Problem(field), &fe) {
		return fe
	}
	return nil
}

// clusterLabels are the form's names for WatchInput's fields.
var clusterLabels = map[string]string{"node": "Nodes", "interval": "Every", "duration": "For"}

// options are the watch the fields ask for; the error names the first bad
// field by its label, and a bad node by its line.
func (c *clusterFields) options() (recorder.WatchOptions, error) {
	opt, err := c.input().Options()
	var fe *spec.FieldError
	if !errors.As(err, &fe) {
		return opt, err
	}
	what := fe.Value + " is not allowed; " + fe.Allowed
	switch n := lineOf(c.nodes.Text, fe); {
	case fe.Field == "node" && fe.Value == "none":
		what = "give a node_exporter's host:port (such as host:9100) or URL, one a line"
	case n > 0:
		what = fmt.Sprintf("line %d: %s", n, what)
	}
	return opt, fmt.Errorf("%s: %s", clusterLabels[fe.Field], what)
}

// lineOf is the number of the line of the Nodes text fe names, 0 when fe
// is not about one (the last, for an address given twice).
func lineOf(text string, fe *spec.FieldError) int {
	n := 0
	for i, line := range strings.Split(text, "\n") {
		if fe.Field == "node" && strconv.Quote(strings.TrimSpace(line)) == fe.Value {
			n = i + 1
		}
	}
	return n
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
