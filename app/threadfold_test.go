package app

import (
	"cmp"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"corescope/lanes"
	"corescope/profile"
)

// TestThreadsTabFoldsSmallProcesses shows a recorded python3 behind a
// pyenv shim: 4 busy threads of process 10 and, before they got busy, 30
// processes of 1 ms each (20 of them bash): its start-up processes. The 30
// share one lane, last, which draws each of their slices; the tab says
// what the lane holds, and pointing at one of its slices names that
// process.
func TestThreadsTabFoldsSmallProcesses(t *testing.T) {
	v, _ := threadsTab(t, 800, 500)
	p := tenFrames(t)
	for k := range 4 {
		p.Threads = append(p.Threads, profile.Thread{PID: 10, TID: 10 + k, Name: "python3", Process: "python3"})
		p.Slices = append(p.Slices, profile.Slice{PID: 10, TID: 10 + k, CPU: k % 2, Start: 0.2 + 0.2*float64(k), End: 0.4 + 0.2*float64(k)})
	}
	names := append(slices.Repeat([]string{"bash"}, 20), make([]string, 10)...)
	for k, name := range names {
		at := 0.01 + 0.004*float64(k)
		p.Threads = append(p.Threads, profile.Thread{PID: 100 + k, TID: 100 + k, Name: name, Process: name})
		p.Slices = append(p.Slices, profile.Slice{PID: 100 + k, TID: 100 + k, CPU: 1, Start: at, End: at + 0.001})
	}
	slices.SortFunc(p.Slices, func(a, b profile.Slice) int { return cmp.Compare(a.End, b.End) })
	v.show(p)

	r := test.WidgetRenderer(v.lanes).(*lanesRenderer)
	var labels []string
	for _, t := range r.labels.texts {
		labels = append(labels, t.Text)
	}
	if want := []string{"python3 10", "python3 11", "python3 12", "python3 13", "30 start-up processes"}; !slices.Equal(labels, want) {
		t.Fatalf("lane labels = %q; want %q", labels, want)
	}
	drawn := 0
	for x := range r.pix.Rect.Dx() {
		if r.pix.RGBAAt(x, 4*lanes.Rows).A > 0 {
			drawn++
		}
	}
	if drawn < 30 {
		t.Errorf("the fold's lane has %d drawn pixels; want one at least for each of its 30 slices", drawn)
	}
	if want := "The last lane merges 30 start-up processes (0.03 s on a core in all: bash ×20, 10 unnamed)."; !strings.HasSuffix(v.about.Text, want) {
		t.Errorf("the tab says %q; want it to end %q", v.about.Text, want)
	}

	l := v.lanes
	from, to := l.Window()
	pos := func(t float64) fyne.Position {
		return fyne.NewPos(l.x0+float32((t-from)/(to-from))*l.width, l.areaH*4.5/5)
	}
	if got := l.readout(pos(0.0105)); !strings.HasPrefix(got, "bash (pid 100) tid 100, one of 30 start-up processes\n") {
		t.Errorf("readout on process 100's slice = %q; want it named, one of the fold", got)
	}
	if got := l.readout(pos(0.9)); !strings.HasPrefix(got, "30 start-up processes\n") {
		t.Errorf("readout on the fold's lane where none ran = %q; want the fold named", got)
	}
}
