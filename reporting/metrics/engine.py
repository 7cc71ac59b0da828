"""The machinery behind every figure: sources, metrics, scopes, and the batched GROUP BY that computes them.

A *source* is a table and the paths from it to the committee tree, a branch, a member and a date. A
*metric* is a measure (count, distinct count, sum) over a source under a condition that may depend on
the scope (e.g. "active at the end of the period"). :func:`compute` answers many (metric, scope) requests
at once: requests on the same source and committee share one query with one conditional aggregate each,
so the number of queries depends on the sources involved, never on the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any, Literal

from django.db import models
from django.db.models import Count, F, IntegerField, Q, Sum, Value
from django.db.models.functions import ExtractYear, Substr, TruncMonth
from django.utils.functional import Promise

from committees.models import Committee

Group = Literal["branch", "member", "child", "year", "month"] | None
Number = int | Decimal


@dataclass(frozen=True)
class Scope:
    """A committee's whole subtree over a closed date range."""

    committee: Committee
    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, committee: Committee, year: int) -> Scope:
        return cls(committee, dt.date(year, 1, 1), dt.date(year, 12, 31))

    def shifted(self, years: int) -> Scope:
        return Scope(
            self.committee,
            self.start.replace(year=self.start.year + years),
            self.end.replace(year=self.end.year + years),
        )

    def __hash__(self) -> int:
        return hash((self.committee.pk, self.start, self.end))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scope) and (self.committee.pk, self.start, self.end) == (
            other.committee.pk,
            other.start,
            other.end,
        )


@dataclass(frozen=True)
class Source:
    """A table the figures are counted in, and how it reaches the tree, a branch, a member and time."""

    name: str
    model: type[models.Model]
    committee: str
    branch: str | None = None
    member: str | None = None
    date: str | None = None
    year: str | None = None
    related: tuple[str, ...] = ()  # what an evidence listing selects with each row

    def subtree(self, committee: Committee) -> Q:
        return Q(**{f"{self.committee}__path__startswith": committee.path})

    def in_period(self, scope: Scope) -> Q:
        if self.date:
            return Q(**{f"{self.date}__gte": scope.start, f"{self.date}__lte": scope.end})
        if self.year:
            return Q(**{f"{self.year}__gte": scope.start.year, f"{self.year}__lte": scope.end.year})
        raise ValueError(f"source {self.name} has no date")

    def group_keys(self, group: Group, scope: Scope) -> dict[str, Any]:
        """The GROUP BY expressions for ``group``. Grouping by branch keys each row by (committee id, branch id),
        so work a committee did itself (no branch) lands on that committee's own line."""
        if group == "branch":
            branch = F(self.branch) if self.branch else Value(None, IntegerField())
            return {"k_committee": F(self.committee), "k_branch": branch}
        if group == "member":
            return {"k_member": F(self._need(self.member, group))}
        if group == "child":
            length = scope.committee.steplen * (scope.committee.depth + 1)
            return {"k_child": Substr(f"{self.committee}__path", 1, length)}
        if group == "year":
            return {"k_year": ExtractYear(self.date) if self.date else F(self._need(self.year, group))}
        if group == "month":
            return {"k_month": TruncMonth(self._need(self.date, group))}
        raise ValueError(f"unknown grouping {group!r}")

    def _need(self, path: str | None, group: Group) -> str:
        if not path:
            raise ValueError(f"source {self.name} cannot be grouped by {group}")
        return path


Condition = Callable[[Scope], Q]


def always(scope: Scope) -> Q:
    return Q()


@dataclass(frozen=True)
class Metric:
    """One figure: a measure over a source under a condition. ``when`` receives the scope, so conditions
    like "active at the end of the period" or "submitted within it" are part of the definition.

    ``measure`` is ``"count"``, ``"distinct:<path>"``, ``"sum:<field>"`` or ``"weighted"`` (the sum of
    ``weight()``, an expression per row, e.g. a co-author's share of a joint piece of work). ``windowed`` says
    that ``when`` only admits rows dated inside the period, which lets a batch restrict its scan to the periods
    asked.
    """

    code: str
    label: str | Promise
    unit: str | Promise
    source: Source
    measure: str = "count"
    when: Condition = always
    definition: str | Promise = ""
    windowed: bool = False
    section: str = ""
    weight: Callable[[], Any] | None = None

    def aggregate(self, scope: Scope) -> Any:
        condition = self.when(scope)
        if self.measure == "count":
            return Count("pk", filter=condition)
        if self.measure == "weighted" and self.weight is not None:
            return Sum(self.weight(), filter=condition)
        kind, _, path = self.measure.partition(":")
        if kind == "distinct":
            return Count(path, filter=condition, distinct=True)
        if kind == "sum":
            return Sum(path, filter=condition)
        raise ValueError(f"{self.code}: unknown measure {self.measure!r}")

    def groups(self) -> set[str]:
        allowed = {"child", "branch"}
        if self.source.member:
            allowed.add("member")
        if self.source.date:
            allowed.update({"year", "month"})
        elif self.source.year:
            allowed.add("year")
        return allowed

    def evidence(self, scope: Scope) -> models.QuerySet[Any]:
        """The rows behind the figure for ``scope``."""
        rows = self.source.model._default_manager.filter(self.source.subtree(scope.committee), self.when(scope))
        return rows.select_related(*self.source.related)


@dataclass(frozen=True)
class Ratio:
    """A share: one metric divided by another, per group key. Not additive: it is never summed."""

    code: str
    label: str | Promise
    numerator: str
    denominator: str
    unit: str | Promise = "%"
    definition: str | Promise = ""
    section: str = ""


@dataclass(frozen=True)
class Total:
    """The sum of other metrics, per group key (e.g. person-times = roster + extra head count). Additive."""

    code: str
    label: str | Promise
    parts: tuple[str, ...]
    unit: str | Promise = ""
    definition: str | Promise = ""
    section: str = ""


AnyMetric = Metric | Ratio | Total


@dataclass
class Registry:
    metrics: dict[str, AnyMetric] = field(default_factory=dict)

    def add(self, *metrics: AnyMetric) -> None:
        for metric in metrics:
            if metric.code in self.metrics:
                raise ValueError(f"metric {metric.code} is defined twice")
            self.metrics[metric.code] = metric

    def __getitem__(self, code: str) -> AnyMetric:
        return self.metrics[code]

    def __iter__(self) -> Any:
        return iter(self.metrics.values())

    def __contains__(self, code: object) -> bool:
        return code in self.metrics


Request = tuple[str, Scope]
Result = dict[Request, dict[Any, Number]]


def compute(registry: Registry, requests: Iterable[Request], group: Group = None) -> Result:
    """Values of many (metric code, scope) requests, grouped or as totals (key ``None``).

    Requests on the same source and committee are answered by one query.
    """
    requests = list(dict.fromkeys(requests))
    plain: dict[tuple[Source, int, str], list[tuple[Metric, Scope]]] = defaultdict(list)
    for code, scope in _expand(registry, requests):
        metric = registry[code]
        assert isinstance(metric, Metric)
        plain[(metric.source, scope.committee.pk, scope.committee.path)].append((metric, scope))

    results: Result = {}
    subtrees = _subtree_ids({scope.committee for _code, scope in requests})
    for batch in plain.values():
        results.update(_run(batch[0][0].source, batch, group, subtrees[batch[0][1].committee.pk]))
    for code, scope in requests:
        metric = registry[code]
        if isinstance(metric, Ratio):
            results[(code, scope)] = _divide(results[(metric.numerator, scope)], results[(metric.denominator, scope)])
        elif isinstance(metric, Total):
            results[(code, scope)] = _add([results[(part, scope)] for part in metric.parts])
    return {request: results[request] for request in requests}


def _expand(registry: Registry, requests: Sequence[Request]) -> list[Request]:
    expanded: list[Request] = []
    for code, scope in requests:
        metric = registry[code]
        if isinstance(metric, Ratio):
            expanded += [(metric.numerator, scope), (metric.denominator, scope)]
        elif isinstance(metric, Total):
            expanded += [(part, scope) for part in metric.parts]
        else:
            expanded.append((code, scope))
    return list(dict.fromkeys(expanded))


def _subtree_ids(committees: Iterable[Committee]) -> dict[int, list[int] | None]:
    """The ids of each committee's subtree, from one query on the (small) committee table; ``None`` for a
    subtree that is the whole tree. Filtering a large table on ``committee_id IN (…)`` lets PostgreSQL use the
    committee indexes, where a join on ``path LIKE 'prefix%'`` makes it read the whole period first."""
    tree = list(Committee.objects.order_by().values_list("pk", "path"))
    out: dict[int, list[int] | None] = {}
    for committee in committees:
        ids = [pk for pk, path in tree if path.startswith(committee.path)]
        out[committee.pk] = None if len(ids) == len(tree) else ids
    return out


def _run(source: Source, batch: list[tuple[Metric, Scope]], group: Group, subtree: list[int] | None) -> Result:
    queryset = source.model._default_manager.order_by()
    if subtree is not None:
        queryset = queryset.filter(**{f"{source.committee}__in": subtree})
    if all(metric.windowed for metric, _ in batch):
        queryset = queryset.filter(reduce(or_, {source.in_period(scope) for _, scope in batch}))
    aliases = {f"m{i}": request for i, request in enumerate(batch)}
    aggregates = {alias: metric.aggregate(scope) for alias, (metric, scope) in aliases.items()}
    if group is None:
        row = queryset.aggregate(**aggregates)
        return {(metric.code, scope): {None: row[alias] or 0} for alias, (metric, scope) in aliases.items()}
    keys = source.group_keys(group, batch[0][1])
    rows = queryset.annotate(**keys).values(*keys).annotate(**aggregates)
    out: Result = {(metric.code, scope): {} for metric, scope in batch}
    for row in rows:
        key = tuple(row[k] for k in keys) if len(keys) > 1 else row[next(iter(keys))]
        for alias, (metric, scope) in aliases.items():
            if row[alias]:
                out[(metric.code, scope)][key] = row[alias]
    return out


def _add(values: list[dict[Any, Number]]) -> dict[Any, Number]:
    total: dict[Any, Number] = {}
    for part in values:
        for key, value in part.items():
            total[key] = total.get(key, 0) + value
    return total


def _divide(numerator: dict[Any, Number], denominator: dict[Any, Number]) -> dict[Any, Number]:
    return {key: Decimal(numerator.get(key, 0)) / Decimal(total) for key, total in denominator.items() if total}
