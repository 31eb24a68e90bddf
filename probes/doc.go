// Package probes measures what corescope shows: the busy fraction of every
// logical core, the subject's process tree with its threads and the core each
// last ran on, corescope's own CPU cost, and the facts of the machine.
//
// Each probe keeps its previous reading in its own value (no package state),
// so two probes never disturb each other. Probes are not safe for concurrent
// use; a recorder drives them from one goroutine.
//
// The per-core sampler works wherever gopsutil does; the process tree and the
// self meter read Linux's /proc and getrusage.
package probes
