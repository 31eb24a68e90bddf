package recorder

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"corescope/levels"
	"corescope/nodes"
	"corescope/probes"
	"corescope/profile"
	"corescope/spec"
)

// WatchOptions configure Watch.
type WatchOptions struct {
	// Addresses are the nodes' exporters (see nodes.ParseAddress).
	Addresses []string
	// Interval is the tick, nodes.MinInterval or longer (WatchInput gives
	// nodes.DefaultInterval when none was asked for).
	Interval time.Duration
	// Duration ends the watch after this long; zero watches until ctx is
	// done.
	Duration time.Duration
	// OnFrame, when set, is called on Watch's goroutine with each frame.
	OnFrame func(profile.Frame)
	// OnNodes, when set, is called after OnFrame with the nodes so far
	// (their missed ticks and last errors) and why each gave no figure this
	// tick: an error, or nil when it answered (its first answer after a miss
	// is only a baseline, so its cores may still be Missing). The slices
	// are reused by the next tick.
	OnNodes func(nodes []profile.Node, errs []error)
	// Machine describes the computer corescope runs on; nil means
	// ThisMachine.
	Machine *profile.Machine
}

// Check says what is wrong with the options before anything is scraped,
// as a *spec.FieldError naming node, interval or duration.
func (opt WatchOptions) Check() error {
	if err := opt.checkDuration(); err != nil {
		return err
	}
	if err := nodes.CheckInterval(opt.Interval); err != nil {
		return err
	}
	_, err := nodes.CheckAddresses(opt.Addresses)
	return err
}

func (opt WatchOptions) checkDuration() error {
	if opt.Duration < 0 {
		return &spec.FieldError{Field: "duration", Value: opt.Duration.String(), Allowed: "use a positive duration, or none to watch until stopped"}
	}
	return nil
}

// WatchInput is a watch as a person asks for it, as text: the window's
// fields or the CLI's flags. Options is the one path from it to checked
// WatchOptions, so both say the same of the same mistake.
type WatchInput struct {
	Nodes    []string // the exporters' addresses; blank ones are skipped
	Interval string   // a Go duration ("1s"); empty means nodes.DefaultInterval
	Duration string   // a Go duration ("10m"); empty watches until stopped
}

// Options reads and checks in; its error is the first field's problem, a
// *spec.FieldError naming node, interval or duration and what each
// allows.
func (in WatchInput) Options() (WatchOptions, error) {
	opt, problems := in.resolve()
	return opt, problems.First()
}

// Problem is what is wrong with one field of in ("node", "interval" or
// "duration"), or nil, whatever the other fields hold: what a form shows
// beside that field.
func (in WatchInput) Problem(field string) error {
	_, problems := in.resolve()
	return problems.Of(field)
}

// resolve reads every field, each on its own, collecting their problems in
// the order interval, duration, node.
func (in WatchInput) resolve() (WatchOptions, spec.Problems) {
	var problems spec.Problems
	check := func(err error) bool {
		var fe *spec.FieldError
		if errors.As(err, &fe) {
			problems = append(problems, fe)
		}
		return err == nil
	}
	opt := WatchOptions{Interval: nodes.DefaultInterval}
	if s := strings.TrimSpace(in.Interval); s != "" {
		d, err := positiveDuration("interval", s, fmt.Sprintf("use a duration of %v or more, such as 1s", nodes.MinInterval))
		if check(err) && check(nodes.CheckInterval(d)) {
			opt.Interval = d
		}
	}
	if s := strings.TrimSpace(in.Duration); s != "" {
		d, err := positiveDuration("duration", s, "use a positive duration such as 10m, or none to watch until stopped")
		if check(err) {
			opt.Duration = d
		}
	}
	for _, a := range in.Nodes {
		if a = strings.TrimSpace(a); a != "" {
			opt.Addresses = append(opt.Addresses, a)
		}
	}
	_, err := nodes.CheckAddresses(opt.Addresses)
	check(err)
	return opt, problems
}

// positiveDuration reads text as a duration above 0, or says what field
// allows.
func positiveDuration(field, text, allowed string) (time.Duration, error) {
	d, err := time.ParseDuration(text)
	if err != nil || d <= 0 {
		return 0, &spec.FieldError{Field: field, Value: strconv.Quote(text), Allowed: allowed}
	}
	return d, nil
}

// SettleTicks is how many ticks Watch waits at most for every node's first
// answer before it fixes the frames' layout: a node that answered by then has
// its cores in every frame (Missing before its first figure), one that did
// not has none in this profile (0 cores, every tick missed) even if it
// answers later, so the rows of a profile never move. The ticks taken while
// it waits become frames once the layout is fixed.
const SettleTicks = 3

// Watch records the per-core load of nodes, without a subject, until ctx is
// done or opt.Duration has passed; either is a normal end, and the profile
// holds every frame taken. Each tick scrapes every node in parallel (see
// nodes.Scraper); a frame's Busy holds every core of every node in the
// order given, levels.Missing where a node gave no figure that tick. The
// first tick takes baselines; every later tick is a frame, passed to OnFrame
// once the layout is fixed (see SettleTicks). The profile is unnamed and
// has no verdict: runtext.Conclude names it by its nodes and words it.
//
// Errors are bad options (a *spec.FieldError, see Check) or ctx ending before any frame
// was taken.
func Watch(ctx context.Context, opt WatchOptions) (*profile.Profile, error) {
	if err := opt.checkDuration(); err != nil {
		return nil, err
	}
	c, err := newCluster(opt.Addresses, opt.Interval)
	if err != nil {
		return nil, err
	}
	defer c.close()
	if opt.Machine == nil {
		m := ThisMachine(ctx)
		opt.Machine = &m
	}
	self := probes.NewSelfMeter()
	self.Delta()
	started := time.Now()
	p := &profile.Profile{
		Spec:     spec.Spec{Interval: spec.Duration(opt.Interval)},
		Started:  started,
		Machine:  *opt.Machine,
		ExitCode: -1,
	}
	var end <-chan time.Time
	if opt.Duration > 0 {
		// A tick at the very end is taken: the watch lasts Duration.
		t := time.NewTimer(opt.Duration + opt.Interval/4)
		defer t.Stop()
		end = t.C
	}
	emit := func(t nodes.Tick) {
		f := profile.Frame{T: profile.Round(t.Time.Sub(started).Seconds(), 1e3), Busy: make(levels.Row, c.cores())}
		c.fill(f.Busy, t)
		if d, err := self.Delta(); err == nil {
			f.SelfCPU = profile.Round(d, 1e6)
		}
		p.Frames = append(p.Frames, f)
		if opt.OnFrame != nil {
			opt.OnFrame(f)
		}
		if opt.OnNodes != nil {
			opt.OnNodes(c.layout, c.errs)
		}
	}
	// Ticks taken before the layout is known wait, copied, and become
	// frames once it is.
	var pending []nodes.Tick
	fix := func() {
		c.fixLayout(0)
		p.Nodes = c.layout
		for _, t := range pending {
			emit(t)
		}
		pending = nil
	}
	ticker := time.NewTicker(opt.Interval)
	defer ticker.Stop()
	for tick := 0; ; tick++ {
		t, err := c.scraper.Scrape(ctx)
		if err != nil {
			break // ctx is done
		}
		switch {
		case tick == 0: // every node's baseline
		case c.layout == nil:
			pending = append(pending, copyTick(t))
		default:
			emit(t)
		}
		if c.layout == nil && (c.answered() || tick >= SettleTicks) {
			fix()
		}
		select {
		case <-ctx.Done():
		case <-end:
		case <-ticker.C:
			continue
		}
		break
	}
	if c.layout == nil {
		fix()
	}
	if len(p.Frames) == 0 && ctx.Err() != nil {
		return nil, fmt.Errorf("stopped before the first frame: a watch takes %v per tick, and its first answers are only baselines", opt.Interval)
	}
	summarizeWatch(p)
	return p, nil
}

// summarizeWatch fills the summary of a profile without a subject: the
// watch's length, its nodes' mean and peak busy cores (each frame's known
// cores: a node that gave no figure adds nothing, it is not counted as
// idle) and corescope's own cost.
func summarizeWatch(p *profile.Profile) {
	s := &p.Summary
	if n := len(p.Frames); n > 0 {
		s.WallS = profile.Round(p.Frames[n-1].T-p.Frames[0].T+p.Spec.Interval.D().Seconds(), 1e4)
	}
	s.MachineBusyCores, s.PeakBusyCores = p.ClusterBusy()
	selfCPU := 0.0
	for i := range p.Frames {
		selfCPU += p.Frames[i].SelfCPU
	}
	s.SelfCPUS = profile.Round(selfCPU, 1e4)
	if s.WallS > 0 {
		s.SelfCores = profile.Round(selfCPU/s.WallS, 1e4)
	}
}

// cluster scrapes remote nodes once a tick, for Watch and for Record with
// nodes, and lays their cores out in frames.
type cluster struct {
	scraper *nodes.Scraper
	// layout is the nodes' place in every frame; nil until fixLayout.
	layout []profile.Node
	// errs is why each node gave no figure on the last tick (nil: it answered).
	errs []error
	// late marks nodes that answered only after the layout was fixed.
	late []bool
}

func newCluster(addresses []string, interval time.Duration) (*cluster, error) {
	s, err := nodes.NewScraper(addresses, interval)
	if err != nil {
		return nil, err
	}
	return &cluster{scraper: s, errs: make([]error, len(addresses)), late: make([]bool, len(addresses))}, nil
}

func (c *cluster) close() { c.scraper.Close() }

// answered reports whether every node has answered at least once.
func (c *cluster) answered() bool {
	for _, n := range c.scraper.Nodes() {
		if len(n.CPUs) == 0 {
			return false
		}
	}
	return true
}

// fixLayout places the scraper's nodes' cores one after another from core
// first, each with the cores it has answered with so far.
func (c *cluster) fixLayout(first int) { c.place(c.scraper.Nodes(), first) }

// place lays ns out one after another from core first.
func (c *cluster) place(ns []nodes.Node, first int) {
	for _, n := range ns {
		c.layout = append(c.layout, profile.Node{Name: n.Name, URL: n.URL, Cores: len(n.CPUs), First: first})
		first += len(n.CPUs)
	}
}

// cores is how many cores the layout holds.
func (c *cluster) cores() int { return profile.NodeCores(c.layout) }

// fill copies tick t's readings into busy at each node's place (which
// starts at c.layout[0].First), Missing where a node gave no figure, and
// counts each node's missed ticks and keeps its last error.
func (c *cluster) fill(busy levels.Row, t nodes.Tick) {
	for i := range c.layout {
		base := c.layout[0].First
		n := &c.layout[i]
		dst := busy[n.First-base : n.First-base+n.Cores]
		r := t.Nodes[i]
		if len(r.Busy) == n.Cores {
			copy(dst, r.Busy)
		} else {
			for k := range dst {
				dst[k] = levels.Missing
			}
			if r.Err == nil && n.Cores == 0 && !c.late[i] {
				c.late[i] = true
				r.Err = errors.New("it first answered after the watch had fixed its cores (a watch waits " +
					fmt.Sprint(SettleTicks) + " ticks for every node): start again to see its cores")
			}
		}
		c.errs[i] = r.Err
		if !dst.AnyKnown() {
			n.MissedTicks++
		}
		if r.Err != nil {
			var ne *nodes.NodeError
			if errors.As(r.Err, &ne) {
				n.LastError = ne.Err.Error() // the node is named beside it
			} else {
				n.LastError = r.Err.Error()
			}
		}
	}
}

// copyTick is t with rows of its own: a Scraper reuses its tick's.
func copyTick(t nodes.Tick) nodes.Tick {
	c := nodes.Tick{Time: t.Time, Nodes: slices.Clone(t.Nodes)}
	for i := range c.Nodes {
		c.Nodes[i].Busy = slices.Clone(c.Nodes[i].Busy)
	}
	return c
}
