package probes

import (
	"context"
	"os"
	"runtime"
	"testing"

	"github.com/shirou/gopsutil/v4/host"
)

func TestMachine(t *testing.T) {
	m := Machine(context.Background())
	if m.LogicalCores < 1 || m.PhysicalCores < 1 || m.PhysicalCores > m.LogicalCores {
		t.Errorf("Machine() cores = %d logical, %d physical; want 1 <= physical <= logical", m.LogicalCores, m.PhysicalCores)
	}
	if m.OS == "" {
		t.Error("Machine().OS is empty; want at least the operating system")
	}
	if host, _ := os.Hostname(); m.Hostname != host {
		t.Errorf("Machine().Hostname = %q; want %q", m.Hostname, host)
	}
	if runtime.GOOS == "linux" && (m.Kernel == "" || m.CPUModel == "") {
		t.Errorf("Machine() = %+v; want the kernel and CPU model on Linux", m)
	}
}

// TestMachineFallbacks points gopsutil at empty directories: Machine must
// still name the OS and count the cores the runtime sees.
func TestMachineFallbacks(t *testing.T) {
	empty := t.TempDir()
	for _, env := range []string{"HOST_PROC", "HOST_SYS", "HOST_ETC"} {
		t.Setenv(env, empty)
	}
	m := Machine(context.Background())
	if m.LogicalCores != runtime.NumCPU() || m.PhysicalCores != m.LogicalCores {
		t.Errorf("Machine() cores without /proc and /sys = %d logical, %d physical; want %d and %d",
			m.LogicalCores, m.PhysicalCores, runtime.NumCPU(), runtime.NumCPU())
	}
	if m.OS == "" {
		t.Error("Machine().OS without /etc is empty; want the operating system")
	}
}

func TestOSName(t *testing.T) {
	tests := []struct {
		h    host.InfoStat
		want string
	}{
		{host.InfoStat{OS: "linux", Platform: "debian", PlatformVersion: "12.11"}, "debian 12.11"},
		{host.InfoStat{OS: "linux", Platform: "arch"}, "arch"},
		{host.InfoStat{OS: "darwin"}, "darwin"},
		{host.InfoStat{}, runtime.GOOS},
	}
	for _, tt := range tests {
		if got := osName(&tt.h); got != tt.want {
			t.Errorf("osName(%+v) = %q; want %q", tt.h, got, tt.want)
		}
	}
}
