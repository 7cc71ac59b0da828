"""Every number the product shows comes from here: ``catalogue`` defines the metrics, ``engine`` computes them.

Outputs (summary, tables, scoring, dashboards) call :func:`compute` with metric codes and scopes and read
nothing else; a figure is found by its code in ``reporting/metrics/catalogue.py``.
"""

from __future__ import annotations

from collections.abc import Iterable

from .cache import cached
from .catalogue import registry
from .engine import Group, Metric, Ratio, Request, Result, Scope, Source
from .engine import compute as _compute

__all__ = ["Group", "Metric", "Ratio", "Request", "Result", "Scope", "Source", "compute", "registry"]


def compute(requests: Iterable[Request], group: Group = None, *, fresh: bool = False) -> Result:
    """Values of (metric code, scope) requests from the registry, grouped or as totals (key ``None``).

    Results are kept under the version of the records (see ``cache``); ``fresh`` counts again regardless."""
    if fresh:
        return _compute(registry, requests, group)
    return cached(lambda requests, group: _compute(registry, requests, group), requests, group)
