"""A branch's own page: its row of the 支部履职情况统计表 this year against last year."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.text import format_lazy

from committees.models import Branch
from reporting.metrics import Scope, compute, registry
from reporting.tables.columns import BRANCH_COLUMNS, MetricColumn

from .build import shown, unit_of


@dataclass
class BranchFigure:
    column: MetricColumn
    value: Any
    previous: Any

    @property
    def code(self) -> str:
        return self.column.code

    @property
    def label(self) -> Any:
        if self.column.flag:  # a rule met or not: "三个“一”：提案"
            return format_lazy("{}：{}", self.column.group, self.column.header)
        return registry[self.code].label

    @property
    def unit(self) -> str:
        return unit_of(self.code)

    @property
    def flag(self) -> bool:
        return self.column.flag

    @property
    def shown(self) -> str:
        return shown(self.code, self.value)

    @property
    def previous_shown(self) -> str:
        return shown(self.code, self.previous)

    @property
    def change(self) -> Any:
        return Decimal(self.value or 0) - Decimal(self.previous or 0)


def branch_figures(branch: Branch, year: int) -> list[BranchFigure]:
    """The branch's figures, from the same metrics and grouping as the branch statistics table."""
    scope = Scope.year(branch.committee, year)
    previous = scope.shifted(-1)
    results = compute([(c.code, s) for c in BRANCH_COLUMNS for s in (scope, previous)], group="branch")

    def value(code: str, s: Scope) -> Any:
        return sum(v for (_committee, pk), v in results[(code, s)].items() if pk == branch.pk)

    return [BranchFigure(c, value(c.code, scope), value(c.code, previous)) for c in BRANCH_COLUMNS]
