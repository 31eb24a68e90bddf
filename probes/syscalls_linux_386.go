package probes

import "strconv"

// syscallName names system call nr by number: 32-bit x86 reaches sockets
// through socketcall, and corescope sorts no calls there.
func syscallName(nr uint64) string { return "syscall " + strconv.FormatUint(nr, 10) }
