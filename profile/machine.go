package profile

import (
	"context"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"corescope/probes"
)

// ThisMachine describes the computer corescope runs on, for the profiles
// it records. It runs python3 for its version, so callers that record
// several runs look it up once (Options.Machine).
func ThisMachine(ctx context.Context) Machine {
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
