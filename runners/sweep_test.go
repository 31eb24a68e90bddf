package runners

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"corescope/spec"
)

func TestDefaultCounts(t *testing.T) {
	for cores, want := range map[int][]int{1: {1, 2}, 2: {1, 2, 4}, 6: {1, 2, 4, 6, 8, 12}, 8: {1, 2, 4, 8, 16}} {
		if got := DefaultCounts(cores); !slices.Equal(got, want) {
			t.Errorf("DefaultCounts(%d) = %v; want %v", cores, got, want)
		}
	}
}

// TestSweepSpecs: a model's sweep sets each run's pool, a command's
// replaces the placeholder, both tell the count in the environment and
// name the runs by it; strong scaling measures against the 1-worker run,
// weak scaling grows the tasks and measures nothing against it.
func TestSweepSpecs(t *testing.T) {
	specs, err := Sweep{Input: Input{Models: "processes", Tasks: "8"}, Counts: "4,1,2"}.Specs("s1")
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range []int{1, 2, 4} {
		s := specs[i]
		if s.Workers != n || s.Tasks != 8 || s.Scale != (spec.Scale{Sweep: "s1", Workers: n}) ||
			s.Name != RunName("processes", n) || s.Baseline != "processes ×1" || !slices.Contains(s.Env, "CORESCOPE_WORKERS="+string(rune('0'+n))) {
			t.Errorf("run %d: %+v; want %d workers of 8 tasks, named and measured against ×1", i, s, n)
		}
	}
	weak, err := Sweep{Input: Input{Models: "threads", Tasks: "5"}, Counts: "1,3", Weak: true, SkipCompeted: true}.Specs("s2")
	if err != nil {
		t.Fatal(err)
	}
	if w := weak[1]; w.Tasks != 15 || w.Workers != 3 || !w.Scale.Weak || !w.Scale.SkipCompeted || w.Baseline != "" {
		t.Errorf("weak run of 3: %+v; want 15 tasks, 3 workers, no baseline", w)
	}
	cmd, err := Sweep{Input: Input{Backend: "command", CommandLine: "sh -c 'echo {workers}' pool.py --n={workers}"}, Counts: "1,2"}.Specs("s3")
	if err != nil {
		t.Fatal(err)
	}
	if c := cmd[1]; !reflect.DeepEqual(c.Command, []string{"sh", "-c", "echo 2", "pool.py", "--n=2"}) || c.Name != "pool.py ×2" || c.Workers != 0 {
		t.Errorf("command run of 2: %+v; want the placeholder replaced, named after the script", c)
	}
	s, err := Prepare(cmd[1], "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !slices.Contains(s.Env, "CORESCOPE_WORKERS=2") {
		t.Errorf("the subject's environment %q; want CORESCOPE_WORKERS=2", s.Env)
	}
}

func TestSweepErrors(t *testing.T) {
	for _, tt := range []struct {
		sw          Sweep
		field, want string
	}{
		{Sweep{Input: Input{Models: "processes"}, Counts: "2,4"}, "workers", "give 1 among them"},
		{Sweep{Input: Input{Models: "processes"}, Counts: "1"}, "workers", "at least two"},
		{Sweep{Input: Input{Models: "processes"}, Counts: "1,2,2"}, "workers", "2 is given twice"},
		{Sweep{Input: Input{Models: "processes"}, Counts: "1,x"}, "workers", "comma-separated"},
		{Sweep{Input: Input{Models: "processes"}, Counts: "1,2000"}, "workers", "1..1024"},
		{Sweep{Input: Input{Models: "threads,processes"}, Counts: "1,2"}, "model", "one model"},
		{Sweep{Input: Input{Models: "sequential"}, Counts: "1,2"}, "model", "one worker"},
		{Sweep{Input: Input{Models: "threads", Tasks: "60000"}, Counts: "1,2", Weak: true}, "tasks", "at most 100000"},
	} {
		_, err := tt.sw.Specs("s")
		var fe *spec.FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v; want a %s error saying %q", tt.sw, err, tt.field, tt.want)
		}
	}
}
