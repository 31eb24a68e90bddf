package report

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"image/color"
	"io"
	"strings"
	"unicode/utf8"

	"corescope/atomicfile"
	"corescope/diagnosis"
	"corescope/heatmap"
	"corescope/lanes"
	"corescope/levels"
	"corescope/profile"
	"corescope/runtext"
)

// The page's template, style and script, embedded so the report needs no
// file beside the program and the page none beside itself.
//
//go:embed html/page.html html/page.css html/page.js
var htmlFiles embed.FS

var pageTemplate = template.Must(template.ParseFS(htmlFiles, "html/page.html"))

// Bounds of the HTML report, so that it stays a file a browser opens and
// mails carry, whatever it is given. Its runs and table are those of the
// PNG report (see PNG); what the page holds of each run drawn is bounded
// over all of them: past a bound it keeps less detail, and says so.
const (
	// maxHTMLCells bounds the per-core loads kept, per layer (the
	// subject's, the machine's), over the runs drawn: columns x rows.
	// A run over its share has its samples merged, k by k, each core's
	// highest load kept (what its heatmap shows at any zoom that fits
	// them) and the mean busy cores. An hour of 256 cores at 10 Hz is
	// 9.2 million cells; 4 Mi of them keep it at 2 samples a column.
	maxHTMLCells = 1 << 22
	// maxHTMLRows bounds a heatmap's rows: a cluster of more cores gets a
	// row for several of them, the busiest of them, as a pixel row of the
	// PNG does. 1,024 rows are 2 pixel rows a core in the tallest picture.
	maxHTMLRows = 1024
	// maxHTMLSlices bounds the on-core slices kept over the runs drawn
	// (two runs at profile.MaxSlices), maxHTMLTasks the task spans: past
	// them a run keeps its latest, as a profile drops its earliest slices.
	maxHTMLSlices = 2 * profile.MaxSlices
	maxHTMLTasks  = 100_000
	// maxLaneThreads bounds the threads a run's lanes name for the
	// readout: those of the fold's lane can be thousands.
	maxLaneThreads = 1 << 10
	// maxHTMLText bounds one text a file carries and the page repeats
	// (a verdict, a note, an error, a command); maxHTMLExtra the findings
	// (reasons, phases) a run's summary carries.
	maxHTMLText  = 4_000
	maxHTMLExtra = 64 << 10
	// MaxHTMLBytes is the largest report, its data at every bound above
	// and incompressible: TestHTMLBounded, which fills every bound, writes
	// 16.2 MB.
	MaxHTMLBytes = 32 << 20
)

// HTML writes the report of ps as one HTML page that needs nothing but a
// browser: its style, script and data are inline and it loads nothing. It
// shows what the window shows of a comparison: each run drawn on one time
// scale that zooms (mouse wheel, + and -) and pans (drag, arrow keys) down
// to single on-core slices, its subject's heatmap (by core or sorted) and
// the whole machine's, the busy-cores strip, the thread lanes with their
// tasks, a readout of what is under the pointer; the busy-cores chart; the
// summary table with wall-time and speedup bars; each run's verdict, why,
// and the reasons and phases its summary holds; for a sweep of worker
// counts, its Scaling section (the PNG's chart, as SVG). The page draws on canvases
// from the profiles' own figures, kept compact: each core's load a byte,
// as the file format keeps it, and slices as typed arrays, gzipped. It
// draws and lists the runs PNG does, and keeps what the bounds above allow
// of them, saying what it leaves out.
func HTML(w io.Writer, ps []*profile.Profile, opt Options) error {
	if len(ps) == 0 {
		return errNoRuns
	}
	if err := complete(ps); err != nil {
		return err
	}
	tf, err := newTypeface()
	if err != nil {
		return fmt.Errorf("cannot load the report's font: %w", err)
	}
	rows := runtext.Rows(ps)
	page, blob := htmlPage(rows, locate(rows, opt, tf), opt)
	return writePage(w, page, blob)
}

// writePage writes the page that draws d, its arrays in blob.
func writePage(w io.Writer, d pageData, blob []byte) error {
	data, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("cannot write the report's data: %w", err)
	}
	packed, err := gzipped(blob)
	if err != nil {
		return err
	}
	css, _ := htmlFiles.ReadFile("html/page.css")
	js, _ := htmlFiles.ReadFile("html/page.js")
	// json.Marshal escapes <, > and &, so no text of a profile can end
	// the script element it is in.
	return pageTemplate.Execute(w, map[string]any{
		"Title": "corescope report: " + d.Title,
		"CSS":   template.CSS(css),
		"Data":  template.JS(data),
		"Blob":  template.JS(`"` + base64.StdEncoding.EncodeToString(packed) + `"`),
		"JS":    template.JS(js),
	})
}

// WriteHTML writes the HTML report of ps (see HTML) to path.
func WriteHTML(path string, ps []*profile.Profile, opt Options) error {
	return atomicfile.Write(path, func(w io.Writer) error { return HTML(w, ps, opt) })
}

// gzipped is b compressed, which the page unpacks with the browser's own
// DecompressionStream: the slices of a busy run shrink to a third.
func gzipped(b []byte) ([]byte, error) {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// pageData is what the page's script draws: words the Go side made
// (runtext's, the same as the window's and the PNG's), colours, and for
// each run where its arrays lie in the blob.
type pageData struct {
	Date    string     `json:"date"`
	Machine string     `json:"machine"`
	Spec    string     `json:"spec"`
	Axis    float64    `json:"axis"` // seconds of the shared time scale
	Omitted string     `json:"omitted,omitempty"`
	Colors  pageColors `json:"colors"`
	Runs    []htmlRun  `json:"runs"`
	Table   htmlTable  `json:"table"`
	// Scales are the Scaling sections of the sweeps among the runs, and
	// ScalesLeft says how many more there were.
	Scales     []htmlScale `json:"scales,omitempty"`
	ScalesLeft string      `json:"scales_left,omitempty"`
	Title      string      `json:"-"` // the runs drawn, each named once
	Lanes      laneWords   `json:"lanes"`
	Sorted     bool        `json:"sorted"`
}

// pageColors are the pictures' colours as CSS hex, so the page paints
// with the window's and the PNG's: Heat[l] is level l's (levels.Steps+1).
type pageColors struct {
	Heat   []string `json:"heat"`
	Gap    []string `json:"gap"` // light, dark
	Strip  string   `json:"strip"`
	Others string   `json:"others"`
	Mark   string   `json:"mark"`
	Cores  []string `json:"cores"` // lanes.CorePalette
	Tasks  []string `json:"tasks"` // the two greys of task spans
}

// laneWords are what the lanes say of themselves, as the window's
// Threads tab says it.
type laneWords struct {
	Exact   string `json:"exact"`
	Sampled string `json:"sampled"`
}

// htmlTable is the summary table of the runs listed.
type htmlTable struct {
	Head     []string  `json:"head"`
	Number   []bool    `json:"number"` // which columns hold figures
	Rows     []htmlRow `json:"rows"`
	Unlisted string    `json:"unlisted,omitempty"`
}

// titleNames names each run of ps once, however often it was repeated
// (diagnosis.Groups), for the page's title.
func titleNames(ps []*profile.Profile) string {
	var shown []*profile.Profile
	for _, g := range diagnosis.Groups(ps) {
		shown = append(shown, g.Shown())
	}
	names := runtext.Names(shown)
	for i := range names {
		names[i] = clip(names[i], fmt.Sprintf(" (run %d)", i+1))
	}
	return strings.Join(names, ", ")
}

// htmlRow is one run's row: its cells, and its wall time and speedup for
// the bars, each a fraction of the longest.
type htmlRow struct {
	Run   int      `json:"run"` // its index in the report's runs; -1 past those drawn
	Name  string   `json:"name"`
	Color string   `json:"color"`
	Cells []string `json:"cells"`
	Wall  float64  `json:"wall"`
	Speed float64  `json:"speed"`
	Why   string   `json:"why"` // the verdict and why, as the Compare tab words them
}

// htmlPage gathers the page's data for the groups of repeats l draws and
// lists, each drawn as the run that stands for it, and their arrays in one
// blob.
func htmlPage(rows []runtext.Row, l Layout, opt Options) (pageData, []byte) {
	ps := runtext.Shown(rows)
	drawn := ps[:len(l.Runs)]
	names := runtext.Names(ps)
	for i := range names {
		names[i] = clip(names[i], fmt.Sprintf(" (run %d)", i+1))
	}
	d := pageData{
		Machine: clipText(machineLine(ps)), Spec: clipText(specLine(ps)), Axis: finiteOr0(l.AxisS),
		Colors: htmlColors(), Title: titleNames(drawn), Sorted: opt.Sorted,
		Lanes: laneWords{Exact: exactLanesWords, Sampled: sampledLanesWords},
	}
	if date := reportDate(ps, opt); !date.IsZero() {
		d.Date = date.Format("Monday 2 January 2006, 15:04 MST")
	}
	if len(drawn) < len(ps) {
		d.Omitted = fmt.Sprintf("%s of %s runs drawn, the first: a report draws at most %d", runtext.Thousands(len(drawn)),
			runtext.Thousands(len(ps)), maxDrawnRuns)
	}
	b := &blob{}
	budget := newDataBudget(drawn)
	for i, p := range drawn {
		run := htmlRunOf(p, i, names[i], d.Axis, b, budget)
		run.Shown, run.Noisy = clipText(strings.Join(runtext.Notes(rows[i]), " ")), runtext.Noise(rows[i].Group) != ""
		d.Runs = append(d.Runs, run)
	}
	d.Table = htmlTableOf(rows, names, len(drawn), l.Listed)
	d.Scales, d.ScalesLeft = htmlScales(ps)
	return d, b.buf
}

// The lanes' words, the Threads tab's.
const (
	exactLanesWords   = "One lane per thread, grouped by process: each bar is a time the thread was on a core, coloured by the core (exact, from the kernel's switch records); fainter means on a core for only part of that pixel's time. Grey bars under a lane are its tasks."
	sampledLanesWords = "One lane per thread, grouped by process, coloured by the core it last ran on at each sample (approximate: the kernel's switch records were not taken); grey bars under a lane are its tasks."
)

// htmlColors are the palettes the page paints with.
func htmlColors() pageColors {
	c := pageColors{Strip: hexColor(heatmap.StripColor()), Others: hexColor(heatmap.OthersColor()), Mark: hexColor(heatmap.MarkColor())}
	for l := range levels.Steps + 1 {
		c.Heat = append(c.Heat, hexColor(heatmap.Color(levels.Level(l).Fraction())))
	}
	light, dark := heatmap.GapColors()
	c.Gap = []string{hexColor(light), hexColor(dark)}
	for _, k := range lanes.CorePalette {
		c.Cores = append(c.Cores, hexColor(k))
	}
	for task := range 2 {
		c.Tasks = append(c.Tasks, hexColor(lanes.TaskColor(task)))
	}
	return c
}

// hexColor is c as CSS writes it: "#4e79a7".
func hexColor(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// htmlTableOf is the summary table: a row a group of repeats listed (as
// the PNG lists them), its cells as every view words them (runtext.RowCell:
// the spreads over its repeats), what its figures need said and its verdict
// and why, and the bars' fractions: its median wall, its speedup.
func htmlTableOf(rows []runtext.Row, names []string, drawn, listed int) htmlTable {
	ps := runtext.Shown(rows)
	t := htmlTable{Head: []string{"run"}, Number: []bool{false}}
	for _, tc := range tableColumns {
		head := tc.col.Head()
		if tc.col == runtext.ColModel {
			head = runtext.ModelHead(ps)
		}
		t.Head = append(t.Head, head)
		t.Number = append(t.Number, tc.col.Number())
	}
	longest, fastest := 0.0, 0.0
	for _, r := range rows[:listed] {
		longest = max(longest, finiteOr0(r.Wall()))
		p := r.Run
		if sp := p.Summary.Speedup; sp != nil {
			fastest = max(fastest, finiteOr0(*sp))
		}
	}
	for i, r := range rows[:listed] {
		p := r.Run
		if !recorded(p) {
			continue
		}
		why := strings.Join(append(runtext.Notes(r), runtext.OutcomeAndWhy(p)), " ")
		row := htmlRow{Run: -1, Name: runtext.Mark(names[i], p), Color: hexColor(runColor(i)),
			Wall: share(r.Wall(), longest), Why: clipText(why)}
		if i < drawn {
			row.Run = i
		}
		if sp := p.Summary.Speedup; sp != nil {
			row.Speed = share(*sp, fastest)
		}
		for _, tc := range tableColumns {
			row.Cells = append(row.Cells, clipText(tc.col.RowCell(r)))
		}
		t.Rows = append(t.Rows, row)
	}
	if n := unlisted(rows, listed); n > 0 {
		t.Unlisted = runtext.Count(n, "more run") + " not listed here; the CSV and the trace hold every run"
	}
	return t
}

// share is v of most, 0..1; 0 when most is not positive or v is no number.
func share(v, most float64) float64 {
	if !(most > 0) || !isFinite(v) {
		return 0
	}
	return max(0, min(v/most, 1))
}

// finiteOr0 is v, or 0 for NaN and the infinities, which JSON cannot hold.
func finiteOr0(v float64) float64 {
	if !isFinite(v) {
		return 0
	}
	return v
}

// clipText is s when it is at most maxHTMLText bytes, else its beginning,
// cut at a rune, and an ellipsis: a file's verdict or command can be
// megabytes, and the page repeats some of them.
func clipText(s string) string {
	if len(s) <= maxHTMLText {
		return s
	}
	n := maxHTMLText - len(ellipsis)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + ellipsis
}
