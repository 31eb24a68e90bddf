package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// openTemp makes an unnamed file (O_TMPFILE) in path's folder, which
// commit links in as path: a process killed while writing it leaves
// nothing behind. Where the file system has no unnamed files, the file
// gets a hidden name beside path (whose error, if that fails too, says
// what is wrong with the folder). The kernel takes the umask off perm.
func openTemp(path string, perm os.FileMode) (*temp, error) {
	fd, err := unix.Open(filepath.Dir(path), unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, uint32(perm))
	if err != nil {
		return openNamed(path, perm)
	}
	return &temp{f: os.NewFile(uintptr(fd), path)}, nil
}

// linkUnnamed gives the unnamed file f the name path: at once when the
// name is free; otherwise under a hidden name first, renamed over path
// straight after (Linux cannot link over a name), so the hidden name
// exists only between two system calls, not for a whole save.
func linkUnnamed(f *os.File, path string) error {
	proc := "/proc/self/fd/" + strconv.Itoa(int(f.Fd()))
	link := func(name string) error {
		if err := unix.Linkat(unix.AT_FDCWD, proc, unix.AT_FDCWD, name, unix.AT_SYMLINK_FOLLOW); err != nil {
			return &fs.PathError{Op: "link", Path: name, Err: err}
		}
		return nil
	}
	err := link(path)
	if !errors.Is(err, fs.ErrExist) {
		return err
	}
	name, err := hiddenName(path, link)
	if err != nil {
		return err
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return err
	}
	return nil
}

// followLink opens path through its symbolic links as any program would,
// so the kernel applies its own rules to each (fs.protected_symlinks among
// them), and returns where they lead: for a regular file, its path, beside
// which its replacement is made. Anything else is path itself: a link to
// nothing, which a new file replaces, or to a device or pipe, which is
// opened through the link again (/dev/stdout leads to "pipe:[1234]", which
// names no file).
func followLink(path string) (string, error) {
	fd, err := unix.Open(path, unix.O_PATH|unix.O_CLOEXEC, 0)
	switch {
	case errors.Is(err, unix.ENOENT):
		return path, nil
	case err != nil:
		return "", err
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return "", err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return path, nil
	}
	return os.Readlink("/proc/self/fd/" + strconv.Itoa(fd))
}
