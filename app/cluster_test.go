package app

import (
	"fmt"
	"image"
	"math"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"corescope/heatmap"
	"corescope/levels"
	"corescope/nodes/nodestest"
)

// clusterHeatmap is a heatmap of nodes nodes of per cores, n one-second
// samples, core c of sample i at load(i, c) (NaN: missing), laid out at
// size.
func clusterHeatmap(t *testing.T, nodes, per, n int, size fyne.Size, load func(i, c int) float64) (*heatmapWidget, []heatmap.Group) {
	t.Helper()
	test.NewTempApp(t)
	h := newHeatmapWidget(nodes*per, n, 1)
	groups := make([]heatmap.Group, nodes)
	for k := range groups {
		groups[k] = heatmap.Group{Name: fmt.Sprintf("node%02d:9100", k), First: k * per, Cores: per}
	}
	h.SetNodes(groups, n)
	row := make(levels.Row, nodes*per)
	for i := range n {
		for c := range row {
			row[c] = levels.Of(load(i, c))
		}
		h.Push(float64(i+1), row, nil)
	}
	w := test.NewTempWindow(t, h)
	w.SetPadded(false)
	w.Resize(size)
	h.Refresh()
	return h, groups
}

// shownTexts are the texts shown on the heatmap, with where they stand.
func shownTexts(t *testing.T, h *heatmapWidget) map[string]float32 {
	out := map[string]float32{}
	for _, o := range test.TempWidgetRenderer(t, h).Objects() {
		if tx, ok := o.(*canvas.Text); ok && tx.Visible() {
			out[tx.Text] = tx.Position().Y
		}
	}
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func TestLiveClusterGroupsByNode(t *testing.T) {
	// 3 nodes of 4 cores in 400 units: every core fits, each node named at
	// its top; only node01's core 2 (core 6) is busy.
	h, _ := clusterHeatmap(t, 3, 4, 20, fyne.NewSize(600, 400), func(_, c int) float64 { return b2f(c == 6) })
	if h.ByNode() {
		t.Fatal("12 cores in 400 units collapsed; want every core")
	}
	bands := h.nodes.bands
	if len(bands) != 3 {
		t.Fatalf("%d bands; want 3", len(bands))
	}
	names := shownTexts(t, h)
	scale := h.heatH / float32(h.nodes.rows)
	for k, b := range bands {
		name := fmt.Sprintf("node%02d:9100", k)
		y, ok := names[name]
		if !ok {
			t.Errorf("%s not shown beside its group; shown: %v", name, names)
			continue
		}
		if top := float32(b.Y0) * scale; math.Abs(float64(y-top)) > 1 {
			t.Errorf("%s at y=%v; want at its group's top, %v", name, y, top)
		}
	}
	// The readout over node01's third core names the node and the core.
	b := bands[1]
	rowsPerCore := float32(b.Y1-b.Y0) / 4
	pos := fyne.NewPos(h.x0+h.width/2, (float32(b.Y0)+2.5*rowsPerCore)*scale)
	text := h.readout(pos)
	if !strings.Contains(text, "node01:9100 · core 2") || !strings.Contains(text, "machine 100%") {
		t.Errorf("readout over node01 core 2 = %q; want the node, the core and its load", text)
	}
	pos.Y = (float32(b.Y0) + 0.5*rowsPerCore) * scale
	if text := h.readout(pos); !strings.Contains(text, "core 0") || !strings.Contains(text, "machine 0%") {
		t.Errorf("readout over node01 core 0 = %q; want core 0 idle", text)
	}
	// Sorted, node01's busy core is its top row, and the readout says so.
	h.SetSorted(true)
	if text := h.readout(pos); !strings.Contains(text, "node01:9100 · #1 busiest core") || !strings.Contains(text, "machine 100%") {
		t.Errorf("sorted, readout over node01's top = %q; want its busiest core at 100%%", text)
	}
	img := test.TempWidgetRenderer(t, h).(*heatmapRenderer).pix
	if got := img.RGBAAt(img.Rect.Dx()/2, int(pos.Y/scale)); got != heatmap.Color(1) {
		t.Errorf("sorted, node01's top row = %v; want busy %v", got, heatmap.Color(1))
	}
}

func TestLiveClusterCollapsesAndOpens(t *testing.T) {
	// 64 nodes of 64 cores in 600 units: too tall, every node a row;
	// node05 never answered.
	h, _ := clusterHeatmap(t, 64, 64, 30, fyne.NewSize(800, 640), func(_, c int) float64 {
		if c/64 == 5 {
			return math.NaN()
		}
		return 0.5
	})
	if !h.ByNode() {
		t.Fatal("4,096 cores in 600 units shows every core; want a row a node")
	}
	for _, b := range h.nodes.bands {
		if !b.Collapsed {
			t.Fatalf("band %+v expanded; want all collapsed", b)
		}
	}
	scale := h.heatH / float32(h.nodes.rows)
	middle := func(k int) fyne.Position {
		b := h.nodes.bands[k]
		return fyne.NewPos(h.x0+h.width/2, float32(b.Y0+b.Y1)/2*scale)
	}
	if text := h.readout(middle(3)); !strings.Contains(text, "node03:9100") || !strings.Contains(text, "50%") {
		t.Errorf("readout over collapsed node03 = %q; want the node and its mean load", text)
	}
	if text := h.readout(middle(5)); !strings.Contains(text, "not measured") {
		t.Errorf("readout over node05, which never answered = %q; want not measured", text)
	}
	h.Tapped(&fyne.PointEvent{Position: middle(3)})
	for k, b := range h.nodes.bands {
		if b.Collapsed != (k != 3) {
			t.Errorf("after a click on node03, band %d collapsed = %v; want only node03 open", k, b.Collapsed)
		}
	}
	b := h.nodes.bands[3]
	if rows := b.Y1 - b.Y0; rows < 64 {
		t.Errorf("node03 opened to %d rows; want at least a row a core", rows)
	}
	// Its cores now read as cores.
	pos := fyne.NewPos(h.x0+h.width/2, float32(b.Y0+1)*scale)
	if text := h.readout(pos); !strings.Contains(text, "node03:9100 · core 0") {
		t.Errorf("readout over opened node03 = %q; want its core 0", text)
	}
	h.Tapped(&fyne.PointEvent{Position: pos})
	if !h.nodes.bands[3].Collapsed {
		t.Error("a second click left node03 open; want it collapsed again")
	}
	h.SetByNode(false)
	if h.ByNode() || h.nodes.bands[0].Collapsed {
		t.Error("Every core still collapsed; want every core shown")
	}
}

func TestClusterSourceValidatesAndPersists(t *testing.T) {
	a := test.NewTempApp(t)
	u := New(a, Options{})
	u.ctl.backend.SetSelected(backendCluster)
	if u.status.Text != readyCluster {
		t.Errorf("status = %q; want %q", u.status.Text, readyCluster)
	}
	c := u.ctl.cluster
	c.nodes.SetText("127.0.0.1:9100")
	fits := u.win.Content().MinSize().Width
	bad := "not a node, but a long line pasted by mistake: " + strings.Repeat("x", 200)
	test.Type(c.nodes, "\n"+bad+"\n")
	err := c.nodes.Validate()
	if err == nil || !strings.Contains(err.Error(), "line 2") || strings.Contains(err.Error(), "mistake") {
		t.Errorf("nodes field error = %v; want line 2 named in a few words, without the text typed", err)
	}
	if w := u.win.Content().MinSize().Width; w > fits {
		t.Errorf("with a long bad line the window needs %.0f px across; want no more than with a good one (%.0f)", w, fits)
	}
	if u.ctl.valid() || !u.runBtn.Disabled() {
		t.Error("Run enabled with a bad node line")
	}
	if _, err := c.options(); err == nil || !strings.HasPrefix(err.Error(), "Nodes: line 2") {
		t.Errorf("options() error = %v; want it to name the field and the line", err)
	}
	c.nodes.SetText("127.0.0.1:9100\nhttp://127.0.0.1:9101/metrics\n 127.0.0.1:9100")
	if err := c.nodes.Validate(); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("nodes field error with line 3 repeating line 1 = %v; want line 3 named", err)
	}
	if _, err := c.options(); err == nil || !strings.HasPrefix(err.Error(), "Nodes: line 3") || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("options() error with a node given twice = %v; want line 3 named, given twice", err)
	}
	c.nodes.SetText("127.0.0.1:9100\nhttp://127.0.0.1:9101/metrics")
	for _, tc := range []struct {
		f     *field
		text  string
		field string
	}{{c.interval, "10ms", "Every"}, {c.interval, "often", "Every"}, {c.duration, "-1s", "For"}} {
		tc.f.SetText(tc.text)
		if _, err := c.options(); err == nil || !strings.HasPrefix(err.Error(), tc.field+": ") {
			t.Errorf("with %q, options() error = %v; want it to name %s", tc.text, err, tc.field)
		}
		tc.f.SetText("")
	}
	c.interval.SetText("")
	c.duration.SetText("")
	opt, err := c.options()
	if err != nil || len(opt.Addresses) != 2 || opt.Interval != time.Second || opt.Duration != 0 {
		t.Errorf("options() = %+v, %v; want 2 nodes every 1s until Stop", opt, err)
	}
	if !u.ctl.valid() || u.runBtn.Disabled() {
		t.Error("Run disabled with two good nodes")
	}
	c.interval.SetText("500ms")
	c.duration.SetText("10m")

	// The next launch has the same source and fields.
	u2 := New(a, Options{})
	c2 := u2.ctl.cluster
	if u2.ctl.backend.Selected != backendCluster || c2.nodes.Text != c.nodes.Text ||
		c2.interval.Text != "500ms" || c2.duration.Text != "10m" {
		t.Errorf("next launch: %q, nodes %q, every %q, for %q; want the Cluster source as left",
			u2.ctl.backend.Selected, c2.nodes.Text, c2.interval.Text, c2.duration.Text)
	}
	if !c2.form.Visible() || u2.ctl.goForm.Visible() || u2.ctl.rateForm.Visible() {
		t.Error("next launch shows other sources' rows; want the Cluster source's alone")
	}
}

func TestWatchInTheWindow(t *testing.T) {
	// A node_exporter on a fixture of 4 cores at known loads, and an
	// address where no one answers.
	fx := nodestest.NewStatFixture(t, nodestest.Core{Load: 0.9}, nodestest.Core{Load: 0.1},
		nodestest.Core{Load: 0.5}, nodestest.Core{Load: 0})
	ex := nodestest.Exporter(t, fx.Dir)
	gone := nodestest.RefusingAddr(t)
	u, loop := newTestUI(t, Options{}, nil)
	u.win.Resize(fyne.NewSize(1280, 800))
	u.ctl.backend.SetSelected(backendCluster)
	u.ctl.cluster.nodes.SetText(ex.Addr + "\n" + gone)
	u.ctl.cluster.interval.SetText("200ms")
	u.Run()
	if u.job == nil {
		t.Fatalf("Run did not start a watch: %s", u.status.Text)
	}
	loop.until(t, 20*time.Second, "5 frames grouped by node", func() bool {
		return u.live.heat.Grouped() && u.live.heat.tl.series.Len() >= 5
	})
	h := u.live.heat
	groups := h.tl.nodes.Groups()
	if len(groups) != 2 || groups[0].Name != ex.Addr || groups[0].Cores != 4 {
		t.Fatalf("groups = %+v; want %s's 4 cores, then the silent node", groups, ex.Addr)
	}
	if strings.Count(u.status.Text, gone) != 1 {
		t.Errorf("status = %q; want it to name the node that does not answer, %s, once", u.status.Text, gone)
	}
	if want := "Cluster of 2 nodes: "; !strings.HasPrefix(u.live.text, want) {
		t.Errorf("figures = %q; want them to start %q", u.live.text, want)
	}
	if _, ok := shownTexts(t, h)[ex.Addr]; !ok {
		t.Errorf("the picture does not show the node's name %s beside it", ex.Addr)
	}
	// The fixture's cores read as their loads in the picture's last column.
	_, _, machine, _ := h.tl.series.Column(h.tl.series.Len() - 1)
	for c, want := range []float64{0.9, 0.1, 0.5, 0} {
		if got := machine.At(c); math.Abs(got-want) > 0.05 {
			t.Errorf("core %d = %.2f; want %.2f", c, got, want)
		}
	}
	img := test.TempWidgetRenderer(t, h).(*heatmapRenderer).pix
	if n := busyPixels(img, 0.8); n == 0 {
		t.Error("no pixel of the picture shows core 0's 90%")
	}
	u.Stop()
	loop.until(t, 10*time.Second, "the watch to stop", func() bool { return u.job == nil })
	if len(u.runs) != 1 || len(u.runs[0].Nodes) != 2 || len(u.runs[0].Frames) < 5 {
		t.Fatalf("after Stop the session holds %d runs; want the watch with its 2 nodes and frames", len(u.runs))
	}
	// The watch is concluded where it joins the session: named by its
	// nodes, with the cluster's verdict, which Live shows.
	w := u.runs[0]
	if w.Label != "watch of 2 nodes" || !strings.HasPrefix(w.Summary.Verdict, "2 nodes, 4 cores: ") || !strings.Contains(u.live.text, w.Summary.Verdict) {
		t.Errorf("watch named %q, verdict %q, Live says %q; want \"watch of 2 nodes\" and the cluster's verdict shown", w.Label, w.Summary.Verdict, u.live.text)
	}
	if u.live.note.Visible() {
		t.Errorf("Live notes %q over a watch; want no word of a subject", u.live.note.Text)
	}
	if !u.live.heat.Grouped() || u.live.heat.Cores() != 4 {
		t.Errorf("the watch shown after Stop: grouped %v, %d cores; want its 4 cores by node", u.live.heat.Grouped(), u.live.heat.Cores())
	}
}

// busyPixels counts the pixels of img at least as bright (by their green,
// which grows along the colour scale) as a core busy frac.
func busyPixels(img *image.RGBA, frac float64) int {
	want := heatmap.Color(frac).G
	n := 0
	for y := range img.Rect.Dy() {
		for x := range img.Rect.Dx() {
			if c := img.RGBAAt(x, y); c.A == 0xff && c.G >= want && c != heatmap.SeparatorColor {
				n++
			}
		}
	}
	return n
}

// TestLiveClusterNodeWithoutCores points at the band of a node that never
// answered, and so has no cores, after one whose cores are all busy: the
// readout says it gave no figure, not the other node's last core as its
// "core -1".
func TestLiveClusterNodeWithoutCores(t *testing.T) {
	test.NewTempApp(t)
	h := newHeatmapWidget(4, 10, 1)
	h.SetNodes([]heatmap.Group{{Name: "a:9100", First: 0, Cores: 4}, {Name: "b:9100", First: 4, Cores: 0}}, 10)
	for i := range 10 {
		h.Push(float64(i+1), levels.Row{levels.Steps, levels.Steps, levels.Steps, levels.Steps}, nil)
	}
	w := test.NewTempWindow(t, h)
	w.Resize(fyne.NewSize(600, 400))
	h.Refresh()
	b := h.nodes.bands[1]
	scale := h.heatH / float32(h.nodes.rows)
	text := h.readout(fyne.NewPos(h.x0+h.width/2, (float32(b.Y0+b.Y1)/2)*scale))
	if !strings.Contains(text, "b:9100\nno figure") {
		t.Errorf("readout over node b, of no cores = %q; want b, no figure", text)
	}
}
