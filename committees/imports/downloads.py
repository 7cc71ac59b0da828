"""The workbooks the import pages hand out: an empty template per kind, and the roster as it stands (the
member template filled with the user's members, so that it can be edited and imported back).

Written through ``reporting.excel``, the one workbook toolkit. This is the only thing the records side takes
from ``reporting``: the toolkit knows nothing of reports (it depends on xlsxwriter alone), so the arrow
records → reports is kept for everything that counts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from committees.access import may_see_personal_data, visible_to
from committees.models import Committee, Member, Position
from reporting.excel import Column, OfficeWorkbook

from .columns import Field
from .members import FIELDS as MEMBER_FIELDS
from .members import POSITION_KINDS, roster_values
from .parsers import YES

EXCEL_KIND = {
    "text": "text",
    "id": "id",
    "date": "date",
    "int": "int",
    "choice": "text",
    "bool": "text",
    "names": "text",
}
YES_NO = ("是", "否")


def _fields(fields: Sequence[Field], user: Any) -> list[Field]:
    personal = may_see_personal_data(user)
    return [f for f in fields if personal or not f.personal]


def _columns(fields: Sequence[Field]) -> list[Column]:
    columns = []
    for f in fields:
        if f.choice is not None:
            choices = tuple(f.choice.labels())
        elif f.kind == "bool":
            choices = YES_NO
        else:
            choices = ()
        columns.append(Column(f.header(), kind=EXCEL_KIND[f.kind], width=f.width, choices=choices))  # type: ignore[arg-type]
    return columns


def _instructions(book: OfficeWorkbook, fields: Sequence[Field], title: str, unit: str, max_rows: int) -> None:
    def rows() -> Iterator[list[str]]:
        for f in fields:
            if f.choice is not None:
                values = "、".join(f.choice.labels())
            elif f.kind == "bool":
                values = "、".join(YES_NO)
            elif f.kind == "date":
                values = "1980-05-01、1980.5.1、1980.05、1980年5月、19800501"
            else:
                values = ""
            yield [str(f.label), _("yes") if f.required else "", str(f.help), values]

    book.add_table(
        sheet_name=_("Instructions"),
        title=_("How to fill in: %(title)s") % {"title": title},
        unit=unit,
        filled_on=dt.date.today(),
        columns=[
            Column(_("Column"), width=16),
            Column(_("Required"), width=8, align="center"),
            Column(_("What to enter"), width=72),
            Column(_("Values"), width=64),
        ],
        rows=rows(),
        totals_label=None,
        signatures=(),
        landscape=False,
        notes=[
            _("1. Fill in the first sheet from the row under the header; keep the header row as it is."),
            _("2. Columns marked * are required. Columns you do not need may be deleted."),
            _("3. A blank cell leaves the value on record alone; an import never erases. Clear values in data entry."),
            _("4. Importing the same file again changes nothing; an edited file updates the records it names."),
            _("5. Type values, not formulas: cells with formulas are reported and not imported."),
            _("6. At most %(rows)s rows per file. Hidden sheets are not read.") % {"rows": f"{max_rows:,}"},
        ],
    )


def write_template(
    book: OfficeWorkbook,
    *,
    fields: Sequence[Field],
    title: str,
    user: Any,
    unit: str,
    max_rows: int,
    rows: Iterator[Sequence[object]] | None = None,
) -> int:
    """The data sheet (header, optional rows, drop-down lists and text formats for ``max_rows`` more) and the
    instructions sheet. Returns the number of rows written."""
    shown = _fields(fields, user)
    written = book.add_table(
        sheet_name=title,
        title=title,
        unit=unit,
        filled_on=dt.date.today(),
        columns=_columns(shown),
        rows=rows or iter(()),
        totals_label=None,
        signatures=(),
        input_rows=max_rows,
        choice_message=_("Choose a value from the list."),
    )
    _instructions(book, shown, title, unit, max_rows)
    return written


def roster_queryset(user: Any, committee: Committee) -> QuerySet[Member]:
    current = Position.objects.filter(ended_on__isnull=True, kind__in=POSITION_KINDS).order_by("started_on", "pk")
    return (
        visible_to(user, Member)
        .filter(committee__path__startswith=committee.path)
        .select_related("committee", "branch")
        .prefetch_related(Prefetch("positions", queryset=current, to_attr="current_positions"))
        .order_by("committee__path", "branch__name", "name", "pk")
    )


def roster_rows(user: Any, members: QuerySet[Member]) -> Iterator[list[object]]:
    """Each member as the cells of the member template's columns (those the user may see)."""
    personal = may_see_personal_data(user)
    shown = _fields(MEMBER_FIELDS, user)
    for member in members.iterator(chunk_size=2000):
        positions: dict[str, list[Position]] = defaultdict(list)
        for position in getattr(member, "current_positions", []):
            positions[position.kind].append(position)
        values = roster_values(member, positions, personal=personal)
        yield [_cell(f, values.get(f.key)) for f in shown]


def _cell(f: Field, value: Any) -> object:
    if value in (None, ""):
        return None
    if f.choice is not None:
        return f.choice.label(value)
    if f.kind == "bool":
        return YES_NO[0] if value is True or value in YES else None
    return value
