//go:build !unix

package runners

import "os"

// private accepts every folder: the user's cache (%LocalAppData%) is
// theirs alone by its access list.
func private(string) error { return nil }

// ownFile accepts every file, as private does.
func ownFile(os.FileInfo) bool { return true }
