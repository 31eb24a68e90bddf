package probes

import (
	"context"
	"fmt"

	"github.com/prometheus/procfs"
)

// clockTicks is USER_HZ, the unit of the CPU times in /proc/<pid>/stat. It is
// 100 on every Linux architecture; procfs's CPUTime assumes the same.
const clockTicks = 100

func systemTreeSource() (treeSource, error) { return newProcfsSource(procfs.DefaultMountPoint) }

// procfsSource reads process trees from one proc filesystem. It remembers
// which processes lie outside the tree it probed last, so probing the same
// root again reads only the tree and the processes started since.
type procfsSource struct {
	fs procfs.FS
	// outside holds the PIDs found outside the tree of outsideOf. A live
	// process never moves into another subtree (an orphan goes to an
	// ancestor of its parent), and a PID is forgotten as soon as it is
	// missing from a listing, so a reused PID is read afresh unless all
	// pid_max PIDs were used up between two probes. spare is the map the
	// next probe fills.
	outside, spare map[int]struct{}
	outsideOf      int
}

// newProcfsSource reads the proc filesystem mounted at procRoot ("/proc" on
// a normal system; tests use a directory of fixtures).
func newProcfsSource(procRoot string) (*procfsSource, error) {
	fs, err := procfs.NewFS(procRoot)
	if err != nil {
		return nil, fmt.Errorf("cannot open the process list at %s: %w", procRoot, err)
	}
	return &procfsSource{fs: fs, outside: map[int]struct{}{}, spare: map[int]struct{}{}}, nil
}

// probe finds descendants from the parent of every process, since
// /proc/<pid>/task/<tid>/children needs a kernel option that common kernels
// (this project's CI among them) leave out. Processes already known to be
// outside the tree are not read again.
func (p *procfsSource) threadCores() bool { return true }

func (p *procfsSource) probe(ctx context.Context, root int, withThreads, ctxSwitches bool) (Tree, error) {
	stats, err := p.subtree(ctx, root)
	if err != nil {
		return Tree{}, err
	}
	t := Tree{Procs: make([]Proc, 0, len(stats))}
	for _, st := range stats {
		if err := ctx.Err(); err != nil {
			return Tree{}, err
		}
		proc, threads := p.readProc(st, withThreads, ctxSwitches)
		t.Procs = append(t.Procs, proc)
		t.Threads = append(t.Threads, threads...)
	}
	return t, nil
}

// subtree returns the stat of root and of each of its descendants, parents
// before children.
func (p *procfsSource) subtree(ctx context.Context, root int) ([]procfs.ProcStat, error) {
	rootStat, err := p.stat(root)
	if err != nil {
		return nil, fmt.Errorf("cannot read process %d (has it exited?): %w", root, err)
	}
	all, err := p.fs.AllProcs()
	if err != nil {
		return nil, fmt.Errorf("cannot list the running processes: %w", err)
	}
	if root != p.outsideOf {
		clear(p.outside)
		p.outsideOf = root
	}
	outside := p.spare
	clear(outside)
	var read []int // PIDs whose stat was read in this probe
	children := make(map[int][]procfs.ProcStat)
	for _, proc := range all {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if _, ok := p.outside[proc.PID]; ok {
			outside[proc.PID] = struct{}{}
			continue
		}
		if proc.PID == root {
			continue
		}
		st, err := proc.Stat()
		if err != nil {
			continue // exited since the listing
		}
		read = append(read, st.PID)
		children[st.PPID] = append(children[st.PPID], st)
	}
	tree, inTree := family(rootStat, children,
		func(st procfs.ProcStat) int { return st.PID },
		func(st procfs.ProcStat) int { return st.PGRP })
	for _, pid := range read {
		if !inTree[pid] {
			outside[pid] = struct{}{}
		}
	}
	p.outside, p.spare = outside, p.outside
	return tree, nil
}

func (p *procfsSource) stat(pid int) (procfs.ProcStat, error) {
	proc, err := p.fs.Proc(pid)
	if err != nil {
		return procfs.ProcStat{}, err
	}
	return proc.Stat()
}

// readProc turns a process's stat into a Proc, adding with ctxSwitches its
// threads' context switches and with withThreads the threads themselves. A
// process whose threads are gone by now keeps the figures of its stat.
func (p *procfsSource) readProc(st procfs.ProcStat, withThreads, ctxSwitches bool) (Proc, []ThreadInfo) {
	proc := Proc{
		PID:     st.PID,
		PPID:    st.PPID,
		Name:    st.Comm,
		UserS:   float64(st.UTime) / clockTicks,
		SystemS: float64(st.STime) / clockTicks,
		RSS:     uint64(max(st.ResidentMemory(), 0)),
		Threads: st.NumThreads,
	}
	if !withThreads && !ctxSwitches {
		return proc, nil
	}
	tasks, err := p.fs.AllThreads(st.PID)
	if err != nil {
		return proc, nil // exited since its stat was read
	}
	var threads []ThreadInfo
	for _, task := range tasks {
		if ctxSwitches {
			status, err := task.NewStatus()
			if err != nil {
				continue // the thread exited
			}
			proc.VolCtx += status.VoluntaryCtxtSwitches
			proc.InvolCtx += status.NonVoluntaryCtxtSwitches
		}
		if !withThreads {
			continue
		}
		ts, err := task.Stat()
		if err != nil {
			continue
		}
		threads = append(threads, ThreadInfo{
			PID:  st.PID,
			TID:  task.PID,
			Name: ts.Comm,
			CPUS: ts.CPUTime(),
			Core: int(ts.Processor),
		})
	}
	return proc, threads
}
