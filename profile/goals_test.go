//go:build goals

package profile_test

import (
	"testing"

	"corescope/internal/goal"
	"corescope/profile/profiletest"
)

// TestGoalOneHourFile: an hour of 256 cores at 10 Hz is under 40 MB on
// disk and opens in under 2 s.
func TestGoalOneHourFile(t *testing.T) {
	size, _, opened := saveAndOpen(t, profiletest.OneHour(256))
	goal.Below(t, "an hour of 256 cores at 10 Hz on disk", float64(size)/(1<<20), maxHourFile/(1<<20), "%.1f MB")
	goal.Below(t, "opening that file", opened.Seconds(), 2, "%.2f s")
}
