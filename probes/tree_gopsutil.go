package probes

import (
	"context"
	"fmt"

	"github.com/shirou/gopsutil/v4/process"
)

// gopsutilSource reads process trees through gopsutil's process API, for
// systems without Linux's /proc. gopsutil lists threads and counts context
// switches on Linux only, so elsewhere a Tree has no Threads and its Procs no
// switches. It is built on Linux too, so Linux tests can check it.
type gopsutilSource struct{}

// node is a process as the walk sees it.
type node struct{ pid, ppid int }

func (gopsutilSource) threadCores() bool { return false }

func (gopsutilSource) probe(ctx context.Context, root int, opt probeOptions) (Tree, error) {
	rootPPID, err := (&process.Process{Pid: int32(root)}).PpidWithContext(ctx)
	if err != nil {
		return Tree{}, fmt.Errorf("cannot read process %d (has it exited?): %w", root, err)
	}
	pids, err := process.PidsWithContext(ctx)
	if err != nil {
		return Tree{}, fmt.Errorf("cannot list the running processes: %w", err)
	}
	children := make(map[int][]node)
	for _, pid := range pids {
		if err := ctx.Err(); err != nil {
			return Tree{}, err
		}
		if int(pid) == root {
			continue
		}
		ppid, err := (&process.Process{Pid: pid}).PpidWithContext(ctx)
		if err != nil {
			continue // exited since the listing
		}
		children[int(ppid)] = append(children[int(ppid)], node{int(pid), int(ppid)})
	}
	nodes, _ := family(node{root, int(rootPPID)}, children,
		func(n node) int { return n.pid },
		func(n node) int { return processGroup(n.pid) })
	t := Tree{Procs: make([]Proc, 0, len(nodes))}
	for i, n := range nodes {
		if err := ctx.Err(); err != nil {
			return Tree{}, err
		}
		proc, err := readProcess(ctx, n, opt.ctxSwitches)
		switch {
		case err == nil:
			t.Procs = append(t.Procs, proc)
		case i == 0:
			return Tree{}, fmt.Errorf("cannot read process %d (has it exited?): %w", root, err)
		}
	}
	return t, nil
}

// readProcess reads one process's figures; the error is for a process that
// exited since the listing.
func readProcess(ctx context.Context, n node, ctxSwitches bool) (Proc, error) {
	p := &process.Process{Pid: int32(n.pid)}
	times, err := p.TimesWithContext(ctx)
	if err != nil {
		return Proc{}, err
	}
	proc := Proc{PID: n.pid, PPID: n.ppid, UserS: times.User, SystemS: times.System}
	proc.Name, _ = p.NameWithContext(ctx)
	if mem, err := p.MemoryInfoWithContext(ctx); err == nil {
		proc.RSS = mem.RSS
	}
	if threads, err := p.NumThreadsWithContext(ctx); err == nil {
		proc.Threads = int(threads)
	}
	if ctxSwitches {
		if sw, err := p.NumCtxSwitchesWithContext(ctx); err == nil {
			proc.CtxSwitches = uint64(max(sw.Voluntary, 0)) + uint64(max(sw.Involuntary, 0))
		}
	}
	return proc, nil
}
