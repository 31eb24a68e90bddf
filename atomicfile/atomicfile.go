package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write creates or replaces path (mode 0644) with what fill writes. Errors
// name the path. A symbolic link stays a link: the file it points to is
// replaced. A path that is a device, a pipe or a socket (/dev/null,
// /dev/stdout) is written straight to, since renaming over it would put a
// regular file in its place, which for root would break /dev/null for
// every program on the machine.
func Write(path string, fill func(w io.Writer) error) error {
	target := path
	if real, err := filepath.EvalSymlinks(path); err == nil {
		target = real
	}
	if fi, err := os.Stat(target); err == nil && !fi.Mode().IsRegular() {
		if fi.IsDir() {
			return fmt.Errorf("cannot write %s: it is a directory", path)
		}
		if err := writeThrough(target, fill); err != nil {
			return fmt.Errorf("cannot write %s: %w", path, err)
		}
		return nil
	}
	if err := replace(target, fill); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

// replace writes a temporary file beside path and renames it over path once
// every byte is written and synced.
func replace(path string, fill func(w io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close() // the write already failed; this error adds nothing
			os.Remove(f.Name())
		}
	}()
	if err := fillBuffered(f, fill); err != nil {
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// writeThrough writes to a device, pipe or socket as it is.
func writeThrough(path string, fill func(w io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
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
