package heatmap

import (
	"math"
	"slices"
	"sort"

	"corescope/levels"
)

// Layer is one of the two loads a Series holds for every core.
type Layer int

// The layers of a Series.
const (
	// Machine is the whole machine's load on each core.
	Machine Layer = iota
	// Subject is the profiled program's own share of it, where measured.
	Subject
)

// Series is a run's per-core loads in time, kept so that drawing any
// stretch of it into W pixel columns reads O(W x cores) values however long
// the run is. Its columns (tier 0) are the samples as appended: an end
// time, a length, and one level a core for the machine and, where
// measured, for the subject. Above them it keeps a pyramid: each tier's
// column merges two columns of the tier below, holding for each core the
// maximum (a burst of one sample on one core survives to the widest
// column), and the column's mean busy cores: the sum of each core's
// time-weighted mean. Once a sorted picture is drawn (see Heatmap) it also
// keeps the maximum rank by rank of the cores sorted by load. A missing
// value (levels.Missing) stays missing only where every merged sample is
// missing; a mean ignores missing samples. Each core's mean is not kept:
// nothing draws it, and it would cost a byte a core and a sample.
//
// Appending a column costs amortised O(cores) and, once the backing arrays
// have grown to the run, allocates nothing. It keeps about 2 bytes a core
// and a sample per layer: one for the sample, one for the pyramid's maxima
// above it (37 MB for an hour of 256 cores at 10 Hz, both layers), and one
// more for the ranks once sorted. The zero value is an empty series of no
// cores; Reset sizes it. A Series is not safe for concurrent use.
type Series struct {
	cores    int
	interval float64 // the length of the first column
	subject  bool    // whether any column held the subject's load
	expect   int     // columns Reset was told to expect, to size storage once
	ranks    bool    // whether the tiers above 0 keep ranked (see keepRanks)
	tiers    []tier
	open     []merge // open[k] builds tiers[k+1]'s next column
	rank     [256]int32
}

// tier is one level of the pyramid. Per layer, values are column-major:
// column j's cores are [j*cores, (j+1)*cores).
type tier struct {
	end, span []float64 // each column's end time and length in seconds
	// busy is each column's mean busy cores (the sum of its cores' means;
	// NaN where all are missing).
	busy [2][]float32
	// top is each core's maximum; in tier 0, the sample itself.
	top [2][]levels.Level
	// ranked is the maximum of the k'th busiest core, rank by rank, once
	// the series keeps ranks; nil in tier 0, where it is the sample sorted.
	ranked [2][]levels.Level
}

// merge accumulates the next column of a tier from the columns below it.
// Sums are exact, not rounded means, so rounding never accumulates up the
// pyramid. Maxima are kept shifted by one (see up), so that Missing is the
// lowest value and a plain max merges them.
type merge struct {
	n           int     // columns merged so far
	span        float64 // their total length
	sum, known  [2][]float64
	top, ranked [2][]uint8
}

// up shifts a level so that Missing (255) becomes 0, below every measured
// level, and level l becomes l+1: the maximum of shifted levels ignores
// missing ones.
func up(l levels.Level) uint8 { return uint8(l) + 1 }

// down undoes up.
func down(u uint8) levels.Level { return levels.Level(u - 1) }

// Reset empties s for cores cores, keeping its storage. interval is the
// length of the first column appended (the others last from the end of the
// one before). expect is how many columns are coming, if known (a
// recorded run's frames), so storage is allocated once at its size; a
// live run gives 0 and storage grows by doubling.
func (s *Series) Reset(cores int, interval float64, expect int) {
	s.cores, s.interval, s.subject, s.expect, s.ranks = max(cores, 0), interval, false, max(expect, 0), false
	for k := range s.tiers {
		t := &s.tiers[k]
		t.end, t.span = t.end[:0], t.span[:0]
		for l := range 2 {
			t.busy[l], t.top[l] = t.busy[l][:0], t.top[l][:0]
			t.ranked[l] = t.ranked[l][:0]
		}
	}
	for k := range s.open {
		s.open[k].clear(s.cores)
	}
}

// Cores is the number of cores of every column.
func (s *Series) Cores() int { return s.cores }

// Len is the number of columns appended.
func (s *Series) Len() int {
	if len(s.tiers) == 0 {
		return 0
	}
	return len(s.tiers[0].end)
}

// SubjectKnown reports whether any column held the subject's load.
func (s *Series) SubjectKnown() bool { return s.subject }

// Extent is the time the columns cover: from the start of the first to the
// end of the last; 0, 0 when empty.
func (s *Series) Extent() (from, to float64) {
	n := s.Len()
	if n == 0 {
		return 0, 0
	}
	t := &s.tiers[0]
	return t.end[0] - t.span[0], t.end[n-1]
}

// Append adds the column of the interval that ended at end: each core's
// load on the whole machine and the subject's (nil where not measured).
// Values beyond Cores are ignored; cores a row lacks are missing, as are
// the subject's before its first measured column and where nil after it.
// A column that does not end after the previous one is dropped: columns
// are kept in time order.
func (s *Series) Append(end float64, machine, subject levels.Row) {
	if len(s.tiers) == 0 {
		s.tiers = append(s.tiers, tier{})
	}
	t := &s.tiers[0]
	n := len(t.end)
	span := s.interval
	if !(span > 0) {
		span = max(end, 0) // no interval known: from the start of the recording
	}
	if n > 0 {
		if !(end > t.end[n-1]) {
			return
		}
		span = end - t.end[n-1]
	}
	if subject != nil && !s.subject {
		s.knowSubject()
	}
	s.appendTimes(t, 0, end, span)
	s.appendRaw(t, Machine, machine)
	if s.subject {
		s.appendRaw(t, Subject, subject)
	}
	s.carry(0, n)
}

// appendTimes appends a column's end and length to tier k, t.
func (s *Series) appendTimes(t *tier, k int, end, span float64) {
	t.end, t.span = extend(t.end, 1, s.expect>>k), extend(t.span, 1, s.expect>>k)
	t.end[len(t.end)-1], t.span[len(t.span)-1] = end, span
}

// appendRaw appends one tier-0 column of layer l, padded with Missing.
func (s *Series) appendRaw(t *tier, l Layer, row levels.Row) {
	t.top[l] = extend(t.top[l], s.cores, s.expect*s.cores)
	col := t.top[l][len(t.top[l])-s.cores:]
	m := copy(col, row)
	for c := m; c < s.cores; c++ {
		col[c] = levels.Missing
	}
	t.busy[l] = extend(t.busy[l], 1, s.expect)
	t.busy[l][len(t.busy[l])-1] = busyOf(col)
}

// extend returns s grown by n elements (their values unset), with room for
// at least hint when it must reallocate.
func extend[T any](s []T, n, hint int) []T {
	if len(s)+n > cap(s) {
		bigger := make([]T, len(s), max(len(s)+n, hint, 2*cap(s)))
		copy(bigger, s)
		s = bigger
	}
	return s[:len(s)+n]
}

// busyOf is the sum of the measured levels of col as cores, NaN when none is.
func busyOf(col levels.Row) float32 {
	sum, known := 0, false
	for _, v := range col {
		if v != levels.Missing {
			sum += int(v)
			known = true
		}
	}
	if !known {
		return float32(math.NaN())
	}
	return float32(sum) / levels.Steps
}

// knowSubject starts the subject layer: every column so far, at every
// tier, and every open merge get a missing subject.
func (s *Series) knowSubject() {
	s.subject = true
	for k := range s.tiers {
		t := &s.tiers[k]
		n, hint := len(t.end)*s.cores, (s.expect>>k)*s.cores
		t.top[Subject] = missing(t.top[Subject], n, hint)
		t.busy[Subject] = extend(t.busy[Subject][:0], len(t.end), s.expect>>k)
		for j := range t.busy[Subject] {
			t.busy[Subject][j] = float32(math.NaN())
		}
		if k > 0 && s.ranks {
			t.ranked[Subject] = missing(t.ranked[Subject], n, hint)
		}
	}
	// An open merge's subject sums are already zero: nothing known yet.
}

// missing returns s with length n, every value Missing, with room for hint.
func missing(s []levels.Level, n, hint int) []levels.Level {
	s = extend(s[:0], n, hint)
	for i := range s {
		s[i] = levels.Missing
	}
	return s
}

// carry feeds column j of tier k into the merge of tier k+1 and, each time
// that merge has two columns, completes it and carries it up in turn.
// Tier k+1 completes every second call on tier k, so the work per column
// appended is O(cores) amortised.
func (s *Series) carry(k, j int) {
	for {
		for len(s.open) <= k+1 { // the merge above too, before taking pointers
			s.open = append(s.open, merge{})
			s.open[len(s.open)-1].clear(s.cores)
		}
		m := &s.open[k]
		if k == 0 {
			s.addRaw(m, j)
		}
		m.n++
		if m.n < 2 {
			return
		}
		if len(s.tiers) <= k+1 {
			s.tiers = append(s.tiers, tier{})
		}
		next := &s.tiers[k+1]
		s.appendTimes(next, k+1, s.tiers[k].end[len(s.tiers[k].end)-1], m.span)
		for l := range s.layers() {
			s.complete(next, k+1, l, m)
		}
		s.open[k+1].add(m, s.layers())
		m.clear(s.cores)
		k++
	}
}

// layers is how many layers are kept: 1 (the machine) or 2.
func (s *Series) layers() int {
	if s.subject {
		return 2
	}
	return 1
}

// addRaw adds tier-0 column j to m: each core's load weighted by the
// column's length, and, keeping ranks, the column's loads ranked busiest
// first.
func (s *Series) addRaw(m *merge, j int) {
	t := &s.tiers[0]
	span := t.span[j]
	m.span += span
	for l := range s.layers() {
		col := t.top[l][j*s.cores : (j+1)*s.cores]
		sum, known, top := m.sum[l], m.known[l], m.top[l]
		for c, v := range col {
			if v == levels.Missing {
				continue
			}
			sum[c] += float64(v) * span
			known[c] += span
			top[c] = max(top[c], up(v))
		}
		if s.ranks {
			s.rankMax(m.ranked[l], col)
		}
	}
}

// rankMax raises ranked, rank by rank, to the shifted levels of col sorted
// busiest first (missing ones last): a counting sort, O(cores + 256).
func (s *Series) rankMax(ranked []uint8, col levels.Row) {
	clear(s.rank[:])
	for _, v := range col {
		s.rank[up(v)]++
	}
	r := 0
	for u := 255; u >= 1 && r < len(col); u-- {
		for range s.rank[u] {
			ranked[r] = max(ranked[r], uint8(u))
			r++
		}
	}
}

// keepRanks makes s keep the ranked maxima from now on, computing them for
// the columns appended so far: O(columns x cores) once, a tenth of a
// second for an hour of 256 cores.
func (s *Series) keepRanks() {
	if s.ranks {
		return
	}
	s.ranks = true
	c := s.cores
	for k := 1; k < len(s.tiers); k++ {
		t, below := &s.tiers[k], &s.tiers[k-1]
		for l := range s.layers() {
			t.ranked[l] = extend(t.ranked[l][:0], len(t.end)*c, (s.expect>>k)*c)
			for j := range t.end {
				col := t.ranked[l][j*c : (j+1)*c]
				acc := s.open[k-1].ranked[l] // scratch until the open merges are set below
				clear(acc)
				s.rankInto(acc, below, k-1, l, 2*j)
				s.rankInto(acc, below, k-1, l, 2*j+1)
				for i, u := range acc {
					col[i] = down(u)
				}
			}
		}
	}
	// Each open merge holds the columns of its tier past the last one the
	// tier above completed.
	for k := range s.open {
		for l := range s.layers() {
			acc := s.open[k].ranked[l]
			clear(acc)
			if k >= len(s.tiers) {
				continue
			}
			done := 0
			if k+1 < len(s.tiers) {
				done = 2 * len(s.tiers[k+1].end)
			}
			for j := done; j < len(s.tiers[k].end); j++ {
				s.rankInto(acc, &s.tiers[k], k, l, j)
			}
		}
	}
}

// rankInto raises acc, rank by rank, to the ranked maxima of column j of
// tier k, t, layer l, as shifted levels.
func (s *Series) rankInto(acc []uint8, t *tier, k, l, j int) {
	c := s.cores
	if k == 0 {
		s.rankMax(acc, t.top[l][j*c:(j+1)*c])
		return
	}
	for i, v := range t.ranked[l][j*c : (j+1)*c] {
		acc[i] = max(acc[i], up(v))
	}
}

// complete appends m's merged column of layer l to tier k, t.
func (s *Series) complete(t *tier, k, l int, m *merge) {
	n, hint := len(t.top[l]), (s.expect>>k)*s.cores
	t.top[l] = extend(t.top[l], s.cores, hint)
	top := t.top[l][n:]
	if s.ranks {
		t.ranked[l] = extend(t.ranked[l], s.cores, hint)
		for c, u := range m.ranked[l] {
			t.ranked[l][n+c] = down(u)
		}
	}
	busy, anyKnown := 0.0, false
	for c := range s.cores {
		top[c] = down(m.top[l][c])
		if m.known[l][c] > 0 {
			busy += m.sum[l][c] / m.known[l][c] // core c's mean, in steps
			anyKnown = true
		}
	}
	b := float32(busy / levels.Steps)
	if !anyKnown {
		b = float32(math.NaN())
	}
	t.busy[l] = extend(t.busy[l], 1, s.expect>>k)
	t.busy[l][len(t.busy[l])-1] = b
}

// add merges the finished merge o into m.
func (m *merge) add(o *merge, layers int) {
	m.span += o.span
	for l := range layers {
		for c := range m.sum[l] {
			m.sum[l][c] += o.sum[l][c]
			m.known[l][c] += o.known[l][c]
			m.top[l][c] = max(m.top[l][c], o.top[l][c])
			m.ranked[l][c] = max(m.ranked[l][c], o.ranked[l][c])
		}
	}
}

// clear empties m for cores cores.
func (m *merge) clear(cores int) {
	m.n, m.span = 0, 0
	for l := range 2 {
		m.sum[l], m.known[l] = slices.Grow(m.sum[l][:0], cores)[:cores], slices.Grow(m.known[l][:0], cores)[:cores]
		m.top[l], m.ranked[l] = slices.Grow(m.top[l][:0], cores)[:cores], slices.Grow(m.ranked[l][:0], cores)[:cores]
		clear(m.sum[l])
		clear(m.known[l])
		clear(m.top[l])
		clear(m.ranked[l])
	}
}

// Column is column i as appended: its interval and each core's load, the
// machine's and the subject's (nil when the subject was never measured).
// The rows are the series' own: read them before the next Append.
func (s *Series) Column(i int) (from, to float64, machine, subject levels.Row) {
	t := &s.tiers[0]
	c := s.cores
	machine = t.top[Machine][i*c : (i+1)*c]
	if s.subject {
		subject = t.top[Subject][i*c : (i+1)*c]
	}
	return t.end[i] - t.span[i], t.end[i], machine, subject
}

// ref names column i of tier k.
type ref struct{ tier, i int32 }

// cover appends to dst, in time order, columns that together cover the
// columns overlapping [from, to), each no longer than about px seconds: the
// coarsest tier whose columns average at most px, and, past its last
// complete column, the finer columns the run has added since. It reads
// O((to-from)/px) columns, whatever the run's length.
func (s *Series) cover(dst []ref, from, to, px float64) []ref {
	dst = dst[:0]
	n := s.Len()
	if n == 0 || !(to > from) {
		return dst
	}
	start, _ := s.Extent()
	k := 0
	for k+1 < len(s.tiers) {
		t := &s.tiers[k+1]
		m := len(t.end)
		if m == 0 || (t.end[m-1]-start)/float64(m) > px {
			break
		}
		k++
	}
	covered := 0 // tier-0 columns covered by the tiers added so far
	for ; k >= 0; k-- {
		t := &s.tiers[k]
		first := covered >> k
		// The first column ending after from, from the covered part on.
		lo := first + sort.SearchFloat64s(t.end[first:], math.Nextafter(from, math.Inf(1)))
		for j := lo; j < len(t.end) && t.end[j]-t.span[j] < to; j++ {
			dst = append(dst, ref{int32(k), int32(j)})
		}
		covered = len(t.end) << k
	}
	return dst
}

// holding is the index of the column of refs (in time order) that holds
// time t, where no column's middle falls near it: refs[i-1] or refs[i], the
// columns either side of it. ok is false outside the run.
func (s *Series) holding(refs []ref, i int, t float64) (j int, ok bool) {
	switch {
	case i > 0 && s.end(refs[i-1]) > t:
		return i - 1, true
	case i < len(refs) && s.start(refs[i]) <= t:
		return i, true
	}
	return 0, false
}

// start, middle and end are the times of column r.
func (s *Series) start(r ref) float64 { return s.end(r) - s.tiers[r.tier].span[r.i] }
func (s *Series) end(r ref) float64   { return s.tiers[r.tier].end[r.i] }
func (s *Series) middle(r ref) float64 {
	return s.end(r) - s.tiers[r.tier].span[r.i]/2
}

// maxInto raises col, core by core, to column r's maximum of layer l, as
// shifted levels (see up); sorted, rank by rank to its cores sorted busiest
// first, which needs keepRanks first. A layer the series does not hold
// leaves col as it is: missing.
func (s *Series) maxInto(col []uint8, r ref, l Layer, sorted bool) {
	t := &s.tiers[r.tier]
	c := s.cores
	lo, hi := int(r.i)*c, int(r.i+1)*c
	if len(t.top[l]) < hi {
		return
	}
	if sorted {
		s.rankInto(col, t, int(r.tier), int(l), int(r.i))
		return
	}
	for i, v := range t.top[l][lo:hi] {
		col[i] = max(col[i], up(v))
	}
}

// meanBusy is the mean busy cores of layer l over the columns rs, weighted
// by their length; NaN where all are missing.
func (s *Series) meanBusy(rs []ref, l Layer) float64 {
	sum, span := 0.0, 0.0
	for _, r := range rs {
		t := &s.tiers[r.tier]
		if int(r.i) >= len(t.busy[l]) {
			continue
		}
		if b := float64(t.busy[l][r.i]); !math.IsNaN(b) {
			sum += b * t.span[r.i]
			span += t.span[r.i]
		}
	}
	if !(span > 0) {
		return math.NaN()
	}
	return sum / span
}

// Span is what a stretch of a Series holds, as one pixel column of its
// pictures shows it (see Series.Span).
type Span struct {
	From, To float64 // the time of the samples it holds
	Samples  int     // how many
	// Busiest is, per layer, each core's highest load, or sorted, the
	// highest load of each rank (0 the busiest); Missing where none was
	// measured. Nil for a layer the series does not hold.
	Busiest [2]levels.Row
	// Busy is, per layer, the mean busy cores; NaN where missing.
	Busy [2]float64

	refs []ref
	acc  []uint8
}

// Span sets sp to what the pixel column showing the time [from, to) of s
// holds: the samples whose middle falls in it (or the one holding its
// middle), read from the pyramid as a picture reads them, so a readout says
// what the pixel shows. Samples is 0 outside the run.
func (s *Series) Span(sp *Span, from, to float64, sorted bool) {
	sp.From, sp.To, sp.Samples = 0, 0, 0
	sp.refs = s.cover(sp.refs, from, to, to-from)
	lo, hi := 0, 0
	for hi < len(sp.refs) && s.middle(sp.refs[hi]) < to {
		if s.middle(sp.refs[hi]) < from {
			lo = hi + 1
		}
		hi++
	}
	if lo == hi { // a column wider than the span, or none
		var ok bool
		if lo, ok = s.holding(sp.refs, lo, (from+to)/2); !ok {
			return
		}
		hi = lo + 1
	}
	rs := sp.refs[lo:hi]
	sp.From, sp.To = s.start(rs[0]), s.end(rs[len(rs)-1])
	for _, r := range rs {
		sp.Samples += 1 << r.tier
	}
	if sorted {
		s.keepRanks()
	}
	sp.acc = slices.Grow(sp.acc[:0], s.cores)[:s.cores]
	for l := range 2 {
		sp.Busiest[l], sp.Busy[l] = sp.Busiest[l][:0], math.NaN()
		if l >= s.layers() {
			sp.Busiest[l] = nil
			continue
		}
		clear(sp.acc)
		for _, r := range rs {
			s.maxInto(sp.acc, r, Layer(l), sorted)
		}
		for _, u := range sp.acc {
			sp.Busiest[l] = append(sp.Busiest[l], down(u))
		}
		sp.Busy[l] = s.meanBusy(rs, Layer(l))
	}
}
