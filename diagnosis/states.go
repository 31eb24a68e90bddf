package diagnosis

import (
	"cmp"
	"slices"
	"sort"

	"corescope/profile"
)

// What a blocked thread waited on (profile.Phase's BlockedBy, the waiting
// reason's figures), sorted from the system call a sample found it in.
const (
	WaitIO      = "io"      // a socket, a pipe or a file: read, recv, poll, epoll, accept
	WaitSleep   = "sleep"   // a timer: nanosleep, clock_nanosleep
	WaitLock    = "lock"    // a futex: a mutex, a condition, CPython's GIL, a join
	WaitChild   = "child"   // a child process: wait4, waitid
	WaitOther   = "other"   // any other call, or a page fault
	WaitUnknown = "unknown" // blocked, but no sample said in what
)

// WaitKinds are the kinds of waiting, in the order the views list them.
var WaitKinds = [...]string{WaitIO, WaitSleep, WaitLock, WaitChild, WaitOther, WaitUnknown}

// syscallKinds sorts the system calls the probes name (probes'
// syscallNames) into what a thread blocked in them waited on.
var syscallKinds = map[string]string{
	"futex": WaitLock, "futex_waitv": WaitLock, "flock": WaitLock, "fcntl": WaitLock, "semtimedop": WaitLock,
	"nanosleep": WaitSleep, "clock_nanosleep": WaitSleep,
	"wait4": WaitChild, "waitid": WaitChild,
	"read": WaitIO, "readv": WaitIO, "pread64": WaitIO, "write": WaitIO, "writev": WaitIO, "pwrite64": WaitIO,
	"recvfrom": WaitIO, "recvmsg": WaitIO, "recvmmsg": WaitIO, "sendto": WaitIO, "sendmsg": WaitIO,
	"accept": WaitIO, "accept4": WaitIO, "connect": WaitIO, "fsync": WaitIO, "fdatasync": WaitIO,
	"poll": WaitIO, "ppoll": WaitIO, "select": WaitIO, "pselect6": WaitIO,
	"epoll_wait": WaitIO, "epoll_pwait": WaitIO, "epoll_pwait2": WaitIO, "io_uring_enter": WaitIO, "io_getevents": WaitIO,
}

// Kind is what a thread blocked in system call syscall (a sample's Wait)
// waited on: one of the Wait kinds, WaitOther for a call not sorted (and
// "", a thread blocked outside any call).
func Kind(syscall string) string { return cmp.Or(syscallKinds[syscall], WaitOther) }

// kindIndex is kind's place in WaitKinds.
func kindIndex(kind string) int { return slices.Index(WaitKinds[:], kind) }

// State is what a thread off a core was doing.
type State uint8

const (
	// Runnable is waiting for a core: the slice before was preempted.
	Runnable State = iota + 1
	// Blocked is waiting on something else: the slice before blocked.
	Blocked
)

// Stretch is a stretch of one thread's life off a core, from the end of
// one of its slices on a core to the start of its next: runnable when the
// kernel preempted the slice, blocked when the thread gave the core up.
// Only the switch timeline tells these (profile.Slice.Ended); where it says
// nothing there is no stretch.
type Stretch struct {
	PID, TID int
	From, To float64
	State    State
	// CPU is the core the thread ran on before: the one it waited for
	// again, as far as anyone knows.
	CPU int
	// Kind is what a blocked stretch waited on, and Wait the system call
	// and Lock the futex's address a sample found the thread in (see
	// Stretches); WaitUnknown where no sample told.
	Kind       string
	Wait, Lock string
}

// Stretches is every subject thread's time off a core between its slices
// in p's switch timeline, thread by thread, each in time order: after a
// preempted slice the thread was runnable until its next slice, after a
// blocked one blocked; an exited slice has nothing after it, and a slice
// whose end a file does not say (corescope before it) neither. A thread's
// last slice is followed until the subject's end. What a blocked stretch
// waited on is the most common system call among the thread's samples
// within it that found it blocked; for a stretch no sample fell in (most
// are shorter than a sampling interval), the nearest such sample within
// one interval, as a thread that blocks briefly blocks in the same call
// again and again; WaitUnknown beyond. The subject's end is the profile's,
// else its last frame's.
func Stretches(p *profile.Profile) []Stretch {
	return stretchesOf(p, threadSlices(p.Slices), blockedSamples(p))
}

// stretchesOf is Stretches of p from its slices by thread (threadSlices)
// and its samples that found threads blocked.
func stretchesOf(p *profile.Profile, byThread [][]profile.Slice, waits waitSamples) []Stretch {
	reach := interval(p)
	_, end := life(p, reach)
	out := make([]Stretch, 0, len(p.Slices))
	for _, own := range byThread {
		for i, s := range own {
			to := end
			if i+1 < len(own) {
				to = own[i+1].Start
			}
			if !(to > s.End) {
				continue
			}
			st := Stretch{PID: s.PID, TID: s.TID, From: s.End, To: to, CPU: s.CPU}
			switch s.Ended {
			case profile.SlicePreempted:
				st.State = Runnable
			case profile.SliceBlocked:
				st.State = Blocked
				st.Kind, st.Wait, st.Lock = waits.during(s.TID, st.From, st.To, reach)
			default:
				continue
			}
			out = append(out, st)
		}
	}
	return out
}

// threadSlices is ss by thread, each thread's in order of start, the
// threads in order of id.
func threadSlices(ss []profile.Slice) [][]profile.Slice {
	counts := map[int]int{}
	for _, s := range ss {
		counts[s.TID]++
	}
	by := make(map[int][]profile.Slice, len(counts))
	for tid, n := range counts {
		by[tid] = make([]profile.Slice, 0, n)
	}
	for _, s := range ss {
		by[s.TID] = append(by[s.TID], s)
	}
	tids := make([]int, 0, len(by))
	for tid, own := range by {
		tids = append(tids, tid)
		slices.SortFunc(own, byStart)
	}
	slices.Sort(tids)
	out := make([][]profile.Slice, len(tids))
	for i, tid := range tids {
		out[i] = by[tid]
	}
	return out
}

func byStart(a, b profile.Slice) int { return cmp.Compare(a.Start, b.Start) }

// interval is p's sampling interval in seconds: its spec's, else the
// first two frames' distance, else 0.1 s.
func interval(p *profile.Profile) float64 {
	if d := p.Spec.Interval.D().Seconds(); d > 0 {
		return d
	}
	if len(p.Frames) > 1 && p.Frames[1].T > p.Frames[0].T {
		return p.Frames[1].T - p.Frames[0].T
	}
	return 0.1
}

// blockedAt is a sample that found its thread blocked.
type blockedAt struct {
	t          float64
	wait, lock string
}

// waitSamples are each thread's samples that found it blocked, in time order.
type waitSamples map[int][]blockedAt

func blockedSamples(p *profile.Profile) waitSamples {
	w := waitSamples{}
	for i := range p.Frames {
		for _, s := range p.Frames[i].ThreadSamples {
			if s.State == profile.StateBlocked {
				w[s.TID] = append(w[s.TID], blockedAt{p.Frames[i].T, s.Wait, s.Lock})
			}
		}
	}
	return w
}

// during is what thread tid waited on from..to (see Stretches): its kind,
// system call and lock.
func (w waitSamples) during(tid int, from, to, reach float64) (kind, wait, lock string) {
	own := w[tid]
	first := sort.Search(len(own), func(i int) bool { return own[i].t > from })
	last := sort.Search(len(own), func(i int) bool { return own[i].t > to })
	if first < last {
		best, most := own[first], 0
		count := map[string]int{}
		for _, s := range own[first:last] {
			if count[s.wait]++; count[s.wait] > most {
				best, most = s, count[s.wait]
			}
		}
		return Kind(best.wait), best.wait, best.lock
	}
	// None within: the nearer of the last before and the first after.
	near, gap, found := blockedAt{}, reach, false
	if first > 0 && from-own[first-1].t <= gap {
		near, gap, found = own[first-1], from-own[first-1].t, true
	}
	if last < len(own) && own[last].t-to <= gap {
		near, found = own[last], true
	}
	if !found {
		return WaitUnknown, "", ""
	}
	return Kind(near.wait), near.wait, near.lock
}
