// Package runners is what corescope runs: the workloads (cpu, io, mixed) under
// each concurrency model (sequential, threads, async, processes, goroutines) as
// the hidden `corescope worker` subcommand, the Python backend's scripts, the
// loopback site that I/O workloads request, and the Subject that the recorder
// starts for a spec.Spec. Input turns what a person typed into specs; it lives
// here because it finds and asks the Python interpreters it names.
//
// Each model reproduces the behaviour of its Python namesake so that the
// profiler's pictures teach the right lesson: threads share a real global
// interpreter lock (see GIL), async runs every task's code on one event-loop
// thread, processes feed a pool of child processes, and goroutines are Go's own
// answer. Every model computes the same checksum, so none can skip work.
//
// Imports: spec, assets, atomicfile.
package runners
