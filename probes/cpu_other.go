//go:build !linux

package probes

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shirou/gopsutil/v4/cpu"
)

// statReader reads the per-core counters through gopsutil, which knows each
// system's interface; only Linux has a faster path of its own.
type statReader struct{}

// times appends the counters to dst, indexed by core number, and fails
// rather than return no cores.
func (statReader) times(ctx context.Context, dst []coreTimes) ([]coreTimes, error) {
	times, err := cpu.TimesWithContext(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("cannot read per-core CPU times: %w", err)
	}
	if dst = fold(dst, times); len(dst) == 0 {
		return nil, errors.New("cannot read per-core CPU times: no cores listed")
	}
	return dst, nil
}

// fold appends the counters to dst, indexed by core number. Lines that do
// not name a core (such as "cpu-total") are skipped.
func fold(dst []coreTimes, times []cpu.TimesStat) []coreTimes {
	for _, t := range times {
		num, isCore := strings.CutPrefix(t.CPU, "cpu")
		n, err := strconv.Atoi(num)
		if !isCore || err != nil || n < 0 || n >= maxCore {
			continue
		}
		for len(dst) <= n {
			dst = append(dst, coreTimes{})
		}
		dst[n] = coreTimes{
			ok:     true,
			user:   t.User + t.Nice,
			system: t.System + t.Irq + t.Softirq,
			idle:   t.Idle + t.Iowait,
			steal:  t.Steal,
		}
	}
	return dst
}
