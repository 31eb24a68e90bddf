"""A process pool computing: each worker its own interpreter and GIL.
Usage: pool.py WORKERS SECONDS (each worker computes for about SECONDS)."""
import multiprocessing
import sys

from spin import spin

if __name__ == "__main__":
    workers, seconds = int(sys.argv[1]), float(sys.argv[2])
    with multiprocessing.Pool(workers) as pool:
        pool.map(spin, [seconds / 4] * (4 * workers), chunksize=1)
