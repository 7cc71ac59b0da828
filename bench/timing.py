"""Stopwatch helpers shared by the benchmark sections."""

from __future__ import annotations

import gc
import resource
import statistics
import time
from collections.abc import Callable, Sequence


def seconds(action: Callable[[], object]) -> float:
    """Wall-clock seconds one call of ``action`` takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def best_of(action: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` calls, in seconds (the caller runs its own warm-up first)."""
    return min(seconds(action) for _ in range(repeat))


def interleaved_blocks(
    first: Callable[[], object], second: Callable[[], object], repeat: int, block_seconds: float = 0.01
) -> tuple[float, float]:
    """Seconds per call of two actions, as ``timeit`` measures: each block runs one action back to back for
    about ``block_seconds``, blocks alternate between the two actions ``repeat`` times, and the fastest block of
    each counts. A single call of a sub-millisecond query mostly measures the machine (waking the database
    backend, the scheduler): the same query timed alone against itself differs by up to 2× from one try to the
    next, where blocks of calls agree within a few percent."""
    single = min(seconds(first), seconds(second))
    calls = max(1, min(1000, int(block_seconds / single) if single > 0 else 1000))

    def block(action: Callable[[], object]) -> float:
        collecting = gc.isenabled()
        gc.disable()  # as timeit does: a collection of the whole process's objects is not the action's cost
        try:
            start = time.perf_counter()
            for _ in range(calls):
                action()
            return (time.perf_counter() - start) / calls
        finally:
            if collecting:
                gc.enable()

    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        a.append(block(first))
        b.append(block(second))
    return min(a), min(b)


def max_rss_kib() -> int:
    """The process's peak resident set size so far, in KiB (Linux reports ``ru_maxrss`` in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")
