package nodes

import (
	"context"
	"fmt"
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
	fam, err := p.parse(context.Background(), body)
	if err != nil {
		t.Fatal(err)
	}
	cpus, err := cpuLabels(fam)
	if err != nil {
		t.Fatal(err)
	}
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
		if _, err := p.parse(context.Background(), []byte(c.body)); err == nil || !strings.Contains(err.Error(), c.want) {
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
	if got, err := cpuLines(context.Background(), nil, []byte(body)); err != nil || string(got) != want {
		t.Errorf("cpuLines =\n%s\n(%v); want\n%s", got, err, want)
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

// answer is a node_exporter answer with the given cpus, each with user and
// idle seconds as given.
func answer(cores map[string][2]float64) []byte {
	b := []byte("# TYPE node_cpu_seconds_total counter\n")
	for cpu, v := range cores {
		b = fmt.Appendf(b, "node_cpu_seconds_total{cpu=%q,mode=\"user\"} %g\n", cpu, v[0])
		b = fmt.Appendf(b, "node_cpu_seconds_total{cpu=%q,mode=\"idle\"} %g\n", cpu, v[1])
	}
	return b
}

// TestNodeLayoutAndRestarts feeds one node's answers in turn: the layout is
// fixed by the first; a vanished cpu is Missing and a new one left out; a
// restart (counters back near zero) is one tick of gaps, then figures again.
func TestNodeLayoutAndRestarts(t *testing.T) {
	M := levels.Missing
	steps := []struct {
		name  string
		cores map[string][2]float64
		want  levels.Row
	}{
		{"baseline", map[string][2]float64{"0": {10, 10}, "1": {10, 10}, "10": {10, 10}}, levels.Row{M, M, M}},
		{"loads", map[string][2]float64{"0": {11, 11}, "1": {12, 10}, "10": {10, 12}}, levels.Row{levels.Of(0.5), levels.Of(1), levels.Of(0)}},
		{"cpu 1 offline, cpu 2 new", map[string][2]float64{"0": {12, 12}, "2": {5, 5}, "10": {11, 13}}, levels.Row{levels.Of(0.5), M, levels.Of(0.5)}},
		{"restarted", map[string][2]float64{"0": {0.5, 0.5}, "1": {0.5, 0.5}, "10": {0.5, 0.5}}, levels.Row{M, M, M}},
		{"after restart", map[string][2]float64{"0": {1.5, 0.5}, "1": {0.5, 1.5}, "10": {0.5, 0.5}}, levels.Row{levels.Of(1), levels.Of(0), M}},
	}
	n := &nodeState{parser: newCountersParser()}
	for _, s := range steps {
		n.body.Reset()
		n.body.Write(answer(s.cores))
		if err := n.read(context.Background()); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if fmt.Sprint(n.row) != fmt.Sprint(s.want) {
			t.Errorf("%s: row = %v; want %v", s.name, n.row, s.want)
		}
	}
	if got := strings.Join(n.node.CPUs, ","); got != "0,1,10" {
		t.Errorf("CPUs = %s; want 0,1,10 (the first answer's)", got)
	}
}
