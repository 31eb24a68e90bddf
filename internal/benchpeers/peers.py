"""The peer side of `make bench-peers`: psutil doing the work corescope's
probes do, timed the same way, so the two can be set side by side.

    python3 peers.py cpu  --procfs DIR --iterations N   # per-core CPU times
    python3 peers.py tree --pid PID   --iterations N    # a process tree, as corescope probes it
    python3 peers.py threads --threads 64 [--idle] [--seconds S]
                                                        # the subject: N threads and the main one

cpu and tree print one number: microseconds per call, the best of 5 rounds.
threads prints "ready" once its threads run, then works until S seconds have
passed (or, without --seconds, until stdin closes).
"""
import argparse
import sys
import threading
import time


def best_us(call, iterations):
    """The fastest of 5 rounds of `iterations` calls, in microseconds a call."""
    call()  # warm up: the first call opens files and builds caches
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(iterations):
            call()
        best = min(best, (time.perf_counter() - start) / iterations)
    return best * 1e6


def cpu(args):
    import psutil
    if args.procfs:
        psutil.PROCFS_PATH = args.procfs
    print("%.1f" % best_us(lambda: psutil.cpu_times(percpu=True), args.iterations))


def tree(args):
    """What corescope's TreeProber reads each tick: the root's descendants,
    and for each process its CPU times, memory, context switches and threads."""
    import psutil
    root = psutil.Process(args.pid)

    def probe():
        for p in [root] + root.children(recursive=True):
            with p.oneshot():
                p.cpu_times()
                p.memory_info()
                p.num_ctx_switches()
                p.threads()

    print("%.1f" % best_us(probe, args.iterations))


def threads(args):
    """A subject with args.threads threads: each computes a little and sleeps
    10 ms, like a server's pool, so it switches often but uses little CPU;
    with --idle they only wait, like an idle pool."""
    stop = threading.Event()

    def work():
        x = 1
        while not stop.is_set():
            if args.idle:
                stop.wait()
                break
            for _ in range(2000):
                x = (x * 1103515245 + 12345) & 0xFFFFFFFF
            stop.wait(0.01)

    pool = [threading.Thread(target=work, daemon=True) for _ in range(args.threads)]
    for t in pool:
        t.start()
    print("ready", flush=True)
    if args.seconds:
        time.sleep(args.seconds)
    else:
        sys.stdin.read()
    stop.set()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("cpu")
    p.add_argument("--procfs", help="a /proc to read instead of the real one")
    p.add_argument("--iterations", type=int, default=2000)
    p.set_defaults(run=cpu)
    p = sub.add_parser("tree")
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--iterations", type=int, default=200)
    p.set_defaults(run=tree)
    p = sub.add_parser("threads")
    p.add_argument("--threads", type=int, default=64)
    p.add_argument("--idle", action="store_true", help="the threads wait and never run")
    p.add_argument("--seconds", type=float)
    p.set_defaults(run=threads)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
