package app

import (
	"fmt"
	"math"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"corescope/levels"
	"corescope/profile"
	"corescope/spec"
)

// BenchmarkClusterLiveTick is the Live view's tick during a watch of 64
// nodes of 64 cores (4,096 rows) at 1 Hz whose heatmap holds 10 minutes,
// in a 1280x800 window: a frame arrives with its nodes, the heatmap and
// strips redraw, by node (collapsed, as the window chooses at this size)
// and every core. A watch at 1 Hz redraws once a second (a redraw without
// a frame draws nothing), so the cost of a tick is its share of a core at
// 1 Hz; at 10 Hz for comparison with BenchmarkLiveTick's goal of 3%.
func BenchmarkClusterLiveTick(b *testing.B) {
	const nodes, per, held = 64, 64, 600
	layout := make([]profile.Node, nodes)
	for k := range layout {
		layout[k] = profile.Node{Name: fmt.Sprintf("node%02d:9100", k), First: k * per, Cores: per}
	}
	frame := func(i int) profile.Frame {
		f := profile.Frame{T: float64(i + 1), Busy: make(levels.Row, nodes*per), SelfCPU: 0.01}
		for c := range f.Busy {
			f.Busy[c] = levels.Of(math.Abs(math.Sin(float64(i+c) / 50)))
		}
		return f
	}
	for _, byNode := range []bool{true, false} {
		name := "every core"
		if byNode {
			name = "by node"
		}
		b.Run(name, func(b *testing.B) {
			a := test.NewTempApp(b)
			u := New(a, Options{})
			u.win.Resize(fyne.NewSize(1280, 800))
			s := spec.Spec{Name: "watch", Interval: spec.Duration(time.Second)}
			j := &job{specs: []spec.Spec{s}, started: time.Unix(0, 0), index: -1, watching: nodes}
			u.apply(j, []update{{kind: runBegan, spec: s, start: time.Unix(0, 0)}}, nil)
			for i := range held {
				up := update{kind: frameArrived, frame: frame(i), nodes: layout}
				u.watched(j, &up)
				u.live.add(&up.frame)
			}
			u.live.heat.SetByNode(byNode)
			frames := make([][]update, 16)
			for i := range frames {
				frames[i] = []update{{kind: frameArrived, frame: frame(held + i), nodes: layout}}
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				u.apply(j, frames[i%len(frames)], nil)
				i++
			}
			perTick := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / float64(time.Second)
			b.ReportMetric(perTick*100, "%core@1Hz")
			b.ReportMetric(perTick*10*100, "%core@10Hz")
		})
	}
}
