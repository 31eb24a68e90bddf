package probes

import (
	"bytes"
	"math"
)

// taskNames keeps what the kernel's records say of the subject's threads'
// names: each name a thread took (at exec, or with prctl PR_SET_NAME) and
// when, and which thread each was forked from and when. A process that
// lived too briefly for /proc to be read (a shell script's helpers) is
// named only by these.
type taskNames struct {
	// comms are each thread's names in the order drained, which is not
	// their time order: the rings are drained one CPU after another.
	comms  map[uint32][]stampedComm
	forks  map[uint32]forkedFrom // the latest fork that made each thread
	intern map[string]string     // one string for each distinct name: a build's thousand "cc1" share it
}

// maxNamedTasks bounds the threads taskNames keeps names and forks of, so a
// subject that starts processes without end (a build, a shell loop) costs
// at most a few MB: past it, threads not yet known stay unnamed ("pid N").
const maxNamedTasks = 100_000

type stampedComm struct {
	name string
	t    uint64
}

type forkedFrom struct {
	ptid uint32
	t    uint64
}

// renamed records that thread tid took the NUL-padded name comm at time t.
func (n *taskNames) renamed(tid uint32, comm []byte, t uint64) {
	if i := bytes.IndexByte(comm, 0); i >= 0 {
		comm = comm[:i]
	}
	if len(comm) == 0 {
		return
	}
	if n.comms == nil {
		n.comms, n.intern = map[uint32][]stampedComm{}, map[string]string{}
	}
	if _, known := n.comms[tid]; !known && len(n.comms) >= maxNamedTasks {
		return
	}
	name, ok := n.intern[string(comm)]
	if !ok {
		name = string(comm)
		n.intern[name] = name
	}
	n.comms[tid] = append(n.comms[tid], stampedComm{name, t})
}

// forked records that thread ptid made thread tid at time t; tid starts
// with ptid's name then.
func (n *taskNames) forked(tid, ptid uint32, t uint64) {
	if n.forks == nil {
		n.forks = map[uint32]forkedFrom{}
	}
	if _, known := n.forks[tid]; !known && len(n.forks) >= maxNamedTasks {
		return
	}
	if was, ok := n.forks[tid]; !ok || t > was.t { // a reused thread id: its latest thread
		n.forks[tid] = forkedFrom{ptid, t}
	}
}

// nameAt is the name thread tid had at time t: the latest it took by then
// (since it was forked), else the one its parent had when it forked it,
// and so on up; "" when no record tells.
func (n *taskNames) nameAt(tid uint32, t uint64) string {
	for {
		f, forked := n.forks[tid]
		// Each step goes strictly back in time, so a loop of forks (thread
		// ids reused) ends.
		forked = forked && f.t < t
		var since uint64
		if forked {
			since = f.t
		}
		name, at := "", uint64(0)
		for _, c := range n.comms[tid] {
			if c.t >= since && c.t <= t && (name == "" || c.t >= at) {
				name, at = c.name, c.t
			}
		}
		if name != "" || !forked {
			return name
		}
		tid, t = f.ptid, f.t
	}
}

// latest is each thread's name at the end, by thread id, for the threads
// the records name.
func (n *taskNames) latest() map[int]string {
	names := make(map[int]string, len(n.forks)+len(n.comms))
	add := func(tid uint32) {
		if _, done := names[int(tid)]; done {
			return
		}
		if name := n.nameAt(tid, math.MaxUint64); name != "" {
			names[int(tid)] = name
		}
	}
	for tid := range n.comms {
		add(tid)
	}
	for tid := range n.forks {
		add(tid)
	}
	return names
}
