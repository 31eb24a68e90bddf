package runtext

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"corescope/diagnosis"
	"corescope/profile"
	"corescope/spec"
)

// Startup says what run p's start-up was, measured (diagnosis.StartupOf):
// "Start-up took 0.41 s before the first task: a pyenv shim 0.36 s (31
// processes: bash ×20, pyenv ×8), then the interpreter and its imports
// 0.03 s, then starting 2 worker processes 0.02 s." "" for a run with no
// start-up its evidence tells apart.
func Startup(p *profile.Profile) string {
	st := diagnosis.StartupOf(p)
	if st.S <= 0 || p.Failed() && !p.Stopped() {
		return ""
	}
	var parts []string
	if len(st.Shim) > 0 && st.ShimS > 0 {
		parts = append(parts, fmt.Sprintf("%s %s (%s: %s)", cmp.Or(Shim(st.Shim), "start-up processes"), Seconds(st.ShimS), Count(len(st.Shim), "process"), ProcessNames(st.Shim)))
	}
	rest := st.S - st.ShimS
	switch {
	case st.FromTasks && st.InterpreterS > 0:
		parts = append(parts, fmt.Sprintf("%s %s", starting(p), Seconds(st.InterpreterS)))
	case !st.FromTasks && (rest >= 0.05 || rest > st.S/2): // not the few ms between the shim's end and the main process's busy slice
		parts = append(parts, fmt.Sprintf("%s (its main process) kept no core busy for %s", cmp.Or(st.Main.Name, "the program"), Seconds(rest)))
	}
	if st.PoolS > 0 {
		parts = append(parts, fmt.Sprintf("starting %s %s", Count(st.Workers, "worker process"), Seconds(st.PoolS)))
	}
	if len(parts) == 0 {
		parts = append(parts, "before its first task")
	}
	until := ""
	if st.FromTasks {
		until = " before the first task"
	}
	return fmt.Sprintf("Start-up took %s%s: %s.", Seconds(st.S), until, strings.Join(parts, ", then "))
}

// starting names what starts before a run's first task, after any shim:
// an interpreter and its imports, Go's worker, or a program.
func starting(p *profile.Profile) string {
	switch {
	case p.Spec.Backend == spec.BackendGo:
		return "the Go worker's start"
	case p.Spec.Backend == spec.BackendPython || p.Machine.Python != "":
		return "the interpreter and its imports"
	}
	return "the program's own start"
}

// Shim names start-up processes by what they belong to: "a pyenv shim",
// "an asdf shim", "a mise shim"; "" when their names do not tell.
func Shim(procs []profile.ProcessLife) string {
	for _, kind := range []struct{ name, words string }{{"pyenv", "a pyenv shim"}, {"asdf", "an asdf shim"}, {"mise", "a mise shim"}} {
		if slices.ContainsFunc(procs, func(l profile.ProcessLife) bool { return strings.Contains(l.Name, kind.name) }) {
			return kind.words
		}
	}
	return ""
}

// ProcessNames words how many processes had each name, most first:
// "bash ×20, pyenv ×8, head, 3 unnamed", at most four names.
func ProcessNames(procs []profile.ProcessLife) string {
	counts := map[string]int{}
	for _, l := range procs {
		counts[l.Name]++
	}
	return NameCounts(counts)
}

// namesShown is how many names NameCounts lists.
const namesShown = 4

// NameCounts words how many processes had each name (counts, "" for
// unnamed ones), most first: "bash ×20, pyenv ×8, head, …, 3 unnamed".
func NameCounts(counts map[string]int) string {
	unnamed := counts[""]
	names := slices.SortedFunc(maps.Keys(counts), func(a, b string) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b))
	})
	names = slices.DeleteFunc(names, func(n string) bool { return n == "" })
	var parts []string
	for i, name := range names {
		if i == namesShown {
			parts = append(parts, "…")
			break
		}
		part := name
		if counts[name] > 1 {
			part = fmt.Sprintf("%s ×%d", name, counts[name])
		}
		parts = append(parts, part)
	}
	if unnamed > 0 {
		parts = append(parts, fmt.Sprintf("%d unnamed", unnamed))
	}
	return strings.Join(parts, ", ")
}

// poolStart is how long starting run p's pool took: from its first worker
// process's start to the first task, as its evidence shows it
// (diagnosis.StartupOf); without the evidence of a worker's start (a file
// without samples), the whole start-up, which the interpreter and a shim
// share with it.
func poolStart(p *profile.Profile) float64 {
	if st := diagnosis.StartupOf(p); st.Workers > 0 {
		return st.PoolS
	}
	return p.Summary.StartupS
}
