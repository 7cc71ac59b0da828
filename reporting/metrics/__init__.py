"""Every number the product shows comes from here: ``catalogue`` defines the metrics, ``engine`` computes them.

Outputs (summary, tables, scoring, dashboards) call :func:`compute` with metric codes and scopes and read
nothing else; a figure is found by its code in ``reporting/metrics/catalogue.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings

from .cache import cached
from .catalogue import registry
from .cells import Cells
from .engine import Group, Metric, Ratio, Request, Result, Scope, Source
from .engine import compute as _compute

__all__ = ["CELLS", "Group", "Metric", "Ratio", "Request", "Result", "Scope", "Source", "compute", "registry"]


def compute(
    requests: Iterable[Request], group: Group = None, *, branches: Sequence[int] | None = None, fresh: bool = False
) -> Result:
    """Values of (metric code, scope) requests from the registry, grouped or as totals (key ``None``);
    ``branches`` counts only the rows of those branches.

    Figures of whole years by committee come from the cells kept counted per committee (see ``cells``), the
    rest is counted; results are kept under the version of the records (see ``cache``). ``fresh`` counts
    everything again, regardless of both."""
    only = tuple(sorted(set(branches))) if branches is not None else None
    if fresh:
        return _compute(registry, requests, group, only)
    store = CELLS if getattr(settings, "METRICS_CELLS", True) else None
    return cached(lambda requests, group: _compute(registry, requests, group, only, store), requests, group, only)


CELLS = Cells()
