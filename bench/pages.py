"""Server time and query count of the summary page, rendered through Django's test client."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .timing import best_of, seconds


@dataclass
class PageTiming:
    name: str
    scope: str
    path: str
    server_ms: float  # cold: the figure cache emptied before each request
    warm_ms: float  # figures served from the cache (the records unchanged since the last request)
    queries: int
    counted_ms: float  # the extra request during which the queries were counted
    sql_ms: float  # time spent in SQL during the counted request, as Django's cursor wrapper measures it
    slowest_sql_ms: float
    slowest_sql: str
    bytes: int
    target_ms: float | None = None  # a page's own target; without one only the national page is checked (≤ 1 s)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def time_page(client: Any, name: str, scope: str, path: str, repeat: int) -> PageTiming:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get() -> Any:
        response = client.get(path, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
        return response

    from django.core.cache import cache

    def cold() -> Any:
        cache.clear()
        return get()

    first = cold()  # warm-up
    with CaptureQueriesContext(connection) as captured:
        counted = seconds(cold)
    queries = captured.captured_queries
    timings = [float(q["time"]) for q in queries]
    slowest = max(range(len(queries)), key=lambda i: timings[i]) if queries else None
    server = min(_timed_cold(cache, get) for _ in range(repeat))
    warm = best_of(get, repeat)
    return PageTiming(
        name=name,
        scope=scope,
        path=path,
        server_ms=server * 1000,
        warm_ms=warm * 1000,
        queries=len(queries),
        counted_ms=counted * 1000,
        sql_ms=sum(timings) * 1000,
        slowest_sql_ms=timings[slowest] * 1000 if slowest is not None else 0.0,
        slowest_sql=queries[slowest]["sql"] if slowest is not None else "",
        bytes=len(first.content),
    )


def _timed_cold(cache: Any, get: Any) -> float:
    cache.clear()
    return seconds(get)
