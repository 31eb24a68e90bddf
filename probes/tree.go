package probes

import (
	"context"
	"fmt"

	"github.com/prometheus/procfs"
)

// clockTicks is USER_HZ, the unit of the CPU times in /proc/<pid>/stat. It is
// 100 on every Linux architecture; procfs's CPUTime assumes the same.
const clockTicks = 100

// Proc is one process of the subject's tree.
type Proc struct {
	PID, PPID int
	Name      string
	// UserS and SystemS are the cumulative CPU seconds of all its threads,
	// live and exited.
	UserS, SystemS float64
	// RSS is the resident memory in bytes.
	RSS     uint64
	Threads int
	// VolCtx and InvolCtx are the voluntary and involuntary context switches
	// of its live threads. The kernel keeps them per thread, and
	// /proc/<pid>/status alone shows only the main thread's.
	VolCtx, InvolCtx uint64
}

// ThreadInfo is one thread of a process of the subject's tree.
type ThreadInfo struct {
	PID, TID int
	Name     string
	// CPUS is the thread's cumulative CPU seconds, user and system.
	CPUS float64
	// Core is the logical core the thread last ran on; -1 when unknown.
	Core int
}

// Tree is the subject's process tree at one moment: the root first, then its
// descendants, parents before children. A root that leads its own process
// group also counts the group's orphans (processes whose parent exited),
// after the rest, each before its own children.
type Tree struct {
	Procs   []Proc
	Threads []ThreadInfo
}

// CPUS is the cumulative CPU seconds, user and system, of every process in
// the tree.
func (t Tree) CPUS() float64 {
	s := 0.0
	for _, p := range t.Procs {
		s += p.UserS + p.SystemS
	}
	return s
}

// RSS is the resident memory of the tree in bytes. Pages shared between its
// processes count once per process, as in top.
func (t Tree) RSS() uint64 {
	var s uint64
	for _, p := range t.Procs {
		s += p.RSS
	}
	return s
}

// NumThreads is the number of threads of every process in the tree.
func (t Tree) NumThreads() int {
	n := 0
	for _, p := range t.Procs {
		n += p.Threads
	}
	return n
}

// CtxSwitches is the voluntary plus involuntary context switches of the
// tree's live threads.
func (t Tree) CtxSwitches() uint64 {
	var s uint64
	for _, p := range t.Procs {
		s += p.VolCtx + p.InvolCtx
	}
	return s
}

// TreeProber reads process trees from one proc filesystem. It remembers which
// processes lie outside the tree it probed last, so probing the same root
// again reads only the tree and the processes started since. The zero value
// is not ready for use; call NewTreeProber.
type TreeProber struct {
	fs procfs.FS
	// outside holds the PIDs found outside the tree of outsideOf. A live
	// process never moves into another subtree (an orphan goes to an
	// ancestor of its parent), and a PID is forgotten as soon as it is
	// missing from a listing, so a reused PID is read afresh unless all
	// pid_max PIDs were used up between two probes. spare is the map the
	// next probe fills.
	outside, spare map[int]struct{}
	outsideOf      int

	// CtxSwitches makes Probe sum every thread's context switches into
	// Proc.VolCtx and InvolCtx. It is on by default; it costs one read of
	// each thread's status, the larger part of a probe, so a caller that
	// gets the totals elsewhere (a subject's rusage at exit) turns it off.
	CtxSwitches bool
}

// NewTreeProber returns a prober reading the proc filesystem mounted at
// procRoot ("/proc" on a normal system; tests use a directory of fixtures).
func NewTreeProber(procRoot string) (*TreeProber, error) {
	fs, err := procfs.NewFS(procRoot)
	if err != nil {
		return nil, fmt.Errorf("cannot open the process list at %s: %w", procRoot, err)
	}
	return &TreeProber{fs: fs, outside: map[int]struct{}{}, spare: map[int]struct{}{}, CtxSwitches: true}, nil
}

// ProbeTree reads root and every descendant from /proc; see TreeProber.Probe.
func ProbeTree(ctx context.Context, root int, withThreads bool) (Tree, error) {
	p, err := NewTreeProber(procfs.DefaultMountPoint)
	if err != nil {
		return Tree{}, err
	}
	return p.Probe(ctx, root, withThreads)
}

// Probe reads root and every descendant, and with withThreads each of their
// threads. Processes come and go while it reads: a process or thread that
// exits between listing and reading is left out silently. The error is only
// for a root that cannot be read, a process list that cannot be read, or a
// cancelled ctx.
//
// Descendants are found from the parent of every process, since
// /proc/<pid>/task/<tid>/children needs a kernel option that common kernels
// (this project's CI among them) leave out. Processes already known to be
// outside the tree are not read again.
func (p *TreeProber) Probe(ctx context.Context, root int, withThreads bool) (Tree, error) {
	stats, err := p.subtree(ctx, root)
	if err != nil {
		return Tree{}, err
	}
	t := Tree{Procs: make([]Proc, 0, len(stats))}
	for _, st := range stats {
		if err := ctx.Err(); err != nil {
			return Tree{}, err
		}
		proc, threads := p.readProc(st, withThreads)
		t.Procs = append(t.Procs, proc)
		t.Threads = append(t.Threads, threads...)
	}
	return t, nil
}

// subtree returns the stat of root and of each of its descendants, parents
// before children.
func (p *TreeProber) subtree(ctx context.Context, root int) ([]procfs.ProcStat, error) {
	if root <= 0 {
		return nil, fmt.Errorf("cannot read process %d: not a process ID", root)
	}
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
	// Every PID is listed once and the root is never anyone's child, so
	// this walk ends even if PID reuse made the parent links loop.
	tree := []procfs.ProcStat{rootStat}
	inTree := map[int]bool{root: true}
	for i := 0; i < len(tree); i++ {
		for _, c := range children[tree[i].PID] {
			if !inTree[c.PID] {
				tree = append(tree, c)
				inTree[c.PID] = true
			}
		}
		if i == len(tree)-1 && rootStat.PGRP == root {
			tree = adoptOrphans(tree, inTree, children, root)
		}
	}
	for _, pid := range read {
		if !inTree[pid] {
			outside[pid] = struct{}{}
		}
	}
	p.outside, p.spare = outside, p.outside
	return tree, nil
}

// adoptOrphans adds to tree the members of root's process group that are not
// below root any more: a process whose parent exited is re-parented to init,
// but it is still part of the run. Only a root that leads its own group (as
// a recorded subject does) adopts, so probing any other process never takes
// in its siblings. Their children are walked by the caller's loop.
func adoptOrphans(tree []procfs.ProcStat, inTree map[int]bool, children map[int][]procfs.ProcStat, root int) []procfs.ProcStat {
	for _, kids := range children {
		for _, c := range kids {
			if c.PGRP == root && !inTree[c.PID] {
				tree = append(tree, c)
				inTree[c.PID] = true
			}
		}
	}
	return tree
}

func (p *TreeProber) stat(pid int) (procfs.ProcStat, error) {
	proc, err := p.fs.Proc(pid)
	if err != nil {
		return procfs.ProcStat{}, err
	}
	return proc.Stat()
}

// readProc turns a process's stat into a Proc, adding its threads' context
// switches and, with withThreads, the threads themselves. A process whose
// threads are gone by now keeps the figures of its stat.
func (p *TreeProber) readProc(st procfs.ProcStat, withThreads bool) (Proc, []ThreadInfo) {
	proc := Proc{
		PID:     st.PID,
		PPID:    st.PPID,
		Name:    st.Comm,
		UserS:   float64(st.UTime) / clockTicks,
		SystemS: float64(st.STime) / clockTicks,
		RSS:     uint64(max(st.ResidentMemory(), 0)),
		Threads: st.NumThreads,
	}
	if !withThreads && !p.CtxSwitches {
		return proc, nil
	}
	tasks, err := p.fs.AllThreads(st.PID)
	if err != nil {
		return proc, nil // exited since its stat was read
	}
	var threads []ThreadInfo
	for _, task := range tasks {
		if p.CtxSwitches {
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
