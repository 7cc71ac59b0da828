"""支部履职情况统计表 and 会员履职情况统计表: pages and workbooks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from committees.access import may_see_personal_data
from committees.privacy import shown
from committees.services import export_log_create
from reporting.excel import Column, OfficeWorkbook, xlsx_response
from reporting.summary.views import readable_committee

from .build import branch_table, header, member_table
from .columns import BRANCH_COLUMNS, MEMBER_COLUMNS

PER_PAGE = 200


def _metric_columns(columns: Any) -> list[Column]:
    return [
        Column(header(c), group=str(c.group), kind="money" if c.money else "int", total=not c.flag) for c in columns
    ]


@login_required
def branches_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    committee = readable_committee(request, code, year)
    rows, totals = branch_table(committee, year)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "tables/branches.html",
        {
            "committee": committee,
            "year": year,
            "page_name": "tables-branches",
            "columns": [(c, header(c)) for c in BRANCH_COLUMNS],
            "page": page,
            "totals": totals,
        },
    )


@login_required
def branches_xlsx(request: HttpRequest, code: str, year: int) -> HttpResponseBase:
    committee = readable_committee(request, code, year)
    rows, _totals = branch_table(committee, year)
    columns = [Column(_("No."), kind="int", width=6), Column(_("Committee"), width=18), Column(_("Branch"), width=24)]
    columns += _metric_columns(BRANCH_COLUMNS)

    def cells() -> Any:
        for number, row in enumerate(rows, start=1):
            name = row.branch.name if row.branch else _("(the committee itself)")
            yield [number, row.committee.display_name, name, *row.values]

    def build(book: OfficeWorkbook) -> None:
        book.add_table(
            sheet_name=_("Branches"),
            title=_("%(year)s branch performance statistics") % {"year": year},
            unit=committee.name,
            filled_on=dt.date.today(),
            columns=columns,
            rows=cells(),
        )

    export_log_create(
        user=request.user, kind="tables.branches", committee=committee, year=year, rows=len(rows), path=request.path
    )
    return xlsx_response(_("%(year)s branch performance statistics.xlsx") % {"year": year}, build)


@login_required
def members_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    committee = readable_committee(request, code, year)
    table = member_table(committee, year)
    page: Page[Any] = Paginator(CountOnly(table.count()), PER_PAGE).get_page(  # type: ignore[arg-type]
        request.GET.get("page")
    )
    rows = [
        (row, shown(request.user, "phone", row.phone))
        for row in table.rows(offset=page.start_index() - 1 if page.paginator.count else 0, limit=PER_PAGE)
    ]
    return render(
        request,
        "tables/members.html",
        {
            "committee": committee,
            "year": year,
            "page_name": "tables-members",
            "columns": [(c, header(c)) for c in MEMBER_COLUMNS],
            "page": page,
            "rows": rows,
        },
    )


class CountOnly:
    """What the paginator needs of a listing whose rows are fetched separately: its length."""

    def __init__(self, count: int) -> None:
        self._count = count

    def count(self) -> int:
        return self._count

    def __getitem__(self, index: slice) -> list[Any]:
        return []


@login_required
def members_xlsx(request: HttpRequest, code: str, year: int) -> HttpResponseBase:
    committee = readable_committee(request, code, year)
    table = member_table(committee, year)
    user = request.user
    personal = _("Personal data")
    columns = [
        Column(_("No."), kind="int", width=7),
        Column(_("Name"), width=10),
        Column(_("Gender"), width=6),
        Column(_("Birth date"), kind="date"),
        Column(_("Committee"), width=16),
        Column(_("Branch"), width=22),
        Column(_("Title level"), width=10),
        Column(_("ID number"), group=personal, kind="id", width=21),
        Column(_("Phone"), group=personal, kind="id", width=14),
        *_metric_columns(MEMBER_COLUMNS),
    ]
    counted = {"rows": 0}
    unmasked = may_see_personal_data(user)

    def cells() -> Any:
        for number, row in enumerate(table.rows(), start=1):
            counted["rows"] = number
            yield [
                number,
                row.name,
                row.gender,
                row.birth_date,
                row.committee,
                row.branch,
                row.title_level,
                row.id_number if unmasked else shown(user, "id_number", row.id_number),
                row.phone if unmasked else shown(user, "phone", row.phone),
                *row.figures,
            ]

    def build(book: OfficeWorkbook) -> None:
        book.add_table(
            sheet_name=_("Members"),
            title=_("%(year)s member performance statistics") % {"year": year},
            unit=committee.name,
            filled_on=dt.date.today(),
            columns=columns,
            rows=cells(),
        )

    response = xlsx_response(_("%(year)s member performance statistics.xlsx") % {"year": year}, build)
    export_log_create(
        user=user,
        kind="tables.members",
        committee=committee,
        year=year,
        rows=counted["rows"],
        contains_personal_data=unmasked,
        path=request.path,
    )
    return response
