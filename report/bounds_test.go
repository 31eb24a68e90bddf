package report

import (
	"fmt"
	"image"
	"runtime"
	"strings"
	"testing"
	"time"

	"corescope/levels"
	"corescope/profile"
	"corescope/spec"
)

// small is n runs of one sample of 4 cores each, as many small profiles
// given to report --png.
func small(n int) []*profile.Profile {
	ps := make([]*profile.Profile, n)
	for i := range ps {
		ps[i] = &profile.Profile{Label: fmt.Sprintf("run %d", i),
			Spec:    spec.Spec{Backend: spec.BackendGo, Workload: spec.CPU, Model: spec.Threads, Tasks: 4, Size: 1, Interval: spec.Duration(100 * time.Millisecond)},
			Machine: profile.Machine{LogicalCores: 4}, Frames: []profile.Frame{{T: 0.1, Busy: make(levels.Row, 4)}},
			Summary: profile.Summary{WallS: 0.1, SubjectEndS: 0.1}}
	}
	return ps
}

// allocated is how many bytes draw allocates.
func allocated(draw func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	draw()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// drawnWithin draws the report of ps, checks its size is its layout's and
// within MaxHeight, and returns its layout and the bytes drawing took.
func drawnWithin(t *testing.T, ps []*profile.Profile) (Layout, uint64) {
	t.Helper()
	l := Locate(ps, Options{})
	if l.Size.Y > MaxHeight { // before drawing: the old code asked for 49 GB
		t.Fatalf("the report of %d runs is %v; want at most %d px high", len(ps), l.Size, MaxHeight)
	}
	var img image.Image
	var err error
	bytes := allocated(func() { img, err = PNG(ps, Options{}) })
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Size(); got != l.Size {
		t.Errorf("image size = %v; want its layout's %v", got, l.Size)
	}
	return l, bytes
}

// TestPNGOfManyRuns draws 200 and 20,000 small runs: both draw the first
// 16 and list as many as the table holds, in the same room, and say what
// they leave out; the 20,000 cost little more memory than the 200 (the
// old code made a 1600x116,714 image of 200 and asked for 49 GB for
// 20,000).
func TestPNGOfManyRuns(t *testing.T) {
	var bytes [2]uint64
	for k, n := range []int{200, 20_000} {
		ps := small(n)
		l, b := drawnWithin(t, ps)
		bytes[k] = b
		t.Logf("%d runs: %v, %d MB allocated", n, l.Size, b>>20)
		if len(l.Runs) != maxDrawnRuns || l.Omitted.Empty() {
			t.Errorf("%d runs: %d drawn, omitted line %v; want %d and a line that says so", n, len(l.Runs), l.Omitted, maxDrawnRuns)
		}
		if l.Listed < maxDrawnRuns || l.Listed >= n || l.Unlisted.Empty() {
			t.Errorf("%d runs: the table lists %d, then %v; want more than those drawn, fewer than all, and a line that says so", n, l.Listed, l.Unlisted)
		}
		if l.Table.Dy() > maxTableH {
			t.Errorf("%d runs: the table is %d px high; want at most %d", n, l.Table.Dy(), maxTableH)
		}
	}
	if bytes[1] > bytes[0]+bytes[0]/2 {
		t.Errorf("drawing 20,000 runs allocated %d MB, 200 runs %d MB; want about the same", bytes[1]>>20, bytes[0]>>20)
	}
}

// TestPNGOfManyNodes draws a watch of 20,000 one-core nodes: the heatmap
// is one machine's of all their cores, 256 nodes get a bar and a line, 64
// a row in the node table, and memory is about that of 300 nodes (the old
// code made a 1600x673,114 image).
func TestPNGOfManyNodes(t *testing.T) {
	var bytes [2]uint64
	for k, n := range []int{300, 20_000} {
		p := watched(n, 1, 3, wave)
		l, b := drawnWithin(t, []*profile.Profile{p})
		bytes[k] = b
		t.Logf("%d nodes: %v, %d MB allocated", n, l.Size, b>>20)
		r := l.Runs[0]
		if r.Nodes != nil || r.Heatmap.Dy() > maxHeatmapH {
			t.Errorf("%d nodes: %d bands in a heatmap %d px high; want none (ungrouped), at most %d px", n, len(r.Nodes), r.Heatmap.Dy(), maxHeatmapH)
		}
		if got, want := len(tableNodeRows(p)), maxNodeRows+1; got != want {
			t.Errorf("%d nodes: %d rows in the node table; want %d and all", n, got, maxNodeRows)
		}
		if got := len(nodeLooks(p)); got != maxNodesDrawn {
			t.Errorf("%d nodes: %d drawn in the chart and bars; want %d", n, got, maxNodesDrawn)
		}
	}
	if bytes[1] > 2*bytes[0] {
		t.Errorf("drawing 20,000 nodes allocated %d MB, 300 nodes %d MB; want about the same", bytes[1]>>20, bytes[0]>>20)
	}
}

// TestClusterHeatmapBounds checks each way a cluster's heatmap is laid
// out stays within its bound: expanded within maxClusterH, collapsed
// within maxHeatmapH and at least 2 rows a node, ungrouped past
// maxNodesDrawn.
func TestClusterHeatmapBounds(t *testing.T) {
	for _, tt := range []struct {
		nodes, per int
		collapsed  bool
		most       int
	}{
		{2, 4, false, maxClusterH},
		{256, 1, false, maxClusterH},
		{64, 64, true, maxHeatmapH},
		{256, 64, true, maxHeatmapH},
	} {
		p := watched(tt.nodes, tt.per, 2, wave)
		h, bands := clusterRows(p)
		if h > tt.most || len(bands) != tt.nodes {
			t.Errorf("%d nodes of %d: %d px, %d bands; want at most %d px, a band a node", tt.nodes, tt.per, h, len(bands), tt.most)
		}
		for _, b := range bands {
			if b.Collapsed != tt.collapsed || b.Y1-b.Y0 < 2 {
				t.Fatalf("%d nodes of %d: band %+v; want collapsed %v, 2 rows at least", tt.nodes, tt.per, b, tt.collapsed)
			}
		}
	}
	if h, bands := clusterRows(watched(maxNodesDrawn+1, 1, 2, wave)); bands != nil || h > maxHeatmapH {
		t.Errorf("%d nodes: %d px, %d bands; want ungrouped, at most %d px", maxNodesDrawn+1, h, len(bands), maxHeatmapH)
	}
}

// TestPNGDrawsSixteenHeavyRunsInFull lays out 16 runs of the processes
// model on 256 cores, 32 worker processes each with their thread lanes,
// an attribution note, and a name and verdict so long that every text of
// its header is at its bound: all 16 are drawn.
func TestPNGDrawsSixteenHeavyRunsInFull(t *testing.T) {
	heavy := withSlices(withSubject(fixture("pool", spec.Processes, 256, 100, wave), profile.AttributionApproximate, wave), 32, 3200)
	for k := range heavy.Threads {
		heavy.Threads[k].PID = 1000 + k // a process a thread
	}
	heavy.Summary.Verdict = strings.Repeat("the workers took turns ", 10_000)
	ps := make([]*profile.Profile, maxDrawnRuns+1)
	for i := range ps {
		p := *heavy
		p.Label = fmt.Sprintf("pool %d %s", i, strings.Repeat("long name ", 1000)) // a group each
		ps[i] = &p
	}
	l := Locate(ps, Options{})
	t.Logf("a heavy run is %d px high", l.Runs[1].Why.Rect.Max.Y-l.Runs[0].Why.Rect.Max.Y)
	if len(l.Runs) != maxDrawnRuns || l.Size.Y > MaxHeight {
		t.Errorf("17 heavy runs: %d drawn, %d px high; want %d, at most %d", len(l.Runs), l.Size.Y, maxDrawnRuns, MaxHeight)
	}
	if r := l.Runs[0]; r.Note.Empty() || r.Threads.Dy() < maxLanes*laneH {
		t.Errorf("a heavy run: note %v, threads %v; want both", r.Note, r.Threads)
	}
}

// TestTableCutsAVeryLongCommand checks that a command of 100,000 runes
// takes maxModelLines lines of the table, the last cut with an ellipsis.
func TestTableCutsAVeryLongCommand(t *testing.T) {
	tf, err := newTypeface()
	if err != nil {
		t.Fatal(err)
	}
	p := fixture("echo", spec.Sequential, 2, 5, wave)
	p.Spec = spec.Spec{Backend: spec.BackendCommand, Command: []string{"/bin/echo", strings.Repeat("a", 100_000)}, Interval: p.Spec.Interval}
	lines := modelLines(tf, p, DefaultWidth-2*margin)
	if len(lines) != maxModelLines || !strings.HasSuffix(lines[len(lines)-1], "…") {
		t.Errorf("%d lines, the last %q; want %d, the last cut", len(lines), lines[len(lines)-1], maxModelLines)
	}
}

// TestPNGWidthBounds checks that a width past maxWidth is clamped.
func TestPNGWidthBounds(t *testing.T) {
	if got := Locate(small(1), Options{Width: 1 << 30}).Size.X; got != maxWidth {
		t.Errorf("width 2^30 gives %d px; want %d", got, maxWidth)
	}
}
