"""The machinery behind every figure: sources, metrics, scopes, and the batched GROUP BY that computes them.

A *source* is a table and the paths from it to the committee tree, a branch, a member and a date. A
*metric* is a measure (count, distinct count, sum) over a source under a condition that may depend on
the scope (e.g. "active at the end of the period"). :func:`compute` answers many (metric, scope) requests
at once: requests on the same source and committee share one query with one conditional aggregate each,
so the number of queries depends on the sources involved, never on the number of rows.
"""

from __future__ import annotations

import datetime as dt
import functools
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any, Literal, Protocol

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import Count, F, IntegerField, Q, Sum, Value
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils.functional import Promise

from committees.models import Committee

Group = Literal["branch", "member", "child", "committee", "year", "month"] | None
Number = int | Decimal
Ids = tuple[int, ...] | None  # committee ids of a subtree; None: the whole tree


@dataclass(frozen=True)
class Scope:
    """A committee's whole subtree over a closed date range. Equal scopes are those of the same committee (by id)
    and dates; the key and its hash are worked out once (scopes key every result, thousands per page)."""

    committee: Committee
    start: dt.date
    end: dt.date
    _key: tuple[Any, ...] = field(init=False, repr=False, compare=False)
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        key = (self.committee.pk, self.start, self.end)
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "_hash", hash(key))

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
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scope) and self._key == other._key


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
    # The other tables its figures read (through its paths and its metrics' conditions), besides its own and the
    # committee tree: a write to one of them can change the figures (see ``cells``).
    reads: tuple[str, ...] = ()

    @property
    def tables(self) -> frozenset[str]:
        return frozenset({self.model._meta.db_table, Committee._meta.db_table, *self.reads})

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
        if group in ("child", "committee"):
            # Child committees are rolled up from committee ids (see _run): no join to the committee table.
            return {"k_committee": F(self.committee)}
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
    relative: bool = False  # ``when`` depends on the scope's committee, not only on its dates

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
        allowed = {"child", "committee", "branch"}
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


class Store(Protocol):
    """Somewhere figures are kept counted (``reporting.metrics.cells``): answers the plain-metric requests it
    holds, exactly as counting them would."""

    def answer(
        self, registry: Registry, requests: list[Request], group: Group, tree: Tree, branches: Ids = None
    ) -> Result: ...


def compute(
    registry: Registry,
    requests: Iterable[Request],
    group: Group = None,
    branches: Sequence[int] | None = None,
    store: Store | None = None,
) -> Result:
    """Values of many (metric code, scope) requests, grouped or as totals (key ``None``).

    Requests on the same source and committee are answered by one query. ``branches`` restricts the rows
    counted to those branches (e.g. the few a ranking shows); metrics of a source without a branch then count
    nothing. ``store`` answers what it keeps; the rest is counted.
    """
    requests = list(dict.fromkeys(requests))
    only = tuple(sorted(set(branches))) if branches is not None else None
    results: Result = {}
    with _cursor() as cursor:
        tree = Tree.load(cursor)
        plain = _expand(registry, requests)
        if store is not None:
            results.update(store.answer(registry, plain, group, tree, only))
            plain = [request for request in plain if request not in results]
        subtrees = {c.pk: tree.subtree(c) for c in {scope.committee for _code, scope in plain}}
        for batch in _batches(registry, plain).values():
            committee = batch[0][1].committee
            found = _run(batch[0][0].source, batch, group, subtrees[committee.pk], only, cursor)
            if group == "child":
                found = roll_up(found, tree.paths, committee)
            results.update(found)
    for code, scope in requests:
        metric = registry[code]
        if isinstance(metric, Ratio):
            results[(code, scope)] = _divide(results[(metric.numerator, scope)], results[(metric.denominator, scope)])
        elif isinstance(metric, Total):
            results[(code, scope)] = _add([results[(part, scope)] for part in metric.parts])
    return {request: results[request] for request in requests}


@contextmanager
def _cursor() -> Iterator[Any]:
    """One cursor for a whole computation: the tree, then each batch's query. Django's cursor wrapper costs some
    30 µs a query (as much as running a small subtree's query twice over), so the engine executes on the
    driver's cursor inside one ``wrap_database_errors`` — unless queries are being logged (DEBUG, tests counting
    queries, the benchmark recording what ran), when every query goes through Django's wrapper to be seen."""
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: every attribute of the proxy is a thread-local lookup
    db.validate_no_broken_transaction()
    with db.cursor() as wrapper:
        if db.queries_logged:
            yield wrapper
            return
        with db.wrap_database_errors:
            yield wrapper.cursor


Planned = list[tuple["Statement", dict[str, Request]]]
Batches = dict[tuple[Source, int, str], list[tuple[Metric, Scope]]]


def statements(registry: Registry, requests: Iterable[Request], group: Group) -> Planned:
    """The compiled GROUP BYs :func:`compute` would run for ``requests`` of plain metrics, each with the request
    behind each of its aggregate columns (``m0``, ``m1`` …) — for an output that joins them into a query of its
    own, such as the member table streaming one row per member."""
    requests = list(dict.fromkeys(requests))
    tree = Tree.load()
    subtrees = {committee.pk: tree.subtree(committee) for committee in {scope.committee for _code, scope in requests}}
    planned = []
    for batch in _batches(registry, _expand(registry, requests)).values():
        for part in _parts(batch):
            statement = _statement(part[0][0].source, part, group, subtrees[part[0][1].committee.pk])
            planned.append((statement, {f"m{i}": (metric.code, scope) for i, (metric, scope) in enumerate(part)}))
    return planned


def _batches(registry: Registry, requests: Sequence[Request]) -> Batches:
    """Plain-metric requests (expanded) by source and committee: each batch is answered by one query (two with
    distinct counts)."""
    batches: Batches = defaultdict(list)
    for code, scope in requests:
        metric = registry[code]
        assert isinstance(metric, Metric)
        batches[(metric.source, scope.committee.pk, scope.committee.path)].append((metric, scope))
    return batches


def _parts(batch: list[tuple[Metric, Scope]]) -> list[list[tuple[Metric, Scope]]]:
    """Distinct counts go in a query of their own: one DISTINCT aggregate makes PostgreSQL sort every row of
    the query by group, where plain counts and sums aggregate in a hash table."""
    distinct = [request for request in batch if request[0].measure.startswith("distinct:")]
    plain = [request for request in batch if not request[0].measure.startswith("distinct:")]
    return [part for part in (plain, distinct) if part]


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


class Tree:
    """The committee tree as (path, id) pairs in path order, read in one small query per computation. A subtree
    is a contiguous run of that order (every path in it starts with the root's path), found by bisection."""

    def __init__(self, rows: list[tuple[str, int]]) -> None:
        self.rows = rows
        self.keys = [path for path, _pk in rows]
        self.paths = {pk: path for path, pk in rows}
        self.ids = frozenset(self.paths)
        self._subtrees: dict[str, Ids] = {}

    @classmethod
    def load(cls, cursor: Any = None) -> Tree:
        """The tree as it is now. It comes as one text value, compared with the last one read: unchanged, the
        tree built from it then is reused (no rows to fetch, no lookups to build again)."""
        global _LAST_TREE
        if cursor is None:
            with connection.cursor() as own:
                return cls.load(own)
        cursor.execute(_tree_sql(connection.vendor))
        row = cursor.fetchone()
        text: str = row[0] if row and row[0] else ""
        if _LAST_TREE is not None and _LAST_TREE[0] == text:
            return _LAST_TREE[1]
        rows = [(path, int(pk)) for path, _space, pk in (item.partition(" ") for item in text.split(",") if item)]
        tree = cls(sorted(rows))  # sorted in Python: the database's collation need not be bytewise
        _LAST_TREE = (text, tree)
        return tree

    def subtree(self, committee: Committee) -> Ids:
        """The ids of ``committee``'s subtree; ``None`` for the whole tree. Filtering a large table on
        ``committee_id IN (…)`` lets PostgreSQL use the committee indexes, where a join on
        ``path LIKE 'prefix%'`` makes it read the whole period first."""
        path = committee.path
        if path in self._subtrees:
            return self._subtrees[path]
        start = bisect_left(self.keys, path)
        end = bisect_left(self.keys, path + "\uffff", lo=start)
        ids = None if end - start == len(self.rows) else tuple(pk for _path, pk in self.rows[start:end])
        self._subtrees[path] = ids
        return ids


_LAST_TREE: tuple[str, Tree] | None = None


@functools.cache
def _tree_sql(vendor: str) -> str:
    """Every committee as ``path id``, comma-separated, in one value (paths are letters and digits)."""
    table = connection.ops.quote_name(Committee._meta.db_table)
    aggregate = "string_agg" if vendor == "postgresql" else "group_concat"
    return f"SELECT {aggregate}(path || ' ' || id, ',') FROM {table}"


def roll_up(found: Result, tree: dict[int, str], committee: Committee) -> Result:
    """Values by committee id summed into the child committee of ``committee`` (path prefix) each committee
    lies under. Exact for distinct counts too: what a distinct measure counts (a member, a branch, a proposal)
    belongs to one committee, the one the source's committee path leads to."""
    length = committee.steplen * (committee.depth + 1)
    out: Result = {}
    for request, values in found.items():
        rolled: dict[Any, Number] = {}
        for committee_id, value in values.items():
            key = tree[committee_id][:length]
            rolled[key] = rolled.get(key, 0) + value
        out[request] = rolled
    return out


def _run(
    source: Source,
    batch: list[tuple[Metric, Scope]],
    group: Group,
    subtree: Ids,
    branches: Ids = None,
    cursor: Any = None,
) -> Result:
    """The values of a batch on one source: a query for its counts and sums, one for its distinct counts."""
    out: Result = {(metric.code, scope): {} for metric, scope in batch}
    nothing = branches is not None and not (branches and source.branch)  # no row can be in those branches
    for part in [] if nothing else _parts(batch):
        statement = _statement(source, part, group, subtree, branches)
        rows = statement.run(cursor)
        where = {column: position for position, column in enumerate(statement.columns)}
        keys = [where[key] for key in statement.keys]
        row_keys: list[Any]
        if len(keys) == 2:
            first, second = keys
            row_keys = [(row[first], row[second]) for row in rows]
        else:
            row_keys = [row[keys[0]] if keys else None for row in rows]
        # Column by column: each target dict looked up once, not once per row.
        for i, (metric, scope) in enumerate(part):
            position = where[f"m{i}"]
            target = out[(metric.code, scope)]
            for key, row in zip(row_keys, rows, strict=True):
                value = row[position]
                if value:
                    target[key] = value
    if group is None:
        for values in out.values():
            values.setdefault(None, 0)
    return out


@dataclass
class Statement:
    """A compiled GROUP BY: its SQL, its parameters and the converters Django would apply to its columns.
    Compiling the query costs more than running it on a small subtree, so it is kept per request shape; on
    PostgreSQL it is also kept with its parameters already quoted into it (``text``), as psycopg2 would quote
    them on every execution."""

    sql: str
    params: tuple[Any, ...]
    columns: list[str]
    converters: list[tuple[int, list[Any], Any]]
    keys: tuple[str, ...]
    text: str | None = None

    def run(self, cursor: Any = None) -> list[Sequence[Any]]:
        """The rows, as sequences in the order of ``columns``."""
        if cursor is None:
            with connection.cursor() as own:
                return self.run(own)
        if self.text is not None:
            cursor.execute(self.text)
        else:
            cursor.execute(self.sql, self.params)
        rows: list[Sequence[Any]] = cursor.fetchall()
        if self.converters:
            converted: list[Sequence[Any]] = []
            for row in rows:
                values = list(row)
                for position, functions, expression in self.converters:
                    for function in functions:
                        values[position] = function(values[position], expression, connection)
                converted.append(values)
            rows = converted
        return rows


_STATEMENTS: dict[tuple[Any, ...], Statement] = {}
_STATEMENTS_KEPT = 1024


def _statement(
    source: Source, batch: list[tuple[Metric, Scope]], group: Group, subtree: Ids, branches: Ids = None
) -> Statement:
    signature = (
        connection.vendor,
        source.name,
        group,
        tuple(
            (metric.code, scope.committee.pk, scope.committee.path, scope.start, scope.end) for metric, scope in batch
        ),
        subtree,
        branches,
    )
    found = _STATEMENTS.get(signature)
    if found is not None:
        return found
    queryset = source.model._default_manager.order_by()
    if subtree is not None:
        queryset = queryset.filter(**{f"{source.committee}__in": subtree})
    if branches is not None:
        queryset = queryset.filter(**{f"{source.branch}__in": branches})
    if all(metric.windowed for metric, _ in batch):
        queryset = queryset.filter(reduce(or_, {source.in_period(scope) for _, scope in batch}))
    conditions = [metric.when(scope) for metric, scope in batch]
    if all(conditions):  # (an empty Q admits every row)
        # Rows no metric counts are left out before aggregating: cheaper than testing each FILTER on them.
        queryset = queryset.filter(reduce(or_, conditions))
    aggregates = {f"m{i}": metric.aggregate(scope) for i, (metric, scope) in enumerate(batch)}
    # No grouping: a constant column and no GROUP BY, so the aggregates come back as one row.
    keys = source.group_keys(group, batch[0][1]) if group is not None else {"k_none": Value(0, IntegerField())}
    grouped = queryset.annotate(**keys).values(*keys).annotate(**aggregates)
    compiler = grouped.query.get_compiler(using=grouped.db)
    sql, params = compiler.as_sql()
    columns = [alias for _expression, _sql, alias in compiler.select[: compiler.col_count]]
    expressions = [selected[0] for selected in compiler.select[: compiler.col_count]]
    converters = [
        (position, functions, expression)
        for position, (functions, expression) in compiler.get_converters(expressions).items()
    ]
    # PostgreSQL's operations quote parameters the way psycopg2 does (``compose_sql``); SQLite binds them.
    text = connection.ops.compose_sql(sql, params) if connection.vendor == "postgresql" else None  # type: ignore[attr-defined]
    statement = Statement(sql, tuple(params), columns, converters, tuple(keys) if group is not None else (), text)
    if len(_STATEMENTS) >= _STATEMENTS_KEPT:
        _STATEMENTS.clear()
    _STATEMENTS[signature] = statement
    return statement


def _add(values: list[dict[Any, Number]]) -> dict[Any, Number]:
    total: dict[Any, Number] = {}
    for part in values:
        for key, value in part.items():
            total[key] = total.get(key, 0) + value
    return total


def _divide(numerator: dict[Any, Number], denominator: dict[Any, Number]) -> dict[Any, Number]:
    return {key: Decimal(numerator.get(key, 0)) / Decimal(total) for key, total in denominator.items() if total}
