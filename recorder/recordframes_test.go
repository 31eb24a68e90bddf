package recorder

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"corescope/internal/goal"
	"corescope/levels"
	"corescope/probes"
	"corescope/profile"
)

// statFixture is a /proc/stat under a HOST_PROC of its own whose per-core
// counters a test advances with the loads it chooses.
type statFixture struct {
	path       string
	busy, idle []uint64 // each core's cumulative busy and idle ticks
	text       []byte   // reused
}

// newStatFixture writes a stat file of cores cores and points HOST_PROC at
// it for the rest of the test.
func newStatFixture(tb testing.TB, cores int) *statFixture {
	tb.Helper()
	dir := tb.TempDir()
	tb.Setenv("HOST_PROC", dir)
	s := &statFixture{path: filepath.Join(dir, "stat"), busy: make([]uint64, cores), idle: make([]uint64, cores)}
	for c := range cores {
		s.busy[c], s.idle[c] = uint64(1000+c), uint64(50_000+7*c)
	}
	s.write(tb)
	return s
}

// advance moves every core on by ticks, the profile.Round(load*ticks) of them busy,
// and rewrites the file. It returns the busy fraction each core's counters
// now say, which the tick rounding makes differ from load by up to
// 0.5/ticks.
func (s *statFixture) advance(tb testing.TB, load func(core int) float64, ticks int, said []float64) []float64 {
	said = said[:0]
	for c := range s.busy {
		busy := uint64(math.Round(load(c) * float64(ticks)))
		s.busy[c] += busy
		s.idle[c] += uint64(ticks) - busy
		said = append(said, float64(busy)/float64(ticks))
	}
	s.write(tb)
	return said
}

// write puts the counters in /proc/stat's layout: busy time split between
// user, nice, system, irq and softirq, idle between idle and iowait.
func (s *statFixture) write(tb testing.TB) {
	b := append(s.text[:0], "cpu  1 2 3 4 5 6 7 8 0 0\n"...)
	for c := range s.busy {
		busy, idle := s.busy[c], s.idle[c]
		b = fmt.Appendf(b, "cpu%d", c)
		for _, v := range []uint64{busy / 2, busy / 8, busy / 4, idle - idle/10, idle / 10, busy / 16, busy - busy/2 - busy/8 - busy/4 - busy/16, 0, 0, 0} {
			b = append(b, ' ')
			b = strconv.AppendUint(b, v, 10)
		}
		b = append(b, '\n')
	}
	b = append(b, "intr 12345 0 0\nctxt 67890\nbtime 1700000000\nprocesses 42\n"...)
	s.text = b
	if err := os.WriteFile(s.path, b, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// fixtureRecorder is a recording as Record makes it, between runs: it
// samples the machine (pid 0) through the same step Record's loop takes.
// Its interval is 0, so every call of sample makes a frame.
func fixtureRecorder(tb testing.TB) *recording {
	tb.Helper()
	tree, err := probes.NewTreeProber()
	if err != nil {
		tb.Fatal(err)
	}
	return &recording{
		tree:          tree,
		cpu:           probes.NewCPUSampler(),
		self:          probes.NewSelfMeter(),
		prof:          &profile.Profile{},
		prevCPU:       map[int]float64{},
		prevThreadCPU: map[int]float64{},
		prevRunWait:   map[int]float64{},
		threads:       map[int]profile.Thread{},
	}
}

// wave is a load that differs from core to core and from tick to tick,
// and reaches 0 and 1.
func wave(tick int) func(core int) float64 {
	return func(core int) float64 { return float64((core*37+tick*11)%101) / 100 }
}

// TestRecordedBusyIsWhatTheCountersSay advances a 256-core /proc/stat
// with a different load on every core and checks each frame's Busy
// against it: within the quantisation bound of what the counters say, and
// so within that plus the tick rounding of the load the fixture was asked for.
func TestRecordedBusyIsWhatTheCountersSay(t *testing.T) {
	const cores, ticks, frames = 256, 1000, 5
	fix := newStatFixture(t, cores)
	r := fixtureRecorder(t)
	ctx := context.Background()
	r.sample(ctx, 0) // the baseline: no frame
	var said []float64
	for tick := range frames {
		said = fix.advance(t, wave(tick), ticks, said)
		r.sample(ctx, 0)
		if len(r.prof.Frames) != tick+1 {
			t.Fatalf("after %d ticks: %d frames; want %d", tick+1, len(r.prof.Frames), tick+1)
		}
		f := r.prof.Frames[tick]
		if len(f.Busy) != cores {
			t.Fatalf("frame %d has %d cores; want %d", tick+1, len(f.Busy), cores)
		}
		for c := range cores {
			got, asked := f.Busy.At(c), wave(tick)(c)
			if math.Abs(got-said[c]) > levels.MaxError+1e-12 {
				t.Errorf("frame %d core %d: busy %.5f; the counters say %.5f (want within %.5f)", tick+1, c, got, said[c], levels.MaxError)
			}
			if math.Abs(got-asked) > levels.MaxError+0.5/ticks+1e-12 {
				t.Errorf("frame %d core %d: busy %.5f; the fixture was asked for %.5f", tick+1, c, got, asked)
			}
		}
		if want := sum(said); math.Abs(f.BusyCores()-want) > cores*levels.MaxError {
			t.Errorf("frame %d: busy cores %.3f; the counters say %.3f", tick+1, f.BusyCores(), want)
		}
	}
}

func sum(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

// BenchmarkRecordFrames records frames of the machine from a /proc/stat
// fixture of 2 and 256 cores through the recorder's sampling step and
// reports the heap each frame keeps (bytes/frame, the growth of the live
// heap over the frames, slack of the frames' slice included). Goal: at
// most 1 KB at 256 cores, so an hour at 10 Hz stays under 36 MB.
func BenchmarkRecordFrames(b *testing.B) {
	for _, cores := range []int{2, 256} {
		b.Run(fmt.Sprintf("%d-cores", cores), func(b *testing.B) {
			fix := newStatFixture(b, cores)
			r := fixtureRecorder(b)
			ctx := context.Background()
			r.sample(ctx, 0) // the baseline
			var said []float64
			said = fix.advance(b, wave(0), 10, said)
			r.sample(ctx, 0) // the first frame sizes the buffers reused after
			r.prof.Frames = nil
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			i := 0
			for b.Loop() {
				b.StopTimer()
				said = fix.advance(b, wave(i), 10, said)
				b.StartTimer()
				r.sample(ctx, 0)
				i++
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			if len(r.prof.Frames) != i {
				b.Fatalf("%d frames from %d ticks", len(r.prof.Frames), i)
			}
			perFrame := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(i)
			b.ReportMetric(perFrame, "bytes/frame")
			what := fmt.Sprintf("memory a recorded frame keeps, %d cores", cores)
			if cores == 256 {
				goal.AtMost(b, what, perFrame, 1024, "%.0f bytes")
			} else {
				goal.Figure(b, what, perFrame, "%.0f bytes")
			}
			runtime.KeepAlive(r)
		})
	}
}
