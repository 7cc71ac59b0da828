"""The records behind a figure: /evidence/<code>/<year>/<metric>/."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from committees.access import reportable_committees, visible_to

from . import Metric, Ratio, Scope, registry
from .engine import Total

PER_PAGE = 100


def _follow(obj: Any, path: str | None) -> Any:
    """The value at ``path`` (``a__b``) from ``obj``; None without a path (a source with no date)."""
    if not path:
        return None
    for attr in path.split("__"):
        if obj is None:
            break
        obj = getattr(obj, attr, None)
    return obj


@login_required
def evidence(request: HttpRequest, code: str, year: int, metric: str) -> HttpResponse:
    if metric not in registry or not 1945 <= year <= 2100:
        raise Http404
    committee = get_object_or_404(reportable_committees(request.user), code=code)
    scope = Scope.year(committee, year)
    figure = registry[metric]
    # A share or a total is explained by the records of its parts.
    parts = [figure.numerator] if isinstance(figure, Ratio) else list(figure.parts) if isinstance(figure, Total) else []
    shown = registry[parts[0]] if parts else figure
    if not isinstance(shown, Metric):
        raise Http404
    rows = visible_to(request.user, shown.evidence(scope)).order_by("-pk")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    source = shown.source
    records = [
        {
            "record": obj,
            "date": _follow(obj, source.date or source.year),
            "committee": _follow(obj, source.committee),
            "branch": _follow(obj, source.branch) if source.branch != "id" else None,
            "admin_url": _admin_url(obj),
        }
        for obj in page.object_list
    ]
    return render(
        request,
        "metrics/evidence.html",
        {
            "committee": committee,
            "year": year,
            "page_name": "summary",
            "figure": figure,
            "shown": shown,
            "parts": [registry[p] for p in parts],
            "page": page,
            "records": records,
        },
    )


def _admin_url(obj: Any) -> str:
    from django.urls import NoReverseMatch, reverse

    meta = obj._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""
