package app

// ring is a bounded history of heatmap columns: the last capacity samples,
// each the busy fraction of every core, in one backing array so pushing a
// sample never allocates once the ring is sized.
type ring struct {
	cores    int
	capacity int
	interval float64 // seconds between samples, for the time axis

	data  []float64 // capacity*cores values, column-major by slot
	times []float64 // sample times, by slot
	start int       // slot of the oldest sample
	n     int       // samples held

	view [][]float64 // chronological column views, reused by cols
}

// reset empties the ring and sizes it for cores x capacity samples.
func (r *ring) reset(cores, capacity int, interval float64) {
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
	r.cores, r.capacity, r.interval = cores, capacity, interval
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

// window is the time the full width of the picture covers: from the start
// of the oldest sample's interval, capacity intervals long.
func (r *ring) window() (from, length float64) {
	length = float64(r.capacity) * r.interval
	if r.n == 0 {
		return 0, length
	}
	return r.times[r.start] - r.interval, length
}

// last returns the newest sample, or nil when the ring is empty.
func (r *ring) last() []float64 {
	if r.n == 0 {
		return nil
	}
	slot := (r.start + r.n - 1) % r.capacity
	return r.data[slot*r.cores : (slot+1)*r.cores]
}
