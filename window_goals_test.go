//go:build goals

package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"corescope/internal/goal"
)

// TestGoalWindowCost runs the real window under X beside
// testdata/fyneprobe, a minimal Fyne window refreshing an image and a label
// at 10 Hz, while corescope records a CPU-bound command for 8 s: once
// started with the focus in the command field, once without. corescope's
// CPU time (utime + stime, as the kernel counted it) must be at most the
// yardstick's over the same seconds: about 0.5 of it here; an animated
// progress bar made it 6 to 7, and a field left blinking during the run
// 1.3 (each repaints the whole window on every frame it animates).
//
//	CORESCOPE_SMOKE=1 xvfb-run -a -s "-screen 0 1280x800x24" go test -tags goals -count=1 -v -run TestGoalWindowCost .
func TestGoalWindowCost(t *testing.T) {
	needWindowTools(t)
	bin, probeBin := built(t, "."), built(t, "./testdata/fyneprobe")
	for _, focus := range []bool{true, false} {
		t.Run(fmt.Sprintf("focus in the command field %v", focus), func(t *testing.T) {
			probe := startWindow(t, probeBin, t.TempDir(), os.Environ())
			cs, marker := runInWindow(t, bin, focus)
			time.Sleep(time.Second)
			c0, p0 := cpuTicks(t, cs.Process.Pid), cpuTicks(t, probe.Process.Pid)
			time.Sleep(8 * time.Second)
			c1, p1 := cpuTicks(t, cs.Process.Pid), cpuTicks(t, probe.Process.Pid)
			escapeStops(t, marker)
			self, yardstick := c1-c0, p1-p0
			what := "8 s of a run in the window, no focus: "
			if focus {
				what = "8 s of a run in the window, focus in the field: "
			}
			goal.Figure(t, what+"corescope's CPU", float64(self), "%.0f ticks")
			goal.Figure(t, what+"a 10 Hz Fyne window's", float64(yardstick), "%.0f ticks")
			goal.AtMost(t, what+"the ratio", float64(self)/float64(max(yardstick, 1)), 1.0, "%.2fx")
		})
	}
}

// cpuTicks is the CPU time the kernel counted for pid, user and system, in
// clock ticks (fields 14 and 15 of /proc/PID/stat).
func cpuTicks(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	return utime + stime
}
