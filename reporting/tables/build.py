"""The rows of the 支部履职情况统计表 and the 会员履职情况统计表, from the metric registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet

from committees.models import Branch, Committee, Member
from reporting.metrics import Scope, compute, registry
from reporting.metrics.catalogue import existing, on_roll
from reporting.metrics.engine import statements

from .columns import BRANCH_COLUMNS, MEMBER_COLUMNS, MetricColumn


def header(column: MetricColumn) -> str:
    return str(column.header or registry[column.code].label)


@dataclass
class BranchRow:
    committee: Committee
    branch: Branch | None  # None: work the committee did itself
    values: list[Any]


def branch_table(committee: Committee, year: int) -> tuple[list[BranchRow], list[Any]]:
    """One row per branch of the subtree (existing at the end of the year, or with figures), one per committee
    with figures of its own, and the totals; a fixed number of queries."""
    scope = Scope.year(committee, year)
    results = compute([(c.code, scope) for c in BRANCH_COLUMNS], group="branch")
    keys = {key for values in results.values() for key in values}
    committees = {c.pk: c for c in Committee.objects.filter(path__startswith=committee.path)}
    with_figures = {branch for _c, branch in keys if branch is not None}
    branches = (
        Branch.objects.filter(committee__path__startswith=committee.path)
        .filter(existing(scope) | Q(pk__in=with_figures))
        .order_by("committee__path", "name")
    )
    rows = []
    own = sorted({c for c, branch in keys if branch is None}, key=lambda pk: committees[pk].path)
    order = [(b.committee_id, b) for b in branches] + [(pk, None) for pk in own]
    order.sort(key=lambda item: (committees[item[0]].path, item[1] is None, item[1].name if item[1] else ""))
    by_column = [results[(c.code, scope)] for c in BRANCH_COLUMNS]
    for committee_id, branch in order:
        key = (committee_id, branch.pk if branch else None)
        rows.append(BranchRow(committees[committee_id], branch, [values.get(key, 0) for values in by_column]))
    totals = [sum(values.values()) for values in by_column]
    return rows, totals


@dataclass
class MemberRow:
    pk: int
    name: str
    gender: str
    birth_date: dt.date | None
    committee: str
    branch: str
    title_level: str
    id_number: str
    phone: str
    figures: list[Any]


@dataclass
class MemberTable:
    """The members on the roll at the end of the year, each with the figures of ``MEMBER_COLUMNS``, streamed by
    one query: the roster left-joined to the metrics' GROUP BY member, in roster order. Memory stays flat
    however many members the scope holds."""

    scope: Scope

    def members(self) -> QuerySet[Member]:
        return Member.objects.filter(self.scope.committee.subtree_q()).filter(on_roll()(self.scope))

    def count(self) -> int:
        return self.members().count()

    def rows(self, offset: int = 0, limit: int | None = None) -> Iterator[MemberRow]:
        listing = self.members().order_by().values(**ROSTER)
        listing_sql, listing_params = listing.query.sql_with_params()
        planned = statements(registry, [(c.code, self.scope) for c in MEMBER_COLUMNS], group="member")
        joins, columns, params = [], [], list(listing_params)
        position: dict[str, str] = {}
        for number, (statement, aliases) in enumerate(planned):
            joins.append(f"LEFT JOIN ({statement.sql}) g{number} ON g{number}.k_member = r.r_pk")
            params += statement.params
            for alias, (code, _scope) in aliases.items():
                columns.append(f"g{number}.{alias}")
                position[code] = f"g{number}.{alias}"
        figures = [columns.index(position[c.code]) for c in MEMBER_COLUMNS]
        sql = (
            f"SELECT r.r_pk, r.r_name, r.r_gender, r.r_birth_date, r.r_committee_name, r.r_committee_short, "
            f"r.r_branch, r.r_title_level, r.r_id_number, r.r_phone, {', '.join(columns)} "
            f"FROM ({listing_sql}) r {' '.join(joins)} "
            "ORDER BY r.r_committee_path, r.r_branch, r.r_name, r.r_pk"
        )
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        genders = {value: str(label) for value, label in Member._meta.get_field("gender").flatchoices}
        titles = {value: str(label) for value, label in Member._meta.get_field("title_level").flatchoices}
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while chunk := cursor.fetchmany(2000):
                for row in chunk:
                    birth = row[3]
                    if isinstance(birth, str):  # SQLite hands dates over as text
                        birth = dt.date.fromisoformat(birth)
                    yield MemberRow(
                        pk=row[0],
                        name=row[1],
                        gender=genders.get(row[2], row[2] or ""),
                        birth_date=birth,
                        committee=row[5] or row[4],
                        branch=row[6] or "",
                        title_level=titles.get(row[7], row[7] or ""),
                        id_number=row[8],
                        phone=row[9],
                        figures=[row[10 + index] or 0 for index in figures],
                    )


# The roster columns of the member table, under the names the query gives them.
ROSTER = {
    "r_pk": F("pk"),
    "r_name": F("name"),
    "r_gender": F("gender"),
    "r_birth_date": F("birth_date"),
    "r_committee_name": F("committee__name"),
    "r_committee_short": F("committee__short_name"),
    "r_committee_path": F("committee__path"),
    "r_branch": F("branch__name"),
    "r_title_level": F("title_level"),
    "r_id_number": F("id_number"),
    "r_phone": F("phone"),
}


def member_table(committee: Committee, year: int) -> MemberTable:
    return MemberTable(Scope.year(committee, year))
