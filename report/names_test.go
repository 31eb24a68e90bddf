package report

import (
	"bytes"
	"encoding/csv"
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
