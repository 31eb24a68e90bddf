package profile

import (
	"context"
	"errors"
	"time"

	"corescope/runners"
)

// ComparePause is the rest between two runs of a comparison, so one run's
// tail does not colour the next one's start.
const ComparePause = 500 * time.Millisecond

// CompareOptions configure Compare.
type CompareOptions struct {
	Options
	// OnRun, when set, is called before run i (0-based) of n starts.
	OnRun func(i, n int, spec runners.Spec)
}

// Compare records each spec in turn and sets every run's speedup. It goes
// on after a failed run and returns the first failure with every profile
// made; a stop ends it with ErrStopped.
func Compare(ctx context.Context, specs []runners.Spec, opt CompareOptions) ([]*Profile, error) {
	var (
		ps       []*Profile
		firstErr error
	)
	if opt.Machine == nil {
		m := ThisMachine(ctx)
		opt.Machine = &m
	}
	for i, spec := range specs {
		if i > 0 {
			select {
			case <-ctx.Done():
				Speedups(ps)
				return ps, ErrStopped
			case <-time.After(ComparePause):
			}
		}
		if opt.OnRun != nil {
			opt.OnRun(i, len(specs), spec)
		}
		p, err := Record(ctx, spec, opt.Options)
		if p != nil {
			ps = append(ps, p)
		}
		if errors.Is(err, ErrStopped) {
			Speedups(ps)
			return ps, ErrStopped
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	Speedups(ps)
	return ps, firstErr
}
