package report

import (
	"context"
	"encoding/base64"
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"corescope/heatmap"
	"corescope/internal/browsertest"
	"corescope/lanes"
	"corescope/levels"
	"corescope/profile"
	"corescope/runtext"
	"corescope/spec"
)

// The browser tests open the HTML report in a real headless Chromium and
// check what a person would see: that it draws without an error, the
// heatmaps' pixels are the profile's loads in the window's colours, and
// the wheel, the keys and the pointer change what is shown.

// The Chromium the browser tests share, started by the first (about a
// second and a half) and ended by TestMain; each test opens its own tab.
var (
	chromiumOnce sync.Once
	chromium     *browsertest.Browser
	chromiumErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if chromium != nil {
		chromium.Close()
	}
	os.Exit(code)
}

// browser is the headless Chromium of the browser tests, which make test
// requires (CORESCOPE_BROWSER=1: make deps installs it); elsewhere a
// machine without it skips them.
func browser(t *testing.T) *browsertest.Browser {
	t.Helper()
	path := browsertest.Find()
	if path == "" {
		if os.Getenv("CORESCOPE_BROWSER") != "" {
			t.Fatal(browsertest.ErrNoChromium)
		}
		t.Skip(browsertest.ErrNoChromium)
	}
	chromiumOnce.Do(func() { chromium, chromiumErr = browsertest.Start(path) })
	if chromiumErr != nil {
		t.Fatal(chromiumErr)
	}
	return chromium
}

// htmlFixture is the runs the browser tests open: an exact threads run of
// 4 cores and 20 samples of 0.1 s, its subject at half the machine's
// wave, with 300 back-to-back slices of 6 ms on 6 threads in two
// processes; and a sequential run of half as many samples whose second
// half is busy, approximate, without lanes.
func htmlFixture() []*profile.Profile {
	return []*profile.Profile{
		withSlices(withSubject(fixture("threads", spec.Threads, 4, 20, wave), profile.AttributionExact,
			func(s, c int) float64 { return wave(s, c) / 2 }), 6, 300),
		withSubject(fixture("sequential", spec.Sequential, 4, 10, secondHalf(10)), profile.AttributionApproximate, secondHalf(10)),
	}
}

// openReport writes the HTML report of ps and opens it in b, width x
// height, waiting until it has drawn; it returns the page and the file.
func openReport(t *testing.T, ctx context.Context, b *browsertest.Browser, ps []*profile.Profile, width, height int) (*browsertest.Page, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	if err := WriteHTML(path, ps, Options{}); err != nil {
		t.Fatal(err)
	}
	return openFile(t, ctx, b, path, width, height), path
}

// openFile opens the page path in b, width x height, waiting until it has
// drawn.
func openFile(t *testing.T, ctx context.Context, b *browsertest.Browser, path string, width, height int) *browsertest.Page {
	t.Helper()
	page, err := b.Open(ctx, "file://"+path, width, height)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { page.Close(context.Background()) })
	if err := page.Wait(ctx, "window.corescope && corescope.ready"); err != nil {
		t.Fatal(err)
	}
	return page
}

// noProblems fails t when the page logged an error or a warning, threw,
// or fetched anything but itself.
func noProblems(t *testing.T, ctx context.Context, page *browsertest.Page, path string) {
	t.Helper()
	var errs []string
	if err := page.Eval(ctx, "corescope.errors", &errs); err != nil {
		t.Fatal(err)
	}
	// Chromium's advice to a page that reads its canvases back often is
	// about this test's readbacks, which the page itself never makes.
	all := slices.DeleteFunc(append(errs, page.Problems()...), func(s string) bool { return strings.Contains(s, "willReadFrequently") })
	if len(all) > 0 {
		t.Errorf("the page reported problems:\n%s", strings.Join(all, "\n"))
	}
	for _, u := range page.Fetched() {
		if u != "file://"+path {
			t.Errorf("the page fetched %q: it must load nothing but itself", u)
		}
	}
}

// box is an element's place in the viewport, in CSS pixels.
type place struct{ X, Y, Width, Height float64 }

func rectOf(t *testing.T, ctx context.Context, page *browsertest.Page, sel string) place {
	t.Helper()
	var r place
	if err := page.Eval(ctx, fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect();
		return {X: r.x, Y: r.y, Width: r.width, Height: r.height}; })()`, sel), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// canvasPixels are a canvas's pixels, RGBA.
type canvasPixels struct {
	W, H int
	Data []byte
}

func (c canvasPixels) at(x, y int) color.RGBA {
	o := 4 * (y*c.W + x)
	return color.RGBA{c.Data[o], c.Data[o+1], c.Data[o+2], c.Data[o+3]}
}

// pixelsOf reads the pixels of the canvas sel in the page.
func pixelsOf(t *testing.T, ctx context.Context, page *browsertest.Page, sel string) canvasPixels {
	t.Helper()
	var out struct {
		W, H int
		Data string
	}
	js := fmt.Sprintf(`(() => { const c = document.querySelector(%q);
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
		let s = '';
		for (let i = 0; i < d.length; i += 8192) s += String.fromCharCode.apply(null, d.subarray(i, i + 8192));
		return {W: c.width, H: c.height, Data: btoa(s)}; })()`, sel)
	if err := page.Eval(ctx, js, &out); err != nil {
		t.Fatal(err)
	}
	data, err := base64.StdEncoding.DecodeString(out.Data)
	if err != nil || len(data) != 4*out.W*out.H {
		t.Fatalf("the pixels of %s: %d bytes for %dx%d (%v)", sel, len(data), out.W, out.H, err)
	}
	return canvasPixels{out.W, out.H, data}
}

// readoutText is what the readout over the pictures says, "" when hidden.
func readoutText(t *testing.T, ctx context.Context, page *browsertest.Page) string {
	t.Helper()
	var s string
	if err := page.Eval(ctx, `(() => { const r = document.getElementById('readout'); return r.hidden ? '' : r.textContent; })()`, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// viewOf is the time window the page shows.
func viewOf(t *testing.T, ctx context.Context, page *browsertest.Page) [2]float64 {
	t.Helper()
	var v [2]float64
	if err := page.Eval(ctx, "corescope.view()", &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// heatCanvas selects run i's heatmap of the subject or the machine.
func heatCanvas(i int, kind string) string {
	return fmt.Sprintf(`canvas[data-run="%d"][data-kind="%s"]`, i, kind)
}

// wantHeat checks that each sample's cell of run i's heatmap of kind
// (the rows of row), at its centre, has the colour of the profile's level
// for its core, and that the time past the run is transparent; axis is
// the shared time scale in seconds.
func wantHeat(t *testing.T, px canvasPixels, p *profile.Profile, kind string, axis float64, row func(f *profile.Frame) levels.Row) {
	t.Helper()
	cores := len(p.Frames[0].Busy)
	bad := 0
	for s := range p.Frames {
		f := &p.Frames[s]
		x := int((f.T - interval/2) / axis * float64(px.W))
		for c, l := range row(f) {
			y := (2*c + 1) * px.H / (2 * cores)
			if got, want := px.at(x, y), heatmap.Color(l.Fraction()); got != want && bad < 5 {
				t.Errorf("%s heatmap of %s, sample %d core %d at (%d,%d) = %v; want %v (level %d)", kind, p.Label, s, c, x, y, got, want, l)
				bad++
			}
		}
	}
	if past := int(lastT(p)/axis*float64(px.W)) + 2; past < px.W {
		if got := px.at(past, px.H/2); got.A != 0 {
			t.Errorf("%s heatmap of %s past its run at x %d = %v; want transparent", kind, p.Label, past, got)
		}
	}
}

// TestHTMLInBrowser opens the report of two runs in Chromium: it draws
// without a problem and loads nothing; every heatmap cell has its
// profile's colour, by core and sorted; pointing reads a cell and a lane;
// the wheel and the keys zoom and pan as the window's do, the wheel down
// to a single 6 ms slice, which the lane then shows whole in its core's
// colour and the readout names.
func TestHTMLInBrowser(t *testing.T) {
	b := browser(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ps := htmlFixture()
	page, path := openReport(t, ctx, b, ps, 1280, 900)
	defer noProblems(t, ctx, page, path)
	axis := axisSeconds(ps)
	if v := viewOf(t, ctx, page); v != [2]float64{0, axis} {
		t.Fatalf("the page first shows %v; want the whole time scale, [0 %g]", v, axis)
	}
	subject := func(f *profile.Frame) levels.Row { return f.SubjectBusy }
	machine := func(f *profile.Frame) levels.Row { return f.Busy }
	for i, p := range ps {
		wantHeat(t, pixelsOf(t, ctx, page, heatCanvas(i, "subject")), p, "subject", axis, subject)
		wantHeat(t, pixelsOf(t, ctx, page, heatCanvas(i, "machine")), p, "machine", axis, machine)
	}

	// Sorted, each sample's busiest core is on top and its least busy at
	// the bottom.
	if err := page.Eval(ctx, `(() => { const s = document.querySelector('select'); s.value = 'sorted'; s.dispatchEvent(new Event('change')); })()`, nil); err != nil {
		t.Fatal(err)
	}
	if err := page.Eval(ctx, "corescope.redraw()", nil); err != nil {
		t.Fatal(err)
	}
	sorted := func(f *profile.Frame) levels.Row {
		r := slices.Clone(f.SubjectBusy)
		slices.SortFunc(r, func(a, b levels.Level) int { return int(b) - int(a) })
		return r
	}
	wantHeat(t, pixelsOf(t, ctx, page, heatCanvas(0, "subject")), ps[0], "sorted subject", axis, sorted)
	if err := page.Eval(ctx, `(() => { const s = document.querySelector('select'); s.value = 'core'; s.dispatchEvent(new Event('change')); })()`, nil); err != nil {
		t.Fatal(err)
	}

	// Pointing at sample 5, core 2 reads it.
	heat := rectOf(t, ctx, page, heatCanvas(0, "subject"))
	f := &ps[0].Frames[5]
	x, y := heat.X+(f.T-interval/2)/axis*heat.Width, heat.Y+2.5*heat.Height/4
	if err := page.Mouse(ctx, "mouseMoved", x, y, 0); err != nil {
		t.Fatal(err)
	}
	pct := func(l levels.Level) string { return fmt.Sprintf("%.0f%%", math.Floor(100*l.Fraction()+0.5)) }
	want := fmt.Sprintf("0.500–0.600 s, 100.0 ms · core 2\nsubject %s · machine %s", pct(f.SubjectBusy[2]), pct(f.Busy[2]))
	if got := readoutText(t, ctx, page); got != want {
		t.Errorf("pointing at sample 5, core 2 reads %q; want %q", got, want)
	}

	// Pointing at the strip there reads the busy cores, the subject's and
	// the other programs'.
	strip := rectOf(t, ctx, page, `canvas[data-run="0"][data-kind="strip"]`)
	if err := page.Mouse(ctx, "mouseMoved", x, strip.Y+strip.Height/2, 0); err != nil {
		t.Fatal(err)
	}
	own, all := float64(float32(f.SubjectBusy.Sum())), float64(float32(f.Busy.Sum()))
	wantStrip := fmt.Sprintf("0.500–0.600 s, 100.0 ms\nsubject %.2f cores · other programs %.2f cores", own, all-own)
	if got := readoutText(t, ctx, page); got != wantStrip {
		t.Errorf("pointing at the strip reads %q; want %q", got, wantStrip)
	}
	if err := page.Mouse(ctx, "mouseMoved", x, y, 0); err != nil {
		t.Fatal(err)
	}

	// The wheel zooms around the pointer: the window narrows, the picture
	// changes, the time under the pointer stays, and so does the readout.
	before := pixelsOf(t, ctx, page, heatCanvas(0, "subject"))
	if err := page.Mouse(ctx, "mouseWheel", x, y, -400); err != nil {
		t.Fatal(err)
	}
	if err := page.Eval(ctx, "corescope.redraw()", nil); err != nil {
		t.Fatal(err)
	}
	v := viewOf(t, ctx, page)
	if span := v[1] - v[0]; !(math.Abs(span-axis/4) < 1e-9) {
		t.Errorf("4 notches of the wheel show %v; want a quarter of %g s", v, axis)
	}
	if at := 0.55; math.Abs((at-v[0])/(v[1]-v[0])-(at/axis)) > 0.01 {
		t.Errorf("the wheel zoomed to %v: the time under the pointer, %g s, moved", v, at)
	}
	if after := pixelsOf(t, ctx, page, heatCanvas(0, "subject")); slices.Equal(after.Data, before.Data) {
		t.Error("the heatmap is the same after a zoom")
	}
	if got := readoutText(t, ctx, page); got != want {
		t.Errorf("after the zoom the readout under the pointer says %q; want the same cell, %q", got, want)
	}

	// The keys, once a picture was clicked: 0 fits, + halves around the
	// centre, → pans a tenth.
	for _, kind := range []string{"mousePressed", "mouseReleased"} {
		if err := page.Mouse(ctx, kind, x, y, 0); err != nil {
			t.Fatal(err)
		}
	}
	for _, step := range []struct {
		key  string
		want [2]float64
	}{{"0", [2]float64{0, axis}}, {"+", [2]float64{axis / 4, 3 * axis / 4}}, {"ArrowRight", [2]float64{0.6, 1.6}}, {"Home", [2]float64{0, axis}}} {
		if err := page.Key(ctx, step.key); err != nil {
			t.Fatal(err)
		}
		if err := page.Eval(ctx, "corescope.redraw()", nil); err != nil {
			t.Fatal(err)
		}
		if got := viewOf(t, ctx, page); math.Abs(got[0]-step.want[0]) > 1e-9 || math.Abs(got[1]-step.want[1]) > 1e-9 {
			t.Errorf("key %s shows %v; want %v", step.key, got, step.want)
		}
	}

	// Down to one slice: slice 150 of thread 101 (lane 0) runs on core 1
	// from 1.000 to 1.006 s, in task 1.
	sl := ps[0].Slices[150]
	ln := rectOf(t, ctx, page, `canvas[data-run="0"][data-kind="lanes"]`)
	mid := (sl.Start + sl.End) / 2
	lx, ly := ln.X+mid/axis*ln.Width, ln.Y+groupHPx+8
	for range 24 {
		if err := page.Mouse(ctx, "mouseWheel", lx, ly, -100); err != nil {
			t.Fatal(err)
		}
	}
	if err := page.Eval(ctx, "corescope.redraw()", nil); err != nil {
		t.Fatal(err)
	}
	v = viewOf(t, ctx, page)
	if !(v[0] >= sl.Start && v[1] <= sl.End && v[1]-v[0] >= lanes.MinSpan-1e-12) {
		t.Fatalf("24 notches of the wheel show %v; want a window within the slice %g–%g s, no narrower than %g s", v, sl.Start, sl.End, lanes.MinSpan)
	}
	if err := page.Mouse(ctx, "mouseMoved", ln.X+ln.Width/2, ly, 0); err != nil {
		t.Fatal(err)
	}
	lanePx := pixelsOf(t, ctx, page, `canvas[data-run="0"][data-kind="lanes"]`)
	if got, want := lanePx.at(lanePx.W/2, groupHPx+barYPx+2), lanes.CorePalette[sl.CPU]; got != want {
		t.Errorf("the lane zoomed into slice 150 = %v; want core %d's colour %v", got, sl.CPU, want)
	}
	got := readoutText(t, ctx, page)
	wantLane := fmt.Sprintf("corescope (pid 100) tid 101 worker-0\n%.3f s · core %d (%.3f–%.3f s, 6.0 ms) · task 1", (v[0]+v[1])/2, sl.CPU, sl.Start, sl.End)
	if got != wantLane {
		t.Errorf("pointing at the lane reads %q; want %q", got, wantLane)
	}
}

// Lane geometry of the page (page.js's groupH and barY), in CSS pixels.
const groupHPx, barYPx = 20, 2

// TestHTMLInBrowserManySamplesAPixel: zoomed out, a pixel column shows
// the busiest of the samples whose middle falls in it, core by core, as the
// window's heatmap does; the page reads them from its pyramid of maxima,
// checked here against every sample.
func TestHTMLInBrowserManySamplesAPixel(t *testing.T) {
	b := browser(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rng := rand.New(rand.NewPCG(3, 4))
	p := fixture("busy", spec.Threads, 4, 3000, func(s, c int) float64 { return rng.Float64() })
	page, path := openReport(t, ctx, b, []*profile.Profile{p}, 1280, 900)
	defer noProblems(t, ctx, page, path)
	px := pixelsOf(t, ctx, page, heatCanvas(0, "machine"))
	axis := axisSeconds([]*profile.Profile{p})
	mid := func(s int) float64 { // as the page computes it: from the end of the sample before
		start := p.Frames[0].T - interval
		if s > 0 {
			start = p.Frames[s-1].T
		}
		return (start + p.Frames[s].T) / 2
	}
	bad, s := 0, 0
	for x := range px.W {
		t0, t1 := axis*float64(x)/float64(px.W), axis*float64(x+1)/float64(px.W)
		top := make([]levels.Level, 4)
		n := 0
		for ; s < len(p.Frames) && mid(s) < t1; s++ {
			if mid(s) >= t0 {
				for c, l := range p.Frames[s].Busy {
					top[c] = max(top[c], l)
				}
				n++
			}
		}
		if n == 0 {
			continue // a sample wider than the pixel: checked by TestHTMLInBrowser
		}
		for c := range 4 {
			y := (2*c + 1) * px.H / 8
			if got, want := px.at(x, y), heatmap.Color(top[c].Fraction()); got != want && bad < 5 {
				t.Errorf("pixel column %d (%d samples), core %d = %v; want their busiest, %v", x, n, c, got, want)
				bad++
			}
		}
	}
}

// TestHTMLInBrowserOddRuns opens runs the window also shows: a watch of
// nodes (one silent), a run that failed, one without samples, one whose
// file holds no subject's load. Each gets its section without a problem,
// the watch's missing figures hatched and its rows named by node.
func TestHTMLInBrowserOddRuns(t *testing.T) {
	b := browser(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	watch := withSilentNode(watched(3, 2, 12, func(s, c int) float64 {
		if c >= 4 && s >= 6 {
			return math.NaN()
		}
		return float64(c) / 5
	}))
	empty := fixture("empty", spec.Async, 4, 0, wave)
	ps := []*profile.Profile{watch, failed(fixture("failed", spec.Processes, 4, 8, wave)), empty, fixture("old file", spec.Threads, 4, 8, wave)}
	page, path := openReport(t, ctx, b, ps, 1280, 900)
	defer noProblems(t, ctx, page, path)
	var sections int
	if err := page.Eval(ctx, "document.querySelectorAll('section.run').length", &sections); err != nil {
		t.Fatal(err)
	}
	if sections != len(ps) {
		t.Errorf("%d run sections; want %d", sections, len(ps))
	}
	px := pixelsOf(t, ctx, page, heatCanvas(0, "machine"))
	if got := px.at(px.W-2, px.H*5/6); !gapHatch(got) {
		t.Errorf("the watch's node that stopped answering = %v; want the gap hatch", got)
	}
	r := rectOf(t, ctx, page, heatCanvas(0, "machine"))
	if err := page.Mouse(ctx, "mouseMoved", r.X+r.Width/2, r.Y+r.Height*3/12, 0); err != nil {
		t.Fatal(err)
	}
	if got := readoutText(t, ctx, page); !strings.Contains(got, "core 1 of node00:9100") || !strings.Contains(got, "machine 20%") {
		t.Errorf("pointing at the watch's core 1 reads %q; want it, its node and its load", got)
	}
	if err := page.Mouse(ctx, "mouseMoved", r.X+r.Width/2, r.Y+r.Height*5/12, 0); err != nil {
		t.Fatal(err)
	}
	if got := readoutText(t, ctx, page); !strings.Contains(got, "core 0 of node01:9100") || !strings.Contains(got, "machine 40%") {
		t.Errorf("pointing at the watch's core 2 reads %q; want it as node01's core 0, and its load", got)
	}
	if got := len(pixelsOf(t, ctx, page, `canvas.axis`).Data); got == 0 {
		t.Error("the watch has no time axis")
	}

	// A report of nothing but a run without samples has no time scale:
	// it says so, and draws nothing amiss.
	alone, path := openReport(t, ctx, b, []*profile.Profile{empty}, 1280, 900)
	defer noProblems(t, ctx, alone, path)
	var text string
	if err := alone.Eval(ctx, "document.querySelector('section.run').innerText", &text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "no samples") {
		t.Errorf("a run without samples reads %q; want it to say so", text)
	}
}

// TestHTMLInBrowserShowsFindings: reasons and phases a summary holds,
// which the page knows only as JSON, show as a table of their fields
// under the run's verdict.
func TestHTMLInBrowserShowsFindings(t *testing.T) {
	b := browser(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ps := htmlFixture()
	d, blob := htmlPage(runtext.Rows(ps), locate(runtext.Rows(ps), Options{}, nil), Options{})
	d.Runs[0].Extra = extraFrom([]byte(`{"reasons":[{"name":"took turns","hand_overs":120,"phase":0}],` +
		`"phases":[{"from_s":0.1,"to_s":1.9,"cores":0.95123,"threads":{"runnable":2}}]}`))
	path := filepath.Join(t.TempDir(), "report.html")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := writePage(f, d, blob); err != nil {
		t.Fatal(err)
	}
	f.Close()
	page := openFile(t, ctx, b, path, 1280, 900)
	defer noProblems(t, ctx, page, path)
	var got []string
	if err := page.Eval(ctx, `Array.from(document.querySelectorAll('.extra'), (e) => e.innerText.replace(/\s+/g, ' ').trim())`, &got); err != nil {
		t.Fatal(err)
	}
	want := []string{"Reasons name hand_overs phase took turns 120 0", `Phases from_s to_s cores threads 0.1 1.9 0.951 {"runnable":2}`}
	if !slices.Equal(got, want) {
		t.Errorf("the findings read %q; want %q", got, want)
	}
}

// TestHTMLScreenshot writes a screenshot of the HTML report to
// $CORESCOPE_SCREENSHOT, of the profiles in $CORESCOPE_SCREENSHOT_PROFILE
// (a corescope JSON file; else htmlFixture's): make screenshot-html makes
// the README's of a real comparison. Skipped without the variable.
func TestHTMLScreenshot(t *testing.T) {
	out := os.Getenv("CORESCOPE_SCREENSHOT")
	if out == "" {
		t.Skip("CORESCOPE_SCREENSHOT names no file to write")
	}
	ps := htmlFixture()
	if in := os.Getenv("CORESCOPE_SCREENSHOT_PROFILE"); in != "" {
		var err error
		if ps, err = profile.Load(in); err != nil {
			t.Fatal(err)
		}
	}
	b := browser(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	page, path := openReport(t, ctx, b, ps, 1280, 1000)
	noProblems(t, ctx, page, path)
	// Point at the first run's subject, as a person reading it would.
	r := rectOf(t, ctx, page, heatCanvas(0, "subject"))
	if err := page.Mouse(ctx, "mouseMoved", r.X+r.Width*0.42, r.Y+r.Height*0.3, 0); err != nil {
		t.Fatal(err)
	}
	shot, err := page.Screenshot(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
}

// busyRun is a 60 s run of 64 threads on 64 cores at 10 Hz, GIL-bound:
// the profile's most slices (profile.MaxSlices), back to back.
func busyRun() *profile.Profile {
	return withSlices(withSubject(fixture("threads", spec.Threads, 64, 600, wave), profile.AttributionExact, wave), 64, profile.MaxSlices)
}

// TestHTMLBusyRunInBrowser opens the report of a 60 s, 64-thread run with
// the most slices a profile keeps, and redraws it at the zooms a person
// uses: the whole run, a second, a slice. It logs the file's size and the
// redraws' times (a bound on time would fail on a busy machine; the page's
// work is bounded by its pixels and the slices in its window).
func TestHTMLBusyRunInBrowser(t *testing.T) {
	b := browser(t)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	start := time.Now()
	page, path := openReport(t, ctx, b, []*profile.Profile{busyRun()}, 1280, 900)
	opened := time.Since(start)
	defer noProblems(t, ctx, page, path)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("60 s, 64 threads, %d slices: %.2f MB, written and drawn in %v", profile.MaxSlices, float64(fi.Size())/1e6, opened.Round(time.Millisecond))
	for _, zoom := range []struct {
		name string
		js   string
	}{{"the whole run", "0"}, {"about a second", "corescope.zoom(1 / 64, 0.5)"}, {"a few slices", "corescope.zoom(1 / 1024, 0.5)"}} {
		var ms []float64
		if err := page.Eval(ctx, `(() => { `+zoom.js+`; const t = []; for (let i = 0; i < 10; i++) t.push(corescope.redraw()); return t; })()`, &ms); err != nil {
			t.Fatal(err)
		}
		slices.Sort(ms)
		v := viewOf(t, ctx, page)
		t.Logf("%s (%.3f s shown): a redraw takes %.1f ms (median of 10; %.1f–%.1f)", zoom.name, v[1]-v[0], ms[len(ms)/2], ms[0], ms[len(ms)-1])
	}
}

// TestHTMLInBrowserScaling: a sweep's Scaling section draws its chart, a
// circle a measured point, and its texts, without a problem.
func TestHTMLInBrowserScaling(t *testing.T) {
	b := browser(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	page, path := openReport(t, ctx, b, sweepRuns("s"), 1280, 900)
	defer noProblems(t, ctx, page, path)
	var circles int
	if err := page.Eval(ctx, "document.querySelectorAll('.scale-chart svg circle').length", &circles); err != nil {
		t.Fatal(err)
	}
	var text string
	if err := page.Eval(ctx, "Array.from(document.querySelectorAll('.scale-text'), (p) => p.innerText).join(' | ')", &text); err != nil {
		t.Fatal(err)
	}
	if circles != 3 || !strings.Contains(text, "Amdahl: serial fraction") {
		t.Errorf("%d circles, texts %q; want 3 and the fit's line", circles, text)
	}
}
