package spec

// How often a comparison runs each spec. A comparison on a desktop is
// judged from repeats, as hyperfine does: each spec runs Repeat times
// (after Warmup runs that are recorded but left out of the figures), and
// its row shows the median wall time with its spread.
const (
	// DefaultCompareRepeat is compare's: the median of 3 runs out-votes one
	// outlier (a run that another program slowed), at 3 times the cost of
	// one; 5 would out-vote two at 5 times. A single run or record is 1.
	DefaultCompareRepeat = 3
	MaxRepeat            = 100
	MaxWarmup            = 10
)
