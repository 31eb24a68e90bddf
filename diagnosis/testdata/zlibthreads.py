"""Threads compressing with zlib, which releases the GIL while it works.
Usage: zlibthreads.py THREADS SECONDS."""
import os
import sys
import threading
import time
import zlib

threads, seconds = int(sys.argv[1]), float(sys.argv[2])
data = os.urandom(1 << 16) * 64  # 4 MiB, compressible: about 20 ms a call here


def compress():
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        zlib.compress(data, 6)


pool = [threading.Thread(target=compress) for _ in range(threads)]
for t in pool:
    t.start()
for t in pool:
    t.join()
