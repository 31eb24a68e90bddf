package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"corescope/levels"
	"corescope/profile"
	"corescope/profile/profiletest"
	"corescope/runtext"
	"corescope/spec"
)

// pageOf writes the HTML report of ps and returns it and the data its
// script draws.
func pageOf(t *testing.T, ps []*profile.Profile) (string, pageData) {
	t.Helper()
	var out bytes.Buffer
	if err := HTML(&out, ps, Options{Date: started}); err != nil {
		t.Fatal(err)
	}
	page := out.String()
	m := regexp.MustCompile(`(?s)<script type="application/json" id="corescope-data">(.*?)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page holds no data")
	}
	var d pageData
	if err := json.Unmarshal([]byte(m[1]), &d); err != nil {
		t.Fatalf("the page's data: %v", err)
	}
	return page, d
}

func TestHTMLRefusesNothingToShow(t *testing.T) {
	var out bytes.Buffer
	if err := HTML(&out, nil, Options{}); !errors.Is(err, errNoRuns) {
		t.Errorf("HTML of no runs: %v; want %v", err, errNoRuns)
	}
	ps := htmlFixture()
	if err := HTML(&out, []*profile.Profile{ps[0], nil}, Options{}); err == nil || err.Error() != "run 2 is missing" {
		t.Errorf("HTML with a missing run: %v; want run 2 named", err)
	}
	if out.Len() != 0 {
		t.Errorf("HTML wrote %d bytes before refusing", out.Len())
	}
}

// TestHTMLLoadsNothing: the page holds its style, script and data, and
// names nothing to load: no address, no source, no stylesheet.
func TestHTMLLoadsNothing(t *testing.T) {
	page, _ := pageOf(t, htmlFixture())
	for _, s := range []string{"http:", "https:", "src=", "href=", "url(", "@import", "<link", "//cdn"} {
		if strings.Contains(page, s) {
			t.Errorf("the page holds %q: it must load nothing", s)
		}
	}
	if !strings.Contains(page, "<title>corescope report: threads, sequential</title>") {
		t.Errorf("the page's title does not name its runs: %.300s", page)
	}
}

// TestHTMLWordsAreRuntext: the page shows the words every view of a run
// shows (runtext's), never its own.
func TestHTMLWordsAreRuntext(t *testing.T) {
	ps := htmlFixture()
	ps[1].Summary.Speedup = nil
	_, d := pageOf(t, ps)
	for i, p := range ps {
		r := d.Runs[i]
		if r.Verdict != runtext.Outcome(p) || r.Note != runtext.Attribution(p) || r.How != runtext.Model(p.Spec) {
			t.Errorf("run %d's words = %q, %q, %q; want runtext's", i, r.Verdict, r.Note, r.How)
		}
		row := d.Table.Rows[i]
		var want []string
		for _, tc := range tableColumns {
			want = append(want, tc.col.Cell(p))
		}
		if !slices.Equal(row.Cells, want) {
			t.Errorf("run %d's row = %q; want %q", i, row.Cells, want)
		}
		notes := runtext.Notes(runtext.Rows(ps)[i]) // the noise of the others the fixture recorded
		if w := strings.Join(append(notes, runtext.Outcome(p)+". "+runtext.Why(p)), " "); row.Why != w {
			t.Errorf("run %d's why = %q; want %q", i, row.Why, w)
		}
	}
	if d.Table.Rows[1].Speed != 0 || d.Table.Rows[0].Speed != 1 || d.Table.Rows[0].Wall != 1 {
		t.Errorf("bars = %+v; want the longest and fastest full, none without a speedup", d.Table.Rows)
	}
	if l := d.Runs[0].Lanes; l == nil || l.Count != 6 || !l.Exact || len(l.Groups) != 2 || l.Start.N != 300 {
		t.Errorf("run 0's lanes = %+v; want 6 exact lanes in 2 processes with 300 slices", l)
	}
	if l := d.Runs[1]; l.Lanes != nil || l.NoLanes != "No thread lanes: "+runtext.NoThreads(ps[1])+"." {
		t.Errorf("run 1's lanes = %+v, %q; want none, and why", l.Lanes, l.NoLanes)
	}
}

// TestHTMLSampledLanes: a run without the switch records gets a lane per
// thread from its samples, each sample on the core the thread last ran on.
func TestHTMLSampledLanes(t *testing.T) {
	p := withSubject(fixture("threads", spec.Threads, 2, 4, wave), profile.AttributionApproximate, wave)
	for i := range p.Frames {
		p.Frames[i].ThreadSamples = []profile.ThreadSample{{PID: 100, TID: 101, CPU: 0.05, Core: i % 2}, {PID: 100, TID: 102, CPU: 0, Core: 1}}
	}
	_, d := pageOf(t, []*profile.Profile{p})
	l := d.Runs[0].Lanes
	if l == nil || l.Exact || l.Count != 1 || l.Start.N != 4 || l.Groups[0].Detail != "1 thread, sampled" {
		t.Fatalf("lanes of a sampled run = %+v; want one sampled lane of 4 samples (the idle thread has none)", l)
	}
}

// TestHTMLExtraFindings: the findings a summary holds beyond what the page
// knows (reasons, phases) go to the page as their JSON, and one too large
// for it is named and left out.
func TestHTMLExtraFindings(t *testing.T) {
	big := `[` + strings.Repeat(`{"name":"x","share":0.5},`, maxHTMLExtra/20) + `{}]`
	got := extraFrom([]byte(`{"wall_s":1,"reasons":[{"name":"took turns","hand_overs":120}],"phases":` + big + `}`))
	if len(got) != 2 || got[0].Name != "reasons" || string(got[0].Value) != `[{"name":"took turns","hand_overs":120}]` ||
		got[1].Name != "phases" || got[1].Value != nil || !strings.Contains(got[1].Left, "too large") {
		t.Errorf("extra findings = %+v; want the reasons as written and the phases left out", got)
	}
	if got := extraFrom([]byte(`{"wall_s":1,"reasons":null,"phases":[]}`)); len(got) != 0 {
		t.Errorf("extra findings of a summary without any = %+v; want none", got)
	}
}

func TestFairShares(t *testing.T) {
	for _, tt := range []struct {
		needs []int
		total int
		want  []int
	}{
		{[]int{10, 20}, 100, []int{10, 20}},
		{[]int{100, 10, 100}, 90, []int{40, 10, 40}},
		{[]int{1000, 0}, 50, []int{50, 0}},
		{nil, 10, []int{}},
	} {
		if got := fairShares(tt.needs, tt.total); !slices.Equal(got, tt.want) {
			t.Errorf("fairShares(%v, %d) = %v; want %v", tt.needs, tt.total, got, tt.want)
		}
	}
}

// hostile is profiles at or past every bound of the HTML report, with
// figures that do not compress: an hour of 256 cores of random loads,
// runs of the most slices of 32 threads at random times and 100,000
// tasks, a run of 2,000 folded processes, texts of a megabyte, and more
// runs than a report draws.
func hostile() []*profile.Profile {
	rng := rand.New(rand.NewPCG(1, 2))
	long := strings.Repeat("x", 1<<20)
	hour := profiletest.OneHour(256)
	for i := range hour.Frames {
		for _, row := range []levels.Row{hour.Frames[i].Busy, hour.Frames[i].SubjectBusy} {
			for c := range row {
				row[c] = levels.Level(rng.IntN(255))
			}
		}
	}
	ps := []*profile.Profile{hour}
	for k := range 3 {
		p := withSubject(fixture(fmt.Sprintf("slices %d", k), spec.Threads, 64, 600, wave), profile.AttributionExact, wave)
		p.Slices = make([]profile.Slice, profile.MaxSlices)
		for i := range p.Slices {
			start := rng.Float64() * 60
			p.Slices[i] = profile.Slice{PID: 100, TID: 101 + rng.IntN(32), CPU: rng.IntN(64), Start: start, End: start + rng.Float64()*0.01}
		}
		for task := range 100_000 {
			at := started.UnixNano() + rng.Int64N(60e9)
			p.Events = append(p.Events, spec.Event{Ev: spec.EvTaskStart, Task: task, PID: 100, TID: 101 + task%32, TNs: at},
				spec.Event{Ev: spec.EvTaskEnd, Task: task, PID: 100, TID: 101 + task%32, TNs: at + rng.Int64N(1e9)})
		}
		ps = append(ps, p)
	}
	fold := withSubject(fixture("fold", spec.Threads, 4, 100, wave), profile.AttributionExact, wave)
	fold.Slices = append(fold.Slices, profile.Slice{PID: 1, TID: 1, Start: 0.1, End: 9})
	for pid := 2; pid < 2002; pid++ {
		for tid := range 2 {
			fold.Slices = append(fold.Slices, profile.Slice{PID: pid, TID: pid*10 + tid, Start: 1 + float64(pid)/1e3, End: 1 + float64(pid)/1e3 + 1e-5})
		}
	}
	ps = append(ps, fold)
	for len(ps) < maxDrawnRuns+4 {
		ps = append(ps, fixture("small", spec.Sequential, 4, 10, wave))
	}
	for _, p := range ps {
		p.Label, p.Summary.Verdict, p.Summary.AttributionNote, p.Error = long, long, long, long
		p.Spec.Backend, p.Spec.Command = spec.BackendCommand, []string{long}
	}
	return ps
}

// TestHTMLBounded: the report of profiles past every bound stays within
// MaxHTMLBytes, keeps what its bounds allow, and says what it left out.
func TestHTMLBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a report of 16 MB")
	}
	ps := hostile()
	page, d := pageOf(t, ps)
	t.Logf("the report of every bound: %.1f MB", float64(len(page))/1e6)
	if len(page) > MaxHTMLBytes {
		t.Errorf("the report of every bound is %d bytes; want at most %d", len(page), MaxHTMLBytes)
	}
	if len(d.Runs) != maxDrawnRuns || !strings.Contains(d.Omitted, fmt.Sprintf("16 of %d runs drawn", len(ps))) {
		t.Errorf("%d runs drawn, omitted %q; want %d and a note", len(d.Runs), d.Omitted, maxDrawnRuns)
	}
	cells, sl, tasks := 0, 0, 0
	for _, r := range d.Runs {
		if len(r.Name) > maxRepeatedName+len(ellipsis) || len(r.Verdict) > maxHTMLText || len(r.How) > maxHTMLText || len(r.Note) > maxHTMLText {
			t.Errorf("run %.20q keeps texts of %d, %d, %d, %d bytes; want them clipped", r.Name, len(r.Name), len(r.Verdict), len(r.How), len(r.Note))
		}
		if r.Cols != nil {
			cells += r.Cols.Busy.N
		}
		if r.Lanes != nil {
			sl += r.Lanes.Start.N
			tasks += r.Lanes.TaskStart.N
			if len(r.Lanes.Threads) > maxLaneThreads {
				t.Errorf("run %.20q names %d threads; want at most %d", r.Name, len(r.Lanes.Threads), maxLaneThreads)
			}
		}
	}
	if cells > maxHTMLCells || sl > maxHTMLSlices || tasks > maxHTMLTasks {
		t.Errorf("the page keeps %d cells, %d slices, %d tasks; want at most %d, %d, %d", cells, sl, tasks, maxHTMLCells, maxHTMLSlices, maxHTMLTasks)
	}
	hour := d.Runs[0]
	if hour.Cols.Merged < 2 || len(hour.Left) == 0 || !strings.Contains(hour.Left[0], "36,000 samples kept as") {
		t.Errorf("the hour of 256 cores: merged %d, left %q; want its samples merged, and said", hour.Cols.Merged, hour.Left)
	}
	if notes := strings.Join(d.Runs[1].Lanes.Notes, "; "); !strings.Contains(notes, "earliest slices left out") {
		t.Errorf("a run of the most slices says %q; want the slices left out said", notes)
	}
	if notes := strings.Join(d.Runs[4].Lanes.Notes, "; "); !strings.Contains(notes, "of threads past the first 1,024 left out") {
		t.Errorf("a fold of 2,000 processes says %q; want the threads left out said", notes)
	}
	if !strings.Contains(d.Table.Unlisted, "not listed here") && len(d.Table.Rows) < len(ps) {
		t.Errorf("the table lists %d of %d runs and says %q; want what it leaves out", len(d.Table.Rows), len(ps), d.Table.Unlisted)
	}
}

// TestHTMLWatchHasNoSubject: a watch of nodes runs nothing, so its page
// draws no subject's life under it (its summary's span drew one).
func TestHTMLWatchHasNoSubject(t *testing.T) {
	_, d := pageOf(t, []*profile.Profile{watched(2, 2, 5, wave)})
	if r := d.Runs[0]; !r.Watched || r.Life != nil || r.Subject {
		t.Errorf("a watch's run = watched %v, life %v, subject %v; want a watch without a subject", r.Watched, r.Life, r.Subject)
	}
}
