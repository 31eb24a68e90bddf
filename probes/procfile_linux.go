package probes

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"
)

// procMagic is the filesystem type of a real /proc (PROC_SUPER_MAGIC).
const procMagic = 0x9fa0

// wholeRead is the length below which one read of the files a tree probe
// reads has read all of the file. A stat, status or schedstat file is one
// record, which the kernel writes whole into a read with room for it. A
// children file is a record a PID, which the kernel copies from a buffer of
// a page (4 KiB or more) record by record, so a read shorter than a page
// less a record left nothing behind (a shell's 800 children came in reads
// of 4092 and 708 bytes here). Files of long records, such as /proc/crypto,
// do not keep this rule.
const wholeRead = 4096 - 64

// procFile is one file of /proc that each probe reads again: a thread's
// stat, status, schedstat or children. On a real proc filesystem it stays
// open between probes and is read again from offset 0, which makes the
// kernel write it afresh: an open is a path walk through /proc, about as
// dear as the read. A file held open names one task for good: once the task
// is gone a read fails with ESRCH, even if its PID was reused since.
type procFile struct {
	pathz []byte // the path, NUL-ended for openat
	fd    int    // -1 while closed
}

func newProcFile(path string) procFile {
	return procFile{pathz: append([]byte(path), 0), fd: -1}
}

func (f *procFile) path() string { return string(f.pathz[:len(f.pathz)-1]) }

// procReader reads procFiles into one reused buffer and decides which of
// them stay open, within a budget of file descriptors.
type procReader struct {
	buf []byte
	// keep is whether files stay open: only on a real /proc. A fixture's
	// file that a test replaces is a new file, which an open descriptor
	// would not show.
	keep   bool
	budget int // descriptors that may still be kept open
	open   *openFiles
	dirBuf []byte
}

// openFiles is every descriptor a procReader keeps open, closed by a
// cleanup when the reader's owner is collected (TreeProber has no Close).
type openFiles struct{ fds map[int]struct{} }

func (o *openFiles) closeAll() {
	for fd := range o.fds {
		unix.Close(fd)
	}
	clear(o.fds)
}

// newProcReader returns a reader of the files under procRoot. owner is the
// value whose collection closes the files it keeps open.
func newProcReader[T any](procRoot string, owner *T) procReader {
	r := procReader{buf: make([]byte, 16<<10), dirBuf: make([]byte, 16<<10),
		open: &openFiles{fds: map[int]struct{}{}}}
	var fs unix.Statfs_t
	if unix.Statfs(procRoot, &fs) == nil && fs.Type == procMagic {
		var lim unix.Rlimit
		if unix.Getrlimit(unix.RLIMIT_NOFILE, &lim) == nil {
			// A quarter of what this process may open, so the profiler's
			// own files, perf events and window always have room.
			r.keep, r.budget = true, int(min(lim.Cur/4, 16384))
		}
	}
	runtime.AddCleanup(owner, (*openFiles).closeAll, r.open)
	return r
}

// read returns the whole of f in the reader's buffer, valid until the next
// read. An error means the file's task is gone (or was never there).
func (r *procReader) read(f *procFile) ([]byte, error) {
	if f.fd < 0 {
		fd, err := openat(f.pathz)
		if err != nil {
			return nil, err
		}
		f.fd = fd
		if r.keep && r.budget > 0 {
			r.budget--
			r.open.fds[fd] = struct{}{}
		} else {
			defer r.close(f)
		}
	}
	n := 0
	for {
		if n == len(r.buf) {
			r.buf = append(r.buf, make([]byte, len(r.buf))...)
			r.buf = r.buf[:cap(r.buf)]
		}
		m, err := unix.Pread(f.fd, r.buf[n:], int64(n))
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			r.close(f)
			return nil, err
		}
		n += m
		if m == 0 || m < wholeRead && n < len(r.buf) {
			return r.buf[:n], nil
		}
	}
}

// close closes f if it is open.
func (r *procReader) close(f *procFile) {
	if f.fd < 0 {
		return
	}
	if _, kept := r.open.fds[f.fd]; kept {
		delete(r.open.fds, f.fd)
		r.budget++
	}
	unix.Close(f.fd)
	f.fd = -1
}

// list appends to dst the numeric names in directory dir (PIDs in /proc,
// TIDs in a task directory), in the order the kernel lists them, which for
// /proc and a task directory is ascending.
func (r *procReader) list(dir string, dst []int) ([]int, error) {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return dst, &os.PathError{Op: "open", Path: dir, Err: err}
	}
	defer unix.Close(fd)
	for {
		n, err := unix.Getdents(fd, r.dirBuf)
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return dst, &os.PathError{Op: "read", Path: dir, Err: err}
		case n == 0:
			return dst, nil
		}
		dst = appendDirentIDs(dst, r.dirBuf[:n])
	}
}

// appendDirentIDs appends the names of linux_dirent64 records that are
// decimal numbers: d_ino u64, d_off i64, d_reclen u16, d_type u8, then the
// NUL-ended name.
func appendDirentIDs(dst []int, buf []byte) []int {
	const nameOff = 19
	for len(buf) >= nameOff {
		reclen := int(binary.NativeEndian.Uint16(buf[16:]))
		if reclen < nameOff || reclen > len(buf) {
			break
		}
		name := buf[nameOff:reclen]
		for i, b := range name {
			if b == 0 {
				name = name[:i]
				break
			}
		}
		if id, ok := parseUint(name); ok && id > 0 && id < 1<<31 {
			dst = append(dst, int(id))
		}
		buf = buf[reclen:]
	}
	return dst
}

// openat opens the NUL-ended path pathz for reading. unix.Open would copy
// the path into a new NUL-ended buffer on every call, a probe's only
// allocation per file.
func openat(pathz []byte) (int, error) {
	atCWD := unix.AT_FDCWD // a variable: the constant is negative
	for {
		fd, _, errno := unix.Syscall6(unix.SYS_OPENAT, uintptr(atCWD),
			uintptr(unsafe.Pointer(&pathz[0])), unix.O_RDONLY|unix.O_CLOEXEC, 0, 0, 0)
		switch errno {
		case 0:
			return int(fd), nil
		case unix.EINTR:
		default:
			return -1, errno
		}
	}
}

// taskPath is the path of a file of task tid of process pid under procRoot.
func taskPath(procRoot string, pid, tid int, file string) string {
	return filepath.Join(procRoot, strconv.Itoa(pid), "task", strconv.Itoa(tid), file)
}
