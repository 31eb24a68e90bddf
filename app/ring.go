package app

// ring is a bounded history of heatmap columns: the last capacity samples,
// each the busy fraction of every core, in one backing array so pushing a
// sample never allocates once the ring is sized.
type ring struct {
	cores    int
	capacity int
	interval float64 // seconds between samples, for the time axis
	// minSpan > 0 makes the time axis grow with the samples held, from at
	// least minSpan seconds, until the ring is full; 0 keeps it capacity
	// samples long, so a whole recorded run fills the width.
	minSpan float64

	data  []float64 // capacity*cores values, column-major by slot
	times []float64 // sample times, by slot
	start int       // slot of the oldest sample
	n     int       // samples held

	view [][]float64 // chronological column views, reused by cols
}

// reset empties the ring and sizes it for cores x capacity samples; see
// ring.minSpan for minSpan.
func (r *ring) reset(cores, capacity int, interval, minSpan float64) {
	cores, capacity = max(cores, 0), max(capacity, 1)
	if cap(r.data) < cores*capacity {
		r.data = make([]float64, cores*capacity)
	}
	if cap(r.times) < capacity {
		r.times = make([]float64, capacity)
	}
	if cap(r.view) < capacity {
		r.view = make([][]float64, 0, capacity)
	}
	r.data, r.times = r.data[:cores*capacity], r.times[:capacity]
	r.cores, r.capacity, r.interval, r.minSpan = cores, capacity, interval, minSpan
	r.start, r.n = 0, 0
}

// push appends a sample taken at t, dropping the oldest when full. Values
// beyond the ring's cores are ignored; missing ones count as idle.
func (r *ring) push(t float64, busy []float64) {
	slot := (r.start + r.n) % r.capacity
	if r.n == r.capacity {
		r.start = (r.start + 1) % r.capacity
	} else {
		r.n++
	}
	col := r.data[slot*r.cores : (slot+1)*r.cores]
	m := copy(col, busy)
	clear(col[m:])
	r.times[slot] = t
}

// cols returns the samples oldest first. The slice is reused by the next call.
func (r *ring) cols() [][]float64 {
	r.view = r.view[:0]
	for i := range r.n {
		slot := (r.start + i) % r.capacity
		r.view = append(r.view, r.data[slot*r.cores:(slot+1)*r.cores])
	}
	return r.view
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

// held is how long the samples held last: n intervals.
func (r *ring) held() float64 { return float64(r.n) * r.interval }
