"""Threads computing in pure Python at once: CPython's GIL runs one at a time.
Usage: gil.py THREADS SECONDS."""
import sys
import threading

from spin import spin

threads, seconds = int(sys.argv[1]), float(sys.argv[2])
pool = [threading.Thread(target=spin, args=(seconds,)) for _ in range(threads)]
for t in pool:
    t.start()
for t in pool:
    t.join()
