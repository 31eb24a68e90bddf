"""What every corescope Python model shares: the tasks and the events.

A task of the cpu workload runs the CPU kernel, the same xorshift-multiply
chain as corescope's Go models (runners/kernel.go), in pure Python with 64-bit
masks, so a run's checksum equals the Go kernel's for the same seeds and
iterations. A task of the io workload makes one HTTP GET to the loopback site
corescope starts (--url); mixed does a request, then computes on the answer.

Each model script prints one JSON line per event on stdout, as the Go worker
does: task-start and task-end with the thread id and wall-clock nanoseconds,
then a stats line with the checksum. Standard library only, Python >= 3.8.
"""

import argparse
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

MASK = (1 << 64) - 1

# Kernel iterations of one cpu task at size 1: about 0.14 s of CPython 3.11 on
# the development machine, so 20 tasks take about 3 s one after another.
# corescope passes --iters itself; this default is for running a script by hand.
TASK_ITERS = 640_000


def splitmix(x):
    """SplitMix64's finaliser, a cheap bijective mix of x."""
    x = (x + 0x9E3779B97F4A7C15) & MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def task_seed(task):
    """The kernel's starting state for a task: distinct and never zero."""
    return splitmix(task + 1) | 1


def compute(seed, iters):
    """Runs iters steps of the kernel from seed. Each step needs the one
    before, so nothing can be skipped: pure CPU work, holding the GIL."""
    x = seed | 1
    for _ in range(iters):
        x ^= x >> 12
        x ^= (x << 25) & MASK
        x ^= x >> 27
        x = (x * 0x2545F4914F6CDD1D) & MASK
    return x


def digest(body):
    """The answer's FNV-1a hash plus its length, as the Go models take it."""
    h = 0xCBF29CE484222325
    for b in body:
        h = ((h ^ b) * 0x100000001B3) & MASK
    return (h + (len(body) << 32)) & MASK


def finish(task, digest_value, iters):
    """The task's result: the digest of its answer (0 without a request),
    plus the computation seeded by it."""
    if iters == 0:
        return digest_value
    return (digest_value + compute(task_seed(task) ^ digest_value, iters)) & MASK


class Site:
    """Requests to the loopback site over one kept-alive connection.
    Each thread (or process) needs its own: http.client is not thread-safe."""

    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port
        self.conn = None

    def fetch(self, task):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.conn.request("GET", "/?task=%d" % task)
        resp = self.conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            raise RuntimeError("task %d: the site answered %d %s" % (task, resp.status, resp.reason))
        return digest(body)


def event(ev, **fields):
    """Writes one event line in a single write(), so lines of several
    threads, and of several processes sharing the pipe, never interleave."""
    fields = dict(ev=ev, pid=os.getpid(), tid=threading.get_native_id(), t_ns=time.time_ns(), **fields)
    os.write(1, (json.dumps(fields, separators=(",", ":")) + "\n").encode())


def stats(checksum, tasks, **extra):
    """The last line of a run: its checksum, which every model must agree on."""
    event("stats", checksum="%016x" % (checksum & MASK), tasks=tasks, **extra)


def parse_args(description, extra=None):
    """Reads the flags every model takes; extra adds a model's own."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--workload", choices=["cpu", "io", "mixed"], default="cpu")
    p.add_argument("--tasks", type=int, default=20)
    p.add_argument("--workers", type=int, default=0, help="pool size; 0 = the model's default")
    p.add_argument("--iters", type=int, default=None,
                   help="kernel iterations per task (default: %d for cpu, half for mixed)" % TASK_ITERS)
    p.add_argument("--url", default="", help="the loopback site corescope starts, for io and mixed")
    if extra:
        extra(p)
    args = p.parse_args()
    if args.iters is None:
        args.iters = {"cpu": TASK_ITERS, "mixed": TASK_ITERS // 2}.get(args.workload, 0)
    if args.workload == "io":
        args.iters = 0
    if args.workload != "cpu" and not args.url:
        p.error("the %s workload needs --url: the site corescope starts (run it through corescope)" % args.workload)
    if args.tasks < 1:
        p.error("--tasks must be at least 1")
    return args


def run_task(site, task, iters, worker):
    """One whole task on the calling thread, between its two events."""
    event("task-start", task=task, worker=worker)
    d = site.fetch(task) if site else 0
    result = finish(task, d, iters)
    event("task-end", task=task, worker=worker)
    return result

