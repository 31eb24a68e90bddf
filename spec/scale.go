package spec

import (
	"fmt"
	"regexp"
	"strconv"
)

// Scale places a run in a sweep of worker counts: the same work (or, for
// weak scaling, work grown with the workers) run at each count, whose
// speedups a scaling law is fitted to (package scaling).
type Scale struct {
	// Sweep names the sweep its runs share: the time it started.
	Sweep string `json:"sweep"`
	// Workers is the run's worker count: a model's pool, or what a
	// command was given for its placeholder.
	Workers int `json:"workers"`
	// Weak is true when the work grew with the workers (Gustafson's weak
	// scaling), false when it stayed the same (strong scaling).
	Weak bool `json:"weak,omitempty"`
	// SkipCompeted leaves the counts measured while other programs
	// competed out of the fit.
	SkipCompeted bool `json:"skip_competed,omitempty"`
}

// WorkersPlaceholder stands for the worker count in a sweep's command,
// and WorkersVariable is the variable that gives it to the subject too.
const (
	WorkersPlaceholder = "{workers}"
	WorkersVariable    = "CORESCOPE_WORKERS"
)

// maxSweepName bounds a sweep's name: a word, not a page.
const maxSweepName = 64

// envEntry is what Env holds: NAME=value, the name a shell's.
var envEntry = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)

// checkScale refuses a sweep's place no sweep gives, and environment
// entries that are not NAME=value.
func (s Spec) checkScale() error {
	sc := s.Scale
	switch {
	case sc == Scale{}:
	case sc.Sweep == "" || len(sc.Sweep) > maxSweepName:
		return &FieldError{"scale.sweep", strconv.Quote(sc.Sweep), fmt.Sprintf("name the sweep in 1..%d bytes", maxSweepName)}
	case sc.Workers < 1 || sc.Workers > MaxWorkers:
		return &FieldError{"scale.workers", fmt.Sprint(sc.Workers), fmt.Sprintf("use 1..%d", MaxWorkers)}
	}
	for _, e := range s.Env {
		if !envEntry.MatchString(e) {
			return &FieldError{"env", strconv.Quote(e), "use NAME=value, the name of letters, digits and _"}
		}
	}
	return nil
}
