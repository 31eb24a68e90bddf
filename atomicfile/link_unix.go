//go:build unix

package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// mayFollow applies the kernel's fs.protected_symlinks rule to the link at
// path, whether or not this machine enables it: in a sticky folder anyone
// may write (/tmp), a link is followed only if its owner is the follower or
// the folder's owner. Another user's link there would send the output onto
// any file the follower may write.
func mayFollow(path string, link os.FileInfo) error {
	dir, err := os.Stat(filepath.Dir(path))
	if err != nil {
		return err
	}
	shared := dir.Mode()&os.ModeSticky != 0 && dir.Mode().Perm()&0o002 != 0
	owner := link.Sys().(*syscall.Stat_t).Uid
	if !shared || int(owner) == os.Geteuid() || owner == dir.Sys().(*syscall.Stat_t).Uid {
		return nil
	}
	return fmt.Errorf("it is a symbolic link of user %d in the shared folder %s: only they or the folder's owner may follow it", owner, filepath.Dir(path))
}
