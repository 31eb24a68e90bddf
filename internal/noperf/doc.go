// Package noperf runs a test again where the kernel refuses it perf
// events, as a container's security policy does (Docker's default refuses
// perf_event_open), so that a test of exact attribution can check the
// approximate path too: Rerun runs the test binary again under a seccomp
// filter that makes every perf_event_open fail with EPERM, and Under tells
// the test it runs there. Upstream kernels refuse perf to no user at any
// kernel.perf_event_paranoid (3 refuses only on Debian's and Ubuntu's), so
// this is the one way to be refused here without root's help. Linux only;
// elsewhere Rerun skips.
//
// Imports: the standard library and golang.org/x/sys/unix only.
package noperf
