package app

// ring is a bounded history of heatmap columns: the last capacity samples,
// each the busy fraction of every core for the whole machine and for the
// subject alone, in backing arrays sized once so pushing a sample never
// allocates.
type ring struct {
	cores    int
	capacity int
	interval float64 // seconds between samples, for the time axis
	// minSpan > 0 makes the time axis grow with the samples held, from at
	// least minSpan seconds, until the ring is full; 0 keeps it capacity
	// samples long, so a whole recorded run fills the width.
	minSpan float64
	// subjectKnown is whether any sample came with the subject's own
	// per-core load; without it the subject layer is all idle.
	subjectKnown bool

	machine []float64 // capacity*cores values, column-major by slot
	subject []float64 // likewise, the subject's share
	times   []float64 // end of each slot's interval
	spans   []float64 // length of each slot's interval, to weigh merges
	start   int       // slot of the oldest sample
	n       int       // samples held

	view [2][][]float64 // chronological column views of each layer, reused by cols
}

// Layers of the ring, as cols takes them.
const (
	layerMachine = iota
	layerSubject
)

// reset empties the ring and sizes it for cores x capacity samples; see
// ring.minSpan for minSpan.
func (r *ring) reset(cores, capacity int, interval, minSpan float64) {
	cores, capacity = max(cores, 0), max(capacity, 1)
	r.machine, r.subject = grow(r.machine, cores*capacity), grow(r.subject, cores*capacity)
	r.times, r.spans = grow(r.times, capacity), grow(r.spans, capacity)
	for i := range r.view {
		if cap(r.view[i]) < capacity {
			r.view[i] = make([][]float64, 0, capacity)
		}
	}
	r.cores, r.capacity, r.interval, r.minSpan = cores, capacity, interval, minSpan
	r.start, r.n, r.subjectKnown = 0, 0, false
}

// grow returns s with length n, reusing its storage when it is big enough.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// push appends the sample of the interval that ended at t: the machine's
// and the subject's busy fraction of each core (subject nil when not
// measured), dropping the oldest when full. Values beyond the ring's cores
// are ignored; missing ones count as idle.
//
// A sample that covers less than half an interval (the one right after a
// late sample) is merged into the previous column, weighted by time: alone
// it would be drawn as a whole column, and its few milliseconds are too
// short for /proc's 10 ms ticks, so it would read as idle.
func (r *ring) push(t float64, machine, subject []float64) {
	if subject != nil {
		r.subjectKnown = true
	}
	span := r.interval
	if r.n > 0 {
		last := (r.start + r.n - 1) % r.capacity
		span = t - r.times[last]
		if span >= 0 && span < r.interval/2 {
			w := span / (span + r.spans[last])
			mix(r.column(r.machine, last), machine, w)
			mix(r.column(r.subject, last), subject, w)
			r.times[last], r.spans[last] = t, r.spans[last]+span
			return
		}
	}
	slot := (r.start + r.n) % r.capacity
	if r.n == r.capacity {
		r.start = (r.start + 1) % r.capacity
	} else {
		r.n++
	}
	put(r.column(r.machine, slot), machine)
	put(r.column(r.subject, slot), subject)
	r.times[slot], r.spans[slot] = t, span
	if !(span > 0) {
		r.spans[slot] = r.interval
	}
}

// mix moves col towards sample by weight w (0..1); missing values count as idle.
func mix(col, sample []float64, w float64) {
	for c := range col {
		v := 0.0
		if c < len(sample) {
			v = sample[c]
		}
		col[c] += w * (v - col[c])
	}
}

// put copies sample into col; missing values count as idle.
func put(col, sample []float64) {
	m := copy(col, sample)
	clear(col[m:])
}

// column is slot's values in one layer's backing array.
func (r *ring) column(data []float64, slot int) []float64 {
	return data[slot*r.cores : (slot+1)*r.cores]
}

// cols returns one layer's samples oldest first. The slice is reused by the
// next call for that layer.
func (r *ring) cols(layer int) [][]float64 {
	data := r.machine
	if layer == layerSubject {
		data = r.subject
	}
	v := r.view[layer][:0]
	for i := range r.n {
		v = append(v, r.column(data, (r.start+i)%r.capacity))
	}
	r.view[layer] = v
	return v
}

// sample is the i'th sample held, oldest first: its interval and each
// core's load, the machine's and the subject's. The slices are the ring's.
func (r *ring) sample(i int) (from, to float64, machine, subject []float64) {
	slot := (r.start + i) % r.capacity
	return r.times[slot] - r.spans[slot], r.times[slot], r.column(r.machine, slot), r.column(r.subject, slot)
}

// fit shrinks the capacity to the samples held, so a recorded run whose
// short frames were merged still fills the width. It does nothing once the
// ring has wrapped.
func (r *ring) fit() {
	if r.start == 0 && r.n > 0 {
		r.capacity = r.n
	}
}

// window is the time the full width of the picture covers, from the start
// of the oldest sample's interval: capacity intervals long, or, growing, the
// samples held (at least minSpan) rounded up to a round span, so a short
// run fills the width rather than a sliver of a minute.
func (r *ring) window() (from, length float64) {
	length = float64(r.capacity) * r.interval
	if r.minSpan > 0 {
		length = min(length, niceCeil(max(float64(r.n)*r.interval, r.minSpan)))
	}
	if r.n == 0 {
		return 0, length
	}
	return r.times[r.start] - r.interval, length
}
