"""Each registry ``Metric`` through the engine, against the very SQL the engine sent, run through psycopg2 on the
same connection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from .timing import interleaved_blocks, seconds


@dataclass
class MetricTiming:
    code: str
    source: str
    scope: str  # "province" or "nation"
    engine_ms: float
    raw_ms: float
    queries: int
    sql: list[str]

    @property
    def ratio(self) -> float:
        return self.engine_ms / self.raw_ms if self.raw_ms > 0 else float("inf")

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": round(self.ratio, 3)}


def plain_metrics() -> list[Any]:
    """The registry's ``Metric`` entries (not ``Ratio`` nor ``Total``), in catalogue order."""
    from reporting.metrics import Metric, registry

    return [metric for metric in registry if isinstance(metric, Metric)]


def time_metric(code: str, source: str, scope: Any, label: str, raw: Any, repeat: int) -> MetricTiming:
    """Seconds per call of ``compute([(code, scope)])`` and of the SQL it executed, each timed in blocks of calls
    (after one warm-up), the best of ``repeat`` blocks."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting.metrics import compute

    requests = [(code, scope)]
    with CaptureQueriesContext(connection) as captured:
        # Warm-up; records the SQL text as sent to the server, parameters interpolated. ``fresh``: counted every
        # time, not served from the figure cache.
        compute(requests, fresh=True)
    statements = [query["sql"] for query in captured.captured_queries]

    def engine() -> None:
        compute(requests, fresh=True)

    with raw.cursor() as cursor:

        def plain() -> None:
            for statement in statements:
                cursor.execute(statement)
                cursor.fetchall()

        seconds(plain)  # warm-up
        engine_s, raw_s = interleaved_blocks(engine, plain, repeat)
    return MetricTiming(code, source, label, engine_s * 1000, raw_s * 1000, len(statements), statements)


def time_all(scopes: list[tuple[str, Any]], repeat: int, progress: Callable[[str], None]) -> list[MetricTiming]:
    from django.db import connection

    # The raw SQL runs on the application's own database connection, through its psycopg2 cursor: same server
    # backend, same session settings, so the ratio is the engine's own cost. (Timed against each other on the same
    # statements, two connections differed by 4-7%, and once by 1.76×.)
    connection.ensure_connection()
    raw = connection.connection
    timings: list[MetricTiming] = []
    metrics = plain_metrics()
    for label, scope in scopes:
        for index, metric in enumerate(metrics, start=1):
            timing = time_metric(metric.code, metric.source.name, scope, label, raw, repeat)
            timings.append(timing)
            if index % 20 == 0 or index == len(metrics):
                progress(f"  metrics, {label}: {index}/{len(metrics)}")
    return timings
