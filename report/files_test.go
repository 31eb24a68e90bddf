package report

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"corescope/profile"
	"corescope/spec"
)

func TestCSV(t *testing.T) {
	ps := []*profile.Profile{
		fixture("cpu", spec.Threads, 2, 3, gradient(2)),
		fixture("cpu", spec.Processes, 4, 5, wave),
		fixture("", spec.Async, 1, 2, wave),
	}
	var buf bytes.Buffer
	if err := CSV(&buf, ps); err != nil {
		t.Fatalf("CSV() error = %v", err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("reading the CSV back: %v", err)
	}
	if got, want := strings.Join(rows[0], ","), "run,t_s,node,core,busy,subject_busy"; got != want {
		t.Errorf("header = %q; want %q", got, want)
	}
	if got, want := len(rows)-1, 3*2+5*4+2*1; got != want {
		t.Errorf("data rows = %d; want %d (one per sample and core)", got, want)
	}
	runs := map[string]int{}
	for _, r := range rows[1:] {
		runs[r[0]]++
	}
	for name, want := range map[string]int{"cpu #1": 6, "cpu #2": 20, "async": 2} {
		if runs[name] != want {
			t.Errorf("rows of run %q = %d; want %d (runs seen: %v)", name, runs[name], want, runs)
		}
	}
	// Run 1, first sample, core 1: busy 1; no subject measured.
	if got, want := strings.Join(rows[2], ","), "cpu #1,0.100,local,1,1.0000,"; got != want {
		t.Errorf("row 2 = %q; want %q", got, want)
	}

	buf.Reset()
	half := withSubject(fixture("cpu", spec.Threads, 2, 1, gradient(2)), profile.AttributionExact, func(s, c int) float64 { return 0.5 })
	if err := CSV(&buf, []*profile.Profile{half}); err != nil {
		t.Fatalf("CSV() error = %v", err)
	}
	// Core 1 is busy all the time, half of it the subject's.
	if got, want := strings.Split(buf.String(), "\n")[2], "cpu,0.100,local,1,1.0000,0.5000"; got != want {
		t.Errorf("a run with its subject measured: row 2 = %q; want %q", got, want)
	}
}

// trace is the parsed form of a Chrome trace, every field kept.
type trace struct {
	TraceEvents []map[string]any `json:"traceEvents"`
}

func parseTrace(t *testing.T, ps []*profile.Profile) trace {
	t.Helper()
	var buf bytes.Buffer
	if err := Trace(&buf, ps); err != nil {
		t.Fatalf("Trace() error = %v", err)
	}
	var tr trace
	if err := json.Unmarshal(buf.Bytes(), &tr); err != nil {
		t.Fatalf("Trace() wrote invalid JSON: %v", err)
	}
	return tr
}

func TestTrace(t *testing.T) {
	ps := []*profile.Profile{
		fixture("cpu/threads", spec.Threads, 2, 20, wave),
		fixture("cpu/async", spec.Async, 4, 10, wave),
	}
	tr := parseTrace(t, ps)
	counters := map[float64]int{}
	processes := map[float64]string{}
	tasks := map[float64]map[string]int{} // pid -> task name -> spans
	for i, ev := range tr.TraceEvents {
		for _, field := range []string{"ph", "ts", "pid", "tid", "name"} {
			if _, ok := ev[field]; !ok {
				t.Fatalf("event %d = %v; want field %q", i, ev, field)
			}
		}
		pid, name := ev["pid"].(float64), ev["name"].(string)
		switch ev["ph"] {
		case "C":
			counters[pid]++
		case "M":
			if name == "process_name" {
				processes[pid] = ev["args"].(map[string]any)["name"].(string)
			}
		case "X":
			dur, ok := ev["dur"].(float64)
			if !ok || dur < 0 {
				t.Fatalf("complete event %v has dur %v; want a duration >= 0", ev, ev["dur"])
			}
			if strings.HasPrefix(name, "task ") {
				if tasks[pid] == nil {
					tasks[pid] = map[string]int{}
				}
				tasks[pid][name]++
			}
		default:
			t.Fatalf("event %v has phase %v; want C, M or X", ev, ev["ph"])
		}
	}
	for i, p := range ps {
		pid := float64(i + 1)
		if processes[pid] != p.Label {
			t.Errorf("process %v name = %q; want %q", pid, processes[pid], p.Label)
		}
		cores := len(p.Frames[0].Busy)
		if got, want := counters[pid], len(p.Frames)*(cores+1); got != want {
			t.Errorf("run %d counter events = %d; want %d (per sample: each core and the total)", i, got, want)
		}
		// Every task started in the fixture (0..4, 4 never ends) is one span.
		for task := range 5 {
			if n := tasks[pid][fmt.Sprintf("task %d", task)]; n != 1 {
				t.Errorf("run %d task %d spans = %d; want 1", i, task, n)
			}
		}
	}
	noOverlaps(t, tr)
}

// noOverlaps checks that complete events on one track do not overlap, or
// viewers misdraw them.
func noOverlaps(t *testing.T, tr trace) {
	t.Helper()
	type track struct{ pid, tid float64 }
	spans := map[track][][2]float64{}
	for _, ev := range tr.TraceEvents {
		if ev["ph"] == "X" {
			tk, ts := track{ev["pid"].(float64), ev["tid"].(float64)}, ev["ts"].(float64)
			spans[tk] = append(spans[tk], [2]float64{ts, ts + ev["dur"].(float64)})
		}
	}
	for tk, ss := range spans {
		slices.SortFunc(ss, func(a, b [2]float64) int { return cmp.Compare(a[0], b[0]) })
		for k := 1; k < len(ss); k++ {
			if ss[k][0] < ss[k-1][1] {
				t.Errorf("track %v: spans %v and %v overlap; want them on separate tracks", tk, ss[k-1], ss[k])
			}
		}
	}
}

func TestTraceSlices(t *testing.T) {
	exact := withSlices(withSubject(fixture("exact", spec.Threads, 4, 20, wave), profile.AttributionExact, wave), 6, 300)
	exact.Threads = exact.Threads[1:] // a thread the profile does not name
	exact.SlicesDropped = 7
	ps := []*profile.Profile{fixture("plain", spec.Async, 2, 10, wave), exact}
	tr := parseTrace(t, ps)
	type event struct {
		pid, tid float64
		name     string
		ts, dur  float64
		args     string
	}
	got := map[event]int{}
	processes, threads := map[float64]string{}, map[[2]float64]string{}
	round := func(us float64) float64 { return math.Round(us*1e3) / 1e3 }
	for _, ev := range tr.TraceEvents {
		pid, tid, name := ev["pid"].(float64), ev["tid"].(float64), ev["name"].(string)
		switch ev["ph"] {
		case "M":
			switch name {
			case "process_name":
				processes[pid] = ev["args"].(map[string]any)["name"].(string)
			case "thread_name":
				threads[[2]float64{pid, tid}] = ev["args"].(map[string]any)["name"].(string)
			}
		case "X":
			args, _ := json.Marshal(ev["args"])
			got[event{pid, tid, name, round(ev["ts"].(float64)), round(ev["dur"].(float64)), string(args)}]++
		}
	}
	const runPID, cpusPID = 2, 4 // the second run, and its CPUs after both runs
	if want := "exact CPUs (the 7 earliest slices dropped)"; processes[cpusPID] != want {
		t.Errorf("processes = %v; want %q at pid %d", processes, want, cpusPID)
	}
	if len(processes) != 3 {
		t.Errorf("processes = %v; want the two runs and the second's CPUs", processes)
	}
	for c := range 4 {
		if got, want := threads[[2]float64{cpusPID, float64(c)}], fmt.Sprintf("CPU %d", c); got != want {
			t.Errorf("track %d of the CPUs = %q; want %q", c, got, want)
		}
	}
	for _, s := range exact.Slices {
		ts, dur := round(s.Start*1e6), round((s.End-s.Start)*1e6)
		name := fmt.Sprintf("worker-%d %d", s.TID-101, s.TID)
		if s.TID == 101 {
			name = "thread 101"
		}
		onCPU := event{cpusPID, float64(s.CPU), name, ts, dur, fmt.Sprintf(`{"pid":%d,"tid":%d}`, s.PID, s.TID)}
		if got[onCPU] != 1 {
			t.Fatalf("slice %+v on its CPU's track: %d events %+v; want 1", s, got[onCPU], onCPU)
		}
		onThread := event{runPID, float64(s.TID), fmt.Sprintf("CPU %d", s.CPU), ts, dur, fmt.Sprintf(`{"cpu":%d}`, s.CPU)}
		if got[onThread] != 1 {
			t.Fatalf("slice %+v on its thread's track: %d events %+v; want 1", s, got[onThread], onThread)
		}
	}
	// Thread 101 runs tasks and slices: its tasks move to a track of their own.
	if got, want := threads[[2]float64{runPID, float64(laneTID(101, 1))}], "thread 101 tasks"; got != want {
		t.Errorf("task track of thread 101 = %q; want %q", got, want)
	}
	noOverlaps(t, tr)
}

func TestTraceUnfinishedTask(t *testing.T) {
	p := fixture("run", spec.Threads, 2, 10, wave)
	tr := parseTrace(t, []*profile.Profile{p})
	for _, ev := range tr.TraceEvents {
		if ev["name"] != "task 4" {
			continue
		}
		end := (ev["ts"].(float64) + ev["dur"].(float64)) / 1e6
		if want := p.Frames[len(p.Frames)-1].T; end < want-1e-9 || end > want+1e-9 {
			t.Errorf("unfinished task ends at %v s; want the end of the run, %v s", end, want)
		}
		if ev["args"].(map[string]any)["unfinished"] != true {
			t.Errorf("unfinished task args = %v; want unfinished: true", ev["args"])
		}
		return
	}
	t.Error("trace has no span for the unfinished task 4")
}

func TestTraceWorkerTracks(t *testing.T) {
	p := fixture("run", spec.Threads, 2, 10, wave)
	p.Threads = nil
	for i := range p.Events {
		p.Events[i].TID = 0 // a subject that reports workers, not threads
	}
	tr := parseTrace(t, []*profile.Profile{p})
	names := map[string]bool{}
	for _, ev := range tr.TraceEvents {
		if ev["name"] == "thread_name" {
			names[ev["args"].(map[string]any)["name"].(string)] = true
		}
	}
	for _, want := range []string{"worker 1", "worker 2", "worker 2 (overlap 1)"} {
		if !names[want] {
			t.Errorf("thread names = %v; want %q", names, want)
		}
	}
}

func TestWriteCSVAndTrace(t *testing.T) {
	ps := []*profile.Profile{fixture("a", spec.Threads, 2, 5, wave)}
	dir := t.TempDir()
	for _, w := range []struct {
		name  string
		write func(string, []*profile.Profile) error
		valid func(b []byte) bool
	}{
		{"out.csv", WriteCSV, func(b []byte) bool { return strings.HasPrefix(string(b), "run,t_s,node,core,busy,subject_busy\n") }},
		{"out.json", WriteTrace, func(b []byte) bool {
			var tr trace
			return json.Unmarshal(b, &tr) == nil && len(tr.TraceEvents) > 0
		}},
	} {
		path := filepath.Join(dir, w.name)
		if err := w.write(path, ps); err != nil {
			t.Fatalf("writing %s: %v", w.name, err)
		}
		if b, _ := os.ReadFile(path); !w.valid(b) {
			t.Errorf("%s holds %.60q...; want a valid file", w.name, b)
		}
	}
}

func TestOutputsOfOddRuns(t *testing.T) {
	empty := fixture("empty", spec.Async, 2, 0, wave)
	empty.Events = nil
	broken := failed(fixture("broken", spec.Threads, 2, 0, wave))
	ps := []*profile.Profile{empty, broken}
	tr := parseTrace(t, ps)
	names := 0
	for _, ev := range tr.TraceEvents {
		if ev["name"] == "process_name" {
			names++
		}
	}
	if names != 2 {
		t.Errorf("trace of two runs without samples names %d processes; want 2", names)
	}
	var buf bytes.Buffer
	if err := CSV(&buf, ps); err != nil {
		t.Fatalf("CSV() of runs without samples error = %v", err)
	}
	if got, want := buf.String(), "run,t_s,node,core,busy,subject_busy\n"; got != want {
		t.Errorf("CSV() of runs without samples = %q; want only the header %q", got, want)
	}
}

func TestMissingRun(t *testing.T) {
	ps := []*profile.Profile{fixture("a", spec.Threads, 2, 3, wave), nil}
	if err := CSV(io.Discard, ps); err == nil {
		t.Error("CSV() with a nil run error = nil; want an error")
	}
	if err := Trace(io.Discard, ps); err == nil {
		t.Error("Trace() with a nil run error = nil; want an error")
	}
	if _, err := PNG(ps, Options{}); err == nil {
		t.Error("PNG() with a nil run error = nil; want an error")
	}
}

func TestNaNSamples(t *testing.T) {
	p := fixture("nan", spec.Threads, 2, 10, func(s, c int) float64 {
		if s == 3 {
			return math.NaN()
		}
		return math.Inf(1)
	})
	p.Summary.WallS = math.NaN()
	nan := math.NaN()
	p.Summary.Speedup = &nan
	ps := []*profile.Profile{p}
	parseTrace(t, ps) // fails the test unless the JSON is valid
	if _, err := PNG(ps, Options{}); err != nil {
		t.Errorf("PNG() with NaN samples error = %v; want none", err)
	}
}

func BenchmarkTrace(b *testing.B) {
	var ps []*profile.Profile
	for _, m := range spec.Models {
		ps = append(ps, fixture(string(m), m, 256, 600, wave))
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := Trace(io.Discard, ps); err != nil {
			b.Fatal(err)
		}
	}
}

func TestTraceCounters(t *testing.T) {
	tr := parseTrace(t, []*profile.Profile{fixture("run", spec.Threads, 2, 3, gradient(2))})
	type key struct {
		name string
		ts   float64
	}
	got := map[key]map[string]any{}
	for _, ev := range tr.TraceEvents {
		if ev["ph"] == "C" {
			got[key{ev["name"].(string), ev["ts"].(float64)}] = ev["args"].(map[string]any)
		}
	}
	// Sample 2 is at 0.3 s; core 0 is idle, core 1 busy.
	for _, want := range []struct {
		name, arg string
		v         float64
	}{
		{"cpu0 busy %", "busy", 0},
		{"cpu1 busy %", "busy", 100},
		{"busy cores", "cores", 1},
	} {
		args := got[key{want.name, 300000}]
		if v, ok := args[want.arg].(float64); !ok || math.Abs(v-want.v) > 1e-9 {
			t.Errorf("counter %q at 0.3 s args = %v; want %s = %v", want.name, args, want.arg, want.v)
		}
	}
}

func BenchmarkTraceSlices(b *testing.B) {
	ps := []*profile.Profile{withSlices(fixture("threads", spec.Threads, 64, 600, wave), 48, 50000)}
	b.ReportAllocs()
	for b.Loop() {
		if err := Trace(io.Discard, ps); err != nil {
			b.Fatal(err)
		}
	}
}
