"""Server time and query count of a page (the summary, the dashboard), rendered through Django's test client.

Three ways: *cold*, the figure cache emptied before each request (the figure cells current: the records did not
change since they were counted); *after an edit*, a member of one city committee of the province edited before
each request (the cache is then stale and that committee's cells are recounted during the request, as the
first page view after a clerk saves a record); *warm*, figures served from the cache. For the nation, also a
*full recount*: every committee's cells thrown away first (as after a deployment that changes a metric).
"""

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
    edited_ms: float | None = None  # after an edit of one member in one city committee of the province
    recount_ms: float | None = None  # every committee's cells recounted (nation only)
    target_ms: float | None = None  # a page's own target; without one only the national page is checked (≤ 1 s)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def edit_one_member(committee: Any, serial: int) -> None:
    """Change one member's phone number in the first city committee under ``committee`` (a write like a clerk's:
    the records version and that city committee's generation move)."""
    from committees.models import Committee, Member

    city = Committee.objects.filter(path__startswith=committee.path, depth=committee.depth + 1).order_by("path")[0]
    member = Member.objects.filter(committee=city).order_by("pk")[serial % 10]
    Member.objects.filter(pk=member.pk).update(phone=f"139{serial:08d}")


def recount_everything() -> None:
    """Throw away the state of every figure cell, so the next request recounts all committees."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM reporting_cellstate")


def time_page(
    client: Any, name: str, scope: str, path: str, repeat: int, province: Any = None, recount: bool = False
) -> PageTiming:
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
    edited = None
    if province is not None:
        edits = []
        for serial in range(repeat):
            edit_one_member(province, serial)
            edits.append(seconds(get))
        edited = min(edits)
    recounted = None
    if recount:
        recount_everything()
        recounted = _timed_cold(cache, get)
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
        edited_ms=edited * 1000 if edited is not None else None,
        recount_ms=recounted * 1000 if recounted is not None else None,
    )


def _timed_cold(cache: Any, get: Any) -> float:
    cache.clear()
    return seconds(get)
