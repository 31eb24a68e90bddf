package probes

import (
	"context"
	"fmt"
	"time"
)

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
	// CtxSwitches counts the context switches of its live threads, summed
	// over them: the kernel keeps them per thread, and /proc/<pid>/status
	// alone shows only the main thread's. On Linux it is how many times
	// each was switched onto a CPU (the third field of its schedstat):
	// its voluntary plus involuntary switches off one, plus one for a
	// thread on a CPU at the moment, though the kernel may miss a few
	// (seen here: at most 0.6% fewer); where the kernel keeps no schedstat
	// figures, those voluntary plus involuntary switches from its status.
	// Through gopsutil it is the voluntary plus involuntary switches
	// gopsutil reports: on Linux only, and the main thread's alone.
	CtxSwitches uint64
}

// ThreadInfo is one thread of a process of the subject's tree.
type ThreadInfo struct {
	PID, TID int
	Name     string
	// CPUS is the thread's cumulative CPU seconds, user and system.
	CPUS float64
	// Core is the logical core the thread last ran on; -1 when unknown or
	// not asked for (TreeProber.LastCores off).
	Core int
	// RunWait is the thread's total time runnable but waiting for a core
	// (its schedstat's run_delay); 0 where the kernel keeps no such figure.
	RunWait time.Duration
	// State is what the thread was doing at the probe, where the probe
	// asked (TreeProber.Waits): on a core or waiting for one (Running),
	// blocked in a system call (Blocked names it), or not read (Unread).
	State ThreadState
	// Blocked names the system call a blocked thread sleeps in ("futex",
	// "epoll_wait", "clock_nanosleep"); BlockedOn is a futex's address,
	// which threads waiting for the same lock share.
	Blocked   string
	BlockedOn uint64
}

// ThreadState is what a thread was doing at a probe.
type ThreadState uint8

const (
	// Unread: the probe did not ask, or could not tell.
	Unread ThreadState = iota
	// Running: on a core, or runnable and waiting for one.
	Running
	// Sleeping: blocked in a system call until something wakes it.
	Sleeping
)

// Tree is the subject's process tree at one moment: the root first, then its
// descendants, parents before children. A root that leads its own process
// group also counts the group's orphans (processes whose parent exited),
// after the rest, each before its own children.
type Tree struct {
	Procs   []Proc
	Threads []ThreadInfo
}

// TreeProber reads the subject's process tree. On Linux it reads /proc (under
// HOST_PROC when set), which has every thread, the core it last ran on and
// its context switches, walking down from the root rather than reading every
// process on the machine; on other systems it asks gopsutil, which lists
// processes but not their threads. A prober keeps files and figures of the
// tree it read last, so probing the same root again costs least. The zero
// value is not ready for use; call NewTreeProber.
type TreeProber struct {
	source treeSource

	// CtxSwitches makes Probe sum every thread's context switches into
	// Proc.CtxSwitches where the system tells them. It is on by default.
	// On Linux it costs a read of each thread's schedstat, which a probe
	// with threads reads anyway; on a kernel that keeps no schedstat
	// figures, a read of every thread's status at every probe, the
	// dearest file of a probe. A caller that gets the totals elsewhere (a
	// subject's rusage at exit) turns it off.
	CtxSwitches bool

	// LastCores makes Probe tell the core each thread last ran on
	// (ThreadInfo.Core). It is on by default. On Linux it costs a read of
	// the stat of every thread that ran since the last probe. Off, Core is
	// -1 and, where the kernel keeps schedstat figures, a thread's CPU
	// time comes from the schedstat a probe reads anyway (nanoseconds on a
	// CPU, finer than the stat's 10 ms ticks) and its stat is read only
	// for its name (when first seen and every few probes). A caller that
	// learns where threads ran elsewhere (perf switch records) turns it
	// off, before the first probe of a root: the two clocks of a thread's
	// CPU time differ by up to a few ticks.
	LastCores bool

	// Waits makes Probe tell, for up to MaxWaitReads threads a probe,
	// what each was doing at that moment (ThreadInfo.State, Blocked): a
	// read of each one's syscall file, a few microseconds. Off by default.
	Waits bool
}

// MaxWaitReads bounds the threads whose state one probe reads (see
// TreeProber.Waits), so that a subject of thousands of threads costs no
// more than a few hundred reads a probe; the rest are left Unread, a
// different few at each probe.
const MaxWaitReads = 256

// probeOptions say what a probe reads besides the processes.
type probeOptions struct {
	threads, ctxSwitches, lastCores, waits bool
}

// treeSource is where a TreeProber reads processes from: /proc or gopsutil.
type treeSource interface {
	probe(ctx context.Context, root int, opt probeOptions) (Tree, error)
	// threadCores reports whether the source lists threads with the core
	// each last ran on.
	threadCores() bool
}

// ThreadCores reports whether the trees list every thread with the core it
// last ran on (Linux's /proc does; gopsutil elsewhere does not), which is
// what approximate per-core attribution needs.
func (p *TreeProber) ThreadCores() bool { return p.source.threadCores() }

// NewTreeProber returns a prober for this system's processes.
func NewTreeProber() (*TreeProber, error) { return newTreeProber(systemTreeSource()) }

func newTreeProber(source treeSource, err error) (*TreeProber, error) {
	if err != nil {
		return nil, err
	}
	return &TreeProber{source: source, CtxSwitches: true, LastCores: true}, nil
}

// Probe reads root and every descendant, and with withThreads each of their
// threads where the system lists them. Processes come and go while it reads:
// a process or thread that exits between listing and reading is left out
// silently. The error is only for a root that cannot be read, a process list
// that cannot be read, or a cancelled ctx.
func (p *TreeProber) Probe(ctx context.Context, root int, withThreads bool) (Tree, error) {
	if root <= 0 {
		return Tree{}, fmt.Errorf("cannot read process %d: not a process ID", root)
	}
	return p.source.probe(ctx, root, probeOptions{threads: withThreads, ctxSwitches: p.CtxSwitches, lastCores: p.LastCores, waits: p.Waits && withThreads})
}

// family orders root and its descendants, parents before children, given
// each process's children by parent PID. A root that leads its own process
// group also takes in the group's members that are not below it any more: a
// process whose parent exited is re-parented to init, but it is still part of
// the run. Only such a root adopts, so probing any other process never takes
// in its siblings. inTree holds the PID of every process in tree.
func family[P any](root P, children map[int][]P, pid, pgrp func(P) int) (tree []P, inTree map[int]bool) {
	tree = []P{root}
	inTree = map[int]bool{pid(root): true}
	adopts := pgrp(root) == pid(root)
	// Every PID is listed once and the root is never anyone's child, so
	// this walk ends even if PID reuse made the parent links loop.
	for i := 0; i < len(tree); i++ {
		for _, c := range children[pid(tree[i])] {
			if !inTree[pid(c)] {
				tree = append(tree, c)
				inTree[pid(c)] = true
			}
		}
		if i == len(tree)-1 && adopts {
			adopts = false
			for _, kids := range children {
				for _, c := range kids {
					if !inTree[pid(c)] && pgrp(c) == pid(root) {
						tree = append(tree, c)
						inTree[pid(c)] = true
					}
				}
			}
		}
	}
	return tree, inTree
}
