package lanes

import (
	"bytes"
	"encoding/json"
	"image"
	"testing"

	"corescope/profile"
)

// FuzzPaint paints any file's runs as the Threads view does, at a few
// widths, with every lane shown and with three: a run the loader read
// (SetProfile), and every run of the document as unchecked JSON fed frame
// by frame (what a live run does with what its subject and the probes
// send, none of which passes the loader), keeping 8 samples as a scrolling
// view does. No paint may panic, and each must visit no more than the
// slices, events and pixels it draws and a few blocks of samples a pixel
// (paintBound). The seeds
// (testdata/fuzz/FuzzPaint) are the loader's, hostile ones included: task
// -1, cores -3, 99 and 1<<31, a billion cores.
func FuzzPaint(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if ps, err := profile.Decode(bytes.NewReader(data)); err == nil {
			for _, p := range ps {
				l := New()
				l.SetProfile(p)
				paintAll(t, l)
			}
		}
		var file profile.File
		if json.Unmarshal(data, &file) != nil {
			return
		}
		for _, p := range file.Profiles {
			if p == nil {
				continue
			}
			l := New()
			l.Reset(p.Started, p.Spec.Interval.D().Seconds(), 8)
			for i, fr := range p.Frames {
				if i > 0 { // the events, slices and names come with the first frame
					l.Add(fr.T, fr.ThreadSamples, nil)
					continue
				}
				l.Add(fr.T, fr.ThreadSamples, p.Events)
				l.AddSlices(p.Slices)
				l.Name(p.Threads)
			}
			paintAll(t, l)
		}
	})
}

// paintAll paints l over its extent, and zoomed into its middle and its
// start, at widths 1, 7 and 300, with every lane shown and with 3, reads
// what every lane shows there, and checks each paint's work.
func paintAll(t *testing.T, l *Lanes) {
	from, length := l.Extent()
	windows := [][2]float64{{from, from + length}, {from + length/2, from + length/2 + length/100}, {from - 1, from + l.MinWindow()}}
	for _, maxLanes := range []int{0, 3} {
		l.SetMaxLanes(maxLanes)
		if n := len(l.Names()); n != l.Len() {
			t.Fatalf("%d names of %d lanes", n, l.Len())
		}
		for _, w := range []int{1, 7, 300} {
			dst := image.NewRGBA(image.Rect(0, 0, w, l.Len()*Rows))
			for _, win := range windows {
				l.Paint(dst, win[0], win[1])
				if max := paintBound(l, w); l.visits > max {
					t.Fatalf("painting %v at %d pixels visited %d; want at most %d", win, w, l.visits, max)
				}
				for row := range l.Len() {
					l.At(row, win[0], win[0]+(win[1]-win[0])/float64(w))
				}
			}
		}
	}
}

// paintBound is the most a paint of l w pixels wide may visit: every slice
// and the pixels each covers, every stretch off a core, every task, each
// pixel of the lanes shown, a few blocks of samples a pixel (see
// samplePaintBound) and, zoomed in to a pixel a sample or wider, a column
// and the lanes shown (and two more) a pixel (their states, see
// paintSampleStates).
func paintBound(l *Lanes, w int) int {
	return len(l.slices.all)*(w+1) + len(l.off.all) + len(l.tasks.all) + len(l.running) + l.Len()*w +
		samplePaintBound(w, l.Len(), len(l.cols)) + w*(l.Len()+3)
}
