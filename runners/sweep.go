package runners

import (
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"corescope/spec"
)

// Sweep is a sweep of worker counts as a person asked for it: the run
// (Input: one model, or a command whose worker count is
// spec.WorkersPlaceholder), the counts as typed ("1,2,4"; empty for
// DefaultCounts), whether the work grows with the workers (Weak), and
// whether counts measured while other programs competed are left out of
// the fit. Specs is the one path from it to the sweep's specs.
type Sweep struct {
	Input
	Counts             string
	Weak, SkipCompeted bool
}

// DefaultCounts are the worker counts of a sweep where none are given:
// 1, 2, 4... up to twice the cores, with the cores themselves, so that
// the curve rises to the cores and shows what lies past them.
func DefaultCounts(cores int) []int {
	counts := []int{cores, 2 * cores}
	for n := 1; n < 2*cores; n *= 2 {
		counts = append(counts, n)
	}
	slices.Sort(counts)
	return slices.Compact(counts)
}

// Specs are the sweep's runs, one a worker count, named sweep: each its
// model's pool of that many workers (with weak scaling, that many times
// the tasks), or its command with the placeholder replaced, and told the
// count in spec.WorkersVariable either way. With strong scaling, each
// run's speedup is measured against the 1-worker run. A bad field gives a
// *spec.FieldError naming it.
func (sw Sweep) Specs(sweep string) ([]spec.Spec, error) {
	counts, err := sw.counts()
	if err != nil {
		return nil, err
	}
	in := sw.Input
	in.Workers = ""
	specs, err := in.Specs()
	if err != nil {
		return nil, err
	}
	base := specs[0]
	switch {
	case len(specs) > 1 && base.Backend == spec.BackendPython && len(in.Pythons) > 1:
		return nil, &spec.FieldError{Field: "python", Value: strconv.Quote(strings.Join(in.Pythons, ", ")), Allowed: "a sweep runs on one interpreter: give --python once"}
	case len(specs) > 1:
		return nil, &spec.FieldError{Field: "model", Value: strconv.Quote(in.Models), Allowed: "a sweep runs one model: threads, async, processes or goroutines"}
	case base.Backend != spec.BackendCommand && base.Model == spec.Sequential:
		return nil, &spec.FieldError{Field: "model", Value: `"sequential"`, Allowed: "sequential has one worker whatever the count: sweep threads, async, processes or goroutines"}
	}
	name := base.Label()
	if base.Backend == spec.BackendCommand && base.Name == "" {
		name = CommandName(base.Command)
	}
	out := make([]spec.Spec, 0, len(counts))
	for _, n := range counts {
		s, err := sw.at(base, n, name, sweep)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// at is base run with n workers: the sweep's run of that count.
func (sw Sweep) at(base spec.Spec, n int, name, sweep string) (spec.Spec, error) {
	s := base
	s.Scale = spec.Scale{Sweep: sweep, Workers: n, Weak: sw.Weak, SkipCompeted: sw.SkipCompeted}
	s.Env = append(slices.Clone(base.Env), spec.WorkersVariable+"="+strconv.Itoa(n))
	s.Name = RunName(name, n)
	if !sw.Weak {
		s.Baseline = RunName(name, 1)
	}
	if s.Backend == spec.BackendCommand {
		s.Command = make([]string, len(base.Command))
		for i, a := range base.Command {
			s.Command[i] = strings.ReplaceAll(a, spec.WorkersPlaceholder, strconv.Itoa(n))
		}
		return s, s.Validate()
	}
	s.Workers = n
	if sw.Weak {
		if base.Tasks*n > spec.MaxTasks {
			return spec.Spec{}, &spec.FieldError{Field: "tasks", Value: fmt.Sprintf("%d × %d workers", base.Tasks, n),
				Allowed: fmt.Sprintf("a weak sweep runs tasks × workers tasks, at most %d: give fewer tasks or workers", spec.MaxTasks)}
		}
		s.Tasks = base.Tasks * n
	}
	return s, s.Validate()
}

// RunName names a sweep's run of n workers: "processes ×4", "pool.py ×4".
func RunName(name string, n int) string { return fmt.Sprintf("%s ×%d", name, n) }

// counts reads the worker counts: whole numbers in 1..MaxWorkers, each
// once, 1 among them (every speedup is measured against it), at least two.
func (sw Sweep) counts() ([]int, error) {
	text := strings.TrimSpace(sw.Counts)
	if text == "" {
		return DefaultCounts(runtime.NumCPU()), nil
	}
	bad := func(allowed string) error {
		return &spec.FieldError{Field: "workers", Value: strconv.Quote(text), Allowed: allowed}
	}
	var counts []int
	for _, f := range strings.Split(text, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		switch {
		case err != nil || n < 1 || n > spec.MaxWorkers:
			return nil, bad(fmt.Sprintf("give worker counts in 1..%d, comma-separated, such as 1,2,4", spec.MaxWorkers))
		case slices.Contains(counts, n):
			return nil, bad(fmt.Sprintf("%d is given twice; give each count once", n))
		}
		counts = append(counts, n)
	}
	switch {
	case !slices.Contains(counts, 1):
		return nil, bad("give 1 among them: every speedup is measured against the 1-worker run")
	case len(counts) < 2:
		return nil, bad("give at least two counts, 1 and more")
	}
	slices.Sort(counts)
	return counts, nil
}
