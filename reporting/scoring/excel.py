"""The scoring workbook: a 汇总 sheet ranking the branches, then one sheet per branch in the office layout."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from reporting.excel import Column, OfficeWorkbook

from .build import Ranking, Row, Scored
from .compute import SchemeDef, describe, plain


def _n(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _grade(scored: Scored) -> str:
    return _("%(grade)s (veto)") % {"grade": scored.grade} if scored.vetoed else scored.grade


def write_scoring_workbook(book: OfficeWorkbook, ranking: Ranking) -> None:
    scheme = ranking.scheme
    assert scheme is not None
    today = timezone.localdate()
    year = ranking.year
    points = _("Points by category")
    columns = [
        Column(_("Rank"), kind="int", width=6, align="center"),
        Column(_("Parent committee"), width=18),
        Column(_("Branch"), width=26),
        *[Column(f"{c.code} {c.name}", group=points, kind="number", width=10) for c in scheme.categories],
        Column(pgettext("score", "Total"), kind="number", width=9),
        Column(_("Grade"), width=10, align="center"),
        Column(_("State"), width=9, align="center"),
    ]

    def summary_rows() -> Iterator[list[object]]:
        for s in ranking.scored:
            yield [
                s.rank,
                s.committee.display_name,
                s.name,
                *[_n(s.categories.get(c.pk)) for c in scheme.categories],
                _n(s.total),
                _grade(s),
                s.state_display,
            ]

    book.add_table(
        sheet_name=pgettext("scoring workbook", "Summary"),
        title=_("%(year)s quantified branch scoring: summary") % {"year": year},
        unit=ranking.committee.name,
        filled_on=today,
        columns=columns,
        rows=summary_rows(),
        totals_label=None,
        signatures=(_("Prepared by"), _("Reviewed by")),
        notes=[_("Scheme: %(scheme)s") % {"scheme": scheme.scheme}],
    )
    layout = BranchLayout(scheme)
    for scored in ranking.scored:
        write_branch_sheet(book, layout, scored, year, today)


class BranchLayout:
    """What every branch's sheet of one workbook shares, worked out once: the columns, the category labels, the
    scoring standards and the labels of the ladder sub-rows."""

    def __init__(self, scheme: SchemeDef) -> None:
        self.scheme = scheme
        score = _("Score")
        self.columns = [
            Column(_("Category"), width=26, wrap=True),
            Column(_("Assessed content"), width=40, wrap=True),
            Column(_("Scoring standard"), width=60, wrap=True),
            Column(_("Quantity"), kind="number", width=9),
            Column(_("Self-assessed"), group=score, kind="number", width=10),
            Column(_("Reviewed"), group=score, kind="number", width=10),
            Column(_("Note"), width=22, wrap=True),
        ]
        self.categories: list[tuple[int, str]] = []
        for category in scheme.categories:
            label = f"{category.code} {category.name}"
            if category.cap is not None:
                label += _(" (at most %(cap)s)") % {"cap": plain(category.cap)}
            self.categories.append((category.pk, label))
        self.standards = {item.pk: describe(item, scheme, with_steps=False) for item in scheme.items}
        self.bonuses = {
            item.pk: [_("+%(bonus)s per record") % {"bonus": plain(step.bonus)} for step in scheme.steps(item)]
            for item in scheme.items
        }
        self.reached: dict[str, str] = {}  # level label -> sub-row label
        self.subtotal = _("Subtotal")
        self.total = pgettext("score", "Total")
        self.within = _("Within the caps of the categories and of the total")
        self.signatures = (_("Branch leader"), _("Reviewed by"), _("Approved by"))

    def reached_label(self, level: str) -> str:
        label = self.reached.get(level)
        if label is None:
            label = self.reached[level] = _("    of which reached: %(level)s") % {"level": level}
        return label


def write_branch_sheet(book: OfficeWorkbook, layout: BranchLayout, scored: Scored, year: int, today: object) -> None:
    def rows() -> Iterator[list[object]]:
        by_category: dict[int, list[Row]] = {}
        for row in scored.rows:
            by_category.setdefault(row.item.category_id, []).append(row)
        for category_id, label in layout.categories:
            for index, row in enumerate(by_category.get(category_id, [])):
                item_id = row.item.pk
                self_value = row.self_points if row.self_points is not None else row.points
                yield [
                    label if index == 0 else "",
                    row.item.name,
                    layout.standards[item_id],
                    _n(row.quantity),
                    _n(self_value),
                    _n(row.final),
                    row.note,
                ]
                for (level, count), bonus in zip(row.detail, layout.bonuses[item_id], strict=False):
                    yield ["", layout.reached_label(level), bonus, _n(count), None, None, ""]
            yield [
                "",
                layout.subtotal,
                "",
                None,
                _n(scored.self_categories.get(category_id)),
                _n(scored.categories.get(category_id)),
                "",
            ]
        yield [layout.total, "", layout.within, None, _n(scored.self_total), _n(scored.total), _grade(scored)]

    book.add_table(
        sheet_name=scored.name,
        title=_("%(year)s quantified work assessment of %(branch)s") % {"year": year, "branch": scored.name},
        unit=f"{scored.committee.display_name} {scored.name}",
        filled_on=today,  # type: ignore[arg-type]
        columns=layout.columns,
        rows=rows(),
        totals_label=None,
        signatures=layout.signatures,
        notes=[_("State: %(state)s. Grade: %(grade)s.") % {"state": scored.state_display, "grade": _grade(scored)}],
    )
