package probes

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// statReader reads /proc/stat into a buffer it keeps and parses the per-core
// lines in place: gopsutil's cpu.Times makes a string of every line and of
// every field, about two allocations a core on every tick.
type statReader struct {
	root, path string // HOST_PROC as last seen, and the stat file under it
	pathz      []byte // path ending in NUL, for openat without a copy per call
	buf        []byte
	// kept is the real /proc/stat, opened once: read again from offset 0,
	// the kernel writes it anew, so a tick is one pread instead of openat,
	// read, read and close (about 7 us instead of 13 here).
	kept *os.File
}

// times appends the counters, in ticks, to dst, indexed by core number, and
// fails rather than return no cores.
func (r *statReader) times(_ context.Context, dst []coreTimes) ([]coreTimes, error) {
	path := r.statPath()
	data, err := r.read()
	if err != nil {
		return nil, fmt.Errorf("cannot read per-core CPU times: %w", err)
	}
	if dst = parseStat(dst, data); len(dst) == 0 {
		return nil, fmt.Errorf("cannot read per-core CPU times: no cores listed in %s", path)
	}
	return dst, nil
}

// statPath is the stat file under HOST_PROC, where gopsutil and psutil look
// too, so fixtures and a host's /proc mounted in a container work; it is
// rebuilt only when the variable changes.
func (r *statReader) statPath() string {
	root := os.Getenv("HOST_PROC")
	if root == "" {
		root = "/proc"
	}
	if root != r.root {
		r.root, r.path = root, filepath.Join(root, "stat")
		r.pathz = append([]byte(r.path), 0)
	}
	return r.path
}

// read returns the whole file in r.buf, which grows to the largest size seen.
// The real /proc/stat is kept open; under any other HOST_PROC the file is
// opened again every time, since a fixture may be replaced or removed
// between ticks and an open file would not show it.
func (r *statReader) read() ([]byte, error) {
	if r.root == "/proc" {
		return r.readKept()
	}
	if r.kept != nil { // HOST_PROC moved away from the real /proc
		r.kept.Close()
		r.kept = nil
	}
	fd, err := openat(r.pathz)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: r.path, Err: err}
	}
	defer unix.Close(fd)
	if len(r.buf) == 0 {
		r.buf = make([]byte, 8<<10)
	}
	for n := 0; ; {
		if n == len(r.buf) {
			r.buf = append(r.buf, make([]byte, len(r.buf))...)
			r.buf = r.buf[:cap(r.buf)]
		}
		m, err := unix.Read(fd, r.buf[n:])
		switch {
		case err == unix.EINTR:
		case err != nil:
			return nil, &os.PathError{Op: "read", Path: r.path, Err: err}
		case m == 0:
			return r.buf[:n], nil
		default:
			n += m
		}
	}
}

// readKept reads the kept /proc/stat from offset 0 in one pread, opening it
// first if needed. A read that fills the buffer may have been cut, so it is
// made again into a buffer twice the size. After an error the file is closed
// and the next tick opens it again.
func (r *statReader) readKept() ([]byte, error) {
	if r.kept == nil {
		f, err := os.Open(r.path)
		if err != nil {
			return nil, err
		}
		r.kept = f // its finaliser closes it when the sampler is dropped
	}
	if len(r.buf) == 0 {
		r.buf = make([]byte, 8<<10)
	}
	for {
		n, err := unix.Pread(int(r.kept.Fd()), r.buf, 0)
		switch {
		case err == unix.EINTR:
		case err != nil:
			r.kept.Close()
			r.kept = nil
			return nil, &os.PathError{Op: "read", Path: r.path, Err: err}
		case n < len(r.buf):
			return r.buf[:n], nil
		default:
			r.buf = make([]byte, 2*len(r.buf))
		}
	}
}

// parseStat appends the per-core counters of a /proc/stat to dst, indexed by
// core number. It takes the lines gopsutil takes: after the first (all cores
// together), the lines up to the first that does not start with "cpu", less
// those with fewer than seven counters or a counter that is not a number.
func parseStat(dst []coreTimes, data []byte) []coreTimes {
	i := bytes.IndexByte(data, '\n')
	for i >= 0 {
		data = data[i+1:]
		var line []byte
		if i = bytes.IndexByte(data, '\n'); i >= 0 {
			line = data[:i]
		} else {
			line = data
		}
		if !bytes.HasPrefix(line, []byte("cpu")) {
			break
		}
		n, c, ok := parseCore(line)
		if !ok {
			continue
		}
		for len(dst) <= n {
			dst = append(dst, coreTimes{})
		}
		dst[n] = c
	}
	return dst
}

// parseCore reads one "cpuN user nice system idle iowait irq softirq steal
// guest guest_nice" line; the last three counters are optional (older
// kernels), and guest time is left out because user and nice hold it.
func parseCore(line []byte) (n int, c coreTimes, ok bool) {
	name, rest := word(line)
	num, ok := parseUint(name[len("cpu"):])
	if !ok || num >= maxCore {
		return 0, coreTimes{}, false
	}
	var v [10]uint64
	k := 0
	for ; k < len(v); k++ {
		var f []byte
		if f, rest = word(rest); f == nil {
			break
		}
		if v[k], ok = parseUint(f); !ok {
			return 0, coreTimes{}, false
		}
	}
	if k < 7 {
		return 0, coreTimes{}, false
	}
	f := func(i int) float64 { return float64(v[i]) }
	return int(num), coreTimes{
		ok:     true,
		user:   f(0) + f(1),
		system: f(2) + f(5) + f(6),
		idle:   f(3) + f(4),
		steal:  f(7),
	}, true
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\v' || b == '\f' || b == '\r' }

// parseUint reads decimal digits only, as strconv.ParseUint(s, 10, 64) does,
// without making a string of them.
func parseUint(s []byte) (uint64, bool) {
	if len(s) == 0 {
		return 0, false
	}
	var x uint64
	for _, b := range s {
		d := uint64(b - '0')
		if d > 9 || x > (math.MaxUint64-d)/10 {
			return 0, false
		}
		x = x*10 + d
	}
	return x, true
}
