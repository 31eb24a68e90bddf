package lanes

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestLiveAddKeepsThePyramid adds random runs frame by frame, half of
// them keeping a few columns as a live view does, and after each frame
// checks the pyramid against one built from scratch out of the columns
// kept: every block of every level that those columns complete, and no
// other, each with every lane's busiest sample and the rest of each.
func TestLiveAddKeepsThePyramid(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for run := range 200 {
		randomRun(rng, func(l *Lanes) {
			for k := 0; k < len(l.busy.levels) || 1<<k <= len(l.cols); k++ {
				first, end := (l.dropped+1<<k-1)>>k, (l.dropped+len(l.cols))>>k // the blocks within the columns kept
				var got level
				if k < len(l.busy.levels) {
					got = l.busy.levels[k]
				}
				if n := max(end-first, 0); len(got.blocks) != n || n > 0 && got.first != first {
					t.Fatalf("run %d, %d columns kept from %d: level %d holds blocks %d to %d; want %d to %d",
						run, len(l.cols), l.dropped, k, got.first, got.first+len(got.blocks), first, end)
				}
				for j := first; j < end; j++ {
					if want := busiestOf(l, j<<k, (j+1)<<k); !slices.Equal(got.block(j), want) {
						t.Fatalf("run %d, level %d, block %d = %+v; want %+v", run, k, j, got.block(j), want)
					}
				}
			}
		})
	}
}

// busiestOf is the block of columns from to to (counted since the run
// started), found the slow way: each lane's busiest sample, the later of
// equals, in the order of the lanes, and from each lane on the busiest of
// them all, the later of equals.
func busiestOf(l *Lanes, from, to int) []entry {
	type sample struct {
		entry
		at int // its place in time: column, then place in the column
	}
	best := map[int32]sample{}
	at := 0
	for _, c := range l.cols[from-l.dropped : to-l.dropped] {
		for _, s := range c.samples {
			at++
			k := int32(l.lane[s.TID])
			if s.CPU > 0 && s.Core >= 0 && s.CPU >= best[k].cpu {
				best[k] = sample{newEntry(s.CPU, k, coreIndex(s.Core)), at}
			}
		}
	}
	lanes := slices.SortedFunc(func(yield func(sample) bool) {
		for _, s := range best {
			if !yield(s) {
				return
			}
		}
	}, func(a, b sample) int { return cmp.Compare(l.rank(a.key()), l.rank(b.key())) })
	block := make([]entry, len(lanes))
	rest := len(lanes)
	for i := len(lanes) - 1; i >= 0; i-- {
		if s := lanes[i]; rest == len(lanes) || s.cpu > lanes[rest].cpu || s.cpu == lanes[rest].cpu && s.at > lanes[rest].at {
			rest = i
		}
		block[i] = lanes[i].entry
		block[i].rest = uint32(rest)
	}
	return block
}

// TestPyramidHoldsTheColumnsAgainAtMost builds the pyramid of an hour of
// 64 threads busy in every sample: the levels above the columns hold no
// more entries than the columns themselves.
func TestPyramidHoldsTheColumnsAgainAtMost(t *testing.T) {
	l := hourOfThreads(64)
	columns, above := 0, 0
	for k, lv := range l.busy.levels {
		for _, b := range lv.blocks {
			if k == 0 {
				columns += len(b)
			} else {
				above += len(b)
			}
		}
	}
	if columns != 64*36000 || above > columns {
		t.Errorf("the pyramid of 36,000 columns of 64 busy threads holds %d entries in its columns and %d above; want %d and at most as many again", columns, above, 64*36000)
	}
}
