package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"corescope/profile"
	"corescope/spec"
)

// rendered runs every output of ps and fails the test where one panics
// or errs, or where the trace is not valid JSON; it returns the trace.
func rendered(t *testing.T, ps []*profile.Profile) []byte {
	t.Helper()
	var trace bytes.Buffer
	for _, out := range []struct {
		name   string
		render func() error
	}{
		{"PNG", func() error { _, err := PNG(ps, Options{}); return err }},
		{"CSV", func() error { return CSV(io.Discard, ps) }},
		{"Trace", func() error { return Trace(&trace, ps) }},
	} {
		func() {
			defer func() {
				if v := recover(); v != nil {
					t.Errorf("%s panicked: %v", out.name, v)
				}
			}()
			if err := out.render(); err != nil {
				t.Errorf("%s error = %v; want none", out.name, err)
			}
		}()
	}
	if !json.Valid(trace.Bytes()) {
		i := bytes.Index(trace.Bytes(), []byte("Inf"))
		t.Errorf("the trace is not valid JSON (near %.80q)", trace.Bytes()[max(0, i-40):])
	}
	return trace.Bytes()
}

// TestOutOfRangeValues renders profiles holding values no recording
// gives but a file can: times near the float64 limit, NaN, cores beyond
// any machine. Every output draws or writes what it can, never panics,
// and the trace stays JSON.
func TestOutOfRangeValues(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		edit func(p *profile.Profile)
	}{
		{"slice at 1e300 s", func(p *profile.Profile) { p.Slices[0].Start, p.Slices[0].End = 1e300, 2e300 }},
		{"sample at 1e308 s", func(p *profile.Profile) { p.Frames[len(p.Frames)-1].T = 1e308 }},
		{"subject until 1e308 s", func(p *profile.Profile) { p.Summary.SubjectEndS = 1e308 }},
		{"wall time and speedup at the float64 limit", func(p *profile.Profile) {
			huge := math.MaxFloat64
			p.Summary.WallS, p.Summary.Speedup, p.Summary.CPUS = huge, &huge, huge
		}},
		{"slice on core 2^31+1", func(p *profile.Profile) { p.Slices[0].CPU = 1<<31 + 1 }},
		{"no samples, -1 cores", func(p *profile.Profile) { p.Frames, p.Machine.LogicalCores = nil, -1 }},
		{"no samples, 2^40 cores", func(p *profile.Profile) { p.Frames, p.Machine.LogicalCores = nil, 1<<40 }},
		{"started at the zero time", func(p *profile.Profile) { p.Started = time.Time{} }},
		{"task events at the end of time", func(p *profile.Profile) {
			for i := range p.Events {
				p.Events[i].TNs = math.MaxInt64 - int64(i)
			}
		}},
		{"NaN times", func(p *profile.Profile) {
			p.Slices[1].Start, p.Slices[2].End = nan, nan
			p.Summary.SubjectStartS, p.Summary.SubjectEndS, p.Summary.WallS = nan, nan, nan
			p.Frames[0].T = nan
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := withSlices(withSubject(fixture("odd", spec.Threads, 4, 20, wave), profile.AttributionExact, wave), 4, 40)
			tt.edit(p)
			rendered(t, []*profile.Profile{p, fixture("plain", spec.Sequential, 2, 10, wave)})
		})
	}
}

// TestOutOfRangeNodes renders a watch of nodes without samples that
// claim more cores than any machine has: the trace names no counter it
// never writes.
func TestOutOfRangeNodes(t *testing.T) {
	p := watched(3, 2, 0, wave)
	p.Nodes[2].Cores = 1 << 40
	if tr := rendered(t, []*profile.Profile{p}); len(tr) > 10_000 {
		t.Errorf("the trace of a watch without samples is %d bytes; want a few events", len(tr))
	}
}

// TestTraceLeavesOutWhatItCannotPlace checks that a sample and a slice
// at 1e308 s, past what a trace's microseconds can hold, are left out of
// the trace, and that the run and its CPUs say how many events were.
func TestTraceLeavesOutWhatItCannotPlace(t *testing.T) {
	p := withSlices(fixture("far", spec.Threads, 2, 10, wave), 2, 20)
	p.Frames[len(p.Frames)-1].T = 1e308
	p.Slices[len(p.Slices)-1].Start, p.Slices[len(p.Slices)-1].End = 1e308, 1e308
	var tr trace
	if err := json.Unmarshal(rendered(t, []*profile.Profile{p}), &tr); err != nil {
		t.Fatal(err)
	}
	names := map[float64]string{}
	for _, ev := range tr.TraceEvents {
		if ts, _ := ev["ts"].(float64); ts > maxTraceS*1e6 {
			t.Errorf("event %v at %v µs; want none past %v s", ev["name"], ts, maxTraceS)
		}
		if ev["name"] == "process_name" {
			names[ev["pid"].(float64)] = ev["args"].(map[string]any)["name"].(string)
		}
	}
	// The sample's total and 2 cores, the slice on its thread's track.
	if want := "far (4 events out of the trace's time range left out)"; names[1] != want {
		t.Errorf("the run's name = %q; want %q", names[1], want)
	}
	if want := "far CPUs (1 event out of the trace's time range left out)"; names[2] != want {
		t.Errorf("its CPUs' name = %q; want %q", names[2], want)
	}
}

// TestThreadPanelCountsSlicesOffTheScale checks that a slice after the
// time scale's end is not drawn, and counted.
func TestThreadPanelCountsSlicesOffTheScale(t *testing.T) {
	p := withSlices(fixture("far", spec.Threads, 2, 10, wave), 2, 20)
	p.Slices[0].Start, p.Slices[0].End = 1e300, 2e300
	p.Slices[1].Start = math.NaN()
	pg := &page{l: Layout{AxisS: axisSeconds([]*profile.Profile{p})}}
	cov := pg.cover(p.Slices, newThreadPanel(p), 500)
	if cov.offScale != 2 {
		t.Errorf("slices off the scale = %d; want 2", cov.offScale)
	}
	if got := strings.Join(panelNotes(p.SlicesDropped, cov.offScale), "; "); got != "2 slices off the time scale not drawn" {
		t.Errorf("the panel's note = %q", got)
	}
}

// TestRepeatedNamesAreClipped gives a run a label, and a node and a
// thread names, of 10,000 bytes: the CSV and the trace, which repeat them
// in each row or event, write at most maxRepeatedName bytes of them there
// (a 31 KB profile gave a 64 MB CSV), keeping each name unique.
func TestRepeatedNamesAreClipped(t *testing.T) {
	long := func(c string) string { return strings.Repeat(c, 10_000) }
	run := withSlices(fixture(long("x"), spec.Threads, 8, 20, wave), 2, 20)
	run.Threads[0].Name = long("t")
	twin := fixture(long("x"), spec.Threads, 2, 5, wave)
	w := watched(2, 4, 20, wave)
	w.Nodes[0].Name = long("n")
	ps := []*profile.Profile{run, twin, w}

	var out bytes.Buffer
	if err := CSV(&out, ps); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	runs, nodes := map[string]bool{}, map[string]bool{}
	for _, r := range records[1:] {
		if len(r[0]) > maxRepeatedName || len(r[2]) > maxRepeatedName {
			t.Fatalf("a row names run %d bytes, node %d bytes; want at most %d", len(r[0]), len(r[2]), maxRepeatedName)
		}
		runs[r[0]], nodes[r[2]] = true, true
	}
	if len(runs) != 3 || len(nodes) != 3 {
		t.Errorf("the CSV names %d runs and %d nodes; want 3 of each, apart", len(runs), len(nodes))
	}

	for _, line := range strings.Split(string(rendered(t, ps)), "\n") {
		if len(line) > maxRepeatedName+200 && !strings.Contains(line, `"process_name"`) {
			t.Errorf("a trace event of %d bytes: %.120s...; want names clipped", len(line), line)
		}
	}
}
