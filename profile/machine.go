package profile

import (
	"context"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"corescope/probes"
)

// machine describes the computer the profile is recorded on.
func machine(ctx context.Context) Machine {
	m := probes.Machine(ctx)
	return Machine{
		CPUModel:      m.CPUModel,
		LogicalCores:  m.LogicalCores,
		PhysicalCores: m.PhysicalCores,
		OS:            m.OS,
		Kernel:        m.Kernel,
		Hostname:      m.Hostname,
		GoVersion:     runtime.Version(),
		PythonVersion: pythonVersion(ctx),
	}
}

// pythonVersion asks python3 for its version; empty when there is none.
func pythonVersion(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "python3", "--version").Output()
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.TrimSpace(string(out)), "Python ")
}
