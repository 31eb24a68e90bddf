// Package nodes reads per-core CPU load of other machines from what they
// already export: Prometheus' node_exporter, live, and a Prometheus server,
// for the past. corescope installs no agent of its own.
//
// # What is measured per node
//
// node_exporter serves node_cpu_seconds_total{cpu,mode}: the kernel's
// cumulative time per core and mode (on Linux, /proc/stat in seconds). A
// Scraper fetches every node's counters once a tick and turns their growth
// into each core's busy fraction with the rules of corescope's own sampler
// (probes.CPUSampler): idle and iowait are idle time, every other mode (user,
// nice, system, irq, softirq, steal, and any a non-Linux exporter adds) is
// busy. A core whose counters went backwards or did not move has no figure
// for that tick (levels.Missing), never a made-up zero; a node's first answer
// is only the baseline.
//
// The kernel counts in 10 ms steps (USER_HZ = 100), so a core's figure is
// good to about 0.01/interval: +-1 point at the default node interval of 1 s,
// +-10 points at the shortest allowed, 100 ms. The figures cover the time
// between the exporter's two reads of the counters, not between corescope's
// two requests: network delay shifts a tick, it does not bend its figures.
//
// What is not measured: processes, threads, memory, or which program kept a
// remote core busy (node_exporter does not say); a core the node took offline
// (it is missing); time in a guest VM beyond what the host counts as user
// time. A node that does not answer within the timeout, or answers something
// that is not the Prometheus text format with node_cpu_seconds_total in it,
// has no figures for that tick, with its reason, and the other nodes go on.
// So has a node whose answer is beyond what any real node sends: more than
// 65,536 CPU samples, a CPU line over 1 KiB or a sample of more than 16
// labels (each counted before the answer is parsed), or more than 8192 cores
// (Linux's largest NR_CPUS); and one whose counters cannot be counted: a
// core's mode given twice, or a value that is not a number of seconds from
// 0 to 2^53. A node's fetch and parse both end with its tick's
// timeout (or when the watch is stopped), so one node never holds up the
// others. A watch reads up to 1024 nodes.
//
// QueryHistory reads the same figures for a past window from a Prometheus server's
// query_range API, one row per instance label. There each point is the ratio
// of rates over a window of one step plus one scrape interval, so it is
// as fine as the server's scrapes allow, not finer; and Prometheus' rate
// carries a counter over a restart, where the Scraper leaves a one-tick gap.
// The server has two minutes (Prometheus' own query timeout) to answer each
// request in full, and an answer over 256 MiB is refused: either ends the
// query with an error naming the server, as does a redirect (nodes' too:
// corescope follows none, so no other machine's figures pass as a node's).
//
// Imports: spec, levels (and the Prometheus text format's parser:
// prometheus/common, client_model).
package nodes
