package nodes

import (
	"os"
	"slices"
	"strings"
	"testing"

	"corescope/levels"
)

func TestBusyRules(t *testing.T) {
	base := coreTimes{ok: true, user: 10, system: 10, idle: 100, steal: 1}
	for _, c := range []struct {
		name  string
		after coreTimes
		want  levels.Level
	}{
		{"half busy", coreTimes{ok: true, user: 15, system: 15, idle: 110, steal: 1}, levels.Of(0.5)},
		{"idle and iowait are idle", coreTimes{ok: true, user: 10, system: 10, idle: 120, steal: 1}, levels.Of(0)},
		{"steal and other modes are busy", coreTimes{ok: true, user: 10, system: 10, idle: 100, steal: 6, other: 5}, levels.Of(1)},
		{"stood still", base, levels.Missing},
		{"went backwards", coreTimes{ok: true, user: 9, system: 20, idle: 120, steal: 1}, levels.Missing},
		{"core gone", coreTimes{}, levels.Missing},
	} {
		if got := busy(base, c.after); got != c.want {
			t.Errorf("%s: busy = %v; want %v", c.name, got, c.want)
		}
	}
	if got := busy(coreTimes{}, base); got != levels.Missing {
		t.Errorf("busy with no baseline = %v; want Missing", got)
	}
}

// TestParseExporterAnswer reads a real node_exporter answer (its default
// collectors, cpu lines grown to 64 cores) and checks the layout and folding.
func TestParseExporterAnswer(t *testing.T) {
	body, err := os.ReadFile("testdata/node-exporter-64cpu.prom")
	if err != nil {
		t.Fatal(err)
	}
	p := newCountersParser()
	fam, err := p.parse(body)
	if err != nil {
		t.Fatal(err)
	}
	cpus := cpuLabels(fam)
	if len(cpus) != 64 || cpus[0] != "0" || cpus[2] != "2" || cpus[10] != "10" || cpus[63] != "63" {
		t.Fatalf("cpus = %v; want 0..63 in numeric order", cpus)
	}
	index := make(map[string]int)
	for i, c := range cpus {
		index[c] = i
	}
	times := make([]coreTimes, 64)
	fold(times, index, fam)
	// cpu 0 in the fixture: user 2139.36 nice 0 system 426.21 idle 5282.53
	// iowait 6.72 irq 0 softirq 2.03 steal 1.4.
	if got := times[0]; !got.ok || !near(got.idle, 5282.53+6.72) || !near(got.user, 2139.36) ||
		!near(got.system, 426.21+2.03) || !near(got.steal, 1.4) || got.other != 0 {
		t.Errorf("cpu 0 = %+v", got)
	}
	for _, c := range []struct{ body, want string }{
		{"# TYPE up gauge\nup 1\n", "no node_cpu_seconds_total in the answer"},
		{"<html>\n", "no node_cpu_seconds_total in the answer"},
		{"# TYPE node_cpu_seconds_total counter\nnode_cpu_seconds_total{cpu=\"0\" 12 {{\n", "not the Prometheus text format"},
		{"node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} twelve\n", "not the Prometheus text format"},
		{`node_cpu_seconds_total{mode="idle"} 1` + "\n", "no cpu or mode label"},
	} {
		if _, err := p.parse([]byte(c.body)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("parse(%q) = %v; want %q", c.body, err, c.want)
		}
	}
}

func TestCPULines(t *testing.T) {
	body := "# HELP node_cpu_seconds_total Seconds.\n# TYPE node_cpu_seconds_total counter\n" +
		"node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 1\n" +
		"node_cpu_seconds_total_extra 3\n# HELP node_cpu_guest_seconds_total x\n" +
		"node_cpu_guest_seconds_total{cpu=\"0\",mode=\"user\"} 0\n" +
		"  node_cpu_seconds_total{cpu=\"1\",mode=\"idle\"} 2"
	want := "# HELP node_cpu_seconds_total Seconds.\n# TYPE node_cpu_seconds_total counter\n" +
		"node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 1\n" +
		"  node_cpu_seconds_total{cpu=\"1\",mode=\"idle\"} 2\n"
	if got := string(cpuLines(nil, []byte(body))); got != want {
		t.Errorf("cpuLines =\n%s\nwant\n%s", got, want)
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestCompareCPU(t *testing.T) {
	got := []string{"10", "x", "2", "1", "b"}
	slices.SortFunc(got, compareCPU)
	if strings.Join(got, ",") != "1,2,10,b,x" {
		t.Errorf("order = %v; want 1,2,10,b,x", got)
	}
}
