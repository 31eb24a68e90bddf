"""processes: a pool of W worker processes (default: one per core).

Each process has its own interpreter and its own GIL, so computations run
in parallel on every core. The start method is explicit: "fork" copies the
parent (Linux's default before Python 3.14), "spawn" starts a fresh
interpreter that imports this file (the default on macOS and Windows).

    python3 processes.py --workload cpu --start-method spawn
"""

import concurrent.futures
import multiprocessing
import os
import sys

import workload

site = None
worker = 0
iters = 0


def start_worker(counter, url, task_iters):
    """Runs once in each worker process: its number, its own connection."""
    global site, worker, iters
    with counter.get_lock():
        worker = counter.value
        counter.value += 1
    site = workload.Site(url) if url else None
    iters = task_iters


def task(n):
    return workload.run_task(site, n, iters, worker)


def main():
    def flags(p):
        p.add_argument("--start-method", choices=multiprocessing.get_all_start_methods(),
                       default="spawn" if sys.platform in ("darwin", "win32") else "fork")
    args = workload.parse_args(__doc__.splitlines()[0], flags)
    ctx = multiprocessing.get_context(args.start_method)
    workers = args.workers or os.cpu_count() or 1
    counter = ctx.Value("i", 0)
    try:
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=ctx, initializer=start_worker,
                                                    initargs=(counter, args.url, args.iters)) as pool:
            total = sum(pool.map(task, range(args.tasks)))
    except concurrent.futures.process.BrokenProcessPool:
        sys.exit("processes: a worker process died before its task ended (killed, or out of memory)")
    workload.stats(total, args.tasks)


if __name__ == "__main__":
    main()
