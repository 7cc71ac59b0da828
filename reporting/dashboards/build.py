"""A committee's dashboard for a year, assembled from the metric registry in a fixed number of queries.

Three calls to :func:`reporting.metrics.compute`: every card, structure and comparison figure for both years
grouped by child committee (the totals are the children's sums, as in the summary), the proposals by month,
and the ranking figures by branch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from committees.models import Branch, Committee, Level
from reporting.metrics import Ratio, Scope, compute, registry
from reporting.metrics.catalogue import YUAN, existing
from reporting.summary.models import ThemeYear
from reporting.templatetags.reporting_tags import num, pct, wan

from . import charts
from .layout import (
    BY_MONTH,
    CARD_GROUPS,
    COMPARE,
    COMPARE_TABLE,
    LEVELS,
    RANK_BY,
    RANKING_COLUMNS,
    RANKING_SIZE,
    STRUCTURE,
    CardGroup,
    card_codes,
    headline_codes,
)

Value = int | Decimal | None


def is_share(code: str) -> bool:
    return isinstance(registry[code], Ratio)


def is_money(code: str) -> bool:
    return registry[code].unit is YUAN


def unit_of(code: str) -> str:
    if is_share(code):
        return "%"
    return _("10k yuan") if is_money(code) else str(registry[code].unit)


def shown(code: str, value: Value) -> str:
    """A value as the page shows it: shares in percent, money in 万元, counts with separators."""
    if is_share(code):
        return pct(value)
    return wan(value) if is_money(code) else num(value)


def chart_value(code: str, value: Value) -> float | int | None:
    """A value as a chart plots it, in the unit of :func:`unit_of`."""
    if value is None:
        return None
    if is_share(code):
        return round(float(value) * 100, 1)
    if is_money(code):
        return round(float(value) / 10_000, 2)
    return int(value) if isinstance(value, int) or value == int(value) else float(value)


@dataclass
class Figure:
    code: str
    value: Value
    previous: Value = None
    target: Decimal | None = None

    @property
    def label(self) -> str | Promise:
        return registry[self.code].label

    @property
    def unit(self) -> str:
        return "" if is_share(self.code) else unit_of(self.code)

    @property
    def shown(self) -> str:
        return shown(self.code, self.value)

    @property
    def previous_shown(self) -> str:
        return shown(self.code, self.previous)

    @property
    def level_label(self) -> str:
        """For an outcome metric by level (``outcomes.adopted.provincial``): the level's name."""
        return str(Level(self.code.rsplit(".", 1)[1]).label)

    @property
    def change(self) -> Value:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def change_shown(self) -> str:
        change = self.change
        if change is None:
            return "–"
        if is_share(self.code):
            text = f"{(Decimal(change) * 100).quantize(Decimal('0.1'))}"
            text = pgettext("percentage points", "%(points)s pp") % {"points": text}
        else:
            text = shown(self.code, change)
        return text if change <= 0 else f"+{text}"

    @property
    def direction(self) -> str:
        change = self.change
        return "" if not change else ("up" if change > 0 else "down")

    @property
    def target_shown(self) -> str:
        return "" if self.target is None else shown(self.code, self.target)

    @property
    def target_met(self) -> bool | None:
        return None if self.target is None else Decimal(self.value or 0) >= self.target


@dataclass
class CardView:
    figure: Figure
    details: list[Figure] = field(default_factory=list)
    levels: list[Figure] = field(default_factory=list)  # the outcome levels reached, highest first


@dataclass
class ChildRow:
    label: str
    committee: Committee
    url: str | None  # the child's dashboard; None for the committee's own line
    values: list[Value]  # COMPARE_TABLE

    @property
    def cells(self) -> list[str]:
        return [shown(code, value) for code, value in zip(COMPARE_TABLE, self.values, strict=True)]


@dataclass
class RankedBranch:
    rank: int
    branch: Branch
    url: str
    codes: tuple[str, ...]  # the ranking's columns
    values: list[Value]
    key: Value

    @property
    def committee_name(self) -> str:
        return str(self.branch.committee.display_name)

    @property
    def cells(self) -> list[str]:
        return [shown(code, value) for code, value in zip(self.codes, self.values, strict=True)]


@dataclass
class Dashboard:
    committee: Committee
    year: int
    theme: ThemeYear | None
    groups: list[tuple[CardGroup, list[CardView]]]
    structure: list[tuple[str, str | Promise, dict[str, Any]]]  # (key, title, ECharts option)
    by_month: dict[str, Any]
    by_level: dict[str, Any] | None
    compare: str
    compare_chart: dict[str, Any] | None
    compare_data: dict[str, Any]
    children: list[ChildRow]
    rank_by: str
    order: str
    ranking: list[RankedBranch]
    ranked: int  # how many branches the ranking orders

    def figure(self, code: str) -> Figure:
        for _title, cards in self.groups:
            for card in cards:
                for figure in (card.figure, *card.details, *card.levels):
                    if figure.code == code:
                        return figure
        raise KeyError(code)

    @property
    def has_children(self) -> bool:
        return len(self.children) > 1


def additive_parts(code: str) -> tuple[str, ...]:
    metric = registry[code]
    return (metric.numerator, metric.denominator) if isinstance(metric, Ratio) else (code,)


def _parts(codes: list[str] | tuple[str, ...]) -> list[str]:
    return list(dict.fromkeys(part for code in codes for part in additive_parts(code)))


def _ratio(numerator: Value, denominator: Value) -> Decimal | None:
    return Decimal(numerator or 0) / Decimal(denominator) if denominator else None


class Values:
    """Figures of one scope from values grouped by key: ratios are their parts' quotient, never summed."""

    def __init__(self, grouped: dict[tuple[str, Scope], dict[Any, Any]]) -> None:
        self.grouped = grouped

    def total(self, code: str, scope: Scope) -> Value:
        metric = registry[code]
        if isinstance(metric, Ratio):
            return _ratio(self.total(metric.numerator, scope), self.total(metric.denominator, scope))
        return sum(self.grouped[(code, scope)].values()) or 0

    def at(self, code: str, scope: Scope, key: Any) -> Value:
        metric = registry[code]
        if isinstance(metric, Ratio):
            return _ratio(self.at(metric.numerator, scope, key), self.at(metric.denominator, scope, key))
        return self.grouped[(code, scope)].get(key, 0)  # type: ignore[no-any-return]


def build_dashboard(
    committee: Committee, year: int, *, compare: str = COMPARE[0], rank_by: str = RANK_BY[0], order: str = "desc"
) -> Dashboard:
    scope = Scope.year(committee, year)
    previous = scope.shifted(-1)
    cards = card_codes()
    structure_codes = [code for breakdown in STRUCTURE for code in breakdown.codes]
    this_year = _parts(cards + structure_codes + list(COMPARE) + list(COMPARE_TABLE))
    last_year = _parts(headline_codes())
    requests = [(code, scope) for code in this_year] + [(code, previous) for code in last_year]
    values = Values(compute(requests, group="child"))

    theme = ThemeYear.objects.filter(year=year).prefetch_related("targets").first()
    targets = {t.metric: t.value for t in theme.targets.all()} if theme else {}

    def figure(code: str, *, headline: bool = False) -> Figure:
        before = values.total(code, previous) if headline else None
        return Figure(code, values.total(code, scope), before, targets.get(code))

    groups: list[tuple[CardGroup, list[CardView]]] = []
    for group in CARD_GROUPS:
        views = []
        for card in group.cards:
            levels = [figure(f"{card.code}.{level}") for level in reversed(LEVELS)] if card.by_level else []
            views.append(
                CardView(
                    figure(card.code, headline=True), [figure(c) for c in card.details], [f for f in levels if f.value]
                )
            )
        groups.append((group, views))

    structure = []
    for breakdown in STRUCTURE:
        labels = [str(registry[code].label) for code in breakdown.codes]
        counts = [chart_value(code, values.total(code, scope)) for code in breakdown.codes]
        structure.append(
            (breakdown.key, breakdown.title, charts.breakdown(breakdown.kind, labels, counts, _("people")))
        )

    by_level = _by_level_chart(values, scope)

    # The child committees, and the committee's own work (members and branches directly under it) last.
    children_qs = Committee.objects.filter(path__startswith=committee.path, depth=committee.depth + 1)
    children = list(children_qs.order_by("path").only("code", "name", "short_name", "path", "depth"))
    own_label = _("%(committee)s (own)") % {"committee": committee.display_name}
    columns: list[tuple[str, Committee, str | None]] = [
        (c.display_name, c, reverse("dashboard", args=[c.code, year])) for c in children
    ]
    columns.append((own_label, committee, None))
    rows = [
        ChildRow(label, c, url, [values.at(code, scope, c.path) for code in COMPARE_TABLE]) for label, c, url in columns
    ]
    compare_data = {
        "categories": [label for label, _c, _u in columns],
        "urls": [url for _l, _c, url in columns],
        "metrics": {
            code: {
                "label": str(registry[code].label),
                "unit": unit_of(code),
                "whole": not is_share(code) and not is_money(code),
                "values": [chart_value(code, values.at(code, scope, c.path)) for _l, c, _u in columns],
            }
            for code in COMPARE
        },
    }
    compare_chart = charts.comparison(compare_data, compare) if len(columns) > 1 else None

    month_chart = _month_chart(scope)
    ranking, ranked = _ranking(committee, scope, year, rank_by, order)
    return Dashboard(
        committee=committee,
        year=year,
        theme=theme,
        groups=groups,
        structure=structure,
        by_month=month_chart,
        by_level=by_level,
        compare=compare,
        compare_chart=compare_chart,
        compare_data=compare_data,
        children=rows,
        rank_by=rank_by,
        order=order,
        ranking=ranking,
        ranked=ranked,
    )


def _by_level_chart(values: Values, scope: Scope) -> dict[str, Any] | None:
    """Adopted and endorsed pieces of work by the level they reached, levels with none left out."""
    series = {
        kind: [values.total(f"outcomes.{kind}.{level}", scope) or 0 for level in LEVELS]
        for kind in ("adopted", "endorsed")
    }
    shown_levels = [i for i, _level in enumerate(LEVELS) if series["adopted"][i] or series["endorsed"][i]]
    if not shown_levels:
        return None
    labels = [str(Level(LEVELS[i]).label) for i in shown_levels]
    return charts.levels(
        labels,
        [
            (str(registry[f"outcomes.{kind}"].label), [int(series[kind][i] or 0) for i in shown_levels])
            for kind in ("adopted", "endorsed")
        ],
    )


def _month_chart(scope: Scope) -> dict[str, Any]:
    by_month = compute([(code, scope) for code in BY_MONTH], group="month")
    series = []
    for code in BY_MONTH:
        months = [0] * 12
        for key, value in by_month[(code, scope)].items():
            month = key.month if isinstance(key, dt.date) else int(str(key)[5:7])
            months[month - 1] += int(value)
        series.append((str(registry[code].label), months))
    labels = [pgettext("month of the year", "M%(month)d") % {"month": m} for m in range(1, 13)]
    return charts.by_month(labels, series, _("items"))


def ranking_columns(rank_by: str) -> tuple[str, ...]:
    return RANKING_COLUMNS if rank_by in RANKING_COLUMNS else (*RANKING_COLUMNS, rank_by)


def _ranking(committee: Committee, scope: Scope, year: int, rank_by: str, order: str) -> tuple[list[RankedBranch], int]:
    """The branches of the subtree ordered by ``rank_by`` (ties by id): the first or the last RANKING_SIZE.

    Only ``rank_by`` is counted for every branch; the other columns only for the branches shown."""
    columns = ranking_columns(rank_by)
    ranked_by = _by_branch(compute([(code, scope) for code in _parts([rank_by])], group="branch"))
    # The branches existing in the year, and any other the figure counted something for (all of the subtree).
    with_figures = {branch for grouped in ranked_by.grouped.values() for branch in grouped}
    existing_pks = (
        Branch.objects.filter(committee__path__startswith=committee.path)
        .filter(existing(scope))
        .order_by()
        .values_list("pk", flat=True)
    )
    candidates = list(with_figures.union(existing_pks))

    def key(pk: int) -> tuple[Decimal, int]:
        value = ranked_by.at(rank_by, scope, pk)
        return (Decimal(-1) if value is None else Decimal(value), -pk)

    ordered = sorted(candidates, key=key, reverse=True)
    if order == "asc":
        chosen = list(enumerate(ordered, start=1))[-RANKING_SIZE:][::-1]
    else:
        chosen = list(enumerate(ordered, start=1))[:RANKING_SIZE]
    shown_pks = [pk for _rank, pk in chosen]
    others = [code for code in _parts(columns) if code not in _parts([rank_by])]
    values = _by_branch(compute([(code, scope) for code in others], group="branch", branches=shown_pks))
    values.grouped.update(ranked_by.grouped)
    branches = Branch.objects.select_related("committee").in_bulk(shown_pks)
    ranking = [
        RankedBranch(
            rank=rank,
            branch=branches[pk],
            url=reverse("dashboard-branch", args=[pk, year]),
            codes=columns,
            values=[values.at(code, scope, pk) for code in columns],
            key=values.at(rank_by, scope, pk),
        )
        for rank, pk in chosen
    ]
    return ranking, len(ordered)


def _by_branch(results: dict[tuple[str, Scope], dict[Any, Any]]) -> Values:
    """Values grouped by (committee, branch) summed per branch; the committee's own work (branch None) is not a
    branch's."""
    by_branch: dict[tuple[str, Scope], dict[Any, Any]] = {}
    for request, grouped in results.items():
        summed: dict[Any, Any] = {}
        for (_committee, branch), value in grouped.items():
            if branch is not None:
                summed[branch] = summed.get(branch, 0) + value
        by_branch[request] = summed
    return Values(by_branch)
