package recorder

import (
	"errors"
	"strings"
	"testing"
	"time"

	"corescope/nodes"
	"corescope/spec"
)

// TestWatchInput checks the one path from a watch as typed to its options:
// the defaults, and each bad field named with what it allows, whatever the
// other fields hold.
func TestWatchInput(t *testing.T) {
	opt, err := WatchInput{Nodes: []string{" a:9100 ", "", "http://b:9100/metrics"}}.Options()
	if err != nil || len(opt.Addresses) != 2 || opt.Addresses[0] != "a:9100" || opt.Interval != nodes.DefaultInterval || opt.Duration != 0 {
		t.Errorf("Options() = %+v, %v; want the 2 nodes every %v until stopped", opt, err, nodes.DefaultInterval)
	}
	opt, err = WatchInput{Nodes: []string{"a:9100"}, Interval: "500ms", Duration: "10m"}.Options()
	if err != nil || opt.Interval != 500*time.Millisecond || opt.Duration != 10*time.Minute {
		t.Errorf("Options() = %+v, %v; want every 500ms for 10m", opt, err)
	}
	for _, tc := range []struct {
		name  string
		in    WatchInput
		field string
		says  string
	}{
		{"no node", WatchInput{Nodes: []string{" ", ""}}, "node", "node: none is not allowed"},
		{"a bad node", WatchInput{Nodes: []string{"a:9100", "b"}}, "node", `node: "b" is not allowed; it is not host:port`},
		{"a node twice", WatchInput{Nodes: []string{"a:9100", "a:9100"}}, "node", "given twice"},
		{"interval not a duration", WatchInput{Nodes: []string{"a:9100"}, Interval: "often"}, "interval", `interval: "often" is not allowed; use a duration of 100ms or more`},
		{"interval too short", WatchInput{Nodes: []string{"a:9100"}, Interval: "20ms"}, "interval", "interval: 20ms is not allowed; use 100ms or more"},
		{"interval 0", WatchInput{Nodes: []string{"a:9100"}, Interval: "0s"}, "interval", "interval: \"0s\" is not allowed"},
		{"negative duration", WatchInput{Nodes: []string{"a:9100"}, Duration: "-1s"}, "duration", `duration: "-1s" is not allowed; use a positive duration`},
	} {
		_, err := tc.in.Options()
		var fe *spec.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: Options() error = %v; want a field error of %s saying %q", tc.name, err, tc.field, tc.says)
		}
	}
	// A form shows each field's problem whatever the others hold.
	both := WatchInput{Nodes: []string{"b"}, Interval: "often"}
	if both.Problem("node") == nil || both.Problem("interval") == nil || both.Problem("duration") != nil {
		t.Errorf("Problem with a bad node and interval: node %v, interval %v, duration %v; want the first two only",
			both.Problem("node"), both.Problem("interval"), both.Problem("duration"))
	}
}
