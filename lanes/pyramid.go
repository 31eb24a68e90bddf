package lanes

import (
	"iter"
	"slices"
)

// entry is a lane's busiest sample in a block of sample columns: its CPU,
// its lane and core, and where in the block the busiest sample of this
// lane and of those after it is (rest), which is what a lane merging them
// all shows. The pyramid holds about as many entries as the lanes hold
// samples, so an entry is 16 bytes: the core's colour shares 32 bits with
// the lane (so at most 2^28 lanes, each of which costs more than a
// hundred bytes).
type entry struct {
	cpu  float64 // > 0: only busy samples have an entry
	lane uint32  // the lane's index in Lanes.keys, then its core's index in CorePalette, in coreBits
	rest uint32  // the index in the block of the busiest entry from this one on
}

// coreBits is enough bits for an index in CorePalette (the array below
// does not compile otherwise).
const coreBits = 4

var _ [1<<coreBits - len(CorePalette)]struct{}

func newEntry(cpu float64, key int32, core uint8) entry {
	return entry{cpu: cpu, lane: uint32(key)<<coreBits | uint32(core)}
}

// key is the entry's lane's index in Lanes.keys.
func (e entry) key() int32 { return int32(e.lane >> coreBits) }

// core is the entry's core's index in CorePalette.
func (e entry) core() uint8 { return uint8(e.lane & (1<<coreBits - 1)) }

// pyramid holds each lane's busiest sample (max pooling) in blocks of
// sample columns, so that a paint reads a pixel's columns in a few blocks
// rather than sample by sample, whatever the zoom. Level k's blocks are of
// 2^k columns, aligned to the count of columns since the run started
// (never to the first column kept), so dropping old columns drops whole
// old blocks. Each block's entries are in the order the lanes are shown
// (see Lanes.rank), at most one a lane. A block is built once, when its
// last column comes, from its two halves: Add costs the column's samples
// and, amortised, the blocks they go into. Threads busy for many samples
// share blocks, so the levels above the columns hold about as many entries
// again as the columns (an hour of 64 threads: 4.6 million entries, 70 MB,
// as much as its samples); threads of one sample each do not, and each
// level holds them all again (300,000 threads of one sample over 100
// columns: 2.0 million entries, 29 MB, for 9 MB of samples).
type pyramid struct {
	levels []level
	rank   func(key int32) uint64 // the order of the lanes shown
	out    []entry                // merged's block, built from its end
	at     []uint32               // where merged put each of its blocks' entries
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
// sample in either (b's when as busy: the later), and from each lane on
// the busiest of a's and of b's (b's, of equals). A merge from the ends,
// so a's and b's rests from the lane being merged on are those of the
// entries last taken. The busiest from a lane on is always some lane's
// busiest in the merged block: the one it points to.
func (p *pyramid) merged(a, b []entry) []entry {
	n := len(a) + len(b)
	out, at := slices.Grow(p.out[:0], n)[:n], slices.Grow(p.at[:0], n)[:n] // at: a's entries, then b's
	i, j := len(a), len(b)
	for i > 0 || j > 0 {
		n--
		var ra, rb uint64
		if i > 0 {
			ra = p.rank(a[i-1].key())
		}
		if j > 0 {
			rb = p.rank(b[j-1].key())
		}
		switch {
		case j == 0 || i > 0 && ra > rb:
			i--
			out[n], at[i] = a[i], uint32(n)
		case i == 0 || rb > ra:
			j--
			out[n], at[len(a)+j] = b[j], uint32(n)
		default: // the same lane
			i, j = i-1, j-1
			out[n], at[i], at[len(a)+j] = b[j], uint32(n), uint32(n)
			if a[i].cpu > b[j].cpu {
				out[n] = a[i]
			}
		}
		switch {
		case j < len(b) && (i == len(a) || b[b[j].rest].cpu >= a[a[i].rest].cpu):
			out[n].rest = at[len(a)+int(b[j].rest)]
		default:
			out[n].rest = at[a[i].rest]
		}
	}
	p.out, p.at = out, at
	block := slices.Clone(out[n:])
	for k := range block {
		block[k].rest -= uint32(n)
	}
	return block
}
