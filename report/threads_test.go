package report

import (
	"image"
	"image/color"
	"slices"
	"strings"
	"testing"

	"corescope/profile"
	"corescope/spec"
)

// withShim adds to p what a pyenv shim adds to a recorded python3: n
// processes of one thread, on core 3 for 0.1 ms each, 3 ms apart from
// 0.15 s, the first 20 named bash and the rest unnamed (they ended before
// /proc was read).
func withShim(p *profile.Profile, n int) *profile.Profile {
	names := append(slices.Repeat([]string{"bash"}, 20), make([]string, n-20)...)
	for k, name := range names {
		at := 0.15 + 0.003*float64(k)
		p.Threads = append(p.Threads, profile.Thread{PID: 1000 + k, TID: 1000 + k, Name: name, Process: name})
		p.Slices = append(p.Slices, profile.Slice{PID: 1000 + k, TID: 1000 + k, CPU: 3, Start: at, End: at + 0.0001})
	}
	return p
}

// TestThreadPanelFolds checks that 30 processes barely on a core get one
// lane, last, that draws each of their slices, and that the lane cap still
// counts the threads it leaves out.
func TestThreadPanelFolds(t *testing.T) {
	p := withShim(withSlices(fixture("shim", spec.Threads, 4, 30, wave), 4, 400), 30)
	tp := newThreadPanel(p)
	if tp.lanes != 5 || len(tp.groups) != 3 || tp.more != 0 {
		t.Fatalf("4 threads and 30 small processes: %d lanes in %d groups, %d more; want 5 lanes in 3 groups, 0 more", tp.lanes, len(tp.groups), tp.more)
	}
	g := tp.groups[2]
	if g.label != "30 processes, each under 1 ms on a core" || !strings.HasSuffix(g.detail, ": bash ×20, 10 unnamed") || g.threads[0].label != "30 threads" {
		t.Errorf("last group = %q · %q, lane %q; want the 30 processes, their names and threads", g.label, g.detail, g.threads[0].label)
	}
	if want := panelHeadH + 3*groupH + 5*laneH; tp.height() != want {
		t.Errorf("height = %d; want %d (30 lanes and groups before)", tp.height(), want)
	}

	ps := []*profile.Profile{p}
	out, err := PNG(ps, Options{})
	if err != nil {
		t.Fatalf("PNG() error = %v", err)
	}
	img, r := out.(*image.RGBA), Locate(ps, Options{}).Runs[0].Threads
	lane := image.Rect(r.Min.X, r.Max.Y-laneH, r.Max.X, r.Max.Y)
	drawn := func(c color.RGBA) bool { return c != paper && c != laneStripe }
	if n := count(img, lane, drawn); n < 30*barH {
		t.Errorf("the fold's lane has %d drawn pixels; want its 30 slices, at least %d", n, 30*barH)
	}

	many := newThreadPanel(withShim(withSlices(fixture("many", spec.Threads, 4, 30, wave), 40, 4000), 30))
	if many.lanes != maxLanes || many.keep != maxLanes-1 || many.more != 40-(maxLanes-1) {
		t.Errorf("40 threads and a fold: %d lanes, %d own, %d more; want %d, %d, %d",
			many.lanes, many.keep, many.more, maxLanes, maxLanes-1, 40-(maxLanes-1))
	}
}
