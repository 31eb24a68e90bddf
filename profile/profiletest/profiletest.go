package profiletest

import (
	"math"
	"math/rand/v2"
	"time"

	"corescope/levels"
	"corescope/profile"
	"corescope/spec"
)

// Interval is the sampling interval of the profiles made here.
const Interval = 100 * time.Millisecond

// SubjectThreads is how many threads the subject of OneHour has: a small
// pool, each thread busy on one core for a while, then moved.
const SubjectThreads = 4

// OneHour is a recording of one hour at 10 Hz (36,000 frames) on a machine
// of cores logical cores: other programs keep every core a little busy and
// now and then one core very busy; the subject's SubjectThreads threads each
// run on a core of their own, 80-100% busy, moving every 30 s, and finish a
// task every 10 s. Every call returns the same profile: the values are
// pseudo-random from a fixed seed.
func OneHour(cores int) *profile.Profile {
	cores = max(cores, 1)
	const frames = 36_000
	rng := rand.New(rand.NewPCG(11, 3))
	started := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	const pid = 4242
	p := &profile.Profile{
		Label: "pool.py",
		Spec: spec.Spec{Backend: spec.BackendCommand, Command: []string{"python3", "pool.py"},
			Name: "pool.py", Interval: spec.Duration(Interval)},
		Started:  started,
		Machine:  profile.Machine{CPUModel: "Generated CPU", LogicalCores: cores, PhysicalCores: max(cores/2, 1), OS: "linux", GoVersion: "go1.26"},
		Frames:   make([]profile.Frame, 0, frames),
		ExitCode: 0,
	}
	threads := min(SubjectThreads, cores)
	for k := range threads {
		p.Threads = append(p.Threads, profile.Thread{PID: pid, TID: pid + k, Name: "python3", Process: "python3"})
	}

	others := make([]float64, cores)
	subject := make([]float64, cores)
	machine := make([]float64, cores)
	home := make([]int, threads) // the core each thread runs on
	var cpu, machineSum float64
	tasks := 0
	for i := range frames {
		t := float64(i+1) * Interval.Seconds()
		if i%300 == 0 { // every 30 s the threads move
			for k := range home {
				home[k] = rng.IntN(cores)
			}
		}
		for c := range others {
			// A little background everywhere, drifting; now and then a burst.
			others[c] = min(max(others[c]+0.02*(rng.Float64()-0.5), 0), 0.1)
			if rng.IntN(2000) == 0 {
				others[c] = 0.9
			}
		}
		clear(subject)
		f := profile.Frame{T: math.Round(t*1e3) / 1e3, Threads: threads, Procs: 1, RSS: 200 << 20,
			SelfCPU: math.Round((0.001+0.001*rng.Float64())*1e6) / 1e6}
		for k, c := range home {
			load := 0.8 + 0.2*rng.Float64()
			subject[c] = min(subject[c]+load, 1)
			used := math.Round(load*Interval.Seconds()*1e6) / 1e6
			f.SubjectCPU += used
			f.ThreadSamples = append(f.ThreadSamples, profile.ThreadSample{PID: pid, TID: pid + k, CPU: used, Core: c})
		}
		for c := range machine {
			machine[c] = min(subject[c]+others[c], 1)
		}
		f.SubjectCPU = math.Round(f.SubjectCPU*1e6) / 1e6
		cpu += f.SubjectCPU
		f.Busy = levels.Quantise(nil, machine)
		f.SubjectBusy = levels.Quantise(nil, subject)
		machineSum += f.BusyCores()
		if i%100 == 99 {
			ns := started.Add(time.Duration(t * float64(time.Second))).UnixNano()
			p.Events = append(p.Events,
				spec.Event{Ev: spec.EvTaskEnd, Task: tasks, PID: pid, TID: pid + tasks%threads, TNs: ns},
				spec.Event{Ev: spec.EvTaskStart, Task: tasks + 1, PID: pid, TID: pid + (tasks+1)%threads, TNs: ns})
			tasks++
		}
		f.TasksDone = tasks
		p.Frames = append(p.Frames, f)
	}
	wall := float64(frames) * Interval.Seconds()
	p.Summary = profile.Summary{
		WallS: wall, CPUS: math.Round(cpu*1e3) / 1e3, CoresUsed: math.Round(cpu/wall*1e3) / 1e3,
		MachineBusyCores: math.Round(machineSum/frames*1e3) / 1e3,
		Threads:          threads, Procs: 1, MaxRSS: 200 << 20, TasksDone: tasks,
		SubjectStartS: 0, SubjectEndS: wall, Attribution: profile.AttributionApproximate,
		Verdict: "generated: an hour of a small pool",
	}
	return p
}
