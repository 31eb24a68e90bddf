package probes

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// taskStat is what the tree probe takes from a /proc/<pid>/stat or
// /proc/<pid>/task/<tid>/stat line, parsed in place. comm points into the
// line read, so it is only valid until the next read.
type taskStat struct {
	comm       []byte
	state      byte
	ppid, pgrp int
	// reaped grows whenever the process waits for a child that exited:
	// the sum of the faults and CPU ticks of its waited-for children.
	reaped       uint64
	utime, stime uint64 // clock ticks
	threads      int
	rssPages     uint64
	core         int
}

// The fields of a stat line after "pid (comm) ", counted from 0.
const (
	statState = iota
	statPPID
	statPGRP
	statCMinFlt   = 8
	statCMajFlt   = 10
	statUTime     = 11
	statSTime     = 12
	statCUTime    = 13
	statCSTime    = 14
	statThreads   = 17
	statRSS       = 21
	statProcessor = 36
)

// parseTaskStat reads a stat line; ok is false for a line that is not one.
// The command name may hold spaces and parentheses, so it runs to the last
// ')' of the line.
func parseTaskStat(line []byte) (st taskStat, ok bool) {
	open, end := bytes.IndexByte(line, '('), bytes.LastIndexByte(line, ')')
	if open < 0 || end < open {
		return taskStat{}, false
	}
	st.comm = line[open+1 : end]
	rest := line[end+1:]
	var cutime, cstime, cminflt, cmajflt uint64
	for i := 0; i <= statProcessor; i++ {
		var f []byte
		if f, rest = word(rest); f == nil {
			return taskStat{}, false
		}
		var dst *uint64
		var v uint64
		switch i {
		case statState:
			st.state = f[0]
			continue
		case statPPID, statPGRP, statThreads, statProcessor:
			dst = &v
		case statCMinFlt:
			dst = &cminflt
		case statCMajFlt:
			dst = &cmajflt
		case statUTime:
			dst = &st.utime
		case statSTime:
			dst = &st.stime
		case statCUTime:
			dst = &cutime
		case statCSTime:
			dst = &cstime
		case statRSS:
			dst = &st.rssPages
		default:
			continue
		}
		if *dst, ok = parseUint(f); !ok {
			return taskStat{}, false
		}
		switch i {
		case statPPID:
			st.ppid = int(v)
		case statPGRP:
			st.pgrp = int(v)
		case statThreads:
			st.threads = int(v)
		case statProcessor:
			st.core = int(v)
		}
	}
	st.reaped = cminflt + cmajflt + cutime + cstime
	return st, true
}

// parseCtxSwitches reads the voluntary and involuntary context switches
// from a /proc/<pid>/task/<tid>/status file.
func parseCtxSwitches(status []byte) (vol, invol uint64, ok bool) {
	vol, ok1 := statusValue(status, "\nvoluntary_ctxt_switches:")
	invol, ok2 := statusValue(status, "\nnonvoluntary_ctxt_switches:")
	return vol, invol, ok1 && ok2
}

// statusValue is the number after key in a status file.
func statusValue(status []byte, key string) (uint64, bool) {
	i := bytes.Index(status, []byte(key))
	if i < 0 {
		return 0, false
	}
	f, _ := word(status[i+len(key):])
	return parseUint(f)
}

// ranTotals is a /proc/<pid>/task/<tid>/schedstat: the task's time on a CPU
// in ns, its time waiting for one, and how many times it was switched in.
// While all three stand still the task has not run, so its CPU time and
// context switches stand still too.
type ranTotals [3]uint64

// switchesIn is how many times the task was switched onto a CPU (sched_info
// pcount). Every switch in but one onto the CPU it holds now was ended by a
// switch out, voluntary or not, so this is its voluntary plus involuntary
// context switches, plus one while it is on a CPU. Kernel 6.18 here may
// miss a few switches in: over every task on this machine, at most 0.6%
// fewer than the status's switches out (a shell: 2964, against 975 + 2008).
func (r ranTotals) switchesIn() uint64 { return r[2] }

// runWait is the task's time runnable but waiting for a CPU (sched_info
// run_delay).
func (r ranTotals) runWait() time.Duration { return time.Duration(r[1]) }

// onCPU is the task's time on a CPU (sum_exec_runtime), which the
// scheduler counts in nanoseconds at every switch, where the stat's CPU
// times count 10 ms ticks.
func (r ranTotals) onCPU() time.Duration { return time.Duration(r[0]) }

// parseSchedstat reads a schedstat file. ok is false for one the kernel
// fills with zeros (it keeps no such figures) or a malformed one.
func parseSchedstat(data []byte) (r ranTotals, ok bool) {
	for i := range r {
		var f []byte
		if f, data = word(data); f == nil {
			return ranTotals{}, false
		}
		if r[i], ok = parseUint(f); !ok {
			return ranTotals{}, false
		}
	}
	return r, r != ranTotals{}
}

// parseSyscallFile reads a /proc/<pid>/task/<tid>/syscall file: "running"
// for a task on a CPU or waiting for one; "-1 sp pc" for one blocked
// outside a system call (a page fault); else the number of the system call
// it sleeps in, its six arguments in hex, sp and pc. A futex's first
// argument is the lock's address.
func parseSyscallFile(data []byte) (state ThreadState, blocked string, on uint64) {
	nr, rest := word(data)
	switch {
	case nr == nil:
		return Unread, "", 0
	case string(nr) == "running":
		return Running, "", 0
	case nr[0] == '-':
		return Sleeping, "", 0
	}
	n, ok := parseUint(nr)
	if !ok {
		return Unread, "", 0
	}
	name := syscallName(n)
	if name == "futex" {
		arg, _ := word(rest)
		on, _ = strconv.ParseUint(strings.TrimPrefix(string(arg), "0x"), 16, 64)
	}
	return Sleeping, name, on
}

// word splits the first word off s, a newline counting as a space (/proc's
// files end their lines with one); nil when there is none.
func word(s []byte) (w, rest []byte) {
	start := 0
	for start < len(s) && (isSpace(s[start]) || s[start] == '\n') {
		start++
	}
	end := start
	for end < len(s) && !isSpace(s[end]) && s[end] != '\n' {
		end++
	}
	if start == end {
		return nil, nil
	}
	return s[start:end], s[end:]
}
