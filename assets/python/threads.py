"""threads: a ThreadPoolExecutor of W threads (default 5).

Blocking I/O releases the GIL, so the requests overlap; Python code holds it,
so computations take turns, handed over every switch interval
(sys.setswitchinterval): one core's worth of CPU whatever W.

Each thread measures its GIL wait: during a computation, the wall time that
was not CPU time of the thread (time.thread_time_ns) is time it waited for
the interpreter lock.

    python3 threads.py --workload cpu --workers 4 --switch-interval 0.005
"""

import concurrent.futures
import itertools
import sys
import threading
import time

import workload

local = threading.local()
numbers = itertools.count()  # next() is atomic under the GIL
gil = {}  # native thread id -> [CPU ns, GIL wait ns] over its computations
gil_lock = threading.Lock()


def start_thread(url):
    local.worker = next(numbers)
    local.site = workload.Site(url) if url else None
    with gil_lock:
        gil[threading.get_native_id()] = local.figures = [0, 0]


def task(n, iters):
    workload.event("task-start", task=n, worker=local.worker)
    d = local.site.fetch(n) if local.site else 0  # the GIL is released while it waits
    wall, cpu = time.perf_counter_ns(), time.thread_time_ns()
    result = workload.finish(n, d, iters)
    cpu = time.thread_time_ns() - cpu
    wall = time.perf_counter_ns() - wall
    local.figures[0] += cpu
    local.figures[1] += max(wall - cpu, 0)
    workload.event("task-end", task=n, worker=local.worker)
    return result


def main():
    def flags(p):
        p.add_argument("--switch-interval", type=float, default=0.005,
                       help="seconds a thread may hold the GIL while another waits")
    args = workload.parse_args(__doc__.splitlines()[0], flags)
    sys.setswitchinterval(args.switch_interval)
    workers = args.workers or 5
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers, initializer=start_thread,
                                               initargs=(args.url,)) as pool:
        total = sum(pool.map(task, range(args.tasks), itertools.repeat(args.iters)))
    per_thread = [{"tid": tid, "hold_ns": f[0], "wait_ns": f[1]} for tid, f in sorted(gil.items())]
    workload.stats(total, args.tasks,
                   gil_hold_ns=sum(f["hold_ns"] for f in per_thread),
                   gil_wait_ns=sum(f["wait_ns"] for f in per_thread),
                   gil_threads=per_thread)


if __name__ == "__main__":
    main()
