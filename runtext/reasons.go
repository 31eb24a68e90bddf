package runtext

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"corescope/diagnosis"
	"corescope/profile"
)

// Reason words reason r of run p in a clause that gives its evidence in
// figures, for the lists of reasons: "GIL-bound: 2 CPython threads of pid
// 4711 handed one core to each other 666 times (333 a second), on cores
// together under 1% of the time, the waiting ones found blocked on a lock
// 19 times".
func Reason(p *profile.Profile, r profile.Reason) string {
	head, evidence := reasonParts(p, r)
	if evidence == "" {
		return head
	}
	return head + ": " + evidence
}

// reasonParts words reason r of run p: what it is, and its evidence in
// figures ("" where the name says it all), with what evidence it lacked.
func reasonParts(p *profile.Profile, r profile.Reason) (head, evidence string) {
	g := r.Figures
	switch r.Name {
	case profile.ReasonQuota:
		head = "held by its cgroup's CPU quota"
		evidence = fmt.Sprintf("%sthrottled in %s of %s periods, %s held off every core", quotaOf(p, g),
			Thousands(int(g["throttled_periods"])), Thousands(int(g["periods"])), Seconds(g["throttled_s"]))
	case profile.ReasonAffinity:
		head = "held by its CPU affinity"
		evidence = fmt.Sprintf("allowed %s of %d while up to %s wanted one, waiting %s for a core",
			Count(int(g["allowed_cores"]), "core"), p.Machine.LogicalCores, Count(int(g["wanting_threads"]), "thread"), Seconds(g["runnable_s"]))
	case profile.ReasonSqueezed:
		head = "squeezed by other programs"
		evidence = fmt.Sprintf("its threads waited %s for a core (%s of the time they wanted one) while other programs kept %.2f cores busy",
			Seconds(g["runnable_s"]), percent(g["runnable_share"]), g["others_cores"])
	case profile.ReasonGIL:
		head, evidence = "GIL-bound", turns(g, "CPython threads")
	case profile.ReasonTookTurns:
		head, evidence = "taking turns, held by a lock", turns(g, "threads")
	case profile.ReasonOneThread:
		head = "one thread did the work at a time"
		if n := int(g["passes"]); n > 0 {
			evidence = fmt.Sprintf("the work passed from one thread to another %s", Count(n, "time"))
		}
	case profile.ReasonWaiting:
		head, evidence = "waiting", waits(g)
	case profile.ReasonParallel:
		head = "parallel"
		evidence = fmt.Sprintf("%.2f of %d cores busy", g["cores_used"], p.Machine.LogicalCores)
		if n := int(g["threads"]); n > 1 { // one busy thread tells nothing of what ran in parallel
			evidence = fmt.Sprintf("%s in %s on %.2f of %d cores", Count(n, "busy thread"), Count(int(g["processes"]), "process"),
				g["cores_used"], p.Machine.LogicalCores)
		}
	case profile.ReasonUndecided:
		return "undecided", undecided(r)
	default:
		head = r.Name // a reason of a later corescope, by its name
	}
	if r.Missing != "" {
		evidence = strings.TrimPrefix(evidence+"; ", "; ") + "not known: " + lacking(r.Missing)
	}
	return head, evidence
}

// quotaOf words the quota of run p: "0.50 cores for /corescope-test, ".
func quotaOf(p *profile.Profile, g map[string]float64) string {
	if g["quota_cores"] <= 0 {
		return ""
	}
	text := fmt.Sprintf("%.2f cores", g["quota_cores"])
	if group := p.Summary.CPUQuotaGroup; group != "" {
		text += " for " + group
	}
	return text + ", "
}

// turns words the figures of threads that took turns: from the switch
// timeline, their hand-overs and time together; from samples, the frames
// in which they shared one core's worth.
func turns(g map[string]float64, who string) string {
	text := fmt.Sprintf("%d %s of pid %d", int(g["threads"]), who, int(g["pid"]))
	if _, exact := g["handovers"]; exact {
		text += fmt.Sprintf(" handed one core to each other %s (%.0f a second), on cores together %s of the time",
			Count(int(g["handovers"]), "time"), g["handovers_per_s"], percent(g["together_share"]))
	} else {
		text += fmt.Sprintf(" took turns on one core in %d of their %d busy samples", int(g["turn_frames"]), int(g["busy_frames"]))
	}
	if n := int(g["lock_waits"]); n > 0 {
		text += fmt.Sprintf(", the waiting ones found blocked on a lock in %s", Count(n, "sample"))
	}
	return text
}

// kindWords say what a blocked thread waited on, by kind.
var kindWords = map[string]string{
	diagnosis.WaitIO: "on I/O", diagnosis.WaitSleep: "asleep", diagnosis.WaitLock: "on a lock",
	diagnosis.WaitChild: "on a child process", diagnosis.WaitOther: "in other system calls", diagnosis.WaitUnknown: "on something no sample saw",
}

// waits words the waiting reason's seconds by kind, the longest first,
// those that round to 0.00 s left out: "on I/O 1.80 s, asleep 0.10 s".
func waits(g map[string]float64) string {
	var kinds []string
	for _, k := range diagnosis.WaitKinds {
		if g[k] >= 0.005 {
			kinds = append(kinds, k)
		}
	}
	slices.SortStableFunc(kinds, func(a, b string) int { return cmp.Compare(g[b], g[a]) })
	var parts []string
	for _, k := range kinds {
		parts = append(parts, kindWords[k]+" "+Seconds(g[k]))
	}
	if len(parts) == 0 {
		return "blocked"
	}
	return strings.Join(parts, ", ")
}

// lackWords say what evidence a run lacked.
var lackWords = map[string]string{
	diagnosis.LacksEnds:     "how its slices on a core ended",
	diagnosis.LacksRunQueue: "how long its threads waited for a core",
	diagnosis.LacksStates:   "what its blocked threads waited in",
	diagnosis.LacksAllowed:  "the cores it was allowed",
	diagnosis.LacksThreads:  "what its threads did",
}

// lacking words a reason's Missing: "how its slices on a core ended and
// what its blocked threads waited in".
func lacking(missing string) string {
	var parts []string
	for _, m := range strings.Split(missing, ", ") {
		parts = append(parts, cmp.Or(lackWords[m], m))
	}
	if len(parts) > 1 {
		return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
	}
	return parts[0]
}

// undecided words why nothing decided: what the run lacks and what that
// leaves it unable to tell, or, with nothing lacking, that its figures
// fall between the rules.
func undecided(r profile.Reason) string {
	g := r.Figures
	if r.Missing == "" {
		return fmt.Sprintf("its figures fall between the rules (%.2f cores' worth of CPU, %s, other programs %.2f cores)",
			g["cores_used"], Count(int(g["threads"]), "busy thread"), g["others_cores"])
	}
	question := "what held it"
	switch {
	case g["cores_used"] < diagnosis.WaitingCores:
		question = "waiting from being squeezed"
	case g["threads"] >= 2:
		question = "threads taking turns from threads waiting for a core"
	}
	return fmt.Sprintf("this run does not say %s, so it cannot tell %s", lacking(r.Missing), question)
}

// percent words a share: "45%", "under 1%".
func percent(share float64) string {
	if share > 0 && share < 0.005 || share == 0 {
		return "under 1%"
	}
	return fmt.Sprintf("%.0f%%", 100*share)
}

// PhaseName names a phase by its first reason, in a word or two:
// "parallel", "waiting", "GIL-bound".
func PhaseName(r profile.Reason) string {
	switch r.Name {
	case profile.ReasonOneThread:
		return "one thread"
	case profile.ReasonTookTurns:
		return "taking turns"
	case profile.ReasonGIL:
		return "GIL-bound"
	case profile.ReasonAffinity:
		return "held by affinity"
	case profile.ReasonQuota:
		return "held by a quota"
	}
	return r.Name
}

// PhaseText is one phase of a run in words: when it was, how long, and
// its cores' worth of CPU (Head), then each of its reasons with its
// evidence in figures and, in brackets, where the figures came from, the
// first the one its sentence names.
type PhaseText struct {
	Head    string
	Reasons []string
}

// Phases words run p's phases (findings), for the lists of record's
// summary and the report; nil for a run not judged.
func Phases(p *profile.Profile) []PhaseText {
	f := findings(p)
	var out []PhaseText
	for k, ph := range f.Phases {
		pt := PhaseText{Head: fmt.Sprintf("%s to %s (%s): %.2f cores' worth of CPU", Seconds(ph.StartS), Seconds(ph.EndS), Seconds(ph.EndS-ph.StartS), ph.CoresUsed)}
		for _, r := range f.In(k) {
			text := Reason(p, r)
			if r.Evidence != "" {
				text += " [" + r.Evidence + "]"
			}
			pt.Reasons = append(pt.Reasons, text)
		}
		out = append(out, pt)
	}
	return out
}

// Limits words the CPU limits run p's subject ran under, as far as they
// were read: "allowed 1 of 2 cores; CPU quota 0.50 cores for /ci,
// throttled in 77 of 90 periods (3.20 s)"; "" where none was read.
func Limits(p *profile.Profile) string {
	s := p.Summary
	var parts []string
	if s.AllowedCores > 0 {
		parts = append(parts, fmt.Sprintf("allowed %d of %d cores", s.AllowedCores, p.Machine.LogicalCores))
	}
	if q := s.CPUQuotaCores; q != nil {
		text := fmt.Sprintf("CPU quota %.2f cores", *q)
		if s.CPUQuotaGroup != "" {
			text += " for " + s.CPUQuotaGroup
		}
		parts = append(parts, text+fmt.Sprintf(", throttled in %s of %s periods (%s)", Thousands(s.ThrottledPeriods), Thousands(s.QuotaPeriods), Seconds(s.ThrottledS)))
	}
	return strings.Join(parts, "; ")
}

// findings are run p's findings as its views show them: those it keeps
// (diagnosis.Kept), so a file reads as it was written, else those of its
// evidence (diagnosis.Of).
func findings(p *profile.Profile) diagnosis.Findings {
	if f, ok := diagnosis.Kept(p); ok {
		return f
	}
	return diagnosis.Of(p)
}

// explain words findings f of run p beyond the verdict: what the main
// phase's first reason means and what would use more cores (unless the
// primer's teaching came first, which says it of a built-in model), its
// other reasons with their evidence, and each other phase with its
// reasons.
func explain(p *profile.Profile, f diagnosis.Findings, taught bool) string {
	if f.Case != diagnosis.Judged {
		return ""
	}
	main := f.In(f.Main)
	var parts []string
	if !taught || main[0].Name == profile.ReasonUndecided {
		parts = append(parts, meaning(p, main[0]))
	}
	for _, r := range main[1:] {
		parts = append(parts, "Also "+Reason(p, r)+".")
	}
	for k, ph := range f.Phases {
		if k == f.Main {
			continue
		}
		var rs []string
		for _, r := range f.In(k) {
			rs = append(rs, Reason(p, r))
		}
		parts = append(parts, fmt.Sprintf("From %s to %s, %.2f cores' worth of CPU: %s.", Seconds(ph.StartS), Seconds(ph.EndS), ph.CoresUsed, strings.Join(rs, "; also ")))
	}
	return strings.Join(parts, " ")
}

// meaning says what reason r means for run p, how corescope saw it, and
// what would use more cores.
func meaning(p *profile.Profile, r profile.Reason) string {
	seen := "the kernel's switch records"
	if !strings.Contains(r.Evidence, diagnosis.FromSwitches) {
		seen = "its threads' samples"
	}
	switch r.Name {
	case profile.ReasonQuota:
		return "The kernel held it off every core whenever its cgroup had used up its quota for the period, however many cores were free: a larger quota would let it use more (cpu.max on cgroup v2, cpu.cfs_quota_us on v1), more cores would not."
	case profile.ReasonAffinity:
		return fmt.Sprintf("Its CPU affinity (taskset, a cpuset) let it run on %s of the machine's %d, so its threads queued for them, runnable but waiting: allowed more cores, they would run at once.",
			Count(int(r.Figures["allowed_cores"]), "core"), p.Machine.LogicalCores)
	case profile.ReasonSqueezed:
		return "Its threads were ready to run while other programs held the cores: it was squeezed, not held back by anything of its own, and on a quieter machine it would use more."
	case profile.ReasonGIL:
		return fmt.Sprintf("CPython's global interpreter lock (GIL) runs one thread's Python code at a time: %s show its threads handing the core to each other, the waiting ones blocked on a lock while another ran. Processes (multiprocessing), or calls that release the GIL (zlib, hashlib, numpy), would use more cores.", seen)
	case profile.ReasonTookTurns:
		return fmt.Sprintf("Something, such as a lock, lets only one of its threads run at a time: %s show them handing the core to each other and rarely on cores together.", seen)
	case profile.ReasonOneThread:
		return "Only one of its threads wanted a core at a time, so one core did the work: more cores would not make it faster, only running its work in parallel would."
	case profile.ReasonWaiting:
		return "Its threads spent longer blocked than on a core or waiting for one: more cores would not make it faster, only overlapping or shortening its waits would."
	case profile.ReasonParallel:
		return "Its work ran on several cores at once."
	case profile.ReasonUndecided:
		return undecidedHelp(r)
	}
	return ""
}

// undecidedHelp says what would decide an undecided reason.
func undecidedHelp(r profile.Reason) string {
	switch {
	case r.Missing == "":
		return "No rule of corescope's decides between them: the README's section on reasons gives each rule."
	case strings.Contains(r.Missing, diagnosis.LacksThreads):
		return "Thread samples or the kernel's switch records would tell."
	case strings.Contains(r.Missing, diagnosis.LacksRunQueue):
		return "Exact attribution (perf events allowed: kernel.perf_event_paranoid 2 or lower, or CAP_PERFMON) would tell."
	}
	return "A recording by this corescope would tell: it keeps how slices ended and what blocked threads waited in."
}

// OffCore words what a thread did off a core, for the lanes' readout:
// "waiting for a core", "blocked in futex: a lock", "blocked, on what no
// sample saw", "not on a core" where nothing tells.
func OffCore(state diagnosis.State, kind, syscall string) string {
	switch {
	case state == diagnosis.Runnable:
		return "waiting for a core"
	case state != diagnosis.Blocked:
		return "not on a core"
	case syscall == "" && kind != diagnosis.WaitOther:
		return "blocked, on what no sample saw"
	case syscall == "":
		return "blocked outside a system call (a page fault)"
	}
	what := map[string]string{diagnosis.WaitIO: "I/O", diagnosis.WaitSleep: "a sleep", diagnosis.WaitLock: "a lock",
		diagnosis.WaitChild: "a child process"}[kind]
	if what == "" {
		return "blocked in " + syscall
	}
	return "blocked in " + syscall + ": " + what
}
