package report

import (
	"testing"

	"corescope/profile"
	"corescope/spec"
)

// TestHeaderLines checks the report's Machine and Spec lines: the Pythons
// the runs ran on are named, and several commands are counted (the table
// shows each in full) instead of the first cut short.
func TestHeaderLines(t *testing.T) {
	run := func(label string, sp spec.Spec, python string) *profile.Profile {
		p := fixture(label, spec.Sequential, 2, 5, func(s, c int) float64 { return 0.5 })
		p.Spec, p.Machine.Python = sp, python
		return p
	}
	cmd := func(line ...string) spec.Spec {
		return spec.Spec{Backend: spec.BackendCommand, Command: line}
	}
	model := spec.Spec{Backend: spec.BackendPython, Workload: spec.CPU, Model: spec.Threads, Tasks: 5, Size: 1}
	goModel := spec.Spec{Backend: spec.BackendGo, Workload: spec.CPU, Model: spec.Threads, Tasks: 5, Size: 1}
	const machine = "Machine: Test CPU 9000  ·  2 logical / 1 physical cores  ·  linux 6.1"
	tests := []struct {
		name          string
		ps            []*profile.Profile
		machine, spec string
	}{
		{"go models", []*profile.Profile{run("threads", goModel, "")},
			machine + "  ·  go1.26", "Spec: cpu workload, 5 tasks, size 1"},
		{"python models", []*profile.Profile{run("threads", model, "CPython 3.11.2"), run("threads · 3.13t", model, "CPython 3.13.1, no GIL")},
			machine + "  ·  CPython 3.11.2  ·  CPython 3.13.1, no GIL  ·  go1.26", "Spec: cpu workload, 5 tasks, size 1"},
		{"one command", []*profile.Profile{run("seq.py", cmd("python3", "seq.py"), "CPython 3.11.2")},
			machine + "  ·  CPython 3.11.2  ·  go1.26", "Spec: command: python3 seq.py"},
		{"three commands", []*profile.Profile{run("seq.py", cmd("python3", "seq.py"), "CPython 3.11.2"),
			run("pool.py", cmd("python3", "pool.py"), "CPython 3.11.2"), run("sleep", cmd("sleep", "1"), "")},
			machine + "  ·  CPython 3.11.2  ·  go1.26", "Spec: 3 commands (each in the table)"},
		{"commands beside a model", []*profile.Profile{run("threads", goModel, ""), run("a.sh", cmd("sh", "a.sh"), ""),
			run("b.sh", cmd("sh", "b.sh"), "")},
			machine + "  ·  go1.26", "Spec: cpu workload, 5 tasks, size 1  ·  2 commands (each in the table)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := machineLine(tt.ps); got != tt.machine {
				t.Errorf("machineLine() = %q; want %q", got, tt.machine)
			}
			if got := specLine(tt.ps); got != tt.spec {
				t.Errorf("specLine() = %q; want %q", got, tt.spec)
			}
		})
	}
}
