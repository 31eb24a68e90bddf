// Package atomicfile writes files whole or not at all: the content goes to a
// temporary file beside the target, which is renamed over it only once every
// byte is written and synced. A failed write leaves no partial file behind
// and an existing file untouched.
package atomicfile
