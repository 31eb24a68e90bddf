package probes

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// switchRingPages is each CPU's ring in 4 KiB pages: 64 (256 KiB) for
// SwitchRingRecords.
const switchRingPages = SwitchRingRecords * switchRecordSize / 4096

// The records asked for: PERF_SAMPLE_TID|TIME|CPU with sample_id_all appends
// {pid, tid u32; time u64; cpu, res u32} to every record.
const (
	sampleIDSize     = 24
	switchRecordSize = 8 + sampleIDSize      // header, sample_id
	lostRecordSize   = 8 + 16 + sampleIDSize // header, id, lost, sample_id
	// header, pid, tid, the name NUL-padded to 8 bytes (at most 16 with
	// its NUL, TASK_COMM_LEN), sample_id
	commRecordMinSize = 8 + 8 + 8 + sampleIDSize
	commRecordMaxSize = 8 + 8 + 16 + sampleIDSize
	forkRecordSize    = 8 + 24 + sampleIDSize // header, pid, ppid, tid, ptid, time, sample_id
)

// SwitchRecorder records every switch of the subject's threads onto and off
// the CPUs and turns them into Slices: what each thread ran where, exact to
// the microsecond, which 100 ms samples cannot show (GIL-bound threads taking
// turns look like threads running together). It also records each thread's
// name as the kernel gives it (Names), for the threads /proc never saw.
type SwitchRecorder struct {
	fds   []int
	rings [][]byte // each one mapping: the metadata page, then the data
	page  int
	p     switchParser
}

// OpenSwitches starts recording the switches of pid and of the threads and
// children it starts afterwards (so gate the subject, as for OpenCoreClock)
// on CPUs 0..cpus-1. The caller drains the rings before a CPU makes
// SwitchRingRecords records (two a slice; a thread's fork, exec and exit
// take the room of five more); those that find a ring full are counted by
// Lost.
func OpenSwitches(pid, cpus int) (*SwitchRecorder, error) {
	attr := unix.PerfEventAttr{
		Type:        unix.PERF_TYPE_SOFTWARE,
		Config:      unix.PERF_COUNT_SW_DUMMY,
		Sample_type: unix.PERF_SAMPLE_TID | unix.PERF_SAMPLE_TIME | unix.PERF_SAMPLE_CPU,
		// comm and task add a record at each exec and rename, and at each
		// fork and exit (the kernel sends these to comm events anyway): what
		// names a thread /proc never saw.
		Bits: unix.PerfBitInherit | unix.PerfBitContextSwitch | unix.PerfBitSampleIDAll |
			unix.PerfBitUseClockID | unix.PerfBitComm | unix.PerfBitTask,
		Clockid: unix.CLOCK_MONOTONIC,
	}
	fds, err := openPerCPU(&attr, pid, cpus, "the switch timeline")
	if err != nil {
		return nil, err
	}
	r := &SwitchRecorder{fds: fds, page: os.Getpagesize(), p: switchParser{on: make([]onCore, cpus)}}
	for cpu, fd := range fds {
		mem, err := unix.Mmap(fd, 0, (1+switchRingPages)*r.page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
		if err != nil {
			r.Close()
			if errors.Is(err, unix.EPERM) {
				return nil, fmt.Errorf("cannot map the switch ring of CPU %d: over this user's share of locked memory (kernel.perf_event_mlock_kb, ulimit -l): %w", cpu, err)
			}
			return nil, fmt.Errorf("cannot map the switch ring of CPU %d: %w", cpu, err)
		}
		r.rings = append(r.rings, mem)
	}
	return r, nil
}

// Drain appends to dst the slices that ended since the previous call and
// frees the rings for the kernel. A thread still on a CPU is left for a
// later call. With dst's capacity reused it allocates nothing.
func (r *SwitchRecorder) Drain(dst []Slice) ([]Slice, error) {
	var first error
	for _, mem := range r.rings {
		meta := (*unix.PerfEventMmapPage)(unsafe.Pointer(&mem[0]))
		head := atomic.LoadUint64(&meta.Data_head)
		var err error
		dst, err = r.p.consume(mem[r.page:], meta.Data_tail, head, dst)
		if err != nil && first == nil {
			first = err
		}
		atomic.StoreUint64(&meta.Data_tail, head)
	}
	return dst, first
}

// Lost is how many switch records the kernel dropped because a ring was full
// (the slices they ended are missing).
func (r *SwitchRecorder) Lost() uint64 { return r.p.lost }

// Names is the name of each subject thread that the records drained so far
// tell, by thread id: the latest it took at an exec or a rename, or else
// the one it was forked with.
func (r *SwitchRecorder) Names() map[int]string { return r.p.names.latest() }

// Now reads the clock that stamps the slices.
func (r *SwitchRecorder) Now() time.Duration {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return time.Duration(ts.Nano())
}

// Close stops recording and releases the rings.
func (r *SwitchRecorder) Close() error {
	for _, mem := range r.rings {
		unix.Munmap(mem)
	}
	r.rings = nil
	err := closeFDs(r.fds)
	r.fds = nil
	return err
}

// switchParser turns the records of the rings into slices. It keeps, per
// CPU, the subject thread that switched in there last: one CPU runs one
// thread at a time, and each CPU's records come in order in its own ring.
type switchParser struct {
	on      []onCore
	lost    uint64
	names   taskNames
	scratch [max(lostRecordSize, commRecordMaxSize, forkRecordSize)]byte
}

type onCore struct {
	pid, tid uint32
	start    uint64
	in       bool
}

// consume parses the records of data (a ring whose length is a power of two)
// from tail to head. The kernel writes whole 8-byte-aligned records, so only
// a record's body, never its header, wraps around the end.
func (p *switchParser) consume(data []byte, tail, head uint64, dst []Slice) ([]Slice, error) {
	mask := uint64(len(data) - 1)
	for tail < head {
		off := tail & mask
		typ := binary.NativeEndian.Uint32(data[off:])
		misc := binary.NativeEndian.Uint16(data[off+4:])
		size := uint64(binary.NativeEndian.Uint16(data[off+6:]))
		if size < 8 || size%8 != 0 || size > head-tail {
			return dst, fmt.Errorf("switch timeline: malformed record (%d bytes) at %d; %d bytes skipped", size, tail, head-tail)
		}
		switch {
		case typ == unix.PERF_RECORD_SWITCH && size >= switchRecordSize:
			dst = p.switched(p.record(data, off, switchRecordSize)[8:], misc, dst)
		case typ == unix.PERF_RECORD_EXIT && size >= forkRecordSize:
			// An exiting thread's events are gone before its last switch
			// out: its exit, written on the CPU it runs on, ends its last
			// slice.
			dst = p.switched(p.record(data, off, forkRecordSize)[8+24:], miscExit, dst)
		case typ == unix.PERF_RECORD_LOST && size >= lostRecordSize:
			rec := p.record(data, off, lostRecordSize)
			p.lost += binary.NativeEndian.Uint64(rec[16:])
			// The lost records may have ended the slice begun on this CPU.
			if cpu := binary.NativeEndian.Uint32(rec[40:]); int(cpu) < len(p.on) {
				p.on[cpu].in = false
			}
		case typ == unix.PERF_RECORD_COMM && size >= commRecordMinSize && size <= commRecordMaxSize:
			rec := p.record(data, off, size)
			id := rec[size-sampleIDSize:]
			p.names.renamed(binary.NativeEndian.Uint32(rec[12:]), rec[16:size-sampleIDSize], binary.NativeEndian.Uint64(id[8:]))
		case typ == unix.PERF_RECORD_FORK && size >= forkRecordSize:
			rec := p.record(data, off, forkRecordSize)
			p.names.forked(binary.NativeEndian.Uint32(rec[16:]), binary.NativeEndian.Uint32(rec[20:]), binary.NativeEndian.Uint64(rec[24:]))
		}
		tail += size
	}
	return dst, nil
}

// record returns the first n bytes of the record at off, copied out when
// they wrap around the end of the ring.
func (p *switchParser) record(data []byte, off, n uint64) []byte {
	if off+n <= uint64(len(data)) {
		return data[off : off+n]
	}
	k := copy(p.scratch[:n], data[off:])
	copy(p.scratch[k:n], data)
	return p.scratch[:n]
}

// miscExit marks an exit record for switched: a switch out that ends the
// thread (the bit is PERF_RECORD_MISC_EXT_RESERVED, which no switch record
// sets).
const miscExit = unix.PERF_RECORD_MISC_SWITCH_OUT | unix.PERF_RECORD_MISC_EXT_RESERVED

// switched applies one switch record, given by its sample_id and its misc
// bits (or miscExit).
func (p *switchParser) switched(id []byte, misc uint16, dst []Slice) []Slice {
	pid := binary.NativeEndian.Uint32(id)
	tid := binary.NativeEndian.Uint32(id[4:])
	t := binary.NativeEndian.Uint64(id[8:])
	cpu := binary.NativeEndian.Uint32(id[16:])
	if int(cpu) >= len(p.on) {
		return dst
	}
	c := &p.on[cpu]
	if misc&unix.PERF_RECORD_MISC_SWITCH_OUT == 0 {
		*c = onCore{pid: pid, tid: tid, start: t, in: true}
		return dst
	}
	if c.in && c.tid == tid && t >= c.start {
		dst = append(dst, Slice{PID: int(pid), TID: int(tid), CPU: int(cpu),
			Start: time.Duration(c.start), End: time.Duration(t), Ended: sliceEnd(misc)})
	}
	c.in = false
	return dst
}

// sliceEnd reads how a slice ended from its switch out's misc bits.
func sliceEnd(misc uint16) SliceEnd {
	switch {
	case misc == miscExit:
		return EndExited
	case misc&unix.PERF_RECORD_MISC_SWITCH_OUT_PREEMPT != 0:
		return EndPreempted
	}
	return EndBlocked
}
