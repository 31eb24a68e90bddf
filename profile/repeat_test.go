package profile

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// TestRepeatsRoundTrip checks that a repeat keeps its number, its warm-up
// mark and its group's speedup ranges in a file, and that a file without
// them (before repeats) reads as runs alone.
func TestRepeatsRoundTrip(t *testing.T) {
	x, work := 1.9, 2.1
	p := fixture()
	p.Repeat, p.Warmup = 2, true
	p.Summary.SpeedupRange, p.Summary.WorkSpeedup, p.Summary.WorkSpeedupRange = &Range{1.8, 2.01}, &work, &Range{2, 2.2}
	p.Summary.Speedup = &x
	var b bytes.Buffer
	if err := Encode(&b, []*Profile{p}); err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{`"repeat":2`, `"warmup":true`, `"speedup_range":[1.8,2.01]`, `"work_speedup":2.1`, `"work_speedup_range":[2,2.2]`} {
		if !strings.Contains(b.String(), field) {
			t.Errorf("the file lacks %s", field)
		}
	}
	got, err := Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got[0], p) {
		t.Errorf("read back %+v; want %+v", got[0], p)
	}
	old, err := Decode(strings.NewReader(cmd(`"summary": {"speedup": 1.5}`)))
	if err != nil || old[0].Repeat != 0 || old[0].Warmup || old[0].Summary.SpeedupRange != nil {
		t.Errorf("a file before repeats = %+v, %v; want repeat 0, no range", old, err)
	}
}

func TestDecodeRefusesRepeats(t *testing.T) {
	for _, tt := range []struct{ name, doc, want string }{
		{"negative repeat", cmd(`"repeat": -1`), "repeat: -1 is not allowed; use 1..100, the repeat's number, or leave it out"},
		{"a repeat past the most", cmd(`"repeat": 101`), "repeat: 101 is not allowed"},
		{"a warm-up past the most", cmd(`"repeat": 11, "warmup": true`), "repeat: 11 is not allowed; use 1..10, the warm-up's number"},
		{"a warm-up without its number", cmd(`"warmup": true`), "repeat: none is not allowed; a warm-up run has its number"},
		{"a range upside down", cmd(`"summary": {"speedup_range": [2, 1]}`), "summary.speedup_range: [2 1] is not allowed; use [low, high]"},
		{"a range of one number", cmd(`"summary": {"work_speedup_range": [2]}`), "summary.work_speedup_range: [2 0] is not allowed"},
		{"a zero work speedup", cmd(`"summary": {"work_speedup": 0}`), "summary.work_speedup: 0 is not allowed"},
	} {
		if _, err := Decode(strings.NewReader(tt.doc)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Decode = %v; want an error containing %q", tt.name, err, tt.want)
		}
	}
}

// TestProcesses checks a run's processes as its evidence shows them: from
// the switch timeline when there is one, else from the thread samples.
func TestProcesses(t *testing.T) {
	p := fixture()
	p.Slices = []Slice{{PID: 10, TID: 11, Start: 0.1, End: 0.3}, {PID: 10, TID: 12, Start: 0.2, End: 0.5}, {PID: 20, TID: 20, Start: 0.15, End: 0.16}}
	p.Threads = append(p.Threads, Thread{PID: 20, TID: 20, Name: "bash", Process: "bash"}, Thread{PID: 30, TID: 30, Name: "gone"})
	got := p.Processes()
	want := []ProcessLife{
		{PID: 10, Name: "corescope", Threads: 2, OnS: 0.5, FirstS: 0.1, LastS: 0.5, Timed: true},
		{PID: 20, Name: "bash", Threads: 1, OnS: 0.01, FirstS: 0.15, LastS: 0.16, Timed: true},
		{PID: 30, Name: "gone", Threads: 1},
	}
	if !near(got, want) {
		t.Errorf("Processes from slices = %+v; want %+v", got, want)
	}
	p.Slices = nil // the fixture's one sample: 0.1 s of thread 11 in the interval ending at 0.1 s
	if got := p.Processes(); got[0].OnS != 0.1 || got[0].FirstS != 0 || got[0].LastS != 0.1 || !got[0].Timed || got[1].Timed {
		t.Errorf("Processes from samples = %+v; want process 10 seen from 0 s to 0.1 s, 0.1 s on a core", got)
	}
}

// near compares process lives to the nanosecond.
func near(a, b []ProcessLife) bool {
	if len(a) != len(b) {
		return false
	}
	for i, x := range a {
		x.OnS, x.FirstS, x.LastS = Round(x.OnS, 1e9), Round(x.FirstS, 1e9), Round(x.LastS, 1e9)
		if x != b[i] {
			return false
		}
	}
	return true
}
