"""Benchmarks that print ratios against anchors measured in the same run (README: Benchmarks)."""
from __future__ import annotations

import statistics
import time


def timed(fn) -> tuple[object, float]:
    """fn()'s result and the seconds it took."""
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def median_time(fn, repeat: int = 3) -> float:
    """The median seconds of `repeat` calls of fn, after one call that warms caches up."""
    fn()
    return statistics.median(timed(fn)[1] for _ in range(repeat))
