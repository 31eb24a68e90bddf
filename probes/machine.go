package probes

import (
	"cmp"
	"context"
	"os"
	"path/filepath"
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
	if h, err := hostInfo(ctx); err == nil {
		m.OS = osName(h)
		m.Kernel = h.KernelVersion
		m.Hostname = h.Hostname
	}
	if m.Hostname == "" {
		m.Hostname, _ = os.Hostname()
	}
	return m
}

// hostInfo is the little of host.Info that Machine needs. On Linux it reads
// /etc/os-release itself: host.Info runs lsb_release where /etc/lsb-release
// is missing (Debian), which costs a process start (a Python script, most of
// a second) before every run.
func hostInfo(ctx context.Context) (*host.InfoStat, error) {
	if runtime.GOOS != "linux" {
		return host.InfoWithContext(ctx)
	}
	h := &host.InfoStat{OS: runtime.GOOS}
	h.KernelVersion, _ = host.KernelVersionWithContext(ctx)
	h.Hostname, _ = os.Hostname()
	etc := cmp.Or(os.Getenv("HOST_ETC"), "/etc")
	b, err := os.ReadFile(filepath.Join(etc, "os-release"))
	if err != nil {
		return h, nil
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, _ := strings.Cut(line, "=")
		v = strings.Trim(v, `"'`)
		switch k {
		case "ID":
			h.Platform = v
		case "VERSION_ID":
			h.PlatformVersion = v
		}
	}
	// Debian's point release ("12.11") is only in debian_version.
	if v, err := os.ReadFile(filepath.Join(etc, "debian_version")); err == nil && h.Platform == "debian" {
		h.PlatformVersion = strings.TrimSpace(string(v))
	}
	return h, nil
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
