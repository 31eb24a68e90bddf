package probes

import (
	"context"
	"os"
	"runtime"
	"strings"

	"github.com/shirou/gopsutil/v4/cpu"
	"github.com/shirou/gopsutil/v4/host"
)

// MachineInfo is what a profile was recorded on.
type MachineInfo struct {
	CPUModel                    string
	LogicalCores, PhysicalCores int
	// OS is the distribution and its version when known ("debian 12.11"),
	// else the operating system ("linux").
	OS, Kernel, Hostname string
}

// Machine describes this machine as well as it can be found out. It never
// fails: a fact it cannot read is left empty, and core counts fall back to
// what the Go runtime sees.
func Machine(ctx context.Context) MachineInfo {
	m := MachineInfo{OS: runtime.GOOS}
	if infos, err := cpu.InfoWithContext(ctx); err == nil && len(infos) > 0 {
		m.CPUModel = strings.TrimSpace(infos[0].ModelName)
	}
	if n, err := cpu.CountsWithContext(ctx, true); err == nil && n > 0 {
		m.LogicalCores = n
	} else {
		m.LogicalCores = runtime.NumCPU()
	}
	if n, err := cpu.CountsWithContext(ctx, false); err == nil && n > 0 {
		m.PhysicalCores = n
	} else {
		m.PhysicalCores = m.LogicalCores
	}
	if h, err := host.InfoWithContext(ctx); err == nil {
		m.OS = osName(h)
		m.Kernel = h.KernelVersion
		m.Hostname = h.Hostname
	}
	if m.Hostname == "" {
		m.Hostname, _ = os.Hostname()
	}
	return m
}

// osName names the distribution and its version when gopsutil found them.
func osName(h *host.InfoStat) string {
	switch {
	case h.Platform != "":
		return strings.TrimSpace(h.Platform + " " + h.PlatformVersion)
	case h.OS != "":
		return h.OS
	}
	return runtime.GOOS
}
