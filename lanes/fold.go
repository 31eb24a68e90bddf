package lanes

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"corescope/profile"
)

// The fold rule: a process gets no lanes of its own when its threads
// together were on a core for less than FoldShare of the whole subject's
// on-core time and less than FoldMaxS, unless it is the process with the
// most on-core time; and only when at least two processes qualify, since
// one summary lane for one process saves nothing. A pyenv shim's 30 bash,
// pyenv and head processes (0.04-2.8 ms each) fold, the interpreter does
// not. Both bounds must hold, so a long run does not fold a helper that
// worked for a second, nor a short one its only real worker.
const (
	FoldShare = 0.01
	FoldMaxS  = 0.010
)

// namesShown is how many process names a fold's summary lists.
const namesShown = 4

// ProcessTime is what the fold rule knows of a process.
type ProcessTime struct {
	PID     int
	Name    string // "" when it ended before it was read
	Threads int
	OnS     float64 // its threads' time on a core, together
}

// Fold is the processes of a run drawn together on one summary lane, with
// their slices merged, instead of a lane for each of their threads.
type Fold struct {
	pids      map[int]bool
	Processes int
	Threads   int
	OnS       float64 // their time on a core, in all
	MaxS      float64 // the most one of them was on a core
	names     string  // "bash ×20, pyenv ×8, 3 unnamed"
}

// FoldOf applies the fold rule to a run's processes.
func FoldOf(procs []ProcessTime) Fold {
	total, top := 0.0, -1
	for i, p := range procs {
		total += p.OnS
		if top < 0 || p.OnS > procs[top].OnS {
			top = i
		}
	}
	var f Fold
	var folded []ProcessTime
	for i, p := range procs {
		if i != top && p.OnS < FoldShare*total && p.OnS < FoldMaxS {
			folded = append(folded, p)
		}
	}
	if len(folded) < 2 {
		return f
	}
	f.pids = make(map[int]bool, len(folded))
	counts := map[string]int{}
	for _, p := range folded {
		f.pids[p.PID] = true
		f.Processes++
		f.Threads += p.Threads
		f.OnS += p.OnS
		f.MaxS = max(f.MaxS, p.OnS)
		counts[p.Name]++
	}
	f.names = nameCounts(counts)
	return f
}

// nameCounts words how many processes had each name, most first:
// "bash ×20, pyenv ×8, head, 3 unnamed" ("" names none).
func nameCounts(counts map[string]int) string {
	unnamed := counts[""]
	delete(counts, "")
	names := slices.SortedFunc(maps.Keys(counts), func(a, b string) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b))
	})
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

// NewFold applies the fold rule to a recorded run: on-core time from its
// slices, or without them from its samples; names from its threads.
func NewFold(p *profile.Profile) Fold {
	on, tids := map[int]float64{}, map[int]map[int]bool{}
	seen := func(pid, tid int) {
		if tids[pid] == nil {
			tids[pid] = map[int]bool{}
		}
		tids[pid][tid] = true
	}
	for _, s := range p.Slices {
		on[s.PID] += max(0, s.End-s.Start)
		seen(s.PID, s.TID)
	}
	for _, f := range p.Frames {
		for _, s := range f.ThreadSamples {
			if len(p.Slices) == 0 {
				on[s.PID] += max(0, s.CPU)
			}
			seen(s.PID, s.TID)
		}
	}
	names := map[int]string{}
	for _, t := range p.Threads {
		seen(t.PID, t.TID)
		if name := cmp.Or(t.Process, t.Name); name != "" && (t.TID == t.PID || names[t.PID] == "") {
			names[t.PID] = name
		}
	}
	procs := make([]ProcessTime, 0, len(tids))
	for _, pid := range slices.Sorted(maps.Keys(tids)) {
		procs = append(procs, ProcessTime{PID: pid, Name: names[pid], Threads: len(tids[pid]), OnS: on[pid]})
	}
	return FoldOf(procs)
}

// Has reports whether process pid is folded.
func (f *Fold) Has(pid int) bool { return f.pids[pid] }

// Empty reports whether the fold holds no process: every one has lanes.
func (f *Fold) Empty() bool { return f.Processes == 0 }

// Title names the fold by its count and the bound on each one's time, in
// whole milliseconds to the microsecond: "31 processes, each under 3 ms on
// a core".
func (f *Fold) Title() string {
	ms := math.Floor(math.Round(f.MaxS*1e6)/1e3) + 1
	return fmt.Sprintf("%d processes, each under %.0f ms on a core", f.Processes, ms)
}

// Detail is the fold's time and names: "0.02 s on a core in all: bash ×20, pyenv ×8".
func (f *Fold) Detail() string {
	return fmt.Sprintf("%.2f s on a core in all: %s", f.OnS, f.names)
}
