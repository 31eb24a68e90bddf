// Package nodestest runs the real programs corescope reads clusters from,
// for tests of any package: Debian's prometheus-node-exporter on a
// /proc/stat fixture whose cores have known loads (or on the real /proc),
// and a Prometheus server scraping them, each on a free loopback port and
// ended with the test. A test whose program is not installed is skipped,
// saying that make deps installs it. For the nodes no real program stands
// for, it has in-process fakes: a node that answers what a test writes
// (FakeNode, which counts its requests), an address that never answers and
// one that refuses connections.
//
// Imports: the standard library only.
package nodestest
