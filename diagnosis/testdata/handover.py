"""A main thread computes, then starts one worker and joins it while the
worker computes: never two threads wanting a core at once.
Usage: handover.py SECONDS (each half)."""
import sys
import threading

from spin import spin

seconds = float(sys.argv[1])
spin(seconds)
worker = threading.Thread(target=spin, args=(seconds,))
worker.start()
worker.join()
