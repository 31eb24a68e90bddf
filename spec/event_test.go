package spec

import (
	"encoding/json"
	"testing"
)

func TestParseEvent(t *testing.T) {
	tests := []struct {
		line string
		ok   bool
		want Event
	}{
		{`{"ev":"task-start","task":3,"worker":1,"pid":10,"tid":11,"t_ns":5}`, true, Event{Ev: EvTaskStart, Task: 3, Worker: 1, PID: 10, TID: 11, TNs: 5}},
		{`  {"ev":"task-end","task":0,"worker":0,"t_ns":7}` + "\r\n", true, Event{Ev: EvTaskEnd, TNs: 7}},
		{`{"ev":"stats","checksum":"00ff","tasks":2,"gil_switches":4}`, true, Event{Ev: EvStats, Checksum: "00ff", Tasks: 2, GILSwitches: 4}},
		{`{"ev":"hello"}`, false, Event{}},
		{`{"task":3}`, false, Event{}},
		{`{"ev":"task-start",`, false, Event{}},
		{`result 3 ff`, false, Event{}},
		{``, false, Event{}},
	}
	for _, tt := range tests {
		ev, ok := ParseEvent([]byte(tt.line))
		if ok != tt.ok || ev != tt.want {
			t.Errorf("ParseEvent(%q) = %+v, %v; want %+v, %v", tt.line, ev, ok, tt.want, tt.ok)
		}
	}
}

// BenchmarkParseEvent is the profiler's cost per event line: a run of
// 100000 tasks writes 200000 of them.
func BenchmarkParseEvent(b *testing.B) {
	line := []byte(`{"ev":"task-end","task":81234,"worker":1,"pid":41234,"tid":41236,"t_ns":1795954677835997208}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := ParseEvent(line); !ok {
			b.Fatal("not parsed")
		}
	}
}

// FuzzParseEventAgreesWithJSON checks that the fast path of ParseEvent reads
// every line exactly as encoding/json does.
func FuzzParseEventAgreesWithJSON(f *testing.F) {
	for _, seed := range []string{
		`{"ev":"task-end","task":81234,"worker":1,"pid":41234,"tid":41236,"t_ns":1795954677835997208}`,
		`{"ev":"stats","checksum":"85b13d5541eeba99","tasks":8,"gil_hold_ns":12,"gil_wait_ns":-3,"gil_switches":0}`,
		` { "ev" : "task-start" , "task" : 1 } `,
		`{"ev":"task-start","task":1.5}`,
		`{"EV":"task-start","Task":2}`,
		`{"ev":"task-start","task":01}`,
		`{"ev":"task-start","task":99999999999999999999}`,
		`{"ev":"task-\u0073tart","task":1}`,
		`{"ev":"task-start","task":null}`,
		`{"ev":"task-start","task":1,}`,
		`{"ev":"task-start"}{}`,
		`{}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		var fast Event
		if !parseFlat(line, &fast) {
			return // encoding/json reads it
		}
		var slow Event
		if err := json.Unmarshal(line, &slow); err != nil {
			t.Fatalf("parseFlat(%q) accepted a line encoding/json refuses: %v", line, err)
		}
		if fast != slow {
			t.Fatalf("parseFlat(%q) = %+v; encoding/json = %+v", line, fast, slow)
		}
	})
}
