package nodes

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"corescope/levels"
)

// cpuMetric is the counter family every figure comes from.
const cpuMetric = "node_cpu_seconds_total"

// What one node's answer may hold, so that a broken or hostile node cannot
// make a tick's work (and every frame) grow without end: each is counted
// before the text parser sees a byte, and an answer beyond one is refused.
const (
	// maxCores is Linux's largest NR_CPUS (x86-64's MAXSMP).
	maxCores = 8192
	// maxModes is how many modes Linux's node_exporter gives a core (user,
	// nice, system, idle, iowait, irq, softirq, steal); the BSDs give fewer.
	maxModes = 8
	// maxSamples is every mode of every core of the largest node.
	maxSamples = maxCores * maxModes
	// maxLine bounds one line of the CPU counters (node_exporter's are
	// about 60 bytes), and with it a label's length.
	maxLine = 1024
	// maxCounter bounds a counter's seconds at float64's exact integers (285
	// million years): the sum of a core's modes stays finite and exact to
	// far below the kernel's 10 ms step.
	maxCounter = 1 << 53
	// maxLabels bounds a sample's labels (node_exporter gives two, cpu and
	// mode): expfmt's check for repeated names costs the square of their
	// number.
	maxLabels = 16
)

// errNoCPUMetric is an answer in the text format without the CPU counters: an
// exporter with the cpu collector off, or another program's metrics.
var errNoCPUMetric = errors.New("no " + cpuMetric + " in the answer")

// coreTimes is one core's cumulative seconds folded into the groups
// probes.CPUSampler keeps, so the rules match: idle holds idle and iowait
// (the kernel moves time between the two while a core sleeps, so iowait alone
// may go backwards while their sum does not); other is any mode a non-Linux
// exporter adds, counted busy.
type coreTimes struct {
	ok                               bool // the answer had this core
	user, system, idle, steal, other float64
}

func (c coreTimes) total() float64 { return c.user + c.system + c.idle + c.steal + c.other }

// add counts one mode's seconds in its group.
func (c *coreTimes) add(mode string, v float64) {
	switch mode {
	case "user", "nice":
		c.user += v
	case "system", "irq", "softirq":
		c.system += v
	case "idle", "iowait":
		c.idle += v
	case "steal":
		c.steal += v
	default:
		c.other += v
	}
}

// busy is the core's busy fraction between two readings, or Missing when
// either is absent, a group went backwards (a reboot, a counter reset) or no
// time was counted: a gap is honest, a zero would be a claim.
func busy(before, after coreTimes) levels.Level {
	if !before.ok || !after.ok ||
		after.user < before.user || after.system < before.system ||
		after.idle < before.idle || after.steal < before.steal || after.other < before.other {
		return levels.Missing
	}
	total := after.total() - before.total()
	if total <= 0 {
		return levels.Missing
	}
	return levels.Of(1 - (after.idle-before.idle)/total)
}

// countersParser reads one node's answers. It keeps its parser and buffer
// between calls, so a tick allocates only what expfmt itself does.
type countersParser struct {
	text  expfmt.TextParser
	lines []byte                 // the answer's CPU counters lines, what text parses
	seen  map[[2]string]struct{} // the cpu and mode of each sample checked so far
}

func newCountersParser() countersParser {
	// UTF8Validation accepts every name legacy exporters send and the quoted
	// ones newer exporters may.
	return countersParser{text: expfmt.NewTextParser(model.UTF8Validation)}
}

// parse reads an answer in the Prometheus text format and returns its CPU
// counters family, checked: every sample has a cpu and a mode label, no two
// samples count the same core and mode, and every value is a number of
// seconds from 0 to 2^53. It stops with ctx's error when ctx is done.
//
// Only that family's lines go through expfmt, which makes 16 to 25 objects
// a line: a 64-core node_exporter answer with the default collectors holds
// 1,879 lines, of which 512 are CPU counters. On a real 64-core answer, parsing all of it took
// 2.1-2.2 ms, 802 KB and 31,024 allocations; its CPU lines, folded into a
// row, 0.6-0.8 ms, 311 KB and 12,749 (BenchmarkParse64Cores).
func (p *countersParser) parse(ctx context.Context, body []byte) (*dto.MetricFamily, error) {
	var err error
	if p.lines, err = cpuLines(ctx, p.lines[:0], body); err != nil {
		return nil, err
	}
	fams, err := p.text.TextToMetricFamilies(ctxReader{ctx, bytes.NewReader(p.lines)})
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("not the Prometheus text format: its %s lines: %w", cpuMetric, err)
	}
	fam := fams[cpuMetric]
	if fam == nil || len(fam.GetMetric()) == 0 {
		return nil, errNoCPUMetric
	}
	return fam, p.check(fam)
}

// check says which sample of fam cannot be counted: one without a cpu or
// mode label, a core's mode given twice (an exporter behind a proxy that
// adds labels; summing both would count its time twice), or a value that
// is not seconds.
func (p *countersParser) check(fam *dto.MetricFamily) error {
	if p.seen == nil {
		p.seen = make(map[[2]string]struct{}, len(fam.GetMetric()))
	}
	clear(p.seen)
	for _, m := range fam.GetMetric() {
		cpu, mode := cpuAndMode(m)
		key := [2]string{cpu, mode}
		_, twice := p.seen[key]
		switch v := value(m); {
		case cpu == "" || mode == "":
			return fmt.Errorf("a %s sample has no cpu or mode label", cpuMetric)
		case twice:
			return fmt.Errorf("%s of cpu %q, mode %q, is given twice", cpuMetric, cpu, mode)
		case !(v >= 0 && v <= maxCounter):
			return fmt.Errorf("%s of cpu %q, mode %q, is %v; a counter of seconds is a number from 0 to 2^53", cpuMetric, cpu, mode, v)
		}
		p.seen[key] = struct{}{}
	}
	return nil
}

// shed lets go of the parser's buffers when they outgrew an answer of
// keepAnswer bytes, whose CPU lines are about 60 bytes each.
func (p *countersParser) shed() {
	if cap(p.lines) > keepAnswer {
		p.lines = nil
	}
	if len(p.seen) > keepAnswer/60 {
		p.seen = nil
	}
}

// ctxReader reads r until ctx is done, then fails with ctx's error: the
// text parser reads through it, so a parse ends with its tick.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(b)
}

// cpuLines appends to dst the lines of body that belong to the CPU counters
// family, each ending in a newline: its samples ("name{...} v" or "name v",
// leading blanks allowed, as the format does) and its "# HELP name" and
// "# TYPE name" lines. It counts them as it goes, and refuses an answer of
// more than maxSamples samples, a line longer than maxLine or a sample of
// more than maxLabels labels, naming the limit.
//
// It looks only at lines that hold the family's name, found by searching
// for it, each once: 16 MiB of empty lines took 405 ms looked at one by
// one. It stops with ctx's error when ctx is done.
func cpuLines(ctx context.Context, dst, body []byte) ([]byte, error) {
	samples := 0
	for hits := 1; ; hits++ {
		i := bytes.Index(body, []byte(cpuMetric))
		if i < 0 {
			return dst, nil
		}
		if hits%1024 == 0 && ctx.Err() != nil {
			return dst, ctx.Err()
		}
		line := body[bytes.LastIndexByte(body[:i], '\n')+1:]
		if end := bytes.IndexByte(line, '\n'); end >= 0 {
			line, body = line[:end], line[end+1:]
		} else {
			body = nil
		}
		t := bytes.TrimLeft(line, " \t")
		comment := false
		if c, ok := bytes.CutPrefix(t, []byte("# ")); ok {
			if c, ok = bytes.CutPrefix(c, []byte("HELP ")); !ok {
				c, ok = bytes.CutPrefix(c, []byte("TYPE "))
			}
			t = bytes.TrimLeft(c, " \t")
			if !ok {
				continue
			}
			comment = true
		}
		rest, ok := bytes.CutPrefix(t, []byte(cpuMetric))
		if !ok || len(rest) == 0 || (rest[0] != '{' && rest[0] != ' ' && rest[0] != '\t') {
			continue
		}
		if len(line) > maxLine {
			return dst, fmt.Errorf("a %s line is %d bytes long; corescope reads lines of up to %d (node_exporter's are about 60)", cpuMetric, len(line), maxLine)
		}
		if !comment {
			if samples++; samples > maxSamples {
				return dst, fmt.Errorf("it sends more than %d %s samples, %d modes of each of %d cores, the most corescope reads of a node", maxSamples, cpuMetric, maxModes, maxCores)
			}
			if n := bytes.Count(rest, []byte("=")); n > maxLabels {
				return dst, fmt.Errorf("a %s sample has %d labels or more; corescope reads up to %d (node_exporter gives 2: cpu and mode)", cpuMetric, n, maxLabels)
			}
		}
		dst = append(append(dst, line...), '\n')
	}
}

// cpuAndMode are the labels that say which core and mode a sample counts.
func cpuAndMode(m *dto.Metric) (cpu, mode string) {
	for _, l := range m.GetLabel() {
		switch l.GetName() {
		case "cpu":
			cpu = l.GetValue()
		case "mode":
			mode = l.GetValue()
		}
	}
	return cpu, mode
}

// value is a sample's number, whether the family is typed counter or left
// untyped (an exporter that omits # TYPE).
func value(m *dto.Metric) float64 {
	if c := m.GetCounter(); c != nil {
		return c.GetValue()
	}
	if u := m.GetUntyped(); u != nil {
		return u.GetValue()
	}
	return m.GetGauge().GetValue()
}

// cpuLabels lists the distinct cpu labels of fam, numerically ordered, as a
// node's cores are laid out, or says that there are more than maxCores.
func cpuLabels(fam *dto.MetricFamily) ([]string, error) {
	seen := make(map[string]bool)
	var cpus []string
	for _, m := range fam.GetMetric() {
		cpu, _ := cpuAndMode(m)
		if seen[cpu] {
			continue
		}
		if len(cpus) == maxCores {
			return nil, fmt.Errorf("it has more than %d cores, the most corescope reads of a node", maxCores)
		}
		seen[cpu] = true
		cpus = append(cpus, cpu)
	}
	slices.SortFunc(cpus, compareCPU)
	return cpus, nil
}

// compareCPU orders cpu labels by number ("2" before "10"); labels that are
// not numbers come after, by text.
func compareCPU(a, b string) int {
	x, errA := strconv.Atoi(a)
	y, errB := strconv.Atoi(b)
	switch {
	case errA == nil && errB == nil:
		return cmp.Compare(x, y)
	case errA == nil:
		return -1
	case errB == nil:
		return 1
	}
	return cmp.Compare(a, b)
}

// fold fills dst, one entry a core of the layout index (cpu label -> row
// position), with the counters of fam. Cores absent from fam are left not
// ok; cpus the layout does not have are left out.
func fold(dst []coreTimes, index map[string]int, fam *dto.MetricFamily) {
	clear(dst)
	for _, m := range fam.GetMetric() {
		cpu, mode := cpuAndMode(m)
		if i, ok := index[cpu]; ok {
			dst[i].ok = true
			dst[i].add(mode, value(m))
		}
	}
}
