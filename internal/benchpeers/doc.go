// Command benchpeers sets corescope's probes beside the tools engineers
// compare it with, on the same machine in the same minute: psutil (Debian's
// python3-psutil) reading the same per-core counters and the same 64-thread
// subject's process tree, and htop's own CPU beside corescope's while both
// watch a 65-thread subject at 10 Hz (corescope's the median of -runs
// recordings, each listed under the table). It prints each figure, the
// ratio and the goal of issue 11, and exits 1 when a goal is missed.
//
//	go run ./internal/benchpeers [-corescope ./corescope] [-seconds 10] [-runs 3]
//
// Imports: probes, profile.
package main
