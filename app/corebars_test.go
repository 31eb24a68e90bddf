package app

import (
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// Bars of a cluster's nodes are labelled with the nodes' names, a node with
// no figure reads a dash, and core bars keep their numbers.
func TestCoreBarsLabels(t *testing.T) {
	test.NewTempApp(t)
	b := newCoreBars()
	b.Resize(fyne.NewSize(300, 120))
	r := test.TempWidgetRenderer(t, b).(*barsRenderer)
	b.setNames([]string{"web1:9100", "web2:9100"})
	b.set([]float64{0.5, math.NaN()}, nil)
	r.Layout(b.Size())
	if r.labels[0].Text != "web1:9100" || r.labels[1].Text != "web2:9100" || r.values[1].Text != "  —" {
		t.Errorf("node bars read %q %q (%q); want the nodes' names and a dash for no figure",
			r.labels[0].Text, r.labels[1].Text, r.values[1].Text)
	}
	if name := r.labels[0]; name.Position().X < 0 || r.tracks[0].Position().X < name.Position().X+name.MinSize().Width {
		t.Errorf("the bar starts at x=%v over its name (%v wide at %v)", r.tracks[0].Position().X, name.MinSize().Width, name.Position().X)
	}
	b.setNames(nil)
	b.set([]float64{0.1, 0.2, 0.3}, nil)
	if r.labels[2].Text != "2" {
		t.Errorf("core bar 2 reads %q; want its number", r.labels[2].Text)
	}
}
