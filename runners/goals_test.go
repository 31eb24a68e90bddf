//go:build goals && linux

package runners

import (
	"fmt"
	"testing"

	"corescope/internal/goal"
)

// TestGoalModels runs each model as TestCPUModels, TestPythonCPUModels,
// TestIOModels and TestPythonIOModels do and checks what a quiet machine
// gives: the cores a CPU-bound run uses, and how long 40 requests take.
func TestGoalModels(t *testing.T) {
	for _, tt := range pythonCPUCases {
		r := runSubject(t, pySpec(t, pythonCPUSpec(tt.model)))
		cpuGoal(t, "Python "+string(tt.model), r, tt.minCores, tt.maxCores)
	}
	for _, tt := range goCPUCases {
		cpuGoal(t, "Go "+string(tt.model), runSubject(t, goCPUSpec(tt.model)), tt.minCores, tt.maxCores)
	}
	for _, c := range ioModelCases {
		r := runSubject(t, c.spec())
		goal.Below(t, "40 requests of 50 ms, Go "+c.name(), r.wall.Seconds(), c.goalWall.Seconds(), "%.2f s")
	}
	for _, c := range pythonIOCases {
		r := runSubject(t, pySpec(t, c.spec()))
		goal.Below(t, "40 requests of 50 ms, Python "+c.name(), r.wall.Seconds(), c.goalWall.Seconds(), "%.2f s")
	}
}

// cpuGoal checks the cores a CPU-bound run used against its model's bounds.
func cpuGoal(t *testing.T, what string, r observed, minCores, maxCores float64) {
	t.Helper()
	what = fmt.Sprintf("%s, CPU-bound: cores used", what)
	if minCores > 0 {
		goal.AtLeast(t, what, r.cores(), minCores, "%.2f")
	} else {
		goal.AtMost(t, what, r.cores(), maxCores, "%.2f")
	}
}
