//go:build unix

package runners

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// private returns why another user could change what dir holds, or nil.
// dir (a path without links) and each folder above it must be the user's
// or root's, and not writable by group or others, up to a folder of the
// user's own (only they can move what it holds) or a sticky one, such as
// /tmp (where only an entry's owner can move it), or to /.
func private(dir string) error {
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		owner := fi.Sys().(*syscall.Stat_t).Uid
		switch {
		case !ownFile(fi):
			return fmt.Errorf("%s belongs to user %d", d, owner)
		case d != dir && fi.Mode()&os.ModeSticky != 0:
			return nil
		case fi.Mode().Perm()&0o022 != 0:
			return fmt.Errorf("%s can be written by others (mode %#o)", d, fi.Mode().Perm())
		case d != dir && int(owner) == os.Geteuid(), d == filepath.Dir(d):
			return nil
		}
	}
}

// ownFile reports whether fi is the user's or root's.
func ownFile(fi os.FileInfo) bool {
	owner := fi.Sys().(*syscall.Stat_t).Uid
	return int(owner) == os.Geteuid() || owner == 0
}
