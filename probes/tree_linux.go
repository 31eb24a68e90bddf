package probes

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"golang.org/x/sys/unix"
)

// clockTicks is USER_HZ, the unit of the CPU times in /proc/<pid>/stat. It is
// 100 on every Linux architecture.
const clockTicks = 100

// scanEvery bounds how many probes may pass between two reads of the whole
// process list by a root that leads its group, which take in orphans that no
// sign pointed to (a child reaped without a wait, a process that joined the
// group).
const scanEvery = 16

// refreshEvery bounds how many probes may pass between two reads of a
// thread's stat that nothing else made a probe read (it slept, or its CPU
// time came from its schedstat), for its name, which another thread may
// change.
const refreshEvery = 16

// systemTreeSource reads the /proc under HOST_PROC, where gopsutil, psutil
// and the per-core sampler look too, so a host's /proc mounted in a
// container and fixtures work.
func systemTreeSource() (treeSource, error) {
	root := os.Getenv("HOST_PROC")
	if root == "" {
		root = "/proc"
	}
	return newProcfsSource(root)
}

// procfsSource reads process trees from one proc filesystem, keeping what it
// learnt of the last tree for the next probe of the same root.
//
// Descendants are found by walking down from the root through
// /proc/<pid>/task/<tid>/children, every thread's (a child's parent is the
// thread that forked it), so a probe reads only the tree, never every process
// on the machine. A root that leads its group also takes in the group's
// orphans, which no children file leads to: those are looked for in the whole
// process list, but only on the first probe, when a sign says one may have
// appeared since the last (a process of the tree exited or became a zombie,
// or reaped a child, which its stat's children's-faults-and-times fields
// show), and at least every scanEvery probes for what no sign shows.
// Kernels built without CONFIG_PROC_CHILDREN have no children files: there
// every probe reads the whole list, as ps does, and finds descendants by
// their parents.
//
// The threads of the tree are read through files kept open between probes
// (see procFile). A thread's schedstat comes first: its third field counts
// the thread's switches onto a CPU, which are its context switches, and if
// it has not moved since the last probe the thread has not run, so its CPU
// time and last core cannot have changed and its stat is not read again.
// Only its name can (another thread may rename it), so its stat is read
// again at least every refreshEvery probes. Without last cores
// (TreeProber.LastCores off) a thread's CPU time is its schedstat's time on
// a CPU, so its stat is read only for its name: when first seen and every
// refreshEvery probes, whether it ran or not. On a kernel that keeps no
// schedstat figures (all zeros), every thread's stat is read at every
// probe, and its status for the context switches.
//
// A thread's children file is read again only when its list may have
// grown; otherwise the PIDs it listed at the last probe stand in for it.
// The fifth field of /proc/loadavg is the last PID allocated in the
// reader's PID namespace, and every fork and thread creation allocates one
// there (a task of a nested namespace allocates one at every level up). If
// it has not moved since the last probe, no process was created, so a list
// read then can only have lost a child that exited (its stat then fails to read, as
// with a fresh list: it is dropped) or gained children from a dying task:
// a thread that exits leaves its children to another thread of its process
// (the kernel's find_new_reaper), so a process whose thread count changed,
// or one of whose threads was found gone, has every thread's children read;
// and a process that dies leaves its children to a subreaper or a PID
// namespace's init, which may be of the tree, so after a sign of a death
// (the orphan signs above, or a process of the last tree not reached) the
// probe reads the children files it skipped. A fork allocates its PID a
// moment before it links the child into its parent's list, so a list is
// kept only when the last PID also stood still over the interval before
// the last probe: a fork under way then had a whole interval to finish
// before the last probe read the list. A reused PID needs a fork, so
// it moves the last PID too. The last PID cannot come back to where it
// stood within a probe interval: that takes a whole turn of the PID space,
// pid_max (32768 or more) allocations, each a fork or thread start of tens
// of microseconds. Only privileged restores escape the rule (clone3 with a
// chosen PID, or a write to ns_last_pid, as CRIU does), so a thread's
// children are still read at least every refreshEvery probes. Where the
// last PID cannot be trusted, every children file is read at every probe:
// no loadavg or no number there (fixtures, other kernels), or a proc
// filesystem of another PID namespace than the reader's (HOST_PROC of a
// host seen from a container's namespace), whose forks need not allocate
// in the reader's namespace: its self/status then lists more than one PID
// in NSpid, or none.
type procfsSource struct {
	root  string
	files procReader
	// walk is whether tasks have children files, known after the first probe.
	walk, walkKnown bool

	treeOf   int                // the root of the last probe
	procs    map[int]*procState // the processes of the last tree
	probes   uint64             // probes of treeOf so far: the generation
	adopted  []int              // orphans of the group taken in by a scan
	lastScan uint64             // the probe that last read the whole list
	// mayOrphan is set while a probe reads a sign that the group may have
	// an orphan no children file leads to.
	mayOrphan bool

	// loadavg gives the last PID allocated; lastPID is as of probe
	// lastPIDAt, -1 when unknown, and stillFor is how many probes in a row
	// found it there. sameNS is whether the root's PID namespace is the
	// reader's, checked once. pidsStill is whether the last PID stood
	// still over the last two intervals, and keptKids whether this probe
	// took some thread's children from its kept list.
	loadavg             procFile
	lastPID             int64
	lastPIDAt, stillFor uint64
	nsKnown, sameNS     bool
	pidsStill, keptKids bool

	// outside holds the PIDs a scan found outside the tree (in walk mode:
	// outside the group, which a process rarely joins later: setpgid into
	// another's group is for job-control shells). A live process never
	// moves into another subtree (an orphan goes to an ancestor of its
	// parent), and a PID is forgotten as soon as it is missing from a
	// listing, so a reused PID is read afresh unless all pid_max PIDs were
	// used up between two listings. spare is the map the next scan fills.
	outside, spare map[int]struct{}

	// Scratch reused by every probe.
	queue     []*procState
	ids, tids []int
	path      []byte
	members   []scannedProc
	lastSizes [2]int // processes and threads of the last tree
	// waitReads counts this probe's reads of syscall files, within
	// MaxWaitReads; waitsRefused is set once the kernel refused one (a
	// subject that is not ours to trace), and none is tried again.
	waitReads    int
	waitsRefused bool
}

// procState is a process of the last tree: its open files and last figures.
type procState struct {
	pid     int
	stat    procFile
	taskDir string
	seen    uint64 // the probe that last put it in the tree
	read    bool   // st and name hold a stat read before
	st      taskStat
	name    string
	threads []*threadState // ascending TID
	// threadGone is whether the last probe found one of its threads gone,
	// which may have left its children to another.
	threadGone bool
}

// threadState is a thread of a process of the last tree.
type threadState struct {
	tid                                        int
	children, schedstat, stat, status, syscall procFile
	done                                       uint64 // the probe that last read it
	// kids is its children as of probe kidsAt, from its children file
	// read at probe kidsRead or kept since.
	kids             []int
	kidsAt, kidsRead uint64
	ran              ranTotals
	// hasStat is whether its stat was read: name holds. cpuS and core
	// hold as of the probe that last read it.
	hasStat bool
	cpuS    float64
	core    int
	name    string
	// timesFromRan is whether cpuS came from its schedstat at that probe
	// (TreeProber.LastCores off), not from its stat.
	timesFromRan bool
	// switches is its context switches as of the probe that last read
	// it, from its schedstat or else its status.
	switches uint64
	// state, blocked and blockedOn are what it was doing as of this
	// probe, where the probe read its syscall file (see readWait).
	state     ThreadState
	blocked   string
	blockedOn uint64
}

// scannedProc is a process as a read of the whole list sees it.
type scannedProc struct{ pid, ppid, pgrp int }

// newProcfsSource reads the proc filesystem mounted at procRoot ("/proc" on
// a normal system; tests use a directory of fixtures).
func newProcfsSource(procRoot string) (*procfsSource, error) {
	if _, err := os.Stat(procRoot); err != nil {
		return nil, fmt.Errorf("cannot open the process list at %s: %w", procRoot, err)
	}
	p := &procfsSource{root: procRoot, procs: map[int]*procState{},
		outside: map[int]struct{}{}, spare: map[int]struct{}{},
		loadavg: newProcFile(filepath.Join(procRoot, "loadavg")), lastPID: -1}
	p.files = newProcReader(procRoot, p)
	return p, nil
}

func (p *procfsSource) threadCores() bool { return true }

func (p *procfsSource) probe(ctx context.Context, root int, opt probeOptions) (Tree, error) {
	if root != p.treeOf {
		p.forget()
		p.treeOf = root
	}
	p.probes++
	p.mayOrphan, p.keptKids, p.waitReads = false, false, 0
	p.pidsStill = p.lastPIDStill()
	rs := p.track(root)
	if err := p.readStat(rs); err != nil {
		p.forget() // the run is over: close its files
		return Tree{}, fmt.Errorf("cannot read process %d (has it exited?): %w", root, err)
	}
	if !p.walkKnown {
		p.walk = unix.Access(taskPath(p.root, root, root, "children"), unix.R_OK) == nil
		p.walkKnown = true
	}
	t := Tree{Procs: make([]Proc, 0, p.lastSizes[0])}
	if opt.threads {
		t.Threads = make([]ThreadInfo, 0, p.lastSizes[1])
	}
	var err error
	if p.walk {
		err = p.walkTree(ctx, rs, &t, opt)
	} else {
		err = p.scanTree(ctx, rs, &t, opt)
	}
	for pid, ps := range p.procs {
		if ps.seen != p.probes {
			p.closeProc(ps)
			delete(p.procs, pid)
		}
	}
	if err != nil {
		return Tree{}, err
	}
	p.lastSizes = [2]int{len(t.Procs), len(t.Threads)}
	return t, nil
}

// walkTree fills t from the root down through children files, then with the
// orphans of the root's group.
func (p *procfsSource) walkTree(ctx context.Context, rs *procState, t *Tree, opt probeOptions) error {
	root := rs.pid
	rs.seen = p.probes
	q := append(p.queue[:0], rs)
	q, err := p.visit(ctx, q, 0, t, opt)
	if err == nil && rs.st.pgrp == root {
		q, err = p.walkOrphans(ctx, q, t, opt)
	}
	// A process that died left its children to a reaper, perhaps of the
	// tree, whose kept list lacks them.
	if err == nil && p.keptKids && (p.mayOrphan || len(q) < len(p.procs)) {
		start := len(q)
		for _, ps := range q {
			for _, th := range ps.threads {
				if th.kidsRead != p.probes {
					var ok bool
					if q, ok = p.readChildren(th, q); !ok {
						ps.threadGone = true
					}
				}
			}
		}
		q, err = p.visit(ctx, q, start, t, opt)
	}
	p.queue = q
	return err
}

// walkOrphans appends to q, and visits, the orphans of the root's group:
// those taken in before, and, after a sign or every scanEvery probes,
// those a read of the whole process list finds.
func (p *procfsSource) walkOrphans(ctx context.Context, q []*procState, t *Tree, opt probeOptions) ([]*procState, error) {
	root := p.treeOf
	// Orphans taken in before, still of the group, come next.
	start := len(q)
	adopted := p.adopted[:0]
	for _, pid := range p.adopted {
		if ps := p.procs[pid]; ps != nil && ps.seen != p.probes && p.readStat(ps) == nil && ps.st.pgrp == root {
			ps.seen = p.probes
			q = append(q, ps)
			adopted = append(adopted, pid)
		}
	}
	p.adopted = adopted
	q, err := p.visit(ctx, q, start, t, opt)
	if err != nil {
		return q, err
	}
	for _, ps := range p.procs {
		if ps.seen != p.probes {
			p.mayOrphan = true // it exited, leaving its children to init
		}
	}
	if p.mayOrphan || p.lastScan == 0 || p.probes-p.lastScan >= scanEvery {
		start = len(q)
		if q, err = p.adoptOrphans(ctx, q); err == nil {
			q, err = p.visit(ctx, q, start, t, opt)
		}
	}
	return q, err
}

// adoptOrphans reads the whole process list for members of the root's group
// outside the tree, and appends to q those whose parent is not one of them
// (the others are their descendants, which the walk finds).
func (p *procfsSource) adoptOrphans(ctx context.Context, q []*procState) ([]*procState, error) {
	root := p.treeOf
	p.lastScan = p.probes
	members := p.members[:0]
	err := p.scan(ctx, func(pid int) bool {
		ps := p.procs[pid]
		return ps != nil && ps.seen == p.probes
	}, func(sp scannedProc) bool {
		if sp.pgrp != root {
			return false
		}
		members = append(members, sp)
		return true
	})
	if err != nil {
		return q, err
	}
	inGroup := make(map[int]bool, len(members))
	for _, m := range members {
		inGroup[m.pid] = true
	}
	for _, m := range members {
		if inGroup[m.ppid] {
			continue
		}
		ps := p.track(m.pid)
		if p.readStat(ps) != nil || ps.st.pgrp != root {
			p.drop(ps)
			continue
		}
		ps.seen = p.probes
		q = append(q, ps)
		p.adopted = append(p.adopted, m.pid)
	}
	p.members = members
	return q, nil
}

// scanTree fills t from the whole process list, for kernels without
// children files: descendants by their parents, then the group's orphans.
func (p *procfsSource) scanTree(ctx context.Context, rs *procState, t *Tree, opt probeOptions) error {
	children := map[int][]scannedProc{}
	err := p.scan(ctx, func(pid int) bool { return pid == rs.pid }, func(sp scannedProc) bool {
		children[sp.ppid] = append(children[sp.ppid], sp)
		return false
	})
	if err != nil {
		return err
	}
	rootProc := scannedProc{rs.pid, rs.st.ppid, rs.st.pgrp}
	tree, _ := family(rootProc, children,
		func(sp scannedProc) int { return sp.pid },
		func(sp scannedProc) int { return sp.pgrp })
	q := p.queue[:0]
	for i, sp := range tree {
		ps := rs
		if i > 0 {
			if ps = p.track(sp.pid); p.readStat(ps) != nil {
				p.drop(ps)
				continue
			}
		}
		ps.seen = p.probes
		q = append(q, ps)
		delete(p.outside, sp.pid)
	}
	q, err = p.visit(ctx, q, 0, t, opt)
	p.queue = q
	return err
}

// scan lists every process. For each PID that is neither known to be
// outside nor skipped, it reads its stat and hands it to found, which says
// whether it is of the tree; the others are remembered as outside.
func (p *procfsSource) scan(ctx context.Context, skip func(int) bool, found func(scannedProc) bool) error {
	var err error
	if p.ids, err = p.files.list(p.root, p.ids[:0]); err != nil {
		return fmt.Errorf("cannot list the running processes: %w", err)
	}
	outside := p.spare
	clear(outside)
	for _, pid := range p.ids {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, ok := p.outside[pid]; ok {
			outside[pid] = struct{}{}
			continue
		}
		if skip(pid) {
			continue
		}
		p.path = strconv.AppendInt(append(append(p.path[:0], p.root...), '/'), int64(pid), 10)
		p.path = append(p.path, "/stat\x00"...) // kept, so its room grows once
		f := procFile{pathz: p.path, fd: -1}
		data, err := p.files.read(&f)
		p.files.close(&f)
		if err != nil {
			continue // exited since the listing
		}
		st, ok := parseTaskStat(data)
		if !ok {
			continue
		}
		if !found(scannedProc{pid, st.ppid, st.pgrp}) {
			outside[pid] = struct{}{}
		}
	}
	p.outside, p.spare = outside, p.outside
	return nil
}

// visit turns q[i:] into t's processes and threads, in order, appending
// to q, in walk mode, the children it finds.
func (p *procfsSource) visit(ctx context.Context, q []*procState, i int, t *Tree, opt probeOptions) ([]*procState, error) {
	for ; i < len(q); i++ {
		if err := ctx.Err(); err != nil {
			return q, err
		}
		ps := q[i]
		proc := Proc{
			PID:     ps.pid,
			PPID:    ps.st.ppid,
			Name:    ps.name,
			UserS:   float64(ps.st.utime) / clockTicks,
			SystemS: float64(ps.st.stime) / clockTicks,
			RSS:     ps.st.rssPages * uint64(os.Getpagesize()),
			Threads: ps.st.threads,
		}
		if p.walk || opt.threads || opt.ctxSwitches {
			q = p.readThreads(ps, q, t, &proc, opt)
		}
		t.Procs = append(t.Procs, proc)
	}
	return q, nil
}

// readThreads reads ps's threads: their children (appended to q), and as
// asked their figures (appended to t) and context switches (added to proc).
// A thread found gone makes it list the threads again, for one that may
// have started since.
func (p *procfsSource) readThreads(ps *procState, q []*procState, t *Tree, proc *Proc, opt probeOptions) []*procState {
	// Threads that came or went may have handed children to the others.
	keepKids := p.pidsStill && !ps.threadGone && len(ps.threads) == ps.st.threads
	if len(ps.threads) != ps.st.threads {
		p.listThreads(ps)
	}
	ps.threadGone = false
	for pass := 0; pass < 2; pass++ {
		gone := false
		live := ps.threads[:0]
		for _, th := range ps.threads {
			var ok bool
			switch {
			case th.done != p.probes:
				q, ok = p.readThread(th, q, opt, keepKids)
			case p.walk && th.kidsRead != p.probes && !keepKids:
				q, ok = p.readChildren(th, q) // read before a sibling was found gone
			default:
				ok = true
			}
			if !ok {
				p.closeThread(th)
				gone = true
				continue
			}
			live = append(live, th)
		}
		clear(ps.threads[len(live):])
		ps.threads = live
		if !gone {
			break
		}
		ps.threadGone, keepKids = true, false
		if pass == 0 {
			p.listThreads(ps)
		}
	}
	for _, th := range ps.threads {
		if opt.ctxSwitches {
			proc.CtxSwitches += th.switches
		}
		if opt.threads && th.hasStat {
			t.Threads = append(t.Threads, ThreadInfo{PID: ps.pid, TID: th.tid, Name: th.name,
				CPUS: th.cpuS, Core: th.core, RunWait: th.ran.runWait(),
				State: th.state, Blocked: th.blocked, BlockedOn: th.blockedOn})
		}
	}
	return q
}

// readThread reads one thread's files; false when it is gone. keepKids
// says its children may be taken from its last list (see procfsSource).
func (p *procfsSource) readThread(th *threadState, q []*procState, opt probeOptions, keepKids bool) ([]*procState, bool) {
	th.done = p.probes
	if p.walk {
		if keepKids && th.kidsAt == p.probes-1 && (uint64(th.tid)+p.probes)%refreshEvery != 0 {
			th.kidsAt = p.probes
			p.keptKids = true
			q = p.enqueue(th.kids, q)
		} else {
			var ok bool
			if q, ok = p.readChildren(th, q); !ok {
				return q, false
			}
		}
	}
	if !opt.threads && !opt.ctxSwitches {
		return q, true
	}
	// The schedstat is read before the rest: if it still stands where it
	// stood then, nothing read after it then can have changed.
	ran, hasFigures := ranTotals{}, false
	if data, err := p.files.read(&th.schedstat); err == nil {
		ran, hasFigures = parseSchedstat(data)
	}
	stood := hasFigures && ran == th.ran
	th.ran, th.switches = ran, ran.switchesIn()
	if opt.threads {
		// Without cores, the schedstat has the CPU time: the stat is
		// only for the name.
		timesFromRan := hasFigures && !opt.lastCores
		if timesFromRan {
			th.cpuS, th.core = ran.onCPU().Seconds(), -1
		}
		timesStale := !timesFromRan && (!stood || th.timesFromRan)
		if !th.hasStat || timesStale || (uint64(th.tid)+p.probes)%refreshEvery == 0 {
			data, err := p.files.read(&th.stat)
			if err != nil {
				return q, false
			}
			st, ok := parseTaskStat(data)
			if !ok {
				return q, false
			}
			if !timesFromRan {
				th.cpuS, th.core = float64(st.utime+st.stime)/clockTicks, st.core
			}
			th.hasStat = true
			if string(st.comm) != th.name {
				th.name = string(st.comm)
			}
		}
		th.timesFromRan = timesFromRan
	}
	th.state, th.blocked, th.blockedOn = Unread, "", 0
	if opt.waits {
		p.readWait(th)
	}
	if opt.ctxSwitches && !hasFigures {
		data, err := p.files.read(&th.status)
		if err != nil {
			return q, false
		}
		vol, invol, parsed := parseCtxSwitches(data)
		if !parsed {
			return q, false
		}
		th.switches = vol + invol
	}
	return q, true
}

// readWait reads what th is doing now from its syscall file, within the
// probe's budget of MaxWaitReads. Past the budget, a different share of a
// large tree's threads is read at each probe: those whose TID, offset by
// the probe's number, falls on the stride that the last tree's size
// needs.
func (p *procfsSource) readWait(th *threadState) {
	stride := uint64(p.lastSizes[1]/MaxWaitReads + 1)
	if p.waitsRefused || p.waitReads >= MaxWaitReads || (uint64(th.tid)+p.probes)%stride != 0 {
		return
	}
	p.waitReads++
	data, err := p.files.read(&th.syscall)
	if err != nil {
		if errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM) {
			p.waitsRefused = true
		}
		return
	}
	th.state, th.blocked, th.blockedOn = parseSyscallFile(data)
}

// readChildren reads th's children file into th.kids and appends to q the
// processes it lists; false when th is gone.
func (p *procfsSource) readChildren(th *threadState, q []*procState) ([]*procState, bool) {
	data, err := p.files.read(&th.children)
	if err != nil {
		return q, false
	}
	kids := th.kids[:0]
	for {
		var f []byte
		if f, data = word(data); f == nil {
			break
		}
		if pid, ok := parseUint(f); ok {
			kids = append(kids, int(pid))
		}
	}
	th.kids, th.kidsAt, th.kidsRead = kids, p.probes, p.probes
	return p.enqueue(kids, q), true // the reads there reuse data's buffer
}

// lastPIDStill reads the last PID allocated from loadavg and says whether
// it stands where the previous two probes read it (see procfsSource).
func (p *procfsSource) lastPIDStill() bool {
	if !p.nsKnown {
		p.sameNS, p.nsKnown = p.readerNamespace(), true
	}
	if !p.sameNS {
		return false
	}
	last := int64(-1)
	if data, err := p.files.read(&p.loadavg); err == nil {
		var f []byte
		for range 5 {
			f, data = word(data)
		}
		if pid, ok := parseUint(f); ok {
			last = int64(pid)
		}
	}
	if last >= 0 && last == p.lastPID && p.lastPIDAt == p.probes-1 {
		p.stillFor++
	} else {
		p.stillFor = 0
	}
	p.lastPID, p.lastPIDAt = last, p.probes
	return p.stillFor >= 2
}

// readerNamespace says whether the proc filesystem is of this process's
// PID namespace: its self/status then gives one PID in NSpid, this one.
func (p *procfsSource) readerNamespace() bool {
	data, err := os.ReadFile(filepath.Join(p.root, "self", "status"))
	if err != nil {
		return false
	}
	for line := range bytes.Lines(data) {
		if rest, ok := bytes.CutPrefix(line, []byte("NSpid:")); ok {
			pid, rest := word(rest)
			id, ok := parseUint(pid)
			more, _ := word(rest)
			return ok && more == nil && int(id) == os.Getpid()
		}
	}
	return false
}

// enqueue appends to q the processes of kids that are not in the tree yet
// and can be read.
func (p *procfsSource) enqueue(kids []int, q []*procState) []*procState {
	for _, pid := range kids {
		ps := p.track(pid)
		if ps.seen == p.probes {
			continue
		}
		if p.readStat(ps) != nil {
			p.drop(ps)
			p.mayOrphan = true // it exited: its children went to init
			continue
		}
		ps.seen = p.probes
		q = append(q, ps)
	}
	return q
}

// listThreads lists ps's threads again, keeping the state of those it knew.
func (p *procfsSource) listThreads(ps *procState) {
	tids, err := p.files.list(ps.taskDir, p.tids[:0])
	p.tids = tids
	slices.Sort(tids)
	var kept []*threadState
	if err == nil {
		kept = make([]*threadState, 0, len(tids))
	}
	old := ps.threads
	for _, tid := range tids {
		for len(old) > 0 && old[0].tid < tid {
			p.closeThread(old[0])
			old = old[1:]
		}
		if len(old) > 0 && old[0].tid == tid {
			kept = append(kept, old[0])
			old = old[1:]
			continue
		}
		kept = append(kept, p.newThread(ps.pid, tid))
	}
	for _, th := range old {
		p.closeThread(th)
	}
	ps.threads = kept
}

func (p *procfsSource) newThread(pid, tid int) *threadState {
	return &threadState{tid: tid, core: -1,
		children:  newProcFile(taskPath(p.root, pid, tid, "children")),
		schedstat: newProcFile(taskPath(p.root, pid, tid, "schedstat")),
		syscall:   newProcFile(taskPath(p.root, pid, tid, "syscall")),
		stat:      newProcFile(taskPath(p.root, pid, tid, "stat")),
		status:    newProcFile(taskPath(p.root, pid, tid, "status")),
	}
}

// track returns the state of process pid, new if the last tree lacked it.
func (p *procfsSource) track(pid int) *procState {
	if ps := p.procs[pid]; ps != nil {
		return ps
	}
	dir := filepath.Join(p.root, strconv.Itoa(pid))
	ps := &procState{pid: pid, stat: newProcFile(filepath.Join(dir, "stat")), taskDir: filepath.Join(dir, "task")}
	p.procs[pid] = ps
	return ps
}

// readStat reads ps's stat, and notes the signs of a new orphan in it: a
// process that became a zombie (its children went to init), or that reaped
// a child (which may have left children of its own).
func (p *procfsSource) readStat(ps *procState) error {
	data, err := p.files.read(&ps.stat)
	if err != nil {
		return err
	}
	st, ok := parseTaskStat(data)
	if !ok {
		return fmt.Errorf("%s: not a stat line: %.60q", ps.stat.path(), data)
	}
	if st.state == 'Z' && (!ps.read || ps.st.state != 'Z') || st.reaped != ps.st.reaped {
		p.mayOrphan = true
	}
	if string(st.comm) != ps.name {
		ps.name = string(st.comm)
	}
	st.comm = nil
	ps.st, ps.read = st, true
	return nil
}

// drop forgets a process that turned out not to be in the tree.
func (p *procfsSource) drop(ps *procState) {
	p.closeProc(ps)
	delete(p.procs, ps.pid)
}

// forget closes everything known of the last root's tree.
func (p *procfsSource) forget() {
	for _, ps := range p.procs {
		p.closeProc(ps)
	}
	clear(p.procs)
	clear(p.outside)
	p.adopted = p.adopted[:0]
	p.probes, p.lastScan, p.lastSizes = 0, 0, [2]int{}
	p.lastPID = -1
}

func (p *procfsSource) closeProc(ps *procState) {
	p.files.close(&ps.stat)
	for _, th := range ps.threads {
		p.closeThread(th)
	}
	ps.threads = nil
}

func (p *procfsSource) closeThread(th *threadState) {
	for _, f := range []*procFile{&th.children, &th.schedstat, &th.stat, &th.status, &th.syscall} {
		p.files.close(f)
	}
}
