package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// Write creates or replaces path with what fill writes. Errors name the
// path.
//
// A new file gets mode 0666 less the umask, as any program's files; a
// replaced file keeps its mode. A symbolic link stays a link: the file it
// points to is replaced, if the link may be followed (see Check). A path
// that is a device, a pipe or a socket (/dev/null, /dev/stdout) is written
// straight to, since renaming over it would put a regular file in its
// place, which for root would break /dev/null for every program on the
// machine; a pipe no program reads is refused at once rather than waited
// on.
func Write(path string, fill func(w io.Writer) error) error {
	return WritePerm(path, 0o666, fill)
}

// WritePerm is Write giving a new file perm (less the umask): for files
// no one else may change, whatever the umask allows.
func WritePerm(path string, perm os.FileMode, fill func(w io.Writer) error) error {
	if err := write(path, perm, fill); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

// Check tells, without writing anything, whether Write(path) would be
// refused: a directory, a name too long, a missing folder or one this
// process may not write in, another user's link in a shared folder. A
// command checks its outputs with it before a long run, so the run is not
// lost to a bad name. A device or pipe is not opened: opening a pipe would
// end the input of a program reading it, and one may start reading later.
func Check(path string) error {
	if err := check(path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

func write(path string, perm os.FileMode, fill func(w io.Writer) error) error {
	target, old, err := destination(path)
	switch {
	case err != nil:
		return err
	case old != nil && !old.Mode().IsRegular():
		return writeThrough(target, old, fill)
	case old != nil:
		perm = old.Mode().Perm()
	}
	return replace(target, perm, old != nil, fill)
}

func check(path string) error {
	target, old, err := destination(path)
	if err != nil || (old != nil && !old.Mode().IsRegular()) {
		return err
	}
	t, err := openTemp(target, 0o600)
	if err != nil {
		return err
	}
	t.discard()
	return nil
}

// destination is the file Write(path) writes, past a symbolic link, and
// what is there now (nil: nothing yet).
func destination(path string) (target string, old os.FileInfo, err error) {
	if target, err = resolve(path); err != nil {
		return "", nil, err
	}
	old, err = os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return target, nil, nil
	case err != nil:
		return "", nil, unwrapPath(err, target)
	case old.IsDir():
		return "", nil, errors.New("it is a directory")
	}
	return target, old, nil
}

// resolve is path, or where the symbolic link at path leads. The link is
// followed only as the kernel's fs.protected_symlinks rule allows, whatever
// that setting is here (see mayFollow), and then by the kernel itself where
// it can, so its rules hold for every link on the way.
func resolve(path string) (string, error) {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return path, nil
	case err != nil:
		return "", unwrapPath(err, path)
	case fi.Mode()&os.ModeSymlink == 0:
		return path, nil
	}
	if err := mayFollow(path, fi); err != nil {
		return "", err
	}
	return followLink(path)
}

// unwrapPath drops the path from err when it is path's own: the message
// already names it (a name too long would be written twice).
func unwrapPath(err error, path string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == path {
		return pe.Err
	}
	return err
}

// replace writes a temporary file beside path and gives it path's name
// once every byte is written and synced. keepMode sets perm exactly, since
// the umask took its share when the file was made.
func replace(path string, perm os.FileMode, keepMode bool, fill func(w io.Writer) error) (err error) {
	t, err := openTemp(path, perm)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			t.discard()
		}
	}()
	if err := fillBuffered(t.f, fill); err != nil {
		return err
	}
	if keepMode {
		if err := t.f.Chmod(perm); err != nil {
			return err
		}
	}
	if err := t.f.Sync(); err != nil {
		return err
	}
	return t.commit(path)
}

// writeThrough writes to a device, pipe or socket as it is. It opens
// without blocking: a pipe no program reads would otherwise hold the open
// until one comes, deaf to Ctrl-C.
func writeThrough(path string, fi os.FileInfo, fill func(w io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		if fi.Mode()&os.ModeNamedPipe != 0 && errors.Is(err, syscall.ENXIO) {
			return errors.New("it is a named pipe and no program is reading it")
		}
		return unwrapPath(err, path)
	}
	return errors.Join(fillBuffered(f, fill), f.Close())
}

func fillBuffered(f *os.File, fill func(w io.Writer) error) error {
	bw := bufio.NewWriter(f)
	if err := fill(bw); err != nil {
		return err
	}
	return bw.Flush()
}

// temp is a file being written: without a name until it is committed
// (where the system has unnamed files), so that a process killed while
// writing leaves nothing behind, or else under a hidden name beside its
// destination.
type temp struct {
	f    *os.File
	name string // the hidden name; "" while unnamed
}

// openNamed makes a temporary file for path under a hidden name beside it.
func openNamed(path string, perm os.FileMode) (*temp, error) {
	var f *os.File
	name, err := hiddenName(path, func(name string) (err error) {
		f, err = os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		return err
	})
	if err != nil {
		return nil, folderError(filepath.Dir(path), err)
	}
	return &temp{f: f, name: name}, nil
}

// folderError says what is wrong with the folder a file was to be made in.
func folderError(dir string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("folder %s: %w", dir, err)
}

// hiddenName calls create with hidden names beside path until one is
// free, and returns the name it took.
func hiddenName(path string, create func(name string) error) (string, error) {
	dir, base := filepath.Split(path)
	for range 100 {
		name := filepath.Join(dir, "."+base+"."+strconv.FormatUint(uint64(rand.Uint32()), 10)+".tmp")
		err := create(name)
		if !errors.Is(err, fs.ErrExist) {
			return name, err
		}
	}
	return "", fmt.Errorf("no free temporary name beside %s", path)
}

// commit gives t the name path, replacing what is there.
func (t *temp) commit(path string) error {
	if t.name == "" {
		return errors.Join(linkUnnamed(t.f, path), t.f.Close())
	}
	if err := t.f.Close(); err != nil {
		return err
	}
	return os.Rename(t.name, path)
}

// discard drops t, leaving nothing behind.
func (t *temp) discard() {
	t.f.Close() // what failed before says more than this
	if t.name != "" {
		os.Remove(t.name)
	}
}
