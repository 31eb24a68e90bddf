"""async: asyncio tasks on one event loop, one thread.

A task runs until it awaits its request, and is never pre-empted: every
request waits at once, but the computations run one after another on the
loop's thread, one core's worth of CPU at most.

    python3 async_tasks.py --workload io --tasks 40 --url http://127.0.0.1:PORT
"""

import asyncio
import urllib.parse

import workload


async def fetch(host, port, n):
    """One GET over asyncio streams: the loop runs other tasks meanwhile."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(b"GET /?task=%d HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % (n, host.encode()))
        await writer.drain()
        status = (await reader.readline()).split()
        length = 0
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        body = await reader.readexactly(length)
    finally:
        writer.close()
        await writer.wait_closed()
    if len(status) < 2 or status[1] != b"200":
        raise RuntimeError("task %d: the site answered %s" % (n, b" ".join(status[1:]).decode()))
    return workload.digest(body)


async def run(args):
    limit = asyncio.Semaphore(args.workers or args.tasks)
    u = urllib.parse.urlsplit(args.url) if args.url else None

    async def task(n):
        async with limit:
            workload.event("task-start", task=n, worker=0)
            d = await fetch(u.hostname, u.port, n) if u else 0
            result = workload.finish(n, d, args.iters)  # no await inside: nothing else runs meanwhile
            workload.event("task-end", task=n, worker=0)
            return result

    return sum(await asyncio.gather(*(task(n) for n in range(args.tasks))))


def main():
    args = workload.parse_args(__doc__.splitlines()[0])
    workload.stats(asyncio.run(run(args)), args.tasks)


if __name__ == "__main__":
    main()
