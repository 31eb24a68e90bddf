package runtext

import (
	"fmt"
	"slices"
	"strings"

	"corescope/profile"
	"corescope/spec"
)

// Label is what a run is called: its profile's label, or, for a profile
// without one, the label of the spec it ran.
func Label(p *profile.Profile) string {
	if p.Label != "" {
		return p.Label
	}
	return p.Spec.Label()
}

// Names names runs shown together, each uniquely: its Label, numbered
// among the runs that share it ("cpu #1", "io", "cpu #2"), and "run N" for
// a run that has no label at all.
func Names(ps []*profile.Profile) []string {
	count := make(map[string]int, len(ps))
	for _, p := range ps {
		count[Label(p)]++
	}
	nth := make(map[string]int, len(ps))
	names := make([]string, len(ps))
	for i, p := range ps {
		label := Label(p)
		nth[label]++
		switch {
		case label == "":
			names[i] = fmt.Sprintf("run %d", i+1)
		case count[label] > 1:
			names[i] = fmt.Sprintf("%s #%d", label, nth[label])
		default:
			names[i] = label
		}
	}
	return names
}

// Mark adds to run p's name how it ended when it did not finish well:
// "threads (stopped)", "python3 (failed)".
func Mark(name string, p *profile.Profile) string {
	switch {
	case !p.Failed():
		return name
	case p.Stopped():
		return name + " (stopped)"
	default:
		return name + " (failed)"
	}
}

// SubjectMeasured reports whether run p's samples hold the subject's own
// per-core load; files of corescope before it hold only the whole machine's.
func SubjectMeasured(p *profile.Profile) bool {
	for _, f := range p.Frames {
		if len(f.SubjectBusy) > 0 {
			return true
		}
	}
	return false
}

// Attribution says how far run p's per-core pictures are from the
// subject's exact cores, to be shown beside them: "" when they are exact
// (or there is nothing to show, or no subject: a watch of nodes).
func Attribution(p *profile.Profile) string {
	switch {
	case len(p.Frames) == 0 || p.Watched():
		return ""
	case !SubjectMeasured(p):
		return "whole machine: this file holds no per-core load of the subject, so every program's load is drawn"
	case p.Summary.Attribution != profile.AttributionApproximate:
		return ""
	case p.Summary.AttributionNote == "":
		return "approximate: each thread's CPU put on the core it last ran on"
	default:
		return "approximate: each thread's CPU put on the core it last ran on. " + p.Summary.AttributionNote
	}
}

// Spec says what a run ran: "processes, cpu workload, 20 tasks, size 1:
// 2 workers", "command: python3 my_script.py", or, for the spec of a watch
// of nodes (no backend), "watch every 1s".
func Spec(s spec.Spec) string {
	if s.Backend == spec.BackendCommand || s.Backend == "" {
		return Workload(s)
	}
	d := string(s.Model) + ", " + Workload(s)
	if set := modelSettings(s, true); set != "" {
		d += ": " + set
	}
	return d
}

// Workload says what a run's tasks were, the part that runs compared
// side by side share: "io workload, 20 tasks, size 1, latency 50ms", or
// "command: python3 my_script.py", or "watch every 1s" for a watch of
// nodes, which runs nothing (see What for its nodes).
func Workload(s spec.Spec) string {
	switch s.Backend {
	case "":
		return "watch every " + s.Interval.D().String()
	case spec.BackendCommand:
		return "command: " + strings.Join(s.Command, " ")
	}
	d := fmt.Sprintf("%s workload, %d tasks, size %g", s.Workload, s.Tasks, s.Size)
	if s.Workload != spec.CPU {
		d += fmt.Sprintf(", latency %v", s.Latency.D())
	}
	return d
}

// Model is how a run ran its tasks, the part that differs between runs
// compared side by side: "threads, 5 workers", the command, or "watch"
// for a watch of nodes.
func Model(s spec.Spec) string {
	switch s.Backend {
	case "":
		return "watch"
	case spec.BackendCommand:
		return strings.Join(s.Command, " ")
	}
	if set := modelSettings(s, false); set != "" {
		return string(s.Model) + ", " + set
	}
	return string(s.Model)
}

// modelSettings is what shapes a model's run beyond its name: its pool
// ("5 workers"; async's tasks in flight, "20 at once"; none for
// sequential, which has one thread by definition) and, for Python, the
// threads' switch interval (sys.setswitchinterval) or the processes' start
// method, short for a table ("switch 5ms", "spawn") or in full for a
// sentence ("switch interval 5ms", "start method spawn").
func modelSettings(s spec.Spec, full bool) string {
	var pool string
	switch {
	case s.Workers <= 0 || s.Model == spec.Sequential:
	case s.Model == spec.Async:
		pool = fmt.Sprintf("%d at once", s.Workers)
	default:
		pool = Count(s.Workers, "worker")
	}
	set := pythonSettings(s, full)
	if pool != "" && set != "" {
		return pool + ", " + set
	}
	return pool + set
}

// pythonSettings is modelSettings' part for Python; "" for other runs.
func pythonSettings(s spec.Spec, full bool) string {
	switch {
	case s.Backend != spec.BackendPython:
		return ""
	case s.Model == spec.Threads && s.SwitchInterval > 0 && full:
		return "switch interval " + s.SwitchInterval.D().String()
	case s.Model == spec.Threads && s.SwitchInterval > 0:
		return "switch " + s.SwitchInterval.D().String()
	case s.Model == spec.Processes && s.StartMethod != "" && full:
		return "start method " + s.StartMethod
	case s.Model == spec.Processes:
		return s.StartMethod
	}
	return ""
}

// Commands reports whether every one of ps ran a command of the user's,
// none a model: their model column holds commands (see ModelHead).
func Commands(ps []*profile.Profile) bool {
	for _, p := range ps {
		if p.Spec.Backend != spec.BackendCommand {
			return false
		}
	}
	return len(ps) > 0
}

// ModelHead heads ColModel in a table of ps: "command" when every run is
// a command, else "model".
func ModelHead(ps []*profile.Profile) string {
	if Commands(ps) {
		return "command"
	}
	return ColModel.Head()
}

// Python names the interpreter run p used, with the path it was given as:
// "CPython 3.11.2 (/usr/bin/python3)", and the shim it was resolved from:
// "CPython 3.11.7 (/root/.pyenv/shims/python3 →
// /root/.pyenv/versions/3.11.7/bin/python3 (pyenv shim))"; "" for a run
// without Python.
func Python(p *profile.Profile) string {
	switch {
	case p.Machine.Python == "":
		return ""
	case p.Spec.PythonShim != "":
		return p.Machine.Python + " (" + Resolution(p.Spec.PythonShim, p.Spec.Python) + ")"
	case p.Spec.Python != "":
		return p.Machine.Python + " (" + p.Spec.Python + ")"
	}
	return p.Machine.Python
}

// Pythons names the interpreters runs ps used, each once: "CPython 3.11.2
// (/usr/bin/python3) and CPython 3.13.1, no GIL (/opt/py/bin/python3.13t)";
// "" when none ran Python.
func Pythons(ps []*profile.Profile) string {
	var names []string
	for _, p := range ps {
		if n := Python(p); n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return strings.Join(names, " and ")
}

// What says what run p read or ran, for a line that names each run's work:
// a watch's nodes and interval ("a watch of 3 node_exporters every 1s",
// "Prometheus' history of 3 nodes at 15s steps" for report --prometheus,
// whose nodes have no URL of their own), else its Workload.
func What(p *profile.Profile) string {
	if !p.Watched() {
		return Workload(p.Spec)
	}
	if scraped(p) {
		return fmt.Sprintf("a watch of %s every %v", Count(len(p.Nodes), "node_exporter"), p.Spec.Interval.D())
	}
	return fmt.Sprintf("Prometheus' history of %s at %v steps", Count(len(p.Nodes), "node"), p.Spec.Interval.D())
}
