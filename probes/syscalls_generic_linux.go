//go:build linux && !amd64 && !386

package probes

// syscallNamesArch is empty where the architecture has only the newer
// blocking system calls, which syscallNames names.
var syscallNamesArch = map[uint64]string{}
