package lanes

import (
	"iter"
	"slices"
)

// entry is a lane's busiest sample in a block of sample columns: its CPU
// and core, and the busiest sample of this lane and of those after it in
// the block (rest), which is what a lane merging them all shows.
type entry struct {
	cpu, restCPU   float64 // > 0: only busy samples have an entry
	key            int32   // the lane's index in Lanes.keys
	core, restCore uint8   // indices in CorePalette
}

// pyramid holds each lane's busiest sample (max pooling) in blocks of
// sample columns, so that a paint reads a pixel's columns in a few blocks
// rather than sample by sample, whatever the zoom. Level k's blocks are of
// 2^k columns, aligned to the count of columns since the run started
// (never to the first column kept), so dropping old columns drops whole
// old blocks. Each block's entries are in the order the lanes are shown
// (see Lanes.rank), at most one a lane. A block is built once, when its
// last column comes, from its two halves: Add costs the column's samples
// and, amortised, the blocks they go into, and when threads run for more
// than a few samples the levels above the columns hold at most as many
// entries again as the columns.
type pyramid struct {
	levels  []level
	rank    func(key int32) uint64 // the order of the lanes shown
	scratch []entry                // merged's
}

// level is a level's blocks that are kept: blocks[0] is block first, of
// columns first<<k to (first+1)<<k.
type level struct {
	first  int
	blocks [][]entry
}

// reset forgets every block.
func (p *pyramid) reset() {
	for k := range p.levels {
		clear(p.levels[k].blocks)
		p.levels[k].blocks = p.levels[k].blocks[:0]
	}
}

// add takes column a (its block of level 0), the first column kept now
// being kept, and builds every block that a completes, unless it holds a
// column no longer kept.
func (p *pyramid) add(a, kept int, column []entry) {
	p.push(0, a, column)
	p.dropBefore(kept)
	for k := 1; (a+1)%(1<<k) == 0 && a+1-(1<<k) >= kept; k++ {
		j, below := a>>k, p.levels[k-1]
		p.push(k, j, p.merged(below.block(2*j), below.block(2*j+1)))
	}
}

// push appends block j of level k: the block after the last one kept.
func (p *pyramid) push(k, j int, b []entry) {
	if k == len(p.levels) {
		p.levels = append(p.levels, level{})
	}
	lv := &p.levels[k]
	if len(lv.blocks) == 0 {
		lv.first = j
	}
	lv.blocks = append(lv.blocks, b)
}

// dropBefore forgets the blocks that hold a column before column kept.
func (p *pyramid) dropBefore(kept int) {
	for k := range p.levels {
		lv := &p.levels[k]
		firstKept := (kept + 1<<k - 1) >> k // the first block that starts at kept or after
		n := min(max(firstKept-lv.first, 0), len(lv.blocks))
		clear(lv.blocks[:n]) // let the collector have them
		lv.blocks, lv.first = lv.blocks[n:], lv.first+n
	}
}

// block is block j of the level.
func (lv level) block(j int) []entry { return lv.blocks[j-lv.first] }

// blocks yields the blocks that make up columns lo to hi (counted since the
// run started), in time order: at each step the largest block that starts
// there and ends by hi, which is at most two blocks of each level.
func (p *pyramid) blocks(lo, hi int) iter.Seq[[]entry] {
	return func(yield func([]entry) bool) {
		for a := lo; a <= hi; {
			k := 0
			for k+1 < len(p.levels) && a%(2<<k) == 0 && a+(2<<k)-1 <= hi {
				k++
			}
			if !yield(p.levels[k].block(a >> k)) {
				return
			}
			a += 1 << k
		}
	}
}

// merged is the block of a's columns followed by b's: each lane's busiest
// sample in either, and the busiest of the lanes from each one on, b's
// winning ties as the later. A merge from the ends, so the rest of a and
// of b from the lane being merged on are those of the entries last taken.
func (p *pyramid) merged(a, b []entry) []entry {
	out := slices.Grow(p.scratch[:0], len(a)+len(b))[:len(a)+len(b)]
	n, i, j := len(out), len(a), len(b)
	for i > 0 || j > 0 {
		var ra, rb uint64
		if i > 0 {
			ra = p.rank(a[i-1].key)
		}
		if j > 0 {
			rb = p.rank(b[j-1].key)
		}
		var e entry
		switch {
		case j == 0 || i > 0 && ra > rb:
			i--
			e = a[i]
		case i == 0 || rb > ra:
			j--
			e = b[j]
		default: // the same lane
			i, j = i-1, j-1
			e = b[j]
			if a[i].cpu > e.cpu {
				e.cpu, e.core = a[i].cpu, a[i].core
			}
		}
		e.restCPU, e.restCore = restOf(a, i)
		if cpu, core := restOf(b, j); cpu >= e.restCPU {
			e.restCPU, e.restCore = cpu, core
		}
		n--
		out[n] = e
	}
	p.scratch = out
	return slices.Clone(out[n:])
}

// restOf is the busiest sample of block b's lanes from its entry i on; a
// CPU of 0 when there are none.
func restOf(b []entry, i int) (float64, uint8) {
	if i < len(b) {
		return b[i].restCPU, b[i].restCore
	}
	return 0, 0
}
