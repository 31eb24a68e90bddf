package levels

import (
	"math"
	"slices"
)

// Level is a fraction 0..1 in Steps even steps, or Missing.
type Level uint8

const (
	// Steps is the number of steps between 0 and 1: level 0 is 0, level
	// Steps is 1.
	Steps = 254
	// Missing marks a value that was not measured this tick (a node that did
	// not answer, a core that was offline): a gap, never a zero.
	Missing Level = 255
	// MaxError bounds |Of(v).Fraction() - v| for every v in 0..1: half a step.
	MaxError = 0.5 / Steps
)

// Of quantises v to the nearest level. Values outside 0..1 are clamped;
// NaN gives Missing.
func Of(v float64) Level {
	switch {
	case math.IsNaN(v):
		return Missing
	case v <= 0:
		return 0
	case v >= 1:
		return Steps
	}
	return Level(v*Steps + 0.5)
}

// Known reports whether l holds a measured value.
func (l Level) Known() bool { return l != Missing }

// Fraction is the value l stands for, 0..1; NaN for Missing.
func (l Level) Fraction() float64 {
	if l == Missing {
		return math.NaN()
	}
	return float64(l) / Steps
}

// Row is one value per core. encoding/json writes it as base64, one byte a
// core, which keeps a 256-core row at 346 bytes of text.
type Row []Level

// Quantise fills dst with the levels of v, growing it to len(v) when needed,
// and returns it.
func Quantise(dst Row, v []float64) Row {
	dst = slices.Grow(dst[:0], len(v))[:len(v)]
	for i, x := range v {
		dst[i] = Of(x)
	}
	return dst
}

// At is the fraction of core i; NaN when i is out of range or its value is
// Missing.
func (r Row) At(i int) float64 {
	if i < 0 || i >= len(r) {
		return math.NaN()
	}
	return r[i].Fraction()
}

// Sum adds up the known values: how many cores' worth of load the row holds.
func (r Row) Sum() float64 {
	n := 0
	for _, l := range r {
		if l != Missing {
			n += int(l)
		}
	}
	return float64(n) / Steps
}

// AnyKnown reports whether r holds at least one measured value: a row
// all Missing (a node that did not answer, a tick with no sample) is no
// figure, not an idle one.
func (r Row) AnyKnown() bool {
	for _, l := range r {
		if l != Missing {
			return true
		}
	}
	return false
}

// Fractions appends every value of r to dst[:0] as fractions (NaN where
// Missing) and returns it, for code that draws or charts float64s.
func (r Row) Fractions(dst []float64) []float64 {
	dst = dst[:0]
	for _, l := range r {
		dst = append(dst, l.Fraction())
	}
	return dst
}
