// Package goal prints a figure a measuring test took beside the goal it
// has, and fails the test when the goal is missed. The measuring tests are
// built only with the goals build tag (make bench): wall times and
// speedups move with the load on the machine, so make test, which must
// pass beside any load, never runs them.
//
// Each line starts with "goal " (or "figure " for a figure without a
// goal), which internal/testlines shows under its package.
//
// Imports: the standard library only.
package goal

import (
	"fmt"
	"testing"
)

// AtMost prints got and fails t when it is over limit. format prints both
// figures ("%.0f ms").
func AtMost(t testing.TB, what string, got, limit float64, format string) {
	t.Helper()
	check(t, what, got, "<= "+fmt.Sprintf(format, limit), format, got <= limit)
}

// Below prints got and fails t when it is not under limit.
func Below(t testing.TB, what string, got, limit float64, format string) {
	t.Helper()
	check(t, what, got, "< "+fmt.Sprintf(format, limit), format, got < limit)
}

// AtLeast prints got and fails t when it is under limit.
func AtLeast(t testing.TB, what string, got, limit float64, format string) {
	t.Helper()
	check(t, what, got, ">= "+fmt.Sprintf(format, limit), format, got >= limit)
}

// Figure prints a figure that has no goal.
func Figure(t testing.TB, what string, got float64, format string) {
	t.Helper()
	fmt.Printf("figure %-64s %16s\n", what, fmt.Sprintf(format, got))
}

func check(t testing.TB, what string, got float64, goal, format string, met bool) {
	t.Helper()
	verdict := "met"
	if !met {
		verdict = "MISSED"
		t.Errorf("%s = %s; the goal is %s", what, fmt.Sprintf(format, got), goal)
	}
	fmt.Printf("goal   %-64s %16s  %-18s %s\n", what, fmt.Sprintf(format, got), goal, verdict)
}
