//go:build !unix

package probes

import (
	"os"

	"github.com/shirou/gopsutil/v4/process"
)

// selfCPUSeconds asks gopsutil where there is no getrusage (Windows:
// GetProcessTimes).
func selfCPUSeconds() (float64, error) {
	t, err := (&process.Process{Pid: int32(os.Getpid())}).Times()
	if err != nil {
		return 0, err
	}
	return t.User + t.System, nil
}
