"""Time psutil reading a process tree, the work corescope's tree probe does.

Each call reads the process and its descendants (children(recursive=True))
and, for each, cpu_times, memory_info, num_ctx_switches and threads, inside
oneshot() as psutil advises. Prints the mean microseconds per call as one
number, for comparison with BenchmarkProbe/threads on the same subject:

    CGO_ENABLED=0 go test -c -o /tmp/probes.test ./probes/
    sleep 600 | PROBES_TEST_THREADS=64 /tmp/probes.test &  # 64 sleeping threads
    /usr/bin/python3 probes/testdata/psutil_tree.py --pid $(pgrep -n probes.test) --iterations 300

With --thread-switches it also reads each thread's status, as corescope does
to sum the context switches of every thread (psutil's num_ctx_switches reads
the process's status, which holds the main thread's only).

/usr/bin/python3 is Debian's, which python3-psutil is for.
"""

import argparse
import sys
import time

import psutil


def probe(root, thread_switches):
    procs = [root] + root.children(recursive=True)
    for p in procs:
        try:
            with p.oneshot():
                p.cpu_times()
                p.memory_info()
                p.num_ctx_switches()
                threads = p.threads()
        except psutil.NoSuchProcess:
            continue  # exited since the listing, as the Go probe skips it
        if thread_switches:
            for t in threads:
                try:
                    psutil.Process(t.id).num_ctx_switches()
                except psutil.NoSuchProcess:
                    pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pid", type=int, required=True, help="the root process")
    parser.add_argument("--iterations", type=int, default=1000, help="calls to time (>= 1)")
    parser.add_argument(
        "--thread-switches",
        action="store_true",
        help="also read every thread's context switches, as corescope sums them "
        "(num_ctx_switches alone gives the main thread's)",
    )
    args = parser.parse_args()
    if args.iterations < 1:
        parser.error(f"--iterations must be at least 1, not {args.iterations}")
    try:
        root = psutil.Process(args.pid)
    except psutil.NoSuchProcess:
        parser.error(f"--pid {args.pid}: no such process")
    probe(root, args.thread_switches)  # warm up: imports, first reads
    start = time.perf_counter()
    for _ in range(args.iterations):
        probe(root, args.thread_switches)
    elapsed = time.perf_counter() - start
    print(f"{elapsed / args.iterations * 1e6:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
