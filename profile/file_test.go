package profile

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"corescope/levels"
	"corescope/spec"
)

// fixture is a small, complete profile built by hand.
func fixture() *Profile {
	speedup, half := 1.5, 0.5
	return &Profile{
		Label: "threads",
		Spec: spec.Spec{Backend: spec.BackendGo, Workload: spec.CPU, Model: spec.Threads, Tasks: 4, Workers: 2, Size: 1, Interval: spec.Duration(100 * time.Millisecond), Latency: spec.Duration(50 * time.Millisecond), SwitchInterval: spec.Duration(5 * time.Millisecond),
			Scale: spec.Scale{Sweep: "2026-11-29T12:00:00Z", Workers: 2}, Env: []string{"CORESCOPE_WORKERS=2"}},
		Started: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC),
		Machine: Machine{CPUModel: "Test CPU", LogicalCores: 2, PhysicalCores: 1, OS: "linux", GoVersion: "go1.26"},
		Summary: Summary{WallS: 1, CPUS: 1, CoresUsed: 1, Speedup: &speedup, Verdict: "ok", SubjectStartS: 0.1, SubjectEndS: 1.1,
			AllowedCores: 1, CPUQuotaCores: &half, CPUQuotaGroup: "/ci", QuotaPeriods: 9, ThrottledPeriods: 7, ThrottledS: 0.3,
			Phases:  []Phase{{StartS: 0.1, EndS: 1.1, CoresUsed: 0.5, BusyThreads: 2, OnCoreS: 0.5, RunnableS: 0.4, BlockedS: 0.1, BlockedBy: map[string]float64{"lock": 0.1}}},
			Reasons: []Reason{{Name: ReasonQuota, Phase: 0, Figures: map[string]float64{"throttled_periods": 7}, Evidence: "cgroup"}},
			Scaling: &Scaling{Point: ScalePoint{Workers: 2, Runs: 1, WallS: 1, Speedup: 1.5, Efficiency: 0.75, InFit: true, Bend: BendGIL},
				Fit: &ScaleFit{Cores: 2, Points: 2, SerialFraction: 0.33, Sigma: 0.33, Kappa: &half, Band: "residuals",
					Projection: []Projected{{Cores: 4, Speedup: 2, Low: 1.9, High: 2.1}}}}},
		Frames: []Frame{
			{T: 0.1, Busy: row(0.5, 1), SubjectBusy: row(0.1, 0.9), Threads: 3, Procs: 1, AllowedCores: 1, QuotaPeriods: 9, ThrottledPeriods: 7, ThrottledS: 0.3,
				ThreadSamples: []ThreadSample{{PID: 10, TID: 11, CPU: 0.1, Core: 1, RunQS: 0.02, State: StateBlocked, Wait: "futex", Lock: "0x7f00"}}},
			{T: 0.2, Busy: row(0, 0.25)},
		},
		Slices:  []Slice{{PID: 10, TID: 11, CPU: 1, Start: 0.1, End: 0.15, Ended: SlicePreempted}},
		Events:  []spec.Event{{Ev: spec.EvTaskStart, Task: 1, Worker: 0, PID: 10, TID: 11, TNs: 5}},
		Threads: []Thread{{PID: 10, TID: 11, Name: "worker", Process: "corescope"}},
	}
}

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.json")
	want := []*Profile{fixture(), fixture()}
	want[1].Summary.Speedup = nil
	if err := Save(path, want); err != nil {
		t.Fatalf("Save = %v", err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatalf("Load = %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Load(Save(p)) differs:\n got %+v\nwant %+v", got[0], want[0])
	}
	data, _ := os.ReadFile(path)
	if lines := bytes.Count(data, []byte("\n")); lines != 3+len(want) {
		t.Errorf("file has %d lines; want 2 of header, one a profile and the end", lines)
	}
	for _, key := range []string{`"format": "corescope/v2"`, `"busy":"f/4="`, `"speedup":null`, `"wall_s"`, `"machine_busy_cores"`, `"latency":"50ms"`, `"serial_fraction":0.33`} {
		if !bytes.Contains(data, []byte(key)) {
			t.Errorf("file lacks %s", key)
		}
	}
}

func TestDecodeRefuses(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"broken", `{"format": "corescope/v2", "profiles": [`, "broken JSON"},
		{"not json", "hello", "not a corescope profile"},
		{"no format", `{"profiles": []}`, `no "format" field`},
		{"not an object", `[{"format": "corescope/v2"}]`, `not a corescope profile: found [ where "{" belongs`},
		{"data after the end", `{"format": "corescope/v2", "profiles": []} {}`, "more data after the document's end"},
		{"garbage after the end", `{"format": "corescope/v2", "profiles": []} x`, "broken JSON at byte"},
		{"broken inside a profile", `{"format": "corescope/v2", "profiles": [{"label": "a", "frames": [}]}`, "broken JSON at byte"},
		{"other version", `{"format": "corescope/v9", "profiles": []}`, `unsupported profile format "corescope/v9": this corescope reads "corescope/v2" and "corescope/v1"`},
		{"ragged frames", doc(`"frames": [{"t_s": 0.1, "busy": "/g=="}, {"t_s": 0.2, "busy": "/gA="}]`), "frame 2 has 2 cores"},
		{"ragged frames v1", docV1(`"frames": [
			{"t_s": 0.1, "busy": [1], "user": [1], "system": [0]},
			{"t_s": 0.2, "busy": [1, 0], "user": [1, 0], "system": [0, 0]}]`), "frame 2 has 2 cores"},
		{"busy not levels", doc(`"frames": [{"t_s": 0.1, "busy": [0.5, 1]}]`),
			"profile 1: frames.busy: number 0.5 is not allowed; in corescope/v2, per-core loads are a base64 string, one byte a core (0..254, 255 = no sample)"},
		{"tasks not a number", doc(`"spec": {"tasks": "five"}`), "profile 1: spec.tasks: string is not allowed; use a JSON whole number"},
		{"bad duration", doc(`"spec": {"latency": 5}`), "duration"},
		{"negative tasks", doc(`"spec": {"backend": "go", "workload": "cpu", "model": "threads", "tasks": -5}`),
			"spec: tasks: -5 is not allowed; use 1..100000"},
		{"a billion workers", doc(`"spec": {"backend": "go", "workload": "cpu", "model": "threads", "workers": 1000000000}`),
			"spec: workers: 1000000000 is not allowed; use 1..1024"},
		{"unknown model", doc(`"spec": {"backend": "go", "workload": "cpu", "model": "fibers"}`), `spec: model: "fibers" is not allowed`},
		{"negative wall", doc(`"spec": {"backend": "command", "command": ["true"]}, "summary": {"wall_s": -1}`),
			"summary: wall_s: -1 is not allowed; use a number of 0 or more"},
		{"zero speedup", doc(`"spec": {"backend": "command", "command": ["true"]}, "summary": {"speedup": 0}`), "speedup: 0 is not allowed"},
		{"busy over 1", docV1(`"spec": {"backend": "command", "command": ["true"]}, "frames": [{"t_s": 0.1, "busy": [0.5, 2], "user": [0.5, 1], "system": [0, 1]}]`),
			"frame 1: busy[1]: 2 is not allowed; use 0..1"},
		{"subject busy ragged", doc(`"spec": {"backend": "command", "command": ["true"]}, "frames": [{"t_s": 0.1, "busy": "f/4=", "subject_busy": "fw=="}]`),
			"frame 1: busy and subject_busy differ in length"},
		{"subject busy over 1", docV1(`"spec": {"backend": "command", "command": ["true"]}, "frames": [{"t_s": 0.1, "busy": [1], "user": [1], "system": [0], "subject_busy": [1.5]}]`),
			"frame 1: subject_busy[0]: 1.5 is not allowed; use 0..1"},
		{"slice ends before it starts", doc(`"spec": {"backend": "command", "command": ["true"]}, "slices": [{"pid": 1, "tid": 1, "cpu": 0, "start_s": 2, "end_s": 1}]`),
			"slices[0]: from 2 s to 1 s is not allowed; a slice ends after it starts"},
		{"negative time", doc(`"spec": {"backend": "command", "command": ["true"]}, "frames": [{"t_s": -0.1, "busy": "AA=="}]`),
			"frame 1: t_s: -0.1 is not allowed"},
		{"thread sample on a core the frame lacks", cmd(`"frames": [{"t_s": 0.1, "busy": "f/4=", "thread_samples": [{"pid": 1, "tid": 1, "cpu_s": 0.1, "core": 2}]}]`),
			"frame 1: thread_samples[0].core: 2 is not allowed; use -1 (not known) or 0..1, the run's cores"},
		{"thread sample on core -2", cmd(`"frames": [{"t_s": 0.1, "busy": "f/4=", "thread_samples": [{"pid": 1, "tid": 1, "cpu_s": 0.1, "core": -2}]}]`),
			"frame 1: thread_samples[0].core: -2 is not allowed"},
		{"thread sample of a negative tid", cmd(`"frames": [{"t_s": 0.1, "busy": "f/4=", "thread_samples": [{"pid": 1, "tid": -1, "core": 0}]}]`),
			"frame 1: thread_samples[0].tid: -1 is not allowed; use a thread id, 0 or more"},
		{"thread sample of negative CPU", cmd(`"frames": [{"t_s": 0.1, "busy": "f/4=", "thread_samples": [{"pid": 1, "tid": 1, "cpu_s": -1, "core": 0}]}]`),
			"frame 1: thread_samples[0].cpu_s: -1 is not allowed"},
		{"slice on a core the frames lack", cmd(`"frames": [{"t_s": 0.1, "busy": "f/4="}], "slices": [{"pid": 1, "tid": 1, "cpu": 2, "start_s": 0, "end_s": 1}]`),
			"slices[0].cpu: 2 is not allowed; use 0..1, the run's cores"},
		{"slice on core 1<<31 without frames", cmd(`"machine": {"logical_cores": 4}, "slices": [{"pid": 1, "tid": 1, "cpu": 2147483648, "start_s": 0, "end_s": 1}]`),
			"slices[0].cpu: 2147483648 is not allowed; use 0..3, the run's cores"},
		{"slice of a negative pid", cmd(`"slices": [{"pid": -5, "tid": 1, "cpu": 0, "start_s": 0, "end_s": 1}], "machine": {"logical_cores": 1}`),
			"slices[0].pid: -5 is not allowed; use a process id, 0 or more"},
		{"thread of a negative tid", cmd(`"threads": [{"pid": 1, "tid": -3, "name": "x"}]`),
			"threads[0].tid: -3 is not allowed"},
		{"thread of negative switches", cmd(`"threads": [{"pid": 1, "tid": 1, "switches": -1}]`),
			"threads[0].switches: -1 is not allowed; use 0 or more"},
		{"slice ended some other way", cmd(`"frames": [{"t_s": 0.1, "busy": "f/4="}], "slices": [{"pid": 1, "tid": 1, "cpu": 0, "start_s": 0, "end_s": 1, "end": "q"}]`),
			`slices[0].end: "q" is not allowed; use "p", "b", "x" or leave it out`},
		{"thread sample in a state of its own", cmd(`"frames": [{"t_s": 0.1, "busy": "f/4=", "thread_samples": [{"pid": 1, "tid": 1, "core": 0, "state": "Z"}]}]`),
			`frame 1: thread_samples[0].state: "Z" is not allowed; use "R", "S" or leave it out`},
		{"thread sample of negative run-queue time", cmd(`"frames": [{"t_s": 0.1, "busy": "f/4=", "thread_samples": [{"pid": 1, "tid": 1, "core": 0, "runq_s": -0.5}]}]`),
			"frame 1: thread_samples[0].runq_s: -0.5 is not allowed"},
		{"a wait of a page", cmd(`"frames": [{"t_s": 0.1, "busy": "f/4=", "thread_samples": [{"pid": 1, "tid": 1, "core": 0, "wait": "` + strings.Repeat("w", 65) + `"}]}]`),
			"frame 1: thread_samples[0].wait: 65 bytes is not allowed; use at most 64 bytes"},
		{"a frame of negative throttling", cmd(`"frames": [{"t_s": 0.1, "busy": "f/4=", "throttled_periods": -2}]`),
			"frame 1: throttled_periods: -2 is not allowed; use 0..2147483647"},
		{"a quota of no cores", cmd(`"summary": {"cpu_quota_cores": 0}`),
			"summary: cpu_quota_cores: 0 is not allowed; use a number of cores above 0"},
		{"a phase that ends before it starts", cmd(`"summary": {"phases": [{"start_s": 3, "end_s": 1}]}`),
			"summary: phases[0]: from 3 s to 1 s is not allowed"},
		{"a reason of a phase the run lacks", cmd(`"summary": {"phases": [{"start_s": 0, "end_s": 1}], "reasons": [{"name": "gil", "phase": 1}]}`),
			"summary: reasons[0].phase: 1 is not allowed; use -1 (the whole run) or a phase, 0..0"},
		{"a reason without a name", cmd(`"summary": {"reasons": [{"phase": -1}]}`),
			`summary: reasons[0].name: "" is not allowed`},
		{"a billion logical cores", cmd(`"machine": {"logical_cores": 1000000000}`),
			"machine: logical_cores: 1000000000 is not allowed; use 0..65536"},
		{"a node of a billion cores", doc(`"spec": {"interval": "1s"}, "nodes": [{"name": "a:9100", "cores": 1000000000, "first": 0}]`),
			"nodes[0].cores: 1000000000 is not allowed; use 0..65536"},
		{"a frame of more cores than a machine has", cmd(`"frames": [{"t_s": 0.1, "busy": "` + strings.Repeat("AAAA", 21846) + `"}]`),
			"frame 1 has 65538 cores; one machine has at most 65536"},
		{"negative slices dropped", cmd(`"slices_dropped": -1`), "slices_dropped: -1 is not allowed; use 0 or more"},
		{"a sweep's run of no sweep", cmd(`"spec": {"backend": "command", "command": ["true"], "scale": {"workers": 4}}`),
			`spec: scale.sweep: "" is not allowed; name the sweep`},
		{"a point of negative speedup", cmd(`"summary": {"scaling": {"point": {"workers": 2, "speedup": -1}}}`),
			"summary: scaling.point.speedup: -1 is not allowed"},
		{"a point of 2000 workers", cmd(`"summary": {"scaling": {"point": {"workers": 2000}}}`),
			"summary: scaling.point.workers: 2000 is not allowed; use 0..1024"},
		{"a fit's negative serial fraction", cmd(`"summary": {"scaling": {"point": {"workers": 1}, "fit": {"serial_fraction": -0.1}}}`),
			"summary: scaling.fit.serial_fraction: -0.1 is not allowed"},
		{"a fit's band of guesses", cmd(`"summary": {"scaling": {"point": {"workers": 1}, "fit": {"band": "guess"}}}`),
			`summary: scaling.fit.band: "guess" is not allowed; use "repeats", "residuals" or leave it out`},
		{"a projection of negative speedup", cmd(`"summary": {"scaling": {"point": {"workers": 1}, "fit": {"projection": [{"cores": 8, "speedup": 3, "low": -1, "high": 4}]}}}`),
			"summary: scaling.fit.projection[0].low: -1 is not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Decode(%s) = %v; want an error containing %q", tt.name, err, tt.want)
			}
		})
	}
}

// doc is a file with one profile whose fields are fields.
func doc(fields string) string {
	return `{"format": "corescope/v2", "profiles": [{"label": "edited", ` + fields + `}]}`
}

// cmd is a file with one profile of a command, whose fields are fields.
func cmd(fields string) string {
	return doc(`"spec": {"backend": "command", "command": ["true"]}, ` + fields)
}

// docV1 is the same in the format before.
func docV1(fields string) string {
	return `{"format": "corescope/v1", "profiles": [{"label": "edited", ` + fields + `}]}`
}

// row is the levels of fractions v.
func row(v ...float64) levels.Row { return levels.Quantise(nil, v) }

// TestReadsV1 reads a corescope/v1 file written by the corescope before
// compact frames: every figure comes through, per-core fractions within
// the quantisation bound, and saving it again writes the current format.
func TestReadsV1(t *testing.T) {
	ps, err := Load(filepath.Join("testdata", "v1.corescope.json"))
	if err != nil {
		t.Fatalf("Load(v1 file) = %v", err)
	}
	if len(ps) != 2 || ps[0].Label != "threads" || ps[1].Label != "sleep" {
		t.Fatalf("read %d profiles; want threads and sleep", len(ps))
	}
	threads := ps[0]
	wantBusy := [][]float64{{0.02, 0.0301}, {0.9876, 0.1}, {1, 0.2}}
	wantSubject := [][]float64{{0, 0}, {0.95, 0.0004}, {0.95, 0}}
	for i, f := range threads.Frames {
		for c := range 2 {
			if got := f.Busy.At(c); math.Abs(got-wantBusy[i][c]) > levels.MaxError {
				t.Errorf("frame %d busy[%d] = %v; want %v within %v", i+1, c, got, wantBusy[i][c], levels.MaxError)
			}
			if got := f.SubjectBusy.At(c); math.Abs(got-wantSubject[i][c]) > levels.MaxError {
				t.Errorf("frame %d subject_busy[%d] = %v; want %v within %v", i+1, c, got, wantSubject[i][c], levels.MaxError)
			}
		}
	}
	if f := threads.Frames[2]; f.TasksDone != 4 || f.RSS != 8000000 || len(f.ThreadSamples) != 1 || f.ThreadSamples[0].CPU != 0.095 {
		t.Errorf("last frame = %+v; want 4 tasks done, 8 MB, one thread sample of 0.095 s", f)
	}
	if s := threads.Summary; s.Verdict != "threads kept 0.95 of 2 cores busy" || s.CtxSwitches != 40 || s.Attribution != AttributionApproximate {
		t.Errorf("summary = %+v; want the file's", s)
	}
	if sleep := ps[1]; len(sleep.Frames) != 2 || len(sleep.Frames[0].SubjectBusy) != 0 || sleep.Frames[1].Busy.At(0) != 0.5 {
		t.Errorf("the run without subject_busy = %+v; want 2 frames, no subject row, busy 0.5 on core 0", sleep.Frames)
	}

	var buf bytes.Buffer
	if err := Encode(&buf, ps); err != nil {
		t.Fatalf("Encode = %v", err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte(`{"format": "corescope/v2"`)) {
		t.Errorf("saved again as %.40q; want corescope/v2", buf.String())
	}
	again, err := Decode(&buf)
	if err != nil {
		t.Fatalf("Decode(Encode(v1 profiles)) = %v", err)
	}
	if !reflect.DeepEqual(again, ps) {
		t.Errorf("v1 profiles saved as v2 and read back differ:\n got %+v\nwant %+v", again[0], ps[0])
	}
}

// TestDecodeFormatLast reads a file whose "format" follows its profiles,
// as a tool that sorts keys would write it.
func TestDecodeFormatLast(t *testing.T) {
	var buf bytes.Buffer
	if err := Encode(&buf, []*Profile{fixture()}); err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	sorted, _ := json.Marshal(doc) // encoding/json sorts map keys: "format" < "profiles"
	reordered := `{"profiles": ` + string(doc["profiles"]) + `, "format": ` + string(doc["format"]) + `}`
	for name, text := range map[string]string{"sorted": string(sorted), "format last": reordered} {
		ps, err := Decode(strings.NewReader(text))
		if err != nil || len(ps) != 1 || !reflect.DeepEqual(ps[0], fixture()) {
			t.Errorf("Decode(%s) = %d profiles, %v; want the fixture", name, len(ps), err)
		}
	}
}

func TestLoadMissingFileNamesIt(t *testing.T) {
	_, err := Load("/nonexistent/p.json")
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/p.json") {
		t.Errorf("Load = %v; want an error naming the path", err)
	}
}

// TestFilesWrittenBeforeTheSplit reads the files a corescope of before
// profile/ was split (main at 52b5b8e: compare, record, a failed and a
// stopped run, a watch, a record beside a node) wrote, and writes them
// again byte for byte: the format did not change, and every stored figure
// and verdict is kept as the file says.
func TestFilesWrittenBeforeTheSplit(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "main-52b5b8e", "*.corescope.json"))
	if len(files) != 7 {
		t.Fatalf("found %d files written before the split; want 7", len(files))
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		ps, err := Decode(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		for _, p := range ps {
			if p.Summary.Verdict == "" {
				t.Errorf("%s: %s has no verdict after loading", path, p.Label)
			}
		}
		var again bytes.Buffer
		if err := Encode(&again, ps); err != nil {
			t.Fatalf("%s: Encode = %v", path, err)
		}
		if !bytes.Equal(again.Bytes(), data) {
			t.Errorf("%s: written again, %d bytes differ from the %d read", path, again.Len(), len(data))
		}
	}
}

// TestStartupOnlyWithTasks checks that a subject that reported no tasks
// has no startup_s in its file: 0 there would read as "started at once".
func TestStartupOnlyWithTasks(t *testing.T) {
	b, err := json.Marshal(Summary{WallS: 1})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "startup_s") {
		t.Errorf("summary without tasks = %s; want no startup_s", b)
	}
	if b, _ := json.Marshal(Summary{WallS: 1, TasksEndS: 0.9, StartupS: 0.2}); !strings.Contains(string(b), `"startup_s":0.2`) {
		t.Errorf("summary with tasks = %s; want startup_s 0.2", b)
	}
}
