"""Stopwatch helpers shared by the benchmark sections."""

from __future__ import annotations

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


def interleaved(first: Callable[[], object], second: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best of ``repeat`` for two actions run alternately, so a drift of the machine hits both alike."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        a.append(seconds(first))
        b.append(seconds(second))
    return min(a), min(b)


def max_rss_kib() -> int:
    """The process's peak resident set size so far, in KiB (Linux reports ``ru_maxrss`` in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")
