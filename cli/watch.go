package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"corescope/nodes"
	"corescope/profile"
	"corescope/recorder"
	"corescope/runtext"
)

const (
	watchSynopsis = "Usage: corescope watch --node HOST:PORT [--node HOST:PORT ...] [--interval 1s] [--duration D] [--json F] [--png F] [--html F] [--csv F] [--trace F]\n\n" +
		"Watches the per-core load of machines that run Prometheus' node_exporter, until Ctrl-C or --duration,\n" +
		"and prints each node's figures. Nothing is installed on the nodes."
	nodeUsage = "a node_exporter to read each tick: `HOST:PORT` (meaning http://HOST:PORT/metrics) or a full http(s) URL; give it once per node"
)

// watchFlags defines watch's flags into addrs, interval, duration and out.
func watchFlags(stdout io.Writer, addrs *listFlag, interval, duration *string, out *outputs) *flag.FlagSet {
	fs := newFlagSet("corescope watch", watchSynopsis, stdout)
	fs.Var(addrs, "node", nodeUsage)
	fs.StringVar(interval, "interval", nodes.DefaultInterval.String(),
		fmt.Sprintf("how often every node is read (%v or longer; their counters move in 10 ms steps)", nodes.MinInterval))
	fs.StringVar(duration, "duration", "", "stop after this long, such as 30s or 10m (default: until Ctrl-C)")
	out.register(fs, true)
	return fs
}

// cmdWatch watches nodes without a subject.
func cmdWatch(args []string, stdout, stderr io.Writer) error {
	var (
		addrs              listFlag
		interval, duration string
		out                outputs
	)
	fs := watchFlags(stdout, &addrs, &interval, &duration, &out)
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(positional) > 0 {
		return usagef("unexpected argument %q (give each node with --node; see --help)", positional[0])
	}
	opt, err := recorder.WatchInput{Nodes: addrs, Interval: interval, Duration: duration}.Options()
	if err != nil {
		return usageError{err.Error()}
	}
	if err := out.check(); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	live := &nodeProgress{prog: newProgress(stderr)}
	opt.OnFrame, opt.OnNodes = live.frame, live.nodes
	p, err := recorder.Watch(ctx, opt)
	live.prog.clear()
	if err != nil {
		return err
	}
	runtext.Conclude([]*profile.Profile{p})
	printWatch(stdout, p)
	if err := out.write([]*profile.Profile{p}, stderr); err != nil {
		return err
	}
	if p.AnyFigure() {
		return nil
	}
	return fmt.Errorf("no node gave a figure in %s (see the last errors above)", runtext.Count(len(p.Frames), "tick"))
}

// durationFlag reads a positive duration flag, or says what it takes.
func durationFlag(name, value, example string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(value))
	if err != nil || d <= 0 {
		return 0, usagef("--%s %q: use a positive duration such as %s", name, value, example)
	}
	return d, nil
}

// printWatch writes a profile without a subject (watch, report
// --prometheus): its span, a line a node, and the cluster's sentence.
func printWatch(w io.Writer, p *profile.Profile) {
	s := p.Summary
	printf(w, "%s: %s at one tick every %v, %s\n\n", runtext.Label(p), runtext.Seconds(s.WallS), p.Spec.Interval.D(), runtext.Count(len(p.Frames), "tick"))
	printNodes(w, p)
	printf(w, "\n  cluster    %s\n", runtext.Outcome(p))
	if s.SelfCPUS > 0 {
		printf(w, "  corescope  %s\n", runtext.Cost(s))
	}
}

// printNodes writes each node's figures, one line a node, and their total.
func printNodes(w io.Writer, p *profile.Profile) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	printRow(tw, runtext.NodeHeads...)
	for _, f := range p.Figures() {
		printRow(tw, runtext.NodeCells(f)...)
	}
	if len(p.Nodes) > 1 {
		cells := runtext.ClusterCells(p)
		for len(cells) > 0 && cells[len(cells)-1] == "" { // no padding after the last figure
			cells = cells[:len(cells)-1]
		}
		printRow(tw, cells...)
	}
	tw.Flush()
}

// nodeProgress shows a watch as it goes: on a terminal, a line redrawn
// each tick with every node's busy cores; on any stderr, a line when a node
// goes missing (with why) and one when it answers again.
type nodeProgress struct {
	prog    *progress
	last    profile.Frame
	missing []bool
}

func (n *nodeProgress) frame(f profile.Frame) { n.last = f }

// nodes is WatchOptions.OnNodes: it draws the tick's line and notes the
// nodes that went missing or came back.
func (n *nodeProgress) nodes(ns []profile.Node, errs []error) {
	if n.missing == nil {
		n.missing = make([]bool, len(ns))
	}
	at := n.last.T
	parts := make([]string, 0, len(ns))
	answering, busy, cores := 0, 0.0, 0
	for i, node := range ns {
		row := node.Row(n.last.Busy)
		missing := !node.Answered(n.last.Busy)
		switch {
		case missing && !n.missing[i]:
			why := node.LastError
			if errs[i] != nil {
				why = errs[i].Error()
			}
			n.prog.note(fmt.Sprintf("%.1f s  %s is missing: %s", at, node.Name, strings.TrimPrefix(why, node.Name+": ")))
		case !missing && n.missing[i]:
			n.prog.note(fmt.Sprintf("%.1f s  %s answers again", at, node.Name))
		}
		n.missing[i] = missing
		cores += node.Cores
		if missing {
			parts = append(parts, node.Name+" -")
			continue
		}
		answering++
		busy += row.Sum()
		parts = append(parts, fmt.Sprintf("%s %.2f/%d", node.Name, row.Sum(), node.Cores))
	}
	line := fmt.Sprintf("%.1f s  %d of %d nodes answering, %.2f of %d cores busy", at, answering, len(ns), busy, cores)
	if detail := strings.Join(parts, "  "); len(line)+len(detail) < 150 {
		line += "  " + detail
	}
	n.prog.show(line)
}

// reportHistory is report --prometheus: the nodes' past load from a
// Prometheus server, as a watch of those seconds would have shown it.
func reportHistory(ctx context.Context, q nodes.HistoryQuery, stdout io.Writer) (*profile.Profile, error) {
	h, err := nodes.QueryHistory(ctx, q)
	if err != nil {
		return nil, err
	}
	p := recorder.FromHistory(ctx, h, nil)
	runtext.Conclude([]*profile.Profile{p})
	printWatch(stdout, p)
	return p, nil
}

// timeFlag reads --from or --to: RFC 3339 (2026-11-29T22:00:00Z), Unix
// seconds, "now", or a time relative to now ("-1h", "now-90m").
func timeFlag(name, value string, now time.Time) (time.Time, error) {
	v := strings.TrimSpace(value)
	if v == "now" {
		return now, nil
	}
	if rel, ok := strings.CutPrefix(v, "now"); ok || strings.HasPrefix(v, "-") {
		if d, err := time.ParseDuration(rel); err == nil && d <= 0 {
			return now.Add(d), nil
		}
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs > 0 {
		return time.UnixMilli(int64(secs * 1000)), nil
	}
	return time.Time{}, usagef("--%s %q: use an RFC 3339 time (2026-11-29T22:00:00Z), Unix seconds, now, or a time before now such as -1h or now-90m", name, value)
}
