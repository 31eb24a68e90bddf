package heatmap

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"corescope/levels"
)

// rawColumn is one appended column, kept by the tests to check the series
// against brute force.
type rawColumn struct {
	end, span        float64
	machine, subject levels.Row
}

// randomRun appends n columns of cores random levels to a new series, each
// value missing with probability gaps, columns lasting 50..150 ms, the
// subject measured from column subjectFrom on; the series keeps ranks from
// column ranksFrom on (n: after the last).
func randomRun(rng *rand.Rand, cores, n, subjectFrom, ranksFrom int, gaps float64) (*Series, []rawColumn) {
	var s Series
	s.Reset(cores, 0.1, 0)
	var raw []rawColumn
	row := func() levels.Row {
		r := make(levels.Row, cores)
		for c := range r {
			r[c] = levels.Level(rng.IntN(levels.Steps + 1))
			if rng.Float64() < gaps {
				r[c] = levels.Missing
			}
		}
		return r
	}
	t := 0.0
	for i := range n {
		if i == ranksFrom {
			s.keepRanks()
		}
		span := 0.05 + 0.1*rng.Float64()
		if i == 0 {
			span = 0.1
		}
		t += span
		c := rawColumn{end: t, span: span, machine: row()}
		if i >= subjectFrom {
			c.subject = row()
		}
		s.Append(c.end, c.machine, c.subject)
		raw = append(raw, c)
	}
	if ranksFrom >= n {
		s.keepRanks()
	}
	return &s, raw
}

// layerOf is column c's row of layer l, nil where not measured.
func layerOf(c rawColumn, l Layer) levels.Row {
	if l == Subject {
		return c.subject
	}
	return c.machine
}

// bruteForce is what a pyramid column over raw must hold for layer l: core
// by core the maximum and the maximum rank by rank, and the mean busy cores
// (the sum of each core's time-weighted mean of its measured samples).
func bruteForce(raw []rawColumn, l Layer, cores int) (top, ranked levels.Row, busy float64) {
	mean := make([]float64, cores)
	top, ranked = make(levels.Row, cores), make(levels.Row, cores)
	for c := range cores {
		top[c], ranked[c] = levels.Missing, levels.Missing
		sum, known := 0.0, 0.0
		for _, col := range raw {
			row := layerOf(col, l)
			if row == nil || row[c] == levels.Missing {
				continue
			}
			if top[c] == levels.Missing || row[c] > top[c] {
				top[c] = row[c]
			}
			sum += float64(row[c]) * col.span
			known += col.span
		}
		mean[c] = math.NaN()
		if known > 0 {
			mean[c] = sum / known
			busy += mean[c] / levels.Steps
		}
	}
	for _, col := range raw {
		row := layerOf(col, l)
		if row == nil {
			continue
		}
		var sorted levels.Row
		for _, v := range row {
			if v != levels.Missing {
				sorted = append(sorted, v)
			}
		}
		slices.Sort(sorted)
		slices.Reverse(sorted)
		for r, v := range sorted {
			if ranked[r] == levels.Missing || v > ranked[r] {
				ranked[r] = v
			}
		}
	}
	if slices.IndexFunc(mean, func(v float64) bool { return !math.IsNaN(v) }) < 0 {
		busy = math.NaN()
	}
	return top, ranked, busy
}

func TestSeriesPyramidMatchesBruteForce(t *testing.T) {
	const cores, n = 5, 1000
	for _, tc := range []struct {
		gaps      float64
		ranksFrom int
	}{{0, 0}, {0.3, 0}, {0.3, 333}, {0.3, n}} {
		t.Run(fmt.Sprintf("gaps %g, ranks from column %d", tc.gaps, tc.ranksFrom), func(t *testing.T) {
			s, raw := randomRun(rand.New(rand.NewPCG(1, uint64(100*tc.gaps))), cores, n, 77, tc.ranksFrom, tc.gaps)
			if got := len(s.tiers); got != 10 { // 1000 columns: 2^9 = 512 is the widest complete column
				t.Fatalf("tiers = %d; want 10", got)
			}
			for k := 1; k < len(s.tiers); k++ {
				tr := &s.tiers[k]
				if got, want := len(tr.end), n>>k; got != want {
					t.Fatalf("tier %d columns = %d; want %d", k, got, want)
				}
				for j := range tr.end {
					under := raw[j<<k : (j+1)<<k]
					if got, want := tr.end[j], under[len(under)-1].end; got != want {
						t.Fatalf("tier %d column %d ends at %v; want %v", k, j, got, want)
					}
					if got, want := tr.span[j], under[len(under)-1].end-under[0].end+under[0].span; math.Abs(got-want) > 1e-9 {
						t.Fatalf("tier %d column %d lasts %v; want %v", k, j, got, want)
					}
					for _, l := range []Layer{Machine, Subject} {
						top, ranked, busy := bruteForce(under, l, cores)
						at := func(v []levels.Level) levels.Row { return v[j*cores : (j+1)*cores] }
						if got := at(tr.top[l]); !slices.Equal(got, top) {
							t.Fatalf("tier %d column %d layer %d max = %v; want %v", k, j, l, got, top)
						}
						if got := at(tr.ranked[l]); !slices.Equal(got, ranked) {
							t.Fatalf("tier %d column %d layer %d ranked max = %v; want %v", k, j, l, got, ranked)
						}
						if got := float64(tr.busy[l][j]); math.IsNaN(got) != math.IsNaN(busy) || math.Abs(got-busy) > 1e-5 {
							t.Fatalf("tier %d column %d layer %d busy = %v; want %v", k, j, l, got, busy)
						}
					}
				}
			}
		})
	}
}

// TestSeriesBurstSurvives checks that one sample of one busy core in an
// idle hour reaches the widest column and a picture of the whole hour.
func TestSeriesBurstSurvives(t *testing.T) {
	const cores, n, burst = 16, 36000, 20001
	var s Series
	s.Reset(cores, 0.1, n)
	idle, busy := make(levels.Row, cores), make(levels.Row, cores)
	busy[5] = levels.Steps
	for i := range n {
		row := idle
		if i == burst {
			row = busy
		}
		s.Append(float64(i+1)/10, row, row)
	}
	top := &s.tiers[len(s.tiers)-1]
	if got := top.top[Subject][5]; got != levels.Steps {
		t.Errorf("widest column's max of core 5 = %d; want %d", got, levels.Steps)
	}
	if got, want := top.busy[Subject][0], float32(1.0/32768); math.Abs(float64(got-want)) > 1e-9 {
		t.Errorf("widest column's mean busy cores = %v; want %v (one sample of 32768)", got, want)
	}
	dst := image.NewRGBA(image.Rect(0, 0, 100, cores))
	var p Painter
	from, to := s.Extent()
	for _, sorted := range []bool{false, true} {
		p.Heatmap(dst, dst.Rect, &s, Subject, from, to, sorted)
		x := burst * 100 / n
		row := 5
		if sorted {
			row = 0
		}
		if got := dst.RGBAAt(x, row); got != Color(1) {
			t.Errorf("sorted=%v: pixel (%d,%d) of the burst = %v; want %v", sorted, x, row, got, Color(1))
		}
		busyPixels := 0
		for y := range cores {
			for x := range 100 {
				if dst.RGBAAt(x, y) != Idle() {
					busyPixels++
				}
			}
		}
		if busyPixels != 1 {
			t.Errorf("sorted=%v: %d pixels not idle; want the burst's 1", sorted, busyPixels)
		}
	}
}

func TestSeriesGaps(t *testing.T) {
	const cores = 2
	var s Series
	s.Reset(cores, 1, 0)
	m := levels.Missing
	s.Append(1, levels.Row{m, 0}, nil)              // subject not yet measured
	s.Append(2, levels.Row{m, 0}, levels.Row{m, 0}) //
	s.Append(3, levels.Row{m, 0}, levels.Row{254})  // core 1 of the subject missing: a short row
	s.Append(4, levels.Row{m, 127}, levels.Row{127, 127})
	if !s.SubjectKnown() {
		t.Fatal("SubjectKnown() = false after a subject row")
	}
	if _, _, _, subject := s.Column(0); !slices.Equal(subject, levels.Row{m, m}) {
		t.Errorf("subject of the column before it was measured = %v; want missing", subject)
	}
	t2 := &s.tiers[2]
	if got := t2.top[Machine][0:2]; !slices.Equal(got, levels.Row{m, 127}) {
		t.Errorf("max over 4 columns = %v; want core 0 missing (never measured), core 1 127", got)
	}
	if got, want := float64(t2.busy[Subject][0]), ((254+127)/2.0+(0+127)/2.0)/levels.Steps; math.Abs(got-want) > 1e-6 {
		t.Errorf("subject's mean busy cores = %v; want %v, each core's mean of its measured samples: (254+127)/2, (0+127)/2", got, want)
	}

	// Pictures: core 0 of the machine is a gap throughout, core 1 is not.
	dst := image.NewRGBA(image.Rect(0, 0, 4, 2))
	var p Painter
	p.Heatmap(dst, dst.Rect, &s, Machine, 0, 4, false)
	for x := range 4 {
		if got := dst.RGBAAt(x, 0); !isGap(got) {
			t.Errorf("missing core's pixel (%d,0) = %v; want the gap hatch", x, got)
		}
		if got := dst.RGBAAt(x, 1); isGap(got) || got.A != 0xff {
			t.Errorf("measured core's pixel (%d,1) = %v; want a load's colour", x, got)
		}
	}

	// The strip of one core: busy, with the subject's share missing; the
	// subject's; nothing measured; after the run.
	var s1 Series
	s1.Reset(1, 1, 0)
	s1.Append(1, levels.Row{levels.Steps}, nil)
	s1.Append(2, levels.Row{levels.Steps}, levels.Row{levels.Steps})
	s1.Append(3, levels.Row{m}, levels.Row{m})
	strip := image.NewRGBA(image.Rect(0, 0, 4, 10))
	p.Strip(strip, strip.Rect, &s1, 0, 4, 1)
	for _, c := range []struct {
		name string
		x    int
		want func(color.RGBA) bool
	}{
		{"the machine's load, the subject's share missing: a gap, not other programs", 0, isGap},
		{"the subject's load", 1, func(c color.RGBA) bool { return c == stripFill }},
		{"nothing measured", 2, isGap},
		{"after the run: transparent", 3, func(c color.RGBA) bool { return c.A == 0 }},
	} {
		if got := strip.RGBAAt(c.x, 5); !c.want(got) {
			t.Errorf("%s: strip pixel (%d,5) = %v", c.name, c.x, got)
		}
	}
}

func isGap(c color.RGBA) bool { return c == gapLight || c == gapDark }

// run builds a series of one core row per sample, each v(sample, core),
// samples 1 s long from t = 0, the subject's load the same as the machine's.
func run(n, cores int, v func(s, c int) float64) *Series {
	var s Series
	s.Reset(cores, 1, n)
	for i := range n {
		row := make(levels.Row, cores)
		for c := range row {
			row[c] = levels.Of(v(i, c))
		}
		s.Append(float64(i+1), row, row)
	}
	return &s
}

func TestHeatmap(t *testing.T) {
	idle, busy := Color(0), Color(1)
	clear := color.RGBA{}
	tests := []struct {
		name     string
		w, h     int
		s        *Series
		from, to float64
		sorted   bool
		probes   []probe
	}{
		{"no samples", 4, 4, run(0, 2, nil), 0, 1, false,
			[]probe{{0, 0, clear}, {3, 3, clear}}},
		{"zero cores", 4, 4, run(2, 0, nil), 0, 2, false,
			[]probe{{0, 0, clear}, {3, 3, clear}}},
		{"one core, samples wider than one pixel", 4, 2, run(2, 1, func(s, _ int) float64 { return float64(s) }), 0, 2, false,
			[]probe{{0, 0, idle}, {1, 1, idle}, {2, 0, busy}, {3, 1, busy}}},
		{"after the run: transparent", 4, 1, run(2, 1, func(int, int) float64 { return 1 }), 0, 4, false,
			[]probe{{0, 0, busy}, {1, 0, busy}, {2, 0, clear}, {3, 0, clear}}},
		{"before the run: transparent", 4, 1, run(2, 1, func(int, int) float64 { return 1 }), -2, 2, false,
			[]probe{{0, 0, clear}, {1, 0, clear}, {2, 0, busy}, {3, 0, busy}}},
		{"cores several pixels high", 1, 6, run(1, 3, func(_, c int) float64 { return []float64{0, 1, 0.5}[c] }), 0, 1, false,
			[]probe{{0, 0, idle}, {0, 1, idle}, {0, 2, busy}, {0, 3, busy}, {0, 4, Color(levels.Of(0.5).Fraction())}}},
		{"several samples per pixel show the max", 2, 1, run(4, 1, func(s, _ int) float64 { return b2f(s == 1) }), 0, 4, false,
			[]probe{{0, 0, busy}, {1, 0, idle}}},
		{"256 cores, one row each: core s busy in sample s", 256, 256,
			run(256, 256, func(s, c int) float64 { return b2f(s == c) }), 0, 256, false,
			[]probe{{0, 0, busy}, {0, 1, idle}, {100, 100, busy}, {100, 101, idle}, {255, 255, busy}, {255, 0, idle}}},
		{"256 cores in 64 rows show each row's busiest core", 1, 64,
			run(1, 256, func(_, c int) float64 { return b2f(c == 5) }), 0, 1, false,
			[]probe{{0, 0, idle}, {0, 1, busy}, {0, 2, idle}, {0, 63, idle}}},
		{"sorted puts the busy core on top", 1, 4,
			run(1, 4, func(_, c int) float64 { return []float64{0, 0.2, 0, 1}[c] }), 0, 1, true,
			[]probe{{0, 0, busy}, {0, 1, Color(levels.Of(0.2).Fraction())}, {0, 2, idle}, {0, 3, idle}}},
		{"sorted counts a migrating thread as one core", 1, 2,
			run(2, 2, func(s, c int) float64 { return b2f(s == c) }), 0, 2, true,
			[]probe{{0, 0, busy}, {0, 1, idle}}},
		{"unsorted shows both cores of a migrating thread", 1, 2,
			run(2, 2, func(s, c int) float64 { return b2f(s == c) }), 0, 2, false,
			[]probe{{0, 0, busy}, {0, 1, busy}}},
		{"sorted, an hour in one pixel: one busy core at a time", 1, 2,
			run(36000, 2, func(s, c int) float64 { return b2f(s%2 == c) }), 0, 36000, true,
			[]probe{{0, 0, busy}, {0, 1, idle}}},
		{"zoomed into one sample", 4, 1, run(10, 1, func(s, _ int) float64 { return b2f(s == 5) }), 5.25, 6.25, false,
			[]probe{{0, 0, busy}, {2, 0, busy}, {3, 0, idle}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Draw at an offset inside a larger image: nothing outside r may change.
			dst := img(tt.w+4, tt.h+4)
			r := image.Rect(2, 2, 2+tt.w, 2+tt.h)
			var p Painter
			p.Heatmap(dst, r, tt.s, Subject, tt.from, tt.to, tt.sorted)
			for _, pr := range tt.probes {
				if got := dst.RGBAAt(r.Min.X+pr.x, r.Min.Y+pr.y); got != pr.want {
					t.Errorf("pixel (%d,%d) = %v; want %v", pr.x, pr.y, got, pr.want)
				}
			}
			checkOutside(t, dst, r)
		})
	}
}

func TestHeatmapClipsToImage(t *testing.T) {
	dst := img(4, 4)
	var p Painter
	busy := run(1, 1, func(int, int) float64 { return 1 })
	p.Heatmap(dst, image.Rect(-10, -10, 100, 100), busy, Machine, 0, 1, false)
	if got := dst.RGBAAt(3, 3); got != Color(1) {
		t.Errorf("pixel (3,3) = %v; want %v", got, Color(1))
	}
	idle := run(1, 1, func(int, int) float64 { return 0 })
	p.Heatmap(dst, image.Rect(10, 10, 20, 20), idle, Machine, 0, 1, false) // outside: no panic, no change
	if got := dst.RGBAAt(3, 3); got != Color(1) {
		t.Errorf("after drawing outside, pixel (3,3) = %v; want %v", got, Color(1))
	}
}

func TestStrip(t *testing.T) {
	idle := Idle()
	// 2 cores in 10 rows: the all-cores line is row 0, the 1-core line row 5.
	// Each sample is two columns, so each pixel shows a mean of two.
	vals := [][2]float64{{0, 0}, {0, 0}, {1, 1}, {1, 1}, {1, 0}, {1, 0}, {0.5, 0}, {0, 0}, {1, 1}, {1, 1}}
	s := run(len(vals), 2, func(s, c int) float64 { return vals[s][c] })
	dst := img(9, 14)
	r := image.Rect(2, 2, 7, 12)
	var p Painter
	p.Strip(dst, r, s, 0, 10, 2)
	checkPixels(t, dst, r, []pixel{
		{"all-cores line", 0, 0, stripMark},
		{"1-core line", 0, 5, stripMark},
		{"idle column", 0, 9, idle},
		{"full column top", 1, 1, stripFill},
		{"full column bottom", 1, 9, stripFill},
		{"half column above", 2, 4, idle},
		{"half column below", 2, 6, stripFill},
		{"a quarter core on average: one row", 3, 9, stripFill},
		{"not two", 3, 8, idle},
		{"last column full", 4, 1, stripFill},
	})
}

func TestStackedStrip(t *testing.T) {
	idle := Idle()
	var s Series
	s.Reset(2, 1, 0)
	// 2 cores in 10 rows, as in TestStrip: each row is a fifth of a core.
	subject := []levels.Row{{0, 0}, {254, 0}, {254, 254}, {127, 0}}
	machine := []levels.Row{{0, 0}, {254, 254}, {127, 127}, {254, 127}}
	for i := range subject {
		s.Append(float64(i+1), machine[i], subject[i])
	}
	dst := img(6, 12)
	r := image.Rect(1, 1, 5, 11)
	var p Painter
	p.Strip(dst, r, &s, 0, 4, 2)
	checkPixels(t, dst, r, []pixel{
		{"idle column", 0, 9, idle},
		{"subject's core", 1, 9, stripFill},
		{"others above the subject", 1, 3, othersFill},
		{"subject above a lower machine sum", 2, 1, stripFill},
		{"half a core of the subject", 3, 9, stripFill},
		{"a core of others above it", 3, 6, othersFill},
		{"nothing above the machine", 3, 1, idle},
	})
}

func TestStripWithoutSamples(t *testing.T) {
	dst := img(4, 4)
	var p Painter
	var s Series
	s.Reset(2, 1, 0)
	p.Strip(dst, dst.Bounds(), &s, 0, 1, 0)
	if got := dst.RGBAAt(0, 0); got != stripMark {
		t.Errorf("strip without samples, pixel (0,0) = %v; want the all-cores line %v", got, stripMark)
	}
	if got := dst.RGBAAt(3, 3); got != Idle() {
		t.Errorf("strip without samples, pixel (3,3) = %v; want %v", got, Idle())
	}
}

func TestBusy(t *testing.T) {
	// Columns of 1 s then 3 s: the mean over both weighs the second three times.
	var s Series
	s.Reset(2, 1, 0)
	s.Append(1, levels.Row{254, 254}, nil)
	s.Append(4, levels.Row{0, 127}, nil)
	s.Append(5, levels.Row{levels.Missing, levels.Missing}, nil)
	var p Painter
	got := p.Busy(nil, &s, Machine, 0, 6, 2)
	if want := (2*1 + 0.5*3) / 4.0; len(got) != 2 || math.Abs(got[0]-want) > 1e-6 || !math.IsNaN(got[1]) {
		t.Errorf("Busy over 0..6 s in 2 = %v; want [%v NaN] (then nothing measured or sampled)", got, want)
	}
	if got := p.Busy(got, &s, Subject, 0, 6, 2); !math.IsNaN(got[0]) {
		t.Errorf("Busy of the subject never measured = %v; want NaN", got)
	}
}

// oneHour is an hour of 10 Hz samples of cores cores: a band of load
// moving across the cores, the subject's a share of the machine's.
func oneHour(cores int) (machine, subject []levels.Row) {
	const n = 36000
	back := make(levels.Row, 2*n*cores)
	machine, subject = make([]levels.Row, n), make([]levels.Row, n)
	wave := make([]levels.Level, 1024)
	for i := range wave {
		wave[i] = levels.Of(math.Abs(math.Sin(float64(i) * math.Pi / 1024)))
	}
	for s := range n {
		machine[s], subject[s] = back[2*s*cores:(2*s+1)*cores], back[(2*s+1)*cores:(2*s+2)*cores]
		for c := range cores {
			v := wave[(s/4+c*8)%len(wave)]
			machine[s][c], subject[s][c] = v, v/2
		}
	}
	return machine, subject
}

// build appends samples to s at 10 Hz.
func build(s *Series, machine, subject []levels.Row) {
	s.Reset(len(machine[0]), 0.1, len(machine))
	for i := range machine {
		s.Append(float64(i+1)/10, machine[i], subject[i])
	}
}

func TestSeriesCoverIsBoundedByThePixels(t *testing.T) {
	var s Series
	machine, subject := oneHour(4)
	build(&s, machine, subject)
	const w = 1280
	var refs []ref
	for _, window := range [][2]float64{{0, 3600}, {0, 1800}, {100, 160}, {3599, 3600}, {1000, 1000.2}, {-100, 5000}} {
		refs = s.cover(refs, window[0], window[1], (window[1]-window[0])/w)
		if len(refs) > 2*w+len(s.tiers) {
			t.Errorf("cover(%v) reads %d columns; want at most %d for %d pixels", window, len(refs), 2*w+len(s.tiers), w)
		}
		for i := 1; i < len(refs); i++ {
			if s.start(refs[i]) != s.end(refs[i-1]) {
				t.Fatalf("cover(%v): column %d starts at %v, the one before ends at %v; want them to meet", window, i, s.start(refs[i]), s.end(refs[i-1]))
			}
		}
	}
}

func TestSeriesAppendAndDrawDoNotAllocate(t *testing.T) {
	machine, subject := oneHour(256)
	var s Series
	build(&s, machine[:1000], subject[:1000])
	s.Reset(256, 0.1, 0) // storage kept
	tick := 0.0
	if n := testing.AllocsPerRun(900, func() {
		tick += 0.1
		s.Append(tick, machine[0], subject[0])
	}); n != 0 {
		t.Errorf("Append after Reset allocates %v times a column; want 0", n)
	}
	dst := image.NewRGBA(image.Rect(0, 0, 600, 256))
	var p Painter
	var busy []float64
	draw := func() {
		for _, sorted := range []bool{false, true} {
			p.Heatmap(dst, dst.Rect, &s, Subject, 0, 90, sorted)
		}
		p.Strip(dst, dst.Rect, &s, 0, 90, 0)
		busy = p.Busy(busy, &s, Subject, 0, 90, 600)
	}
	draw() // grows the scratch once
	if n := testing.AllocsPerRun(5, draw); n != 0 {
		t.Errorf("Heatmap+Strip+Busy allocate %v times; want 0", n)
	}
}

func BenchmarkSeriesHeatmap(b *testing.B) {
	var s Series
	machine, subject := oneHour(256)
	build(&s, machine, subject)
	for _, bb := range []struct {
		name     string
		from, to float64
		sorted   bool
	}{
		{"1h-256-cores", 0, 3600, false},
		{"1h-256-cores/sorted", 0, 3600, true},
		{"1h-256-cores/last-minute", 3540, 3600, false},
	} {
		b.Run(bb.name, func(b *testing.B) {
			dst := image.NewRGBA(image.Rect(0, 0, 1280, 256))
			var p Painter
			b.ReportAllocs()
			for b.Loop() {
				p.Heatmap(dst, dst.Rect, &s, Subject, bb.from, bb.to, bb.sorted)
			}
		})
	}
}

func BenchmarkSeriesStrip(b *testing.B) {
	var s Series
	machine, subject := oneHour(256)
	build(&s, machine, subject)
	b.Run("1h-256-cores", func(b *testing.B) {
		dst := image.NewRGBA(image.Rect(0, 0, 1280, 32))
		var p Painter
		b.ReportAllocs()
		for b.Loop() {
			p.Strip(dst, dst.Rect, &s, 0, 3600, 0)
		}
	})
}

// BenchmarkSeriesAppend is the cost of one live column of 256 cores, the
// machine's and the subject's, pyramid included: an hour recorded again and
// again into the same series, as the live view does run after run.
func BenchmarkSeriesAppend(b *testing.B) {
	machine, subject := oneHour(256)
	b.Run("256-cores", func(b *testing.B) {
		var s Series
		build(&s, machine, subject) // storage for an hour
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if i%len(machine) == 0 {
				s.Reset(256, 0.1, 0)
			}
			s.Append(float64(i%len(machine)+1)/10, machine[i%len(machine)], subject[i%len(subject)])
			i++
		}
	})
}

// BenchmarkSeriesBuild builds the series of a recorded hour of 256 cores
// at 10 Hz, as opening a profile does, and reports the bytes it keeps.
func BenchmarkSeriesBuild(b *testing.B) {
	machine, subject := oneHour(256)
	b.Run("1h-256-cores", func(b *testing.B) {
		b.ReportAllocs()
		var s Series
		for b.Loop() {
			s = Series{}
			build(&s, machine, subject)
		}
		b.ReportMetric(float64(s.bytes())/1e6, "MB-kept")
	})
	// The first sorted picture of the hour: its ranks, computed once.
	b.Run("1h-256-cores/ranks", func(b *testing.B) {
		var s Series
		build(&s, machine, subject)
		b.ReportAllocs()
		for b.Loop() {
			s.ranks = false
			s.keepRanks()
		}
		b.ReportMetric(float64(s.bytes())/1e6, "MB-kept")
	})
}

// bytes is the storage s holds.
func (s *Series) bytes() int {
	n := 0
	for k := range s.tiers {
		t := &s.tiers[k]
		n += 8 * (cap(t.end) + cap(t.span))
		for l := range 2 {
			n += 4*cap(t.busy[l]) + cap(t.top[l]) + cap(t.ranked[l])
		}
	}
	return n
}

func TestSeriesSpan(t *testing.T) {
	// Core 1 busy in sample 5 of 100 one-second samples; the subject measured.
	s := run(100, 2, func(i, c int) float64 { return b2f(i == 5 && c == 1) })
	var sp Span
	tests := []struct {
		name          string
		from, to      float64
		sorted        bool
		wantFrom      float64
		wantTo        float64
		wantSamples   int
		wantBusiest   levels.Row
		wantBusyCores float64
	}{
		{"one sample", 5.2, 5.4, false, 5, 6, 1, levels.Row{0, levels.Steps}, 1},
		// 25 s a pixel: the pyramid's columns of 16 samples whose middle
		// falls in it, as a picture reads them.
		{"a pixel of 25 s", 0, 25, false, 0, 32, 32, levels.Row{0, levels.Steps}, 1.0 / 32},
		{"sorted", 0, 25, true, 0, 32, 32, levels.Row{levels.Steps, 0}, 1.0 / 32},
		{"after the burst", 50, 75, false, 48, 80, 32, levels.Row{0, 0}, 0},
	}
	for _, tt := range tests {
		s.Span(&sp, tt.from, tt.to, tt.sorted)
		if sp.From != tt.wantFrom || sp.To != tt.wantTo || sp.Samples != tt.wantSamples {
			t.Errorf("%s: Span(%v, %v) covers %v..%v, %d samples; want %v..%v, %d", tt.name, tt.from, tt.to,
				sp.From, sp.To, sp.Samples, tt.wantFrom, tt.wantTo, tt.wantSamples)
		}
		for _, l := range []Layer{Machine, Subject} {
			if !slices.Equal(sp.Busiest[l], tt.wantBusiest) || math.Abs(sp.Busy[l]-tt.wantBusyCores) > 1e-6 {
				t.Errorf("%s: layer %d busiest %v, busy %v; want %v, %v", tt.name, l, sp.Busiest[l], sp.Busy[l], tt.wantBusiest, tt.wantBusyCores)
			}
		}
	}
	if s.Span(&sp, 200, 300, false); sp.Samples != 0 {
		t.Errorf("Span after the run holds %d samples; want 0", sp.Samples)
	}
}
