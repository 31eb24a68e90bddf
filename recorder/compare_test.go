package recorder

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"corescope/profile"
	"corescope/spec"
)

// scriptedRecord stands in for Record: run i fails with errs[i] (nil for a
// run that succeeds) after one frame, and cancel, when set, is called in
// run stopAt to play a user pressing Stop.
func scriptedRecord(errs []error, stopAt int, cancel context.CancelFunc) RecordFunc {
	i := -1
	return func(ctx context.Context, s spec.Spec, opt Options) (*profile.Profile, error) {
		i++
		if i == stopAt && cancel != nil {
			cancel()
		}
		if errors.Is(errs[i], errNeverStarted) {
			return nil, errs[i]
		}
		opt.OnFrame(profile.Frame{T: float64(i)})
		p := &profile.Profile{Label: s.Label(), Spec: s, Summary: profile.Summary{WallS: float64(i + 1)}}
		if errs[i] != nil {
			p.Error = errs[i].Error()
		}
		return p, errs[i]
	}
}

var errNeverStarted = errors.New("the subject never started")

func TestCompareHooks(t *testing.T) {
	failed := errors.New("exit 3")
	tests := []struct {
		name     string
		errs     []error
		stopAt   int // the run during which the user stops; -1: never
		wantLog  []string
		wantRuns int
		wantErr  error
	}{
		{"all succeed", []error{nil, nil}, -1,
			[]string{"start 0/2 sequential", "frame 0", "end 0 ok", "start 1/2 threads", "frame 1", "end 1 ok"}, 2, nil},
		{"a failure goes on and is returned", []error{failed, nil}, -1,
			[]string{"start 0/2 sequential", "frame 0", "end 0 exit 3", "start 1/2 threads", "frame 1", "end 1 ok"}, 2, failed},
		{"a run that never started has no profile", []error{errNeverStarted, nil}, -1,
			[]string{"start 0/2 sequential", "end 0 no profile", "start 1/2 threads", "frame 1", "end 1 ok"}, 1, errNeverStarted},
		{"a stop ends the loop", []error{ErrStopped, nil}, 0,
			[]string{"start 0/2 sequential", "frame 0", "end 0 stopped"}, 1, ErrStopped},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var log []string
			specs := []spec.Spec{{Backend: spec.BackendGo, Model: spec.Sequential}, {Backend: spec.BackendGo, Model: spec.Threads}}
			opt := CompareOptions{
				Options: Options{Machine: &profile.Machine{}, OnFrame: func(f profile.Frame) { log = append(log, fmt.Sprintf("frame %g", f.T)) }},
				OnRun:   func(i, n int, run Planned) { log = append(log, fmt.Sprintf("start %d/%d %s", i, n, run.Spec.Model)) },
				OnRunEnd: func(i int, p *profile.Profile, err error) {
					switch {
					case p == nil:
						log = append(log, fmt.Sprintf("end %d no profile", i))
					case errors.Is(err, ErrStopped):
						log = append(log, fmt.Sprintf("end %d stopped", i))
					case err != nil:
						log = append(log, fmt.Sprintf("end %d %v", i, err))
					default:
						log = append(log, fmt.Sprintf("end %d ok", i))
					}
				},
				Record: scriptedRecord(tt.errs, tt.stopAt, cancel),
			}
			ps, err := Compare(ctx, specs, opt)
			if !slices.Equal(log, tt.wantLog) {
				t.Errorf("hooks called %q; want %q", log, tt.wantLog)
			}
			if len(ps) != tt.wantRuns || !errors.Is(err, tt.wantErr) {
				t.Errorf("Compare() = %d profiles, %v; want %d, %v", len(ps), err, tt.wantRuns, tt.wantErr)
			}
		})
	}
}

// TestCompareHandsOverCopies checks that the hook owns the run it is
// handed, apart from the one Compare returns, and that Compare concludes
// neither: its caller sets speedups and verdicts where it shows the runs.
func TestCompareHandsOverCopies(t *testing.T) {
	specs := []spec.Spec{{Backend: spec.BackendGo, Workload: spec.CPU, Model: spec.Sequential, Tasks: 1, Size: 1},
		{Backend: spec.BackendGo, Workload: spec.CPU, Model: spec.Processes, Tasks: 1, Size: 1}}
	var handed []*profile.Profile
	opt := CompareOptions{Options: Options{Machine: &profile.Machine{}, OnFrame: func(profile.Frame) {}}, Record: scriptedRecord([]error{nil, nil}, -1, nil),
		OnRunEnd: func(_ int, p *profile.Profile, _ error) { handed = append(handed, p) }}
	ps, err := Compare(context.Background(), specs, opt)
	if err != nil || len(ps) != 2 {
		t.Fatalf("Compare() = %d profiles, %v; want 2, nil", len(ps), err)
	}
	if handed[0] == ps[0] || handed[1] == ps[1] {
		t.Error("the hook was handed Compare's own profiles; want copies, which the window concludes on its own goroutine")
	}
	for _, p := range append(ps, handed...) {
		if s := p.Summary; s.Speedup != nil || s.Verdict != "" {
			t.Errorf("%s: speedup %v, verdict %q; want neither: Compare concludes nothing", p.Label, s.Speedup, s.Verdict)
		}
	}
}

// TestPlanInterleavesRepeats checks the order of a comparison's runs:
// warm-ups first, then the repeats, each round every spec in turn, and
// that each profile keeps which repeat it is.
func TestPlanInterleavesRepeats(t *testing.T) {
	specs := []spec.Spec{{Backend: spec.BackendGo, Model: spec.Sequential}, {Backend: spec.BackendGo, Model: spec.Threads}}
	var got []string
	for _, r := range Plan(specs, 3, 1) {
		got = append(got, fmt.Sprintf("%s %d/%d %v", r.Spec.Model, r.Repeat, r.Of, r.Warmup))
	}
	want := []string{"sequential 1/1 true", "threads 1/1 true", "sequential 1/3 false", "threads 1/3 false",
		"sequential 2/3 false", "threads 2/3 false", "sequential 3/3 false", "threads 3/3 false"}
	if !slices.Equal(got, want) {
		t.Errorf("Plan(2 specs, repeat 3, warmup 1) = %q; want %q", got, want)
	}
	if n := len(Plan(specs, 0, -1)); n != 2 {
		t.Errorf("Plan with no repeat and no warm-up = %d runs; want one each", n)
	}
	opt := CompareOptions{Options: Options{Machine: &profile.Machine{}, OnFrame: func(profile.Frame) {}}, Repeat: 2, Warmup: 1,
		Record: scriptedRecord(make([]error, 6), -1, nil)}
	ps, err := Compare(context.Background(), specs, opt)
	if err != nil || len(ps) != 6 {
		t.Fatalf("Compare(repeat 2, warmup 1) = %d profiles, %v; want 6", len(ps), err)
	}
	got = nil
	for _, p := range ps {
		got = append(got, fmt.Sprintf("%s %d %v", p.Spec.Model, p.Repeat, p.Warmup))
	}
	want = []string{"sequential 1 true", "threads 1 true", "sequential 1 false", "threads 1 false", "sequential 2 false", "threads 2 false"}
	if !slices.Equal(got, want) {
		t.Errorf("profiles = %q; want %q", got, want)
	}
}
