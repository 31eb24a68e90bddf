"""Three phases: one thread computes, then a pool of 2 processes computes,
then it sleeps. Usage: phased.py SECONDS (each phase)."""
import multiprocessing
import sys
import time

from spin import spin

if __name__ == "__main__":
    seconds = float(sys.argv[1])
    spin(seconds)
    with multiprocessing.Pool(2) as pool:
        pool.map(spin, [seconds] * 2, chunksize=1)
    time.sleep(seconds)
