package recorder

import (
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"corescope/probes"
	"corescope/profile"
	"corescope/runners"
	"corescope/spec"
)

// machineFacts is what this machine is, looked up once per process: the
// facts cannot change while corescope runs, and a look-up per run would
// delay every run's start.
var machineFacts = sync.OnceValue(func() profile.Machine {
	m := probes.Machine(context.Background())
	return profile.Machine{
		CPUModel:      m.CPUModel,
		LogicalCores:  m.LogicalCores,
		PhysicalCores: m.PhysicalCores,
		OS:            m.OS,
		Kernel:        m.Kernel,
		Hostname:      m.Hostname,
		GoVersion:     runtime.Version(),
	}
})

// ThisMachine describes the computer corescope runs on, for the profiles
// it records. The Python version is that of the interpreter a run used (see
// withPython), not of whichever python3 comes first in PATH.
func ThisMachine(ctx context.Context) profile.Machine { return machineFacts() }

// withPython adds to m the interpreter spec runs on: the Python backend's,
// or a command's program when it is a Python (python3, python3.13t, ...).
// runners.FindPython asks each interpreter once per process.
func withPython(ctx context.Context, m profile.Machine, s spec.Spec) profile.Machine {
	path := s.Python
	if s.Backend == spec.BackendCommand && strings.HasPrefix(filepath.Base(s.Command[0]), "python") {
		path = s.Command[0]
	}
	if path == "" {
		return m
	}
	if py, err := runners.FindPython(ctx, path); err == nil {
		m.PythonVersion, m.Python = py.Version, py.Label()
	}
	return m
}
