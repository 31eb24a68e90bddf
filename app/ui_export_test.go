package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"corescope/internal/pngtest"
)

// texts is every text shown in the tree of o.
func texts(o fyne.CanvasObject) []string {
	switch o := o.(type) {
	case *canvas.Text:
		return []string{o.Text}
	case *widget.Label:
		return []string{o.Text}
	case *fyne.Container:
		var all []string
		for _, c := range o.Objects {
			all = append(all, texts(c)...)
		}
		return all
	case fyne.Widget:
		var all []string
		for _, c := range test.WidgetRenderer(o).Objects() {
			all = append(all, texts(c)...)
		}
		return all
	}
	return nil
}

// overlayText is the text of the topmost dialog, or "" when none is shown.
func overlayText(u *UI) string {
	top := u.win.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	return strings.Join(texts(top), " ")
}

// ranUI is a window whose session holds one finished fake run.
func ranUI(t *testing.T) (*UI, uiLoop) {
	t.Helper()
	u, loop := newTestUI(t, Options{}, fakeRecord(5))
	test.Tap(u.runBtn)
	loop.until(t, 10*time.Second, "the run to end", func() bool { return u.job == nil })
	if len(u.runs) != 1 {
		t.Fatalf("runs after one run = %d; want 1", len(u.runs))
	}
	return u, loop
}

func TestExportPNGWritesAPicture(t *testing.T) {
	u, loop := ranUI(t)
	path := filepath.Join(t.TempDir(), "report.png")
	u.export(exportPNG, path)
	if !u.exporting || !u.items.exportCSV.Disabled || !u.runBtn.Disabled() {
		t.Errorf("while exporting: exporting %v, Export CSV disabled %v, Run disabled %v; want all true",
			u.exporting, u.items.exportCSV.Disabled, u.runBtn.Disabled())
	}
	loop.until(t, 20*time.Second, "the export to end", func() bool { return !u.exporting })

	if _, err := os.Stat(path); err != nil {
		t.Fatalf("after ExportPNG(%s): %v (status %q, dialog %q)", path, err, u.status.Text, overlayText(u))
	}
	img := pngtest.Read(t, path)
	if b := img.Bounds(); b.Dx() < 100 || b.Dy() < 100 {
		t.Errorf("report size = %v; want a real picture", b)
	}
	if !strings.Contains(u.status.Text, path) {
		t.Errorf("status after the export = %q; want it to name %s", u.status.Text, path)
	}
	if got := overlayText(u); got != "" {
		t.Errorf("dialog after a good export = %q; want none", got)
	}
	if u.items.exportPNG.Disabled || u.runBtn.Disabled() {
		t.Error("Export PNG or Run still disabled after the export; want both enabled")
	}
}

// TestExportHTMLWritesThePage: File > Export HTML report writes the page
// of the comparison shown.
func TestExportHTMLWritesThePage(t *testing.T) {
	u, loop := ranUI(t)
	path := filepath.Join(t.TempDir(), "report.html")
	u.export(exportHTML, path)
	loop.until(t, 20*time.Second, "the export to end", func() bool { return !u.exporting })
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("after exporting the HTML report to %s: %v (status %q, dialog %q)", path, err, u.status.Text, overlayText(u))
	}
	if !strings.Contains(string(page), "<title>corescope report: ") || !strings.Contains(string(page), `id="corescope-data"`) {
		t.Errorf("the exported page is %.300q; want the report with its data", page)
	}
	if !strings.Contains(u.status.Text, "Exported the HTML report of 1 runs to "+path) {
		t.Errorf("status after the export = %q; want it to name %s", u.status.Text, path)
	}
}

func TestExportToUnwritablePathShowsWhy(t *testing.T) {
	for _, tt := range []struct {
		name string
		kind exportKind
	}{
		{"PNG", exportPNG},
		{"HTML", exportHTML},
		{"CSV", exportCSV},
		{"trace", exportTrace},
	} {
		t.Run(tt.name, func(t *testing.T) {
			u, loop := ranUI(t)
			dir := t.TempDir()
			path := filepath.Join(dir, "missing", "out")
			u.export(tt.kind, path)
			loop.until(t, 20*time.Second, "the export to end", func() bool { return !u.exporting })
			if got := overlayText(u); !strings.Contains(got, "not exported") || !strings.Contains(got, "no such file") {
				t.Errorf("dialog after exporting to %s = %q; want the reason it was not exported", path, got)
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Errorf("files left after a failed export: %v; want none", left)
			}
		})
	}
}

func TestExportNeedsRunsAndNoRunGoing(t *testing.T) {
	u, loop := newTestUI(t, Options{}, fakeRecord(0))
	items := map[string]*fyne.MenuItem{"Save": u.items.save, "Export PNG": u.items.exportPNG, "Export HTML": u.items.exportHTML,
		"Export CSV": u.items.exportCSV, "Export trace": u.items.exportTrace}
	for name, item := range items {
		if !item.Disabled {
			t.Errorf("%s enabled with no runs; want disabled", name)
		}
	}

	test.Tap(u.runBtn)
	loop.until(t, 10*time.Second, "the first frames", func() bool { return u.live.last != nil })
	for _, name := range []string{"Export PNG", "Export HTML", "Export CSV", "Export trace"} {
		if !items[name].Disabled {
			t.Errorf("%s enabled while running; want disabled", name)
		}
	}
	path := filepath.Join(t.TempDir(), "report.png")
	u.export(exportPNG, path) // Ctrl+E must not bypass the menu either
	if u.exporting {
		t.Error("ExportPNG started an export while running")
	}
	test.Tap(u.stopBtn)
	loop.until(t, 10*time.Second, "the run to stop", func() bool { return u.job == nil })
	for name, item := range items {
		if item.Disabled {
			t.Errorf("%s disabled after a run; want enabled", name)
		}
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("Stat(%s) = %v after an export refused while running; want no file", path, err)
	}
}
