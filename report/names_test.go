package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
)

// TestFilesNameRepeats writes the CSV and the trace of 2 models x 3
// repeats: each run is named by its group and repeat, as the progress
// line names it ("model 1, repeat 2 of 3"), never "model 1 #2" as they
// were before repeats had groups.
func TestFilesNameRepeats(t *testing.T) {
	ps := repeated(2, 3)
	var buf bytes.Buffer
	if err := CSV(&buf, ps); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	runs := map[string]bool{}
	for _, r := range rows[1:] {
		runs[r[0]] = true
	}
	if len(runs) != 6 || !runs["model 1, repeat 2 of 3"] {
		t.Errorf("the CSV's runs are %v; want 6, one of them \"model 1, repeat 2 of 3\"", runs)
	}
	buf.Reset()
	if err := Trace(&buf, ps); err != nil {
		t.Fatal(err)
	}
	if s := buf.String(); !strings.Contains(s, `"model 1, repeat 2 of 3"`) || strings.Contains(s, "model 1 #") {
		t.Errorf("the trace does not name the repeats as runtext.RunNames does")
	}
}

// TestHTMLDrawsARunAGroup makes the page of 5 models x 3 repeats: 5 runs
// drawn, the median repeat of each, saying which it is, and a row a group
// with its wall's spread and a start-up column (the page drew the first
// 15 runs, "model 0 #1" to "model 4 #3", a row each).
func TestHTMLDrawsARunAGroup(t *testing.T) {
	ps := repeated(5, 3)
	_, d := pageOf(t, ps)
	if len(d.Runs) != 5 || len(d.Table.Rows) != 5 {
		t.Fatalf("%d runs drawn, %d rows; want 5 and 5", len(d.Runs), len(d.Table.Rows))
	}
	head := strings.Join(d.Table.Head, "|")
	for i, r := range d.Runs {
		if r.Name != fmt.Sprintf("model %d", i) || !strings.HasPrefix(r.Shown, "Shown: repeat 2 of 3, the median wall.") {
			t.Errorf("run %d: %q, %q; want model %d, repeat 2 of 3 shown", i, r.Name, r.Shown, i)
		}
		if cells := strings.Join(d.Table.Rows[i].Cells, "|"); !strings.Contains(cells, "1.82 s (1.81–1.83)") || !strings.Contains(head, "start-up") {
			t.Errorf("row %d: %q under %q; want the wall's spread and a start-up column", i, cells, head)
		}
	}
}
