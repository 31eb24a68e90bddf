package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"corescope/profile"
	"corescope/spec"
)

// The fuzz targets read a profile file as report does, through
// profile.Decode, pass over what it refuses, and check that each output
// is drawn or written without a panic or an error, valid and bounded:
//
//	go test ./report -run '^$' -fuzz FuzzPNG -fuzztime 30s
//
// (and FuzzHTML, FuzzCSV, FuzzTrace).
//
// Their seeds, in testdata/fuzz/<target>, are files of the fixtures and
// of the hostile profiles of TestOutOfRangeValues and the bounds tests;
// go test -run TestWriteFuzzSeeds ./report -args -fuzz-seeds writes them
// again.

// decoded is the profiles of a fuzzed file, or skips it when
// profile.Decode refuses it or it holds none.
func decoded(t *testing.T, data []byte) []*profile.Profile {
	ps, err := profile.Decode(bytes.NewReader(data))
	if err != nil || len(ps) == 0 {
		t.Skipf("nothing to draw: profile.Decode gave %d profiles, %v", len(ps), err)
	}
	return ps
}

// written is what write writes of the profiles of a fuzzed file (see
// decoded), and the profiles; an error fails the test.
func written(t *testing.T, data []byte, write func(io.Writer, []*profile.Profile) error) ([]*profile.Profile, *bytes.Buffer) {
	ps := decoded(t, data)
	var out bytes.Buffer
	if err := write(&out, ps); err != nil {
		t.Fatalf("error = %v; want none", err)
	}
	return ps, &out
}

// FuzzPNG checks the report of any profile file is drawn, within
// maxWidth by MaxHeight.
func FuzzPNG(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		ps := decoded(t, data)
		img, err := PNG(ps, Options{Width: minWidth})
		if err != nil {
			t.Fatalf("PNG error = %v; want none", err)
		}
		if size := img.Bounds().Size(); size.X > maxWidth || size.Y > MaxHeight {
			t.Fatalf("image %v; want at most %dx%d", size, maxWidth, MaxHeight)
		}
	})
}

// maxCSVRow bounds a row of the CSV: a run's and a node's names clipped
// (and quoted, each quote doubled), a time of up to 309 digits, a core's
// number and two fractions.
const maxCSVRow = 2*(2*maxRepeatedName+2) + 330 + 64

// FuzzCSV checks the CSV of any profile file is a row a sample and core,
// each of six fields and at most maxCSVRow bytes.
func FuzzCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, out := written(t, data, CSV)
		rows := 1 // the header
		for _, p := range ps {
			for _, n := range p.NodeLayout() {
				rows += len(p.Frames) * n.Cores
			}
		}
		if out.Len() > rows*maxCSVRow {
			t.Fatalf("CSV of %d rows is %d bytes; want at most %d a row", rows, out.Len(), maxCSVRow)
		}
		records, err := csv.NewReader(out).ReadAll()
		if err != nil || len(records) != rows {
			t.Fatalf("CSV reads back as %d rows (%v); want %d", len(records), err, rows)
		}
	})
}

// FuzzTrace checks the trace of any profile file is JSON, at most a
// thousand times the file's size: every event stands for something in
// the file, and repeats no name longer than maxRepeatedName bytes.
func FuzzTrace(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		_, out := written(t, data, Trace)
		if !json.Valid(out.Bytes()) {
			t.Fatalf("the trace is not JSON: %.200q", out.Bytes())
		}
		if most := 1000*len(data) + 4096; out.Len() > most {
			t.Fatalf("the trace of %d bytes is %d bytes; want at most %d", len(data), out.Len(), most)
		}
	})
}

// FuzzHTML checks the HTML report of any profile file is written, within
// MaxHTMLBytes, its data JSON that the page's script reads.
func FuzzHTML(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		_, out := written(t, data, func(w io.Writer, ps []*profile.Profile) error { return HTML(w, ps, Options{}) })
		if out.Len() > MaxHTMLBytes {
			t.Fatalf("the page is %d bytes; want at most %d", out.Len(), MaxHTMLBytes)
		}
		page := out.String()
		const open = `<script type="application/json" id="corescope-data">`
		i := strings.Index(page, open)
		j := strings.Index(page[max(i, 0):], "</script>")
		if i < 0 || j < 0 || !json.Valid([]byte(page[i+len(open):i+j])) {
			t.Fatalf("the page's data is not JSON: %.300q", page)
		}
	})
}

var writeSeeds = flag.Bool("fuzz-seeds", false, "write the fuzz targets' seed corpus into testdata/fuzz")

// TestWriteFuzzSeeds writes the seed corpus of FuzzPNG, FuzzHTML, FuzzCSV
// and FuzzTrace when given -fuzz-seeds: the fixtures, an old-format file, and
// the hostile profiles the tests of out-of-range values and bounds use,
// small enough that every seed runs within go test.
func TestWriteFuzzSeeds(t *testing.T) {
	if !*writeSeeds {
		t.Skip("writes the seed corpus with -fuzz-seeds")
	}
	seeds := map[string][]byte{}
	add := func(name string, ps ...*profile.Profile) {
		var b bytes.Buffer
		if err := profile.Encode(&b, ps); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		seeds[name] = b.Bytes()
	}
	// Seeds are small, as the fuzzer minimises each new input it finds
	// (for up to a minute each, by default) by cutting bytes away.
	run := func() *profile.Profile {
		return withSlices(withSubject(fixture("cpu/threads", spec.Threads, 2, 5, wave), profile.AttributionExact, wave), 2, 6)
	}
	edited := func(edit func(p *profile.Profile)) *profile.Profile {
		p := run()
		edit(p)
		return p
	}
	command := func(args ...string) *profile.Profile {
		p := fixture("cmd", spec.Sequential, 2, 3, wave)
		p.Spec = spec.Spec{Backend: spec.BackendCommand, Command: args, Interval: p.Spec.Interval}
		return p
	}

	add("runs", fixture("cpu/threads", spec.Threads, 4, 5, wave), fixture("cpu/processes", spec.Processes, 2, 3, gradient(2)))
	add("subject-and-slices", run())
	add("approximate", withSubject(fixture("approx", spec.Processes, 4, 5, wave), profile.AttributionApproximate, gradient(4)))
	add("failed-without-samples", failed(fixture("bad", spec.Threads, 2, 0, wave)))
	add("shim", withShim(withSlices(fixture("shim", spec.Threads, 4, 5, wave), 2, 4), 21))
	add("watch", withSilentNode(watched(3, 2, 5, wave)), fixture("beside", spec.Async, 2, 3, wave))
	add("command", command("python3", "-X", "importtime", "/home/someone/projects/a-rather-long-project-name/pool.py"))
	v1, err := os.ReadFile(filepath.Join("..", "profile", "testdata", "v1.corescope.json"))
	if err != nil {
		t.Fatal(err)
	}
	seeds["v1"] = v1

	add("slice-at-1e300", edited(func(p *profile.Profile) { p.Slices[0].Start, p.Slices[0].End = 1e300, 2e300 }))
	add("sample-at-1e308", edited(func(p *profile.Profile) { p.Frames[len(p.Frames)-1].T = 1e308 }))
	add("wall-at-the-float64-limit", edited(func(p *profile.Profile) {
		huge := math.MaxFloat64
		p.Summary.WallS, p.Summary.Speedup = huge, &huge
	}))
	add("slice-on-core-2147483649", edited(func(p *profile.Profile) { p.Slices[0].CPU = 1<<31 + 1 }))
	add("no-samples-and-a-trillion-cores", edited(func(p *profile.Profile) { p.Frames, p.Machine.LogicalCores = nil, 1<<40 }))
	add("task-events-at-the-end-of-time", edited(func(p *profile.Profile) {
		for i := range p.Events {
			p.Events[i].TNs = math.MaxInt64 - int64(i)
		}
	}))
	nodes := watched(3, 2, 0, wave)
	nodes.Nodes[2].Cores = 1 << 40
	add("node-of-a-trillion-cores-without-samples", nodes)
	add("echo-of-1500-runes", command("/bin/echo", strings.Repeat("a", 1500)))
	long := fixture(strings.Repeat("x", 2000), spec.Threads, 2, 2, wave)
	add("long-label", long, long)
	many := watched(maxNodesDrawn+1, 1, 2, wave)
	for k := range many.Nodes {
		many.Nodes[k].Name, many.Nodes[k].URL = fmt.Sprint(k), ""
	}
	add("more-nodes-than-drawn", many)
	add("more-runs-than-drawn", small(maxDrawnRuns+1)...)

	for _, target := range []string{"FuzzPNG", "FuzzHTML", "FuzzCSV", "FuzzTrace"} {
		dir := filepath.Join("testdata", "fuzz", target)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, data := range seeds {
			corpus := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
			if err := os.WriteFile(filepath.Join(dir, name), []byte(corpus), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
