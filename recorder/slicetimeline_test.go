package recorder

import (
	"testing"

	"corescope/profile"
)

// TestSliceTimeline adds drains of uneven sizes past MaxSlices: the latest
// MaxSlices come back in order with the rest counted as dropped, and the
// blocks keep their size (one that grew would have been copied).
func TestSliceTimeline(t *testing.T) {
	var tl sliceTimeline
	tl.add(nil)
	if ss, dropped := tl.latest(); len(ss) != 0 || dropped != 0 {
		t.Fatalf("empty timeline: %d slices, %d dropped; want none", len(ss), dropped)
	}
	sizes := []int{0, 1, timelineBlock - 1, timelineBlock, 3 * timelineBlock, 5000}
	next := 0
	check := func() {
		t.Helper()
		ss, dropped := tl.latest()
		if want := min(next, profile.MaxSlices); len(ss) != want || dropped != next-want {
			t.Fatalf("after %d slices: %d kept, %d dropped; want %d, %d", next, len(ss), dropped, want, next-want)
		}
		for i, s := range ss {
			if s.TID != dropped+i {
				t.Fatalf("after %d slices: slice %d is #%d; want #%d", next, i, s.TID, dropped+i)
			}
		}
		if most := profile.MaxSlices/timelineBlock + 2; len(tl.blocks) > most {
			t.Fatalf("after %d slices: %d blocks; want at most %d", next, len(tl.blocks), most)
		}
		for i, b := range tl.blocks {
			if cap(b) != timelineBlock {
				t.Fatalf("after %d slices: block %d has room for %d; want %d", next, i, cap(b), timelineBlock)
			}
		}
	}
	for round := 0; next < 2*profile.MaxSlices+timelineBlock; round++ {
		drain := make([]profile.Slice, sizes[round%len(sizes)])
		for i := range drain {
			drain[i] = profile.Slice{TID: next + i}
		}
		next += len(drain)
		tl.add(drain)
		if round%7 == 0 || next > profile.MaxSlices-timelineBlock && next < profile.MaxSlices+2*timelineBlock {
			check()
		}
	}
	check()
}
