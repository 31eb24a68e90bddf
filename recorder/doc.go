// Package recorder records runs in time: it starts a subject (runners) in
// a process group of its own behind a start gate, drives the probes every
// interval, streams Frames to its caller, attributes the subject's CPU to
// cores (exact from perf events, else approximate), keeps the evidence of
// why it used them (how each slice ended, what each thread waited on, the
// CPU affinity and cgroup quota its processes ran under), and builds the
// profile.Profile and its Summary's figures when the subject ends. Compare
// is the one loop over a list of specs, for the CLI and the window alike.
// Watch and FromHistory make profiles of several machines' cores without a
// subject, from node_exporters live or a Prometheus server's history.
//
// It judges and words nothing: a run's speedup and verdict are concluded
// by runtext.Conclude where the runs are shown (see package diagnosis for
// the judgement).
//
// Imports: profile, spec, runners, probes, nodes, levels.
package recorder
