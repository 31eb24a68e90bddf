package app

import (
	"fmt"
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"corescope/heatmap"
	"corescope/profile"
)

// compareView is the Compare tab: every run of the session on one time
// scale, the summary table and each run's verdict.
type compareView struct {
	rows     *fyne.Container // label, heatmap per run
	table    *fyne.Container
	verdicts *fyne.Container
	count    *widget.Label
	clearBtn *widget.Button
	content  fyne.CanvasObject
	painter  heatmap.Painter
}

// tableHeader names the summary columns.
var tableHeader = []string{"run", "wall s", "speedup", "cores used", "CPU s", "threads", "procs", "ctx switches"}

func newCompareView(onClear func()) *compareView {
	v := &compareView{
		rows:     container.New(&timeScaleLayout{}),
		table:    container.New(layout.NewGridLayout(len(tableHeader))),
		verdicts: container.NewVBox(),
		count:    widget.NewLabel(""),
	}
	v.clearBtn = widget.NewButton("Clear runs", onClear)
	top := container.NewHBox(v.count, layout.NewSpacer(), v.clearBtn)
	body := container.NewVBox(v.rows, widget.NewSeparator(), container.NewHScroll(v.table), widget.NewSeparator(), v.verdicts)
	v.content = container.NewBorder(top, nil, nil, nil, container.NewVScroll(body))
	v.set(nil)
	return v
}

// set shows runs.
func (v *compareView) set(runs []*profile.Profile) {
	v.clearBtn.Disable()
	v.count.SetText("No runs yet: run a model, or choose Compare all.")
	if len(runs) > 0 {
		v.clearBtn.Enable()
		v.count.SetText(fmt.Sprintf("%d runs on one time scale", len(runs)))
	}
	l := v.rows.Layout.(*timeScaleLayout)
	l.spans = l.spans[:0]
	var rows, cells, verdicts []fyne.CanvasObject
	for _, h := range tableHeader {
		cells = append(cells, cell(h, true))
	}
	for _, p := range runs {
		name := runName(p)
		rows = append(rows, widget.NewLabel(name), v.picture(p))
		l.spans = append(l.spans, duration(p))

		s := p.Summary
		speedup := "—"
		if s.Speedup != nil {
			speedup = fmt.Sprintf("%.2fx", *s.Speedup)
		}
		for _, c := range []string{name, fmt.Sprintf("%.2f", s.WallS), speedup, fmt.Sprintf("%.2f", s.CoresUsed),
			fmt.Sprintf("%.2f", s.CPUS), fmt.Sprint(s.Threads), fmt.Sprint(s.Procs), fmt.Sprint(s.CtxSwitches)} {
			cells = append(cells, cell(c, false))
		}
		verdict := s.Verdict
		if p.Failed() {
			verdict = p.Error
		}
		vl := widget.NewLabel(name + ": " + verdict)
		vl.Wrapping = fyne.TextWrapWord
		verdicts = append(verdicts, vl)
	}
	v.rows.Objects, v.table.Objects, v.verdicts.Objects = rows, cells, verdicts
	v.rows.Refresh()
	v.table.Refresh()
	v.verdicts.Refresh()
}

// cell is one compact cell of the summary table.
func cell(text string, header bool) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: header})
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// runName is a run's label, marked when it did not finish well.
func runName(p *profile.Profile) string {
	name := p.Label
	if name == "" {
		name = p.Spec.Label()
	}
	if p.Failed() {
		name += " (stopped)"
		if p.Error != profile.ErrStopped.Error() {
			name = p.Label + " (failed)"
		}
	}
	return name
}

// duration is how long a run's frames cover.
func duration(p *profile.Profile) float64 {
	if len(p.Frames) == 0 {
		return 0
	}
	return p.Frames[len(p.Frames)-1].T
}

// picture is a small heatmap of the whole run.
func (v *compareView) picture(p *profile.Profile) fyne.CanvasObject {
	cols := make([][]float64, len(p.Frames))
	cores := 1
	for i := range p.Frames {
		cols[i] = p.Frames[i].Busy
		cores = max(cores, len(cols[i]))
	}
	dst := image.NewRGBA(image.Rect(0, 0, max(len(cols), 1), cores))
	v.painter.Heatmap(dst, dst.Rect, cols, false)
	img := canvas.NewImageFromImage(dst)
	img.ScaleMode = canvas.ImageScalePixels
	img.FillMode = canvas.ImageFillStretch
	return img
}

// timeScaleLayout lays out (label, picture) pairs one under the other with
// each picture as wide as its run is long, so the runs share a time scale.
type timeScaleLayout struct {
	spans []float64
}

const compareRowHeight = 40

func (l *timeScaleLayout) label(objs []fyne.CanvasObject) float32 {
	w := float32(0)
	for i := 0; i+1 < len(objs); i += 2 {
		w = max(w, objs[i].MinSize().Width)
	}
	return w
}

func (l *timeScaleLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(l.label(objs)+100, float32(len(objs)/2)*(compareRowHeight+4))
}

func (l *timeScaleLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	labelW := l.label(objs)
	axis := 0.0
	for _, s := range l.spans {
		axis = max(axis, s)
	}
	full := int(size.Width - labelW)
	for i := 0; i+1 < len(objs) && i/2 < len(l.spans); i += 2 {
		y := float32(i/2) * (compareRowHeight + 4)
		objs[i].Move(fyne.NewPos(0, y+(compareRowHeight-objs[i].MinSize().Height)/2))
		objs[i].Resize(fyne.NewSize(labelW, objs[i].MinSize().Height))
		objs[i+1].Move(fyne.NewPos(labelW, y))
		objs[i+1].Resize(fyne.NewSize(float32(heatmap.Width(full, l.spans[i/2], axis)), compareRowHeight))
	}
}
