"""Figures kept counted per committee and calendar year, recounted for exactly the committees whose records
changed.

A *cell* is a metric's value over the rows of one branch of one committee in one calendar year (branch ``-1``:
the committee's own work, no branch), and its sum over the committee's branches (branch ``0``: the committee's
own rows, not its subtree). A committee's figures for a year are the sum of its subtree's committee cells, and
a branch's are its branch cells; both are exact because every metric kept here is additive: a row, and what a
distinct count counts (a member, a branch, a proposal), belongs to one committee and one branch, the ones the
source's paths lead to.

Cells are counted lazily: before answering, the committees of the scope whose *generations* moved since their
cells were counted (``committees.models.generations``: database triggers advance them, in the writing
transaction, per committee a write can touch and per table written) are recounted — source by source, only the
sources reading a table whose generation moved, with the same GROUP BYs the engine runs, restricted to those
committees — and their cells replaced. The generation is read before counting, so
a write committed meanwhile leaves the committee stale for the next request; recounts are serialised (an
advisory lock on PostgreSQL; SQLite has one writer) so two requests never interleave their cells.

Not kept (counted live by the engine): metrics whose condition depends on the scope's committee (``relative``,
e.g. training "sent higher"), weighted measures (floating-point shares, summed in the database), scopes that are
not one calendar year, and the groupings by member, month or year.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections import defaultdict
from collections.abc import Callable, Sized
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeGuard

from django.db import connection, transaction

from committees.models import Committee
from committees.models.generations import GENERATION_TABLE

from . import cache
from .engine import Group, Ids, Metric, Number, Registry, Request, Result, Scope, Source, Tree, _run, roll_up

# States carry a fingerprint of the definitions and of this file: a deployment changing either recounts.
DEFINITIONS = hashlib.sha256(cache.DEFINITIONS.encode() + Path(__file__).read_bytes()).hexdigest()[:16]
CELL_TABLE = "reporting_cell"
STATE_TABLE = "reporting_cellstate"
GROUPS = (None, "committee", "child", "branch")
TOTAL, OWN = 0, -1  # the branch column of a committee's total cell, and of its own work (no branch)
LOCK = 720_301  # the advisory lock serialising recounts on PostgreSQL
ANALYZE_AFTER = 100_000  # cells written by one recount after which their statistics are refreshed


def keeps(metric: object) -> TypeGuard[Metric]:
    """Whether ``metric`` can be kept in cells: a plain, additive measure independent of the scope's committee."""
    return isinstance(metric, Metric) and metric.measure != "weighted" and not metric.relative


def calendar_year(scope: Scope) -> int | None:
    start, end = scope.start, scope.end
    if start == dt.date(start.year, 1, 1) and end == dt.date(start.year, 12, 31):
        return start.year
    return None


class Cells:
    """The engine's store (``engine.Store``): answers the requests it can from the cells, recounting stale
    committees first."""

    def __init__(self, definitions: str = DEFINITIONS) -> None:
        self.definitions = definitions

    def answer(
        self, registry: Registry, requests: list[Request], group: Group, tree: Tree, branches: Ids = None
    ) -> Result:
        if group not in GROUPS or (branches is not None and group != "branch"):
            return {}
        wanted: dict[Scope, list[str]] = defaultdict(list)
        sources: set[Source] = set()
        for code, scope in requests:
            metric = registry[code]
            if keeps(metric) and calendar_year(scope) is not None:
                wanted[scope].append(code)
                sources.add(metric.source)
        if not wanted:
            return {}
        committees: dict[int, set[int]] = defaultdict(set)  # by year: the committee ids asked
        for scope in wanted:
            committees[scope.start.year].update(_ids(tree, scope.committee))
        self.refresh(registry, committees, tree, sources)
        out: Result = {}
        for scope, codes in wanted.items():
            read = _read(scope.start.year, codes, tree.subtree(scope.committee), group == "branch", branches)
            for code in codes:
                metric = registry[code]
                assert isinstance(metric, Metric)
                typed = _typer(metric)
                values = {key: typed(value) for key, value in read.get(code, {}).items()}
                if group is None:
                    out[(code, scope)] = {None: sum(values.values()) if values else 0}
                elif group == "child":
                    out.update(roll_up({(code, scope): values}, tree.paths, scope.committee))
                else:
                    out[(code, scope)] = values
        return out

    def refresh(
        self, registry: Registry, asked: dict[int, set[int]], tree: Tree, sources: set[Source] | None = None
    ) -> dict[int, list[int]]:
        """Recount the cells of the ``sources``' metrics (None: all) for the years and committees ``asked`` whose
        records changed since they were counted; return the committees recounted, by year. A source's stale
        committees of all years are recounted in one query (a scan of their rows serves every year)."""
        kept: dict[Source, list[Metric]] = defaultdict(list)
        for metric in registry:
            if keeps(metric) and (sources is None or metric.source in sources):
                kept[metric.source].append(metric)
        every = tree.ids
        union = set().union(*asked.values())
        filtered = None if union >= every else union
        generations = _generations(filtered)  # read before counting: a write committed meanwhile stays stale
        states = self._states(set(asked), filtered)
        recounted: dict[int, set[int]] = defaultdict(set)
        with_cells: list[tuple[Source, list[int], list[int], list[tuple[int, int, int, str, Number]]]] = []
        signatures: dict[tuple[Source, int], int] = {}
        for source, metrics in kept.items():
            for pk in union:
                # Generations only grow: their sum over the tables the source reads moves with any of them.
                signatures[(source, pk)] = sum(generations.get((pk, table), 0) for table in source.tables)
            stale = {
                year: [pk for pk in ids if states.get((year, pk, source.name)) != signatures[(source, pk)]]
                for year, ids in asked.items()
            }
            years = sorted(year for year, ids in stale.items() if ids)
            if not years:
                continue
            committees = sorted(set().union(*(stale[year] for year in years)))
            subtree = None if set(committees) >= every else tuple(committees)
            anchors = [Scope(Committee(pk=0, path="", depth=0), dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in years]
            batch = [(metric, anchor) for metric in metrics for anchor in anchors]
            cells: list[tuple[int, int, int, str, Number]] = []
            for (code, scope), values in _run(source, batch, "branch", subtree).items():
                totals: dict[int, Number] = defaultdict(int)
                for (pk, branch), value in values.items():
                    if value:
                        cells.append((scope.start.year, pk, OWN if branch is None else branch, code, value))
                        totals[pk] += value
                cells += [(scope.start.year, pk, TOTAL, code, value) for pk, value in totals.items()]
            with_cells.append((source, years, committees, cells))
            for year in years:
                recounted[year].update(committees)
        if with_cells:
            self._replace(kept, with_cells, signatures)
        return {year: sorted(pks) for year, pks in recounted.items()}

    def _states(self, years: set[int], ids: set[int] | None) -> dict[tuple[int, int, str], int]:
        sql = (
            f"SELECT year, committee_id, source, generation FROM {STATE_TABLE} WHERE definitions = %s "
            f"AND year IN ({_marks(years)})"
        )
        params: list[Any] = [self.definitions, *sorted(years)]
        if ids is not None:
            sql += f" AND committee_id IN ({_marks(ids)})"
            params += sorted(ids)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {(year, pk, source): generation for year, pk, source, generation in cursor.fetchall()}

    def _replace(
        self,
        kept: dict[Source, list[Metric]],
        counted: list[tuple[Source, list[int], list[int], list[tuple[int, int, int, str, Number]]]],
        signatures: dict[tuple[Source, int], int],
    ) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK])
            for source, years, committees, cells in counted:
                where = f"year IN ({_marks(years)}) AND committee_id IN ({_marks(committees)})"
                codes = [metric.code for metric in kept[source]]
                cursor.execute(
                    f"DELETE FROM {CELL_TABLE} WHERE {where} AND metric IN ({_marks(codes)})",
                    [*years, *committees, *codes],
                )
                cursor.execute(
                    f"DELETE FROM {STATE_TABLE} WHERE {where} AND source = %s", [*years, *committees, source.name]
                )
                _insert(cursor, CELL_TABLE, ("year", "committee_id", "branch_id", "metric", "value"), cells)
                states = [
                    (year, pk, source.name, signatures[(source, pk)], self.definitions)
                    for year in years
                    for pk in committees
                ]
                _insert(cursor, STATE_TABLE, ("year", "committee_id", "source", "generation", "definitions"), states)
            if connection.vendor == "postgresql" and sum(len(cells) for *_rest, cells in counted) > ANALYZE_AFTER:
                # The planner's statistics for a table that just changed wholesale, without waiting for autovacuum.
                cursor.execute(f"ANALYZE {CELL_TABLE}, {STATE_TABLE}")


def _insert(cursor: Any, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Write ``rows``: COPY on PostgreSQL (a national recount writes about a million cells), else multi-row
    INSERTs."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        data = io.StringIO("".join("\t".join(str(item) for item in row) + "\n" for row in rows))
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", data)
        return
    marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES " + ", ".join([marks] * len(chunk)),
            [item for row in chunk for item in row],
        )


def _marks(values: Sized) -> str:
    """``%s, %s, …``: one placeholder per value, for an ``IN (…)``."""
    return ", ".join(["%s"] * len(values))


def _ids(tree: Tree, committee: Committee) -> tuple[int, ...]:
    subtree = tree.subtree(committee)
    return subtree if subtree is not None else tuple(tree.ids)


def _generations(ids: set[int] | None) -> dict[tuple[int, str], int]:
    """The committees' generations by (committee id, table)."""
    sql = f'SELECT committee_id, "table", generation FROM {GENERATION_TABLE}'
    params: list[int] = []
    if ids is not None:
        sql += f" WHERE committee_id IN ({_marks(ids)})"
        params = sorted(ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(pk, table): generation for pk, table, generation in cursor.fetchall()}


def _read(year: int, codes: list[str], subtree: Ids, by_branch: bool, branches: Ids) -> dict[str, dict[Any, Decimal]]:
    """The cells of ``codes`` in ``year`` for the committees of ``subtree`` (None: all), by code and committee —
    or, ``by_branch``, by code and (committee, branch or None), only ``branches`` if given."""
    sql = (
        f"SELECT metric, committee_id, branch_id, value FROM {CELL_TABLE} WHERE year = %s "
        f"AND metric IN ({_marks(codes)})"
    )
    params: list[Any] = [year, *codes]
    if subtree is not None:
        sql += f" AND committee_id IN ({_marks(subtree)})"
        params += subtree
    if branches is not None:
        sql += f" AND branch_id IN ({_marks(branches)})" if branches else " AND 1 = 0"
        params += branches
    else:
        sql += " AND branch_id <> %s" if by_branch else " AND branch_id = %s"
        params.append(TOTAL)
    out: dict[str, dict[Any, Decimal]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for code, pk, branch, value in cursor.fetchall():
            out[code][(pk, None if branch == OWN else branch) if by_branch else pk] = value
    return out


def _typer(metric: Metric) -> Callable[[Any], Number]:
    """How a kept value of ``metric`` comes back as counting returns it: counts as int, sums in their field's
    type (decimals with the field's places). Worked out once per metric."""
    typer = _TYPERS.get(metric.code)
    if typer is None:
        kind, _, path = metric.measure.partition(":")
        places = getattr(metric.source.model._meta.get_field(path), "decimal_places", None) if kind == "sum" else None
        exponent = Decimal(1).scaleb(-places) if places is not None else None
        typer = int if exponent is None else (lambda value: Decimal(value).quantize(exponent))
        _TYPERS[metric.code] = typer
    return typer


_TYPERS: dict[str, Callable[[Any], Number]] = {}
