package profiletest

import (
	"corescope/profile"
	"corescope/spec"
)

// on adds to p one slice of process pid (its main thread) on core 0.
func on(p *profile.Profile, pid int, from, to float64) {
	p.Slices = append(p.Slices, profile.Slice{PID: pid, TID: pid, Start: from, End: to})
}

// named names process pid's main thread in p.
func named(p *profile.Profile, pid int, name string) {
	p.Threads = append(p.Threads, profile.Thread{PID: pid, TID: pid, Name: name, Process: name})
}

// shim adds to p n processes named name, pids from 100, each on a core
// for each seconds one after another from from: a shim's.
func shim(p *profile.Profile, n int, from, each float64, name string) {
	for k := range n {
		at := from + each*float64(k)
		on(p, 100+k, at, at+each)
		named(p, 100+k, name)
	}
}

// Shimmed is a python3 command that started at 0.3 s behind a shim: its
// main process (10) waits in short slices while 5 bash processes of 20 ms
// each run one after another until 0.44 s, then computes from 0.45 s to
// 1.3 s; a child (20) works from 0.6 s to 1.2 s. Its start-up is 0.15 s.
func Shimmed() *profile.Profile {
	p := Command("python3", 1.0, 1)
	p.Summary.SubjectStartS, p.Summary.SubjectEndS = 0.3, 1.3
	on(p, 10, 0.30, 0.301)
	on(p, 10, 0.35, 0.351)
	shim(p, 5, 0.34, 0.02, "bash")
	on(p, 10, 0.45, 1.3)
	on(p, 20, 0.6, 1.2)
	named(p, 10, "python3")
	named(p, 20, "python3")
	return p
}

// SleepFirst is a python3 command that started at 0.3 s, sleeps after its
// interpreter's start (20 ms) and computes from 0.82 s to 1.3 s: a
// start-up of 0.52 s.
func SleepFirst() *profile.Profile {
	p := Command("python3", 1.0, 0.5)
	p.Summary.SubjectStartS, p.Summary.SubjectEndS = 0.3, 1.3
	on(p, 10, 0.30, 0.32)
	on(p, 10, 0.82, 1.3)
	named(p, 10, "python3")
	return p
}

// PoolBehindShim is the processes model on Python started at 0.3 s behind
// a shim of 4 pyenv processes that ran until 0.54 s; its interpreter
// started a pool of 2 workers at 0.70 s and 0.71 s, and its first task
// began at 0.8 s: a start-up of 0.5 s, 0.24 s of it the shim's, 0.16 s
// the interpreter's, 0.1 s the pool's.
func PoolBehindShim() *profile.Profile {
	p := Model(spec.Processes, 1.7, 1.8)
	p.Spec.Backend, p.Spec.Interval, p.Machine.Python = spec.BackendPython, spec.Duration(Interval), "CPython 3.11.7"
	p.Spec.Workers, p.Spec.StartMethod = 2, "fork"
	s := &p.Summary
	s.Procs = 3
	s.SubjectStartS, s.SubjectEndS, s.TasksStartS, s.TasksEndS, s.StartupS = 0.3, 2.0, 0.8, 2.0, 0.5
	on(p, 10, 0.30, 0.301)
	shim(p, 4, 0.30, 0.06, "pyenv")
	on(p, 10, 0.55, 2.0)
	on(p, 20, 0.70, 2.0)
	on(p, 21, 0.71, 2.0)
	return p
}
