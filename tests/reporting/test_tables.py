"""支部履职情况统计表 and 会员履职情况统计表 on the demo data: the same figures as the summary, the user's
subtree only, personal data masked unless permitted."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client

from committees import models as m
from reporting.metrics import Scope, compute
from reporting.tables.columns import BRANCH_COLUMNS

pytestmark = pytest.mark.django_db


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(m.User.objects.get(username=username))
    return client


def workbook(response: object) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]


def test_the_branch_tables_totals_equal_the_summarys_figures(demo_data: None) -> None:
    client = client_for("hlj_clerk")
    response = client.get("/tables/branches/230000/2020/")
    assert response.status_code == 200
    totals = response.context["totals"]
    scope = Scope.year(m.Committee.objects.get(code="230000"), 2020)
    summary = compute([(c.code, scope) for c in BRANCH_COLUMNS])
    for column, total in zip(BRANCH_COLUMNS, totals, strict=True):
        assert total == summary[(column.code, scope)].get(None, 0), column.code
    rows = response.context["page"].paginator.object_list
    for i, column in enumerate(BRANCH_COLUMNS):
        assert sum(row.values[i] for row in rows) == totals[i], column.code


def test_the_branch_workbook_reads_back_with_its_totals(demo_data: None) -> None:
    response = client_for("hlj_clerk").get("/tables/branches/230000/2020/export.xlsx")
    assert response.status_code == 200
    sheet = workbook(response).worksheets[0]
    assert "支部履职情况统计表" in sheet["A1"].value
    assert "A1" in {str(r).split(":")[0] for r in sheet.merged_cells.ranges}
    cells = [row for row in sheet.iter_rows(values_only=True)]
    total_row = next(row for row in cells if row[0] == "合计")
    members_column = 3  # 序号, 委员会, 支部, then 在册
    scope = Scope.year(m.Committee.objects.get(code="230000"), 2020)
    assert total_row[members_column] == compute([("members.total", scope)])[("members.total", scope)][None]
    names = {row[2] for row in cells}
    assert "哈尔滨工程大学支部" in names and not any("贵阳" in str(n) for n in names)


def test_a_guizhou_user_gets_404_for_heilongjiangs_tables(demo_data: None) -> None:
    client = client_for("gz_clerk")
    for path in (
        "/tables/branches/230000/2020/",
        "/tables/branches/230000/2020/export.xlsx",
        "/tables/members/230000/2020/",
        "/tables/members/230000/2020/export.xlsx",
    ):
        assert client.get(path).status_code == 404, path


def member_rows(username: str) -> list[tuple[object, ...]]:
    response = client_for(username).get("/tables/members/230000/2020/export.xlsx")
    assert response.status_code == 200
    return list(workbook(response).worksheets[0].iter_rows(values_only=True))


def test_the_member_workbook_masks_personal_data_without_the_permission(demo_data: None) -> None:
    leader = m.User.objects.get(username="hlj_leader")
    assert not leader.can_view_personal_data
    rows = member_rows("hlj_leader")
    row = next(row for row in rows if row[1] == "张显友")
    member = m.Member.objects.get(name="张显友")
    assert member.phone not in row and member.id_number not in row
    assert any(str(cell).startswith(member.id_number[:6]) and "*" in str(cell) for cell in row)
    entry = m.ExportLog.objects.filter(username="hlj_leader", kind="tables.members").get()
    assert entry.personal_data is False and entry.rows == len([r for r in rows if isinstance(r[0], int)])


def test_the_member_workbook_shows_personal_data_with_the_permission(demo_data: None) -> None:
    rows = member_rows("hlj_clerk")
    member = m.Member.objects.get(name="张显友")
    row = next(row for row in rows if row[1] == "张显友")
    assert member.id_number in row and member.phone in row
    assert m.ExportLog.objects.filter(username="hlj_clerk", kind="tables.members").get().personal_data is True
    guizhou = set(m.Member.objects.filter(committee__code__startswith="52").values_list("id_number", flat=True))
    assert not guizhou & {str(cell) for row in rows for cell in row}


def test_the_member_table_streams_every_member_with_the_registrys_figures(demo_data: None) -> None:
    from reporting.tables.build import member_table
    from reporting.tables.columns import MEMBER_COLUMNS

    committee = m.Committee.objects.get(code="230000")
    table = member_table(committee, 2020)
    rows = list(table.rows())
    scope = table.scope
    on_roll = compute([("members.total", scope)])[("members.total", scope)][None]
    assert len(rows) == table.count() == on_roll
    by_member = compute([(c.code, scope) for c in MEMBER_COLUMNS], group="member")
    for row in rows:
        assert row.figures == [by_member[(c.code, scope)].get(row.pk, 0) for c in MEMBER_COLUMNS], row.name
    assert any(any(row.figures) for row in rows)
    assert [row.pk for row in table.rows(offset=5, limit=3)] == [row.pk for row in rows[5:8]]
    assert len({row.pk for row in rows}) == len(rows)
