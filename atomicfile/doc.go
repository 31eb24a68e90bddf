// Package atomicfile writes files whole or not at all: the content goes to a
// temporary file beside the target (on Linux an unnamed one, so that even a
// killed process leaves nothing behind), which takes the target's name only
// once every byte is written and synced. A failed write leaves no partial
// file behind and an existing file untouched. New files get 0666 less the
// umask; a replaced file keeps its mode. Check finds, before a long run,
// the names a write would refuse.
//
// Imports: the standard library and golang.org/x/sys only.
package atomicfile
