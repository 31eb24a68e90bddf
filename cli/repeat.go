package cli

import (
	"flag"
	"fmt"
	"strconv"

	"corescope/runners"
	"corescope/spec"
)

// defaultRepeat is how many times a command measures each run: compare
// and scale judge from the median of DefaultCompareRepeat, run and record
// show one run unless asked.
func defaultRepeat(cmd string) int {
	if cmd == "compare" || cmd == "scale" {
		return spec.DefaultCompareRepeat
	}
	return 1
}

// runFlags are --repeat and --warmup, as typed.
type runFlags struct{ repeat, warmup string }

// register defines --repeat and --warmup.
func (f *runFlags) register(fs *flag.FlagSet, cmd string) {
	fs.StringVar(&f.repeat, "repeat", strconv.Itoa(defaultRepeat(cmd)), fmt.Sprintf(
		"measure each run `N` times (1..%d), interleaved with the other runs; the table shows the median wall and its spread", spec.MaxRepeat))
	fs.StringVar(&f.warmup, "warmup", "0", fmt.Sprintf(
		"run each `N` times more first (0..%d), recorded and marked but left out of the figures", spec.MaxWarmup))
}

// parse reads --repeat and --warmup.
func (f *runFlags) parse(cmd string) (repeat, warmup int, err error) {
	if repeat, err = runners.ParseRepeat(f.repeat, defaultRepeat(cmd)); err != nil {
		return 0, 0, usageError{err.Error()}
	}
	if warmup, err = runners.ParseWarmup(f.warmup); err != nil {
		return 0, 0, usageError{err.Error()}
	}
	return repeat, warmup, nil
}
