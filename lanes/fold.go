package lanes

import (
	"fmt"
	"math"

	"corescope/diagnosis"
	"corescope/profile"
	"corescope/runtext"
)

// The fold rule: a process gets no lanes of its own when its threads
// together were on a core for less than FoldShare of the whole subject's
// on-core time and less than FoldMaxS, unless it is the process with the
// most on-core time; and only when at least two processes qualify, since
// one summary lane for one process saves nothing. A pyenv shim's 30 bash,
// pyenv and head processes (0.04-2.8 ms each) fold, the interpreter does
// not. Both bounds must hold, so a long run does not fold a helper that
// worked for a second, nor a short one its only real worker. Start-up
// processes (diagnosis.Startup: the short-lived processes before the main
// process got busy, such as a shim's) fold whatever their length, and the
// lane is then named for them.
const (
	FoldShare = 0.01
	FoldMaxS  = 0.010
)

// ProcessTime is what the fold rule knows of a process.
type ProcessTime struct {
	PID     int
	Name    string // "" when it ended before it was read
	Threads int
	OnS     float64 // its threads' time on a core, together
	// Startup marks a start-up process, which folds whatever its length.
	Startup bool
}

// Fold is the processes of a run drawn together on one summary lane, with
// their slices merged, instead of a lane for each of their threads.
type Fold struct {
	pids      map[int]bool
	Processes int
	Threads   int
	OnS       float64 // their time on a core, in all
	MaxS      float64 // the most one of them was on a core
	// Startup counts the start-up processes among them, and shim names
	// what they belong to ("a pyenv shim", "" when unknown).
	Startup int
	shim    string
	names   string // "bash ×20, pyenv ×8, 3 unnamed"
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
	var folded []profile.ProcessLife
	for i, p := range procs {
		if p.Startup || i != top && p.OnS < FoldShare*total && p.OnS < FoldMaxS {
			folded = append(folded, profile.ProcessLife{PID: p.PID, Name: p.Name})
			if p.Startup {
				f.Startup++
			}
			f.Threads += p.Threads
			f.OnS += p.OnS
			f.MaxS = max(f.MaxS, p.OnS)
		}
	}
	if len(folded) < 2 && f.Startup == 0 {
		return Fold{}
	}
	f.pids = make(map[int]bool, len(folded))
	for _, p := range folded {
		f.pids[p.PID] = true
	}
	f.Processes = len(folded)
	f.names = runtext.ProcessNames(folded)
	f.shim = runtext.Shim(folded)
	return f
}

// NewFold applies the fold rule to a recorded run: on-core time from its
// slices, or without them from its samples (profile.Processes); the
// start-up processes from its evidence (diagnosis.StartupOf).
func NewFold(p *profile.Profile) Fold {
	startup := diagnosis.StartupOf(p).ShimPIDs()
	var procs []ProcessTime
	for _, l := range p.Processes() {
		procs = append(procs, ProcessTime{PID: l.PID, Name: l.Name, Threads: l.Threads, OnS: l.OnS, Startup: startup[l.PID]})
	}
	return FoldOf(procs)
}

// Has reports whether process pid is folded.
func (f *Fold) Has(pid int) bool { return f.pids[pid] }

// Empty reports whether the fold holds no process: every one has lanes.
func (f *Fold) Empty() bool { return f.Processes == 0 }

// Title names the fold: by what its processes were when all of them are
// start-up processes, "31 start-up processes of a pyenv shim"; else by
// their count and the bound on each one's time, in whole milliseconds to
// the microsecond: "31 processes, each under 3 ms on a core".
func (f *Fold) Title() string {
	if f.Startup == f.Processes {
		return f.Label()
	}
	ms := math.Floor(math.Round(f.MaxS*1e6)/1e3) + 1
	return fmt.Sprintf("%d processes, each under %.0f ms on a core", f.Processes, ms)
}

// Label is the fold's lane's name: "31 start-up processes of a pyenv
// shim", "3 start-up processes", or "31 processes".
func (f *Fold) Label() string {
	switch {
	case f.Startup == f.Processes && f.shim != "":
		return runtext.Count(f.Processes, "start-up process") + " of " + f.shim
	case f.Startup == f.Processes:
		return runtext.Count(f.Processes, "start-up process")
	}
	return fmt.Sprintf("%d processes", f.Processes)
}

// Detail is the fold's time and names: "0.02 s on a core in all: bash ×20, pyenv ×8".
func (f *Fold) Detail() string {
	return fmt.Sprintf("%.2f s on a core in all: %s", f.OnS, f.names)
}
