package app

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"corescope/profile"
	"corescope/recorder"
)

// Options configure the window.
type Options struct {
	// Self is the corescope executable the Go backend runs as `Self worker ...`;
	// empty means the running executable.
	Self string
	// Demo starts "Compare all" on a small CPU-bound workload at start.
	Demo bool
	// ExitWhenDone quits the app when the first Run (or the demo) ends.
	ExitWhenDone bool
	// Open are profile files to show at start, each as File > Open would:
	// a group of runs per file, a dialog for each that cannot be read.
	Open []string
}

// UI is the corescope window and the session of runs it shows.
type UI struct {
	app fyne.App
	win fyne.Window
	opt Options

	ctl     *controls
	live    *liveView
	threads *threadsView
	compare *compareView
	scaling *scalingView
	output  *outputView
	bars    runBars // over Live and Threads: which run they show, and why
	tabs    *container.AppTabs

	runBtn, stopBtn *button
	progress        *widget.ProgressBar
	busy            *busyBar
	progressText    *widget.Label
	progressRow     *fyne.Container
	status          *widget.Label

	items menuItems

	// keepPrefs says whether choices are saved: once restored, and never
	// in the demo, which must not overwrite the user's own.
	keepPrefs bool

	recorder recorder.RecordFunc // recorder.Record; tests swap in fakes
	do       func(func())        // fyne.Do; tests run the UI loop themselves
	session
}

// sidebarWidth is the narrowest the controls column gets.
const sidebarWidth = 270

// New builds the window of a.
func New(a fyne.App, opt Options) *UI {
	u := &UI{app: a, opt: opt, recorder: recorder.Record, do: fyne.Do}
	u.win = a.NewWindow("corescope")
	u.ctl = newControls(func(f func()) { u.do(f) }) // u.do as tests set it
	u.live = newLiveView(func(bool) { u.savePrefs() })
	u.threads = newThreadsView()
	u.compare = newCompareView(u.clearRuns)
	u.scaling = newScalingView()
	u.output = newOutputView()
	u.ctl.onShowCode, u.ctl.onBrowse = u.showCode, u.browsePython

	u.runBtn = newButton("Run", u.Run)
	u.runBtn.Importance = widget.HighImportance
	u.stopBtn = newButton("Stop", u.Stop)
	u.progress = widget.NewProgressBar()
	u.busy = newBusyBar()
	u.busy.Hide()
	u.progressText = widget.NewLabel("")
	u.status = widget.NewLabel("")
	u.status.Wrapping = fyne.TextWrapWord

	if opt.Demo {
		u.ctl.set(demoInput)
		u.ctl.repeat.SetText("1") // a quick look at every model, not a measurement
	} else {
		loadPrefs(a.Preferences(), u.ctl, u.live)
		u.keepPrefs = true // not before: restoring a choice calls savePrefs
	}
	u.setStatus(u.readyText())
	u.ctl.onChange = func() {
		if u.status.Text == readyGo || u.status.Text == readyCommand || u.status.Text == readyCluster {
			u.setStatus(u.readyText()) // the backend may have changed
		}
		u.updateButtons()
		u.savePrefs()
	}

	buttons := container.NewGridWithColumns(2, u.runBtn, u.stopBtn)
	hint := widget.NewLabel("Run: Ctrl+R · Stop: Esc")
	hint.Importance = widget.LowImportance
	// The fields' hints do not count in the form's width: keep room for them.
	sideWidth := canvas.NewRectangle(nil)
	sideWidth.SetMinSize(fyne.NewSize(sidebarWidth, 0))
	side := container.NewBorder(nil, container.NewVBox(buttons, hint), nil, nil,
		container.NewStack(sideWidth, container.NewVScroll(u.ctl.content)))

	u.addRunBars() // before the tabs take the views' contents
	u.tabs = container.NewAppTabs(
		container.NewTabItem("Live", u.live.content),
		container.NewTabItem("Threads", u.threads.content),
		container.NewTabItem("Compare", u.compare.content),
		container.NewTabItem("Scaling", u.scaling.content),
		container.NewTabItem("Output", u.output.content),
	)
	u.tabs.OnSelected = func(*container.TabItem) { u.showingTab() }
	u.progressRow = container.NewBorder(nil, nil, u.progressText, nil, container.NewStack(u.progress, u.busy))
	u.progressRow.Hide() // shown only while running
	bottom := container.NewVBox(u.progressRow, u.status)
	u.win.SetContent(container.NewBorder(nil, bottom, side, nil, u.tabs))
	u.win.SetMainMenu(u.menu())
	u.win.Resize(fyne.NewSize(1280, 800))
	u.win.SetCloseIntercept(u.close)
	u.updateButtons()
	u.showingTab()

	switch {
	case opt.Demo:
		a.Lifecycle().SetOnStarted(u.Run)
	case len(opt.Open) > 0:
		a.Lifecycle().SetOnStarted(func() {
			for _, path := range opt.Open {
				u.OpenFile(path)
			}
		})
	}
	// From now on a typed interpreter is asked off the UI goroutine.
	u.ctl.asker.do = func(f func()) { u.do(f) }
	return u
}

// Window is the corescope window.
func (u *UI) Window() fyne.Window { return u.win }

// close stops a run in progress, or waits for an export, before the window
// goes, so no subject outlives the app and no file is left half written.
func (u *UI) close() {
	switch {
	case u.job != nil:
		u.closing = true
		u.Stop()
	case u.exporting:
		u.closing = true
	default:
		u.win.Close()
	}
}

// What the status line says before the first run, in each mode.
const (
	readyGo      = "Ready. Choose a workload and a model, then Run."
	readyCommand = "Ready. Type a command, then Run."
	readyCluster = "Ready. List the nodes' node_exporters, then Run to watch them."
)

func (u *UI) readyText() string {
	if u.ctl.isCommand() {
		return readyCommand
	}
	if u.ctl.isCluster() {
		return readyCluster
	}
	return readyGo
}

// updateButtons enables what the session allows now. While a job runs the
// fields are disabled and give up the keyboard focus, so no cursor blinks
// (each blink repaints the whole window) and Escape reaches the window.
func (u *UI) updateButtons() {
	can := u.allowed(u.ctl.valid())
	setEnabled(u.runBtn, can.run)
	setEnabled(u.stopBtn, can.stop)
	u.items.update(can, !u.ctl.isCommand())
	idle := u.job == nil
	if f, ok := u.win.Canvas().Focused().(fyne.Disableable); ok && !idle && slices.Contains(u.ctl.fields, f) {
		u.win.Canvas().Unfocus()
	}
	u.ctl.setEnabled(idle)
}

func setEnabled(b fyne.Disableable, enabled bool) {
	if enabled {
		b.Enable()
	} else {
		b.Disable()
	}
}

func (u *UI) setStatus(s string) { u.status.SetText(s) }

// savePrefs remembers the choices (see keepPrefs).
func (u *UI) savePrefs() {
	if u.keepPrefs {
		savePrefs(u.app.Preferences(), u.ctl, u.live)
	}
}

// showProfile puts a run in the live and threads views, and its kept
// output in the output pane, unless that pane follows a job's runs.
func (u *UI) showProfile(p *profile.Profile) {
	u.live.show(p)
	u.threads.show(p)
	if u.job == nil {
		u.output.show(p)
		u.output.refresh()
	}
}

// showingTab tells the views whether their tab is shown: hidden views
// keep their data but do not draw.
func (u *UI) showingTab() {
	sel := u.tabs.Selected()
	// Showing a tab draws what came while it was hidden.
	u.live.visible = sel != nil && sel.Content == u.live.content
	u.threads.visible = sel != nil && sel.Content == u.threads.content
	u.output.visible = sel != nil && sel.Content == u.output.content
	u.live.refresh()
	u.threads.refresh()
	u.output.refresh()
}
