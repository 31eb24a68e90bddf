package recorder

import (
	"context"
	"strings"
	"testing"
	"time"

	"corescope/nodes/nodestest"
	"corescope/profile"
)

// watchGuarded runs Watch, cancelling its context (as Ctrl-C does) after
// cancelAfter unless that is zero, and fails the test if it has not ended
// ten seconds after it was stopped or its Duration passed: a hang guard,
// twenty ticks of these tests.
func watchGuarded(t *testing.T, opt WatchOptions, cancelAfter time.Duration) (*profile.Profile, error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if cancelAfter > 0 {
		time.AfterFunc(cancelAfter, cancel)
	}
	var p *profile.Profile
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		p, err = Watch(ctx, opt)
	}()
	select {
	case <-done:
		return p, err
	case <-time.After(max(opt.Duration, cancelAfter) + 10*time.Second):
		t.Fatalf("the watch has not ended 10 s after it was stopped (its tick is %v)", opt.Interval)
		return nil, nil
	}
}

// TestWatchGoesOnPastAHostileNode watches a good node beside one that lists
// 100,000 cpu labels (11 MB): every tick gives the good node's figures and
// the hostile node's error, naming the limit it broke, and Ctrl-C (ctx)
// ends the watch. The hostile node's first answer once held both nodes'
// first tick for 27.7 s (49 s here), so a 3 s watch had no frame and Ctrl-C
// waited as long.
func TestWatchGoesOnPastAHostileNode(t *testing.T) {
	t.Parallel()
	good := nodestest.HalfBusyNode(t, 2)
	hostile := nodestest.StaticNode(t, nodestest.CPUAnswer(100_000, nodestest.HalfBusy, 1))
	const interval, ticks = 500 * time.Millisecond, 6
	opt := WatchOptions{
		Addresses: []string{good.Addr, hostile.Addr},
		Interval:  interval,
		Duration:  ticks * interval,
		Machine:   &profile.Machine{},
	}
	p, err := watchGuarded(t, opt, 0)
	if err != nil {
		t.Fatal(err)
	}
	// A loaded machine may skip a tick or two; a stalled watch has none.
	if len(p.Frames) < ticks/2 || len(p.Nodes) != 2 {
		t.Fatalf("%d frames, nodes %+v; want about %d frames of 2 nodes", len(p.Frames), p.Nodes, ticks)
	}
	if n := p.Nodes[0]; n.Cores != 2 || n.MissedTicks != 0 {
		t.Errorf("the good node: %+v; want 2 cores and no tick missed", n)
	}
	if n := p.Nodes[1]; n.Cores != 0 || n.MissedTicks != len(p.Frames) || !strings.Contains(n.LastError, "8192 cores") {
		t.Errorf("the hostile node: %+v; want no cores, every tick missed, and the limit of 8192 cores named", n)
	}
	// One request a tick to each: the baseline tick and the frames'.
	if got := hostile.Requests(); got != len(p.Frames)+1 {
		t.Errorf("the hostile node was asked %d times in %d frames; want once a tick, the baseline's too", got, len(p.Frames))
	}

	// Ctrl-C while the hostile node is being read ends the watch at once.
	opt.Duration = 0
	if _, err := watchGuarded(t, opt, 3*interval); err != nil && !strings.Contains(err.Error(), "stopped before the first frame") {
		t.Errorf("the stopped watch: %v; want its frames, or none yet", err)
	}
}
