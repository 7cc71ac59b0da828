"""Every number the product shows comes from here: ``catalogue`` defines the metrics, ``engine`` computes them.

Outputs (summary, tables, scoring, dashboards) call :func:`compute` with metric codes and scopes and read
nothing else; a figure is found by its code in ``reporting/metrics/catalogue.py``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings

from .cache import cached
from .catalogue import registry
from .cells import Cells
from .engine import Group, Metric, Ratio, Request, Result, Scope, Source
from .engine import compute as _compute

__all__ = [
    "CELLS",
    "Group",
    "Metric",
    "Ratio",
    "Request",
    "Result",
    "Scope",
    "Source",
    "compute",
    "metric_labels",
    "registry",
]


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


def metric_labels() -> dict[str, str]:
    """How a user tells the metrics apart: the label, and where two share one ("提案" of proposals and of their
    authors) the table each counts, in brackets; never the code."""
    metrics = list(registry)
    shared = Counter(str(m.label) for m in metrics)

    def label(metric: Any) -> str:
        text = str(metric.label)
        source = getattr(metric, "source", None)
        if shared[text] > 1 and source is not None:
            return f"{text}（{source.model._meta.verbose_name}）"
        return text

    return {m.code: label(m) for m in metrics}
