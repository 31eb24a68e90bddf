// Package probes measures what corescope shows: the busy fraction of every
// logical core, the subject's process tree with its threads and the core each
// last ran on, corescope's own CPU cost, and the facts of the machine.
//
// Each probe keeps its previous reading in its own value (no package state),
// so two probes never disturb each other. Probes are not safe for concurrent
// use; a recorder drives them from one goroutine.
//
// The per-core sampler reads Linux's /proc/stat itself, into a reused buffer
// without allocating (a 256-core machine every tick); elsewhere it asks
// gopsutil. Perf events (per-CPU task clocks, switch records and the gate
// that holds a subject until they are open) are Linux's. The process tree reads
// Linux's /proc, with every thread and the core it last ran on; elsewhere it
// asks gopsutil, which lists processes but not their threads. The self meter
// reads getrusage where there is one (Linux, macOS, the BSDs), else gopsutil.
//
// Imports: the standard library, gopsutil and golang.org/x/sys only.
package probes
