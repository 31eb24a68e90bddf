package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2/dialog"

	"corescope/profile"
	"corescope/recorder"
	"corescope/runtext"
	"corescope/spec"
)

// redrawEvery is the shortest time between two redraws while running.
const redrawEvery = 100 * time.Millisecond

// job is the run (or "Compare all" runs) in progress.
type job struct {
	specs   []spec.Spec
	group   *runGroup // where its runs go: a new comparison, or the single runs
	cancel  context.CancelFunc
	started time.Time
	feed    feed
	out     *outputQueue // what the subject writes

	// repeat and warmup are how often each spec runs (recorder.Plan).
	repeat, warmup int

	// UI goroutine only: what the progress line shows.
	index   int
	runs    int    // how many runs the job plans
	name    string // the current run's label, with its repeat
	spec    spec.Spec
	done    int // tasks done in the current run
	stopped bool
	// watching is how many nodes a cluster's watch reads; 0 for runs.
	watching int
}

// Run starts the runs the controls ask for. It does nothing while a run is
// in progress or when a field is invalid.
func (u *UI) Run() {
	if !u.allowed(true).run {
		return
	}
	if u.ctl.isCluster() {
		u.watch()
		return
	}
	u.runSpecs(u.ctl.specs())
}

// RunSweep starts a sweep of worker counts of the model (or the command,
// whose {workers} takes each count) the controls choose: 1, 2, 4... up to
// twice the cores, a new comparison whose fit the Scaling tab shows.
func (u *UI) RunSweep() {
	if !u.allowed(true).run || u.ctl.isCluster() {
		return
	}
	u.runSpecs(u.ctl.sweepSpecs())
}

// runSpecs starts a job of specs, or says why there is none.
func (u *UI) runSpecs(specs []spec.Spec, err error) {
	if err != nil {
		u.setStatus(err.Error())
		return
	}
	repeat, err := u.ctl.repeats(len(specs))
	if err != nil {
		u.setStatus(err.Error())
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	j := &job{specs: specs, group: u.groupFor(specs), repeat: repeat, cancel: cancel, started: time.Now(), index: -1, out: newOutputQueue()}
	u.start(ctx, j, u.record)
}

// start shows job j as started and runs record(ctx, j, done) on its own
// goroutine, which closes done once every run of j ended, and the redraws
// of what it feeds.
func (u *UI) start(ctx context.Context, j *job, record func(context.Context, *job, chan<- struct{})) {
	u.job = j
	u.updateButtons()
	u.updateRuns()
	u.setStatus("")
	u.progress.SetValue(0)
	u.progressRow.Show()
	u.output.begin()
	u.output.refresh()

	done := make(chan struct{})
	go record(ctx, j, done)
	go u.redraw(j, done)
}

// Stop ends the run in progress; what was sampled so far is kept.
func (u *UI) Stop() {
	if !u.allowed(false).stop {
		return
	}
	u.job.stopped = true
	u.job.cancel()
	u.setStatus("Stopping...")
	u.updateButtons()
}

// record runs the job's specs through recorder.Compare on its own
// goroutine; its hooks hand every event to the job's feed, in order.
func (u *UI) record(ctx context.Context, j *job, done chan<- struct{}) {
	defer close(done)
	defer j.cancel()
	recorder.Compare(ctx, j.specs, recorder.CompareOptions{
		Options: recorder.Options{
			Self:    u.opt.Self,
			OnFrame: func(f profile.Frame) { j.feed.add(update{kind: frameArrived, frame: f}) },
			Stdout:  outputTo(j.out, lineOut),
			Stderr:  outputTo(j.out, lineErr),
		},
		Repeat: j.repeat,
		Warmup: j.warmup,
		OnRun: func(i, n int, run recorder.Planned) {
			name := runtext.Repeat(run.Spec.Label(), run.Repeat, run.Of, run.Warmup)
			heading := name
			if n > 1 {
				heading = fmt.Sprintf("%d of %d: %s", i+1, n, heading)
			}
			j.out.add(outputLine{"── " + heading + " ──", lineHeading})
			j.feed.add(update{kind: runBegan, index: i, runs: n, spec: run.Spec, name: name, start: time.Now()})
		},
		OnRunEnd: func(i int, p *profile.Profile, err error) {
			j.feed.add(update{kind: runEnded, index: i, profile: p, err: err})
		},
		Record: u.recorder,
	})
}

// redraw applies the job's updates on the UI goroutine, one batch per tick,
// until the job is done. The ticker lives only as long as the job, and
// slows down when drawing is costly (see nextRedraw).
func (u *UI) redraw(j *job, done <-chan struct{}) {
	period := redrawEvery
	tick := time.NewTicker(period)
	defer tick.Stop()
	interval := j.specs[0].Interval.D()
	for {
		select {
		case <-tick.C:
			batch, out := j.feed.take(), j.out.take()
			if next := nextRedraw(period, interval, batch); next != period {
				period = next
				tick.Reset(period)
			}
			u.do(func() { u.apply(j, batch, out) })
		case <-done:
			batch, out := j.feed.take(), j.out.take()
			u.do(func() {
				u.apply(j, batch, out)
				u.finishJob(j)
			})
			return
		}
	}
}

// Redraw periods: corescope keeps its own cost low by drawing less often
// when drawing is expensive. With software OpenGL (a VM, a server under
// Xvfb) ten redraws a second can cost half a core, which would show up in
// the very heatmap being drawn.
const (
	slowestRedraw = time.Second
	costlySelf    = 0.10 // cores: redraw half as often above this
	cheapSelf     = 0.03 // cores: redraw twice as often below this
)

// nextRedraw is the redraw period after a batch: corescope's own CPU over
// the batch's frames (each interval long) says whether drawing costs too
// much, and the period doubles, up to slowestRedraw, or halves, down to
// redrawEvery. A batch without frames changes nothing.
func nextRedraw(period, interval time.Duration, batch []update) time.Duration {
	self, frames := 0.0, 0
	for i := range batch {
		if batch[i].kind == frameArrived {
			self += batch[i].frame.SelfCPU
			frames++
		}
	}
	if frames == 0 || interval <= 0 {
		return period
	}
	switch cores := self / (float64(frames) * interval.Seconds()); {
	case cores > costlySelf:
		return min(2*period, slowestRedraw)
	case cores < cheapSelf:
		return max(period/2, redrawEvery)
	}
	return period
}

// apply shows a batch of updates and the subject's output since the last:
// one redraw of each view per batch, none when nothing arrived (sampling
// slower than the redraws).
func (u *UI) apply(j *job, batch []update, out []outputLine) {
	defer u.showProgress(j)
	if len(batch) == 0 && len(out) == 0 {
		return
	}
	u.output.add(out)
	for i := range batch {
		up := &batch[i]
		switch up.kind {
		case runBegan:
			j.index, j.runs, j.spec, j.name, j.done = up.index, up.runs, up.spec, up.name, 0
			u.live.begin(j.spec)
			u.threads.begin(up.start, j.spec.Interval.D().Seconds())
		case frameArrived:
			u.watched(j, up)
			j.done = up.frame.TasksDone
			u.live.add(&up.frame)
			u.threads.add(&up.frame)
		case runEnded:
			u.endRun(j, up.profile, up.err)
		}
	}
	u.live.refresh()
	u.threads.refresh()
	u.output.refresh()
}

// showProgress shows which run is going, how far it is and for how long.
func (u *UI) showProgress(j *job) {
	if j.index < 0 {
		u.progressText.SetText("Starting...")
		return
	}
	label := j.name
	if j.runs > 1 {
		label = fmt.Sprintf("%d of %d: %s", j.index+1, j.runs, label)
	}
	if j.watching > 0 {
		label = "Watching " + runtext.Count(j.watching, "node")
	}
	elapsed := time.Since(j.started).Truncate(100 * time.Millisecond)
	if j.spec.Backend == spec.BackendCommand || j.watching > 0 {
		u.progress.Hide()
		u.busy.Show()
		u.busy.Start()
		u.progressText.SetText(fmt.Sprintf("%s · %v", label, elapsed))
		return
	}
	u.busy.Stop()
	u.busy.Hide()
	u.progress.Show()
	u.progress.SetValue(float64(j.done) / float64(max(j.spec.Tasks, 1)))
	u.progressText.SetText(fmt.Sprintf("%s · %d of %d tasks · %v", label, j.done, j.spec.Tasks, elapsed))
}

// endRun adds a finished run to its job's group; a stopped run joins it
// marked stopped, a failed run says why.
func (u *UI) endRun(j *job, p *profile.Profile, err error) {
	if p == nil {
		if err != nil {
			u.live.failed(err)
			u.fail(err, "")
		}
		return
	}
	if err != nil && p.Error == "" {
		p.Error = err.Error()
	}
	u.addRuns(j.group, p)
	if err != nil && !errors.Is(err, recorder.ErrStopped) {
		u.fail(err, p.StderrTail)
	}
}

// fail reports a run that went wrong; the window stays usable.
func (u *UI) fail(err error, stderr string) {
	msg := "The run failed: " + err.Error()
	u.setStatus(msg)
	if u.opt.ExitWhenDone {
		return // nobody is there to close a dialog
	}
	if tail := strings.TrimSpace(stderr); tail != "" {
		msg += "\n\nLast lines of its error output:\n" + tail
	}
	dialog.ShowError(errors.New(msg), u.win)
}

// finishJob puts the window back to idle once every run of j ended.
func (u *UI) finishJob(j *job) {
	u.job = nil
	u.busy.Stop()
	u.busy.Hide()
	u.progress.Show()
	u.progressRow.Hide()
	u.updateButtons()
	u.updateRuns()
	switch {
	case j.stopped:
		u.setStatus("Stopped; the runs so far are kept")
	case u.status.Text == "":
		u.setStatus(fmt.Sprintf("Done in %v", time.Since(j.started).Round(100*time.Millisecond)))
	}
	if u.closing {
		u.win.Close()
		return
	}
	if u.opt.ExitWhenDone {
		u.app.Quit()
	}
}
