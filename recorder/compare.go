package recorder

import (
	"context"
	"errors"
	"time"

	"corescope/profile"
	"corescope/spec"
)

// ComparePause is the rest between two runs of a comparison, so one run's
// tail does not colour the next one's start.
const ComparePause = 500 * time.Millisecond

// RecordFunc records one run: Record, or a stand-in in tests.
type RecordFunc func(ctx context.Context, spec spec.Spec, opt Options) (*profile.Profile, error)

// CompareOptions configure Compare. The hooks are called on Compare's
// goroutine, one run after another; Options.OnFrame gets every frame of
// every run, between that run's OnRun and OnRunEnd.
type CompareOptions struct {
	Options
	// Repeat is how many times each spec is measured (0 means once), and
	// Warmup how many runs of each go before, recorded but marked as
	// warm-ups (see Plan).
	Repeat, Warmup int
	// OnRun, when set, is called before run i (0-based) of the n planned
	// starts.
	OnRun func(i, n int, run Planned)
	// OnRunEnd, when set, is called when run i ended, with what Record
	// returned: a profile (nil when the subject never started), which the
	// hook owns, and an error (a failed run, ErrStopped).
	OnRunEnd func(i int, p *profile.Profile, err error)
	// Record records each run; nil means Record.
	Record RecordFunc
}

// Planned is one run of a comparison: its spec, and which of the spec's
// runs it is, counted from 1 among its warm-ups or among its measured
// repeats, of how many. Its profile keeps which (Profile.Repeat and
// Warmup).
type Planned struct {
	Spec       spec.Spec
	Repeat, Of int
	Warmup     bool
}

// Plan lists the runs of a comparison in the order they run: the warm-ups,
// then the measured repeats, each round one run of every spec in turn
// (round-robin), so that a drift in the machine's load (another program
// starting, a CPU's clock) hits every spec alike instead of one spec's
// repeats all at once. repeat below 1 means 1.
func Plan(specs []spec.Spec, repeat, warmup int) []Planned {
	warmup, repeat = max(warmup, 0), max(repeat, 1)
	var runs []Planned
	for round := range warmup + repeat {
		for _, s := range specs {
			r := Planned{Spec: s, Repeat: round + 1, Of: warmup, Warmup: true}
			if round >= warmup {
				r.Repeat, r.Of, r.Warmup = round-warmup+1, repeat, false
			}
			runs = append(runs, r)
		}
	}
	return runs
}

// Compare records the runs Plan lists for specs (opt.Repeat, opt.Warmup),
// in turn: the one loop that runs a list of specs, for the CLI and the
// window alike. Each profile says which repeat it is. It goes on after a
// failed run and returns the first failure with every profile made; a stop
// (ctx done) ends it with ErrStopped. It judges and words nothing: whoever
// shows or saves the runs concludes them (runtext.Conclude: speedups,
// verdicts).
func Compare(ctx context.Context, specs []spec.Spec, opt CompareOptions) ([]*profile.Profile, error) {
	var (
		ps       []*profile.Profile
		firstErr error
	)
	if opt.Machine == nil {
		m := ThisMachine(ctx)
		opt.Machine = &m
	}
	record := opt.Record
	if record == nil {
		record = Record
	}
	runs := Plan(specs, opt.Repeat, opt.Warmup)
	for i, run := range runs {
		if i > 0 {
			select {
			case <-ctx.Done():
				return ps, ErrStopped
			case <-time.After(ComparePause):
			}
		}
		if opt.OnRun != nil {
			opt.OnRun(i, len(runs), run)
		}
		p, err := record(ctx, run.Spec, opt.Options)
		if p != nil {
			p.Repeat, p.Warmup = run.Repeat, run.Warmup
		}
		if opt.OnRunEnd != nil {
			opt.OnRunEnd(i, handOver(p), err)
		}
		if p != nil {
			ps = append(ps, p)
		}
		if errors.Is(err, ErrStopped) || errors.Is(err, ErrUnsupported) {
			return ps, err // a stop, or a system where no run can work
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return ps, firstErr
}

// handOver is a copy of p that a hook may keep and change: the window
// concludes the runs it is handed (their speedups and verdicts) on its own
// goroutine, and Compare's caller may conclude the profiles Compare returns
// on another. What neither changes is shared.
func handOver(p *profile.Profile) *profile.Profile {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}
