"""Pure-Python work for the other scripts: spin until a deadline."""
import time


def spin(seconds):
    """Compute in Python, holding the GIL, for about seconds of wall time."""
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        for i in range(2000):
            n += i * i
    return n
