package spec

import "math"

// parseFlat reads the lines subjects write in practice, a flat object of
// known keys with integer and plain string values, about ten times faster
// than encoding/json: a run of 100000 tasks sends 200000 events, and the
// profiler's time spent on them is time taken from the subject. It reports
// false for anything else (other keys, which encoding/json would match
// case-insensitively; escapes, floats, null, nesting), and ParseEvent then
// hands the line to encoding/json, so both always agree.
func parseFlat(line []byte, ev *Event) bool {
	p := flatParser{b: line}
	if !p.take('{') {
		return false
	}
	if p.take('}') {
		return p.end()
	}
	for {
		key, ok := p.str()
		if !ok || !p.take(':') || !p.value(key, ev) {
			return false
		}
		if p.take('}') {
			return p.end()
		}
		if !p.take(',') {
			return false
		}
	}
}

// flatParser walks one line; i is the next byte to read.
type flatParser struct {
	b []byte
	i int
}

func (p *flatParser) space() {
	for p.i < len(p.b) && (p.b[p.i] == ' ' || p.b[p.i] == '\t') {
		p.i++
	}
}

// take consumes c, after any spaces, if it is next.
func (p *flatParser) take(c byte) bool {
	p.space()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// end reports whether nothing but spaces is left.
func (p *flatParser) end() bool {
	p.space()
	return p.i == len(p.b)
}

// str reads a string without escapes, control or non-ASCII characters; the
// bytes returned are the line's own.
func (p *flatParser) str() ([]byte, bool) {
	if !p.take('"') {
		return nil, false
	}
	start := p.i
	for ; p.i < len(p.b); p.i++ {
		switch c := p.b[p.i]; {
		case c == '"':
			p.i++
			return p.b[start : p.i-1], true
		case c == '\\' || c < 0x20 || c >= 0x80:
			return nil, false
		}
	}
	return nil, false
}

// int reads a JSON integer that fits in 64 bits.
func (p *flatParser) int() (int64, bool) {
	p.space()
	neg := p.i < len(p.b) && p.b[p.i] == '-'
	if neg {
		p.i++
	}
	digits := p.i
	var u uint64
	for ; p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9'; p.i++ {
		d := uint64(p.b[p.i] - '0')
		if u > (math.MaxUint64-d)/10 {
			return 0, false
		}
		u = u*10 + d
	}
	n := p.i - digits
	switch {
	case n == 0 || n > 1 && p.b[digits] == '0':
		return 0, false // no digits, or a leading zero JSON forbids
	case p.i < len(p.b) && (p.b[p.i] == '.' || p.b[p.i] == 'e' || p.b[p.i] == 'E'):
		return 0, false // a number, but not an integer
	case neg && u <= 1<<63:
		return -int64(u), true
	case !neg && u <= math.MaxInt64:
		return int64(u), true
	}
	return 0, false
}

// eventField writes one key's parsed value into an Event: a string, or an
// integer for the numeric fields.
type eventField struct {
	str func(*Event) *string
	num func(*Event, int64)
}

// eventFields are the keys the fast path knows.
var eventFields = map[string]eventField{
	"ev":           {str: func(e *Event) *string { return &e.Ev }},
	"checksum":     {str: func(e *Event) *string { return &e.Checksum }},
	"task":         {num: func(e *Event, v int64) { e.Task = int(v) }},
	"worker":       {num: func(e *Event, v int64) { e.Worker = int(v) }},
	"pid":          {num: func(e *Event, v int64) { e.PID = int(v) }},
	"tid":          {num: func(e *Event, v int64) { e.TID = int(v) }},
	"tasks":        {num: func(e *Event, v int64) { e.Tasks = int(v) }},
	"t_ns":         {num: func(e *Event, v int64) { e.TNs = v }},
	"gil_hold_ns":  {num: func(e *Event, v int64) { e.GILHoldNs = v }},
	"gil_wait_ns":  {num: func(e *Event, v int64) { e.GILWaitNs = v }},
	"gil_switches": {num: func(e *Event, v int64) { e.GILSwitches = v }},
}

// value reads key's value into ev; false for a key the fast path does not know.
func (p *flatParser) value(key []byte, ev *Event) bool {
	f, known := eventFields[string(key)] // looked up in place: no allocation
	switch {
	case !known:
		return false
	case f.str != nil:
		v, ok := p.str()
		*f.str(ev) = intern(v)
		return ok
	}
	v, ok := p.int()
	f.num(ev, v)
	return ok
}

// intern returns the event kinds without allocating a string for each line.
func intern(b []byte) string {
	for _, kind := range [...]string{EvTaskStart, EvTaskEnd, EvStats} {
		if string(b) == kind {
			return kind
		}
	}
	return string(b)
}
