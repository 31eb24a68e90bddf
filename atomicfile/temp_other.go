//go:build !linux

package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// openTemp makes a temporary file under a hidden name beside path: only
// Linux has unnamed files. The system takes the umask off perm.
func openTemp(path string, perm os.FileMode) (*temp, error) {
	return openNamed(path, perm)
}

// linkUnnamed is never called where openTemp makes only named files.
func linkUnnamed(*os.File, string) error { return errors.ErrUnsupported }

// followLink is where path's symbolic links lead; a link to nothing is
// path itself, which a new file then replaces.
func followLink(path string) (string, error) {
	target, err := filepath.EvalSymlinks(path)
	if errors.Is(err, fs.ErrNotExist) {
		return path, nil
	}
	return target, err
}
