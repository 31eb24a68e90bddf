"""sequential: one thread, one task after another.

The baseline every speedup is measured against: one core's worth of CPU at
most, and for I/O the waits add up (tasks x latency).

    python3 sequential.py --workload cpu --tasks 20
"""

import workload


def main():
    args = workload.parse_args(__doc__.splitlines()[0])
    site = workload.Site(args.url) if args.url else None
    total = 0
    for task in range(args.tasks):
        total += workload.run_task(site, task, args.iters, 0)
    workload.stats(total, args.tasks)


if __name__ == "__main__":
    main()
