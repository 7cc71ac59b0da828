"""The rows of the 支部履职情况统计表 and the 会员履职情况统计表, from the metric registry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from committees.models import Branch, Committee, Member
from reporting.metrics import Scope, compute, registry
from reporting.metrics.catalogue import existing, on_roll

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
    for committee_id, branch in order:
        key = (committee_id, branch.pk if branch else None)
        values = [results[(c.code, scope)].get(key, 0) for c in BRANCH_COLUMNS]
        rows.append(BranchRow(committees[committee_id], branch, values))
    totals = [sum(v for v in results[(c.code, scope)].values()) for c in BRANCH_COLUMNS]
    return rows, totals


@dataclass
class MemberTable:
    scope: Scope
    values: dict[str, dict[Any, Any]]

    def members(self) -> Any:
        return (
            Member.objects.filter(committee__path__startswith=self.scope.committee.path)
            .filter(on_roll()(self.scope))
            .select_related("committee", "branch")
            .order_by("committee__path", "branch__name", "name", "pk")
        )

    def figures(self, member: Member) -> list[Any]:
        return [self.values[c.code].get(member.pk, 0) for c in MEMBER_COLUMNS]

    def rows(self, members: Any) -> Iterator[tuple[Member, list[Any]]]:
        for member in members:
            yield member, self.figures(member)


def member_table(committee: Committee, year: int) -> MemberTable:
    scope = Scope.year(committee, year)
    results = compute([(c.code, scope) for c in MEMBER_COLUMNS], group="member")
    return MemberTable(scope, {code: values for (code, _s), values in results.items()})
