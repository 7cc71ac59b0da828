"""The pages under /imports/: downloads read back, the upload round trip, access, constant query counts."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from committees import models as m
from committees.imports import services
from committees.imports.models import ImportBatch
from committees.privacy import mask_phone
from tests.factories import BranchFactory, MemberFactory

from .conftest import MEMBER_HEADERS, check, id_number, upload, workbook_bytes


def client_for(user: m.User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_the_member_template_has_instructions_drop_down_lists_and_text_id_cells(tree: Any, hlj_clerk: m.User) -> None:
    response = client_for(hlj_clerk).get("/imports/members/template.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(body(response)))
    data, instructions, lists = book.worksheets
    assert data.title == "会员花名册" and instructions.title == "填写说明"
    assert lists.sheet_state == "hidden"
    header = [c.value for c in data[3]]
    assert header[:3] == ["姓名*", "性别*", "出生日期"]
    assert data["A1"].value == "会员花名册" and "民进黑龙江省委会" in data["A2"].value
    # Personal columns are left out for a clerk who may not see personal data.
    assert "身份证号" not in header
    validations = {str(v.sqref).split(":")[0]: v.formula1 for v in data.data_validations.dataValidation}
    gender_column = openpyxl.utils.get_column_letter(header.index("性别*") + 1)
    reference = validations[f"{gender_column}4"]
    column = reference.split("!")[1].split(":")[0].replace("$", "")[0]
    assert [lists[f"{column}{row}"].value for row in (1, 2)] == ["男", "女"]
    rows = list(instructions.iter_rows(min_row=4, values_only=True))
    assert rows[0][:2] == ("姓名", "是")
    assert any(r[0] == "职称" and "副高级" in (r[3] or "") for r in rows)


def test_a_clerk_who_may_see_personal_data_gets_the_id_column_as_text(tree: Any, hlj_clerk: m.User) -> None:
    hlj_clerk.can_view_personal_data = True
    hlj_clerk.save()
    book = openpyxl.load_workbook(io.BytesIO(body(client_for(hlj_clerk).get("/imports/members/template.xlsx"))))
    header = [c.value for c in book.worksheets[0][3]]
    column = openpyxl.utils.get_column_letter(header.index("身份证号") + 1)
    assert book.worksheets[0].column_dimensions[column].number_format == "@"


@pytest.mark.parametrize("kind", ["proposals", "attendance"])
def test_every_kind_has_a_template(tree: Any, hlj_clerk: m.User, kind: str) -> None:
    response = client_for(hlj_clerk).get(f"/imports/{kind}/template.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(body(response)))
    assert len(book.worksheets) == 3
    header = [c.value for c in book.worksheets[0][3]]
    assert ("类别*" if kind == "proposals" else "培训班名称*") in header


def make_members(tree: Any, count: int) -> None:
    branch = BranchFactory(committee=tree.harbin, name="东北林业大学支部")
    for i in range(count):
        member = MemberFactory(
            branch=branch if i % 2 else tree.harbin_branch,
            name=f"会员{i:03d}",
            birth_date=dt.date(1970, 1, 1) + dt.timedelta(days=97 * i),
            id_number=id_number(birth=(dt.date(1970, 1, 1) + dt.timedelta(days=97 * i)).strftime("%Y%m%d"))
            if i % 3
            else "",
            phone=f"1380000{i:04d}",
        )
        if i % 4 == 0:
            m.Position.objects.create(member=member, kind="cppcc_member", level="city")
            m.Position.objects.create(member=member, kind="representative")


@pytest.mark.parametrize("personal", [True, False])
def test_the_roster_exported_and_imported_back_is_all_unchanged(tree: Any, hlj_clerk: m.User, personal: bool) -> None:
    hlj_clerk.can_view_personal_data = personal
    hlj_clerk.save()
    make_members(tree, 12)
    MemberFactory(branch=tree.guiyang_branch, name="贵州的人")
    client = client_for(hlj_clerk)
    exported = body(client.get("/imports/members/roster.xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(exported)).worksheets[0]
    names = [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert len(names) == 12 and "贵州的人" not in names
    assert m.ExportLog.objects.get(kind="imports.roster").rows == 12

    response = client.post("/imports/members/", {"file": upload(exported)})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert (batch.rows_total, batch.rows_unchanged) == (12, 12), list(batch.rows.values("number", "errors", "changes"))
    assert batch.unknown_columns == []


def test_upload_check_and_commit_through_the_pages(tree: Any, hlj_clerk: m.User) -> None:
    client = client_for(hlj_clerk)
    data = workbook_bytes(
        MEMBER_HEADERS, [["王小明", "男", "1980.5.1", "", "", "哈尔滨工程大学支部", "本科", "副高", ""]]
    )
    response = client.post("/imports/members/", {"file": upload(data)})
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/imports/batches/{batch.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "王小明" in page and "提交：新增1条，更新0条" in page
    assert m.Member.objects.count() == 0
    response = client.post(f"/imports/batches/{batch.pk}/commit/")
    assert response.status_code == 302
    assert m.Member.objects.get().name == "王小明"
    page = client.get(f"/imports/batches/{batch.pk}/").content.decode()
    assert "已提交：新增1条" in page and "撤销此次导入" in page
    confirm = client.post(f"/imports/batches/{batch.pk}/undo/")  # the batch page's button asks first
    assert confirm.status_code == 200 and "确定撤销" in confirm.content.decode()
    assert m.Member.objects.count() == 1
    client.post(f"/imports/batches/{batch.pk}/undo/", {"confirmed": "yes"})
    assert m.Member.objects.count() == 0
    assert "此次导入已撤销" in client.get(f"/imports/batches/{batch.pk}/").content.decode()


def test_a_bad_file_is_refused_on_the_upload_page(tree: Any, hlj_clerk: m.User) -> None:
    response = client_for(hlj_clerk).post("/imports/members/", {"file": upload(b"not a workbook", "名单.xlsx")})
    assert response.status_code == 200
    assert "这不是 Excel 工作簿" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_the_error_page_shows_row_column_value_and_message(tree: Any, hlj_clerk: m.User) -> None:
    data = workbook_bytes(
        MEMBER_HEADERS, [["王小明", "男", "1980.13", "", "", "哈尔滨工程大学支部", "本科", "副高", ""]]
    )
    batch = check(hlj_clerk, data)
    page = client_for(hlj_clerk).get(f"/imports/batches/{batch.pk}/").content.decode()
    assert 'data-row="3"' in page
    assert "出生日期" in page and "1980.13" in page and "不是有效日期" in page
    assert "1行有错误" in page and 'id="commit"' not in page


def test_other_committees_batches_answer_404_and_leaders_may_not_import(
    tree: Any, hlj_clerk: m.User, gz_clerk: m.User, gz_leader: m.User, outsider: m.User
) -> None:
    data = workbook_bytes(MEMBER_HEADERS, [["王小明", "男", "1980.5.1", "", "", "哈尔滨工程大学支部", "", "", ""]])
    batch = check(hlj_clerk, data)
    gz = client_for(gz_clerk)
    for path in (f"/imports/batches/{batch.pk}/",):
        assert gz.get(path).status_code == 404
    assert gz.post(f"/imports/batches/{batch.pk}/commit/").status_code == 404
    assert gz.post(f"/imports/batches/{batch.pk}/undo/").status_code == 404
    leader = client_for(gz_leader)
    assert leader.get("/imports/").status_code == 200
    assert leader.get("/imports/members/").status_code == 403
    assert leader.get("/imports/members/template.xlsx").status_code == 403
    assert client_for(outsider).get(f"/imports/batches/{batch.pk}/").status_code == 404
    assert client_for(hlj_clerk).get("/imports/nonsense/").status_code == 404
    assert Client().get("/imports/").status_code == 302
    assert batch.id in [b.id for b in ImportBatch.objects.all()]
    assert services.import_check  # the service stays the one entry point


def _queries(action: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def test_query_counts_do_not_grow_with_the_rows(tree: Any, hlj_clerk: m.User) -> None:
    hlj_clerk.can_view_personal_data = True
    hlj_clerk.save()
    client = client_for(hlj_clerk)
    counts: dict[str, list[int]] = {"roster": [], "check": [], "page": [], "commit": []}
    for size in (3, 30):
        m.Position.objects.all().delete()
        m.Member.objects.all().delete()
        m.Branch.objects.exclude(pk__in=[tree.harbin_branch.pk, tree.guiyang_branch.pk]).delete()
        make_members(tree, size)
        exported: dict[str, Any] = {}
        # The roster: session, user, home committee, members, their positions, the export log.
        counts["roster"].append(
            _queries(lambda out=exported: out.update(data=body(client.get("/imports/members/roster.xlsx"))))
        )
        m.Member.objects.all().delete()  # import the roster into an empty committee: every row is new
        m.Position.objects.all().delete()
        counts["check"].append(_queries(lambda out=exported: out.update(batch=check(hlj_clerk, out["data"]))))
        batch = exported["batch"]
        assert batch.rows_new == size
        counts["page"].append(_queries(lambda b=batch: client.get(f"/imports/batches/{b.pk}/")))
        counts["commit"].append(_queries(lambda b=batch: services.import_commit(user=hlj_clerk, batch=b)))
        assert m.Member.objects.count() == size
    for name, (small, large) in counts.items():
        assert small == large, f"{name}: {small} queries for 3 rows, {large} for 30"


def test_text_that_starts_with_an_equals_sign_goes_out_as_text_and_comes_back_unchanged(
    tree: Any, hlj_clerk: m.User
) -> None:
    """A name typed "=张三" or a unit "=SUM(A1)" is text: the roster writes it as a text cell (not a formula),
    and the reader tells formulas by the cell's type, so the roster imports back with nothing to change."""
    MemberFactory(branch=tree.harbin_branch, name="=张三", work_unit="=SUM(A1)")
    MemberFactory(branch=tree.harbin_branch, name="李红", work_unit="哈尔滨工程大学")
    client = client_for(hlj_clerk)
    exported = body(client.get("/imports/members/roster.xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(exported)).worksheets[0]
    cells = {cell.value: cell.data_type for row in sheet.iter_rows(min_row=4) for cell in row if cell.value}
    assert cells["=张三"] == "s" and cells["=SUM(A1)"] == "s"  # strings; a formula would read "f"

    response = client.post("/imports/members/", {"file": upload(exported)})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert (batch.rows_total, batch.rows_unchanged, batch.rows_error) == (2, 2, 0), list(
        batch.rows.values("number", "errors", "changes")
    )
    assert m.Member.objects.get(name="=张三").work_unit == "=SUM(A1)"


def test_a_real_formula_is_still_reported_even_when_its_text_looks_plain(tree: Any, hlj_clerk: m.User) -> None:
    """A formula cell is not trusted whatever it computes: =B3 in the name column is reported as a formula."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("花名册")
    sheet.write_row(0, 0, MEMBER_HEADERS)
    sheet.write_row(1, 0, ["", "男", "1980.5.1", "", "", "哈尔滨工程大学支部"])
    sheet.write_formula(1, 0, '="王"&"小明"', None, "王小明")
    sheet.write_string(2, 0, "=李红")
    sheet.write_row(2, 1, ["女", "1975.3.2", "", "", "哈尔滨工程大学支部"])
    book.close()
    response = client_for(hlj_clerk).post("/imports/members/", {"file": upload(buffer.getvalue())})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    formula, text = batch.rows.order_by("number")
    assert formula.action == "error" and "公式" in formula.errors[0]["message"]
    assert formula.errors[0]["value"] == '="王"&"小明"'
    assert text.action == "new" and text.values["name"] == "=李红"


@pytest.mark.parametrize("personal", [True, False])
def test_messages_that_repeat_a_personal_value_are_masked_like_the_value_column(
    tree: Any, hlj_clerk: m.User, personal: bool
) -> None:
    """“520102198505057770”：校验位不正确 showed the whole ID number to a clerk who may not see it."""
    hlj_clerk.can_view_personal_data = personal
    hlj_clerk.save()
    good = id_number(region="520102", birth="19850505", serial="777")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    rows = [
        ["王小明", "男", "1985.5.5", wrong, "", "哈尔滨工程大学支部", "", "", ""],
        ["李红", "女", "1975.3.2", "", "", "哈尔滨工程大学支部", "", "", "13812345678转"],
    ]
    client = client_for(hlj_clerk)
    response = client.post("/imports/members/", {"file": upload(workbook_bytes(MEMBER_HEADERS, rows))})
    page = client.get(response["Location"]).content.decode()
    batch = ImportBatch.objects.get()
    assert batch.rows_error == 2
    messages = [error["message"] for row in batch.rows.all() for error in row.errors]
    assert any(wrong in message for message in messages)  # stored whole, masked when shown
    if personal:
        assert f"“{wrong}”" in page and "“13812345678转”" in page
    else:
        assert wrong not in page and "13812345678" not in page
        masked = f"“{wrong[:6]}********{wrong[-4:]}”"
        assert page.count(masked) == 1  # in the message; the value column shows it masked, unquoted
        assert f"{wrong[:6]}********{wrong[-4:]}" in page.replace(masked, "")
        assert f"“{mask_phone('13812345678转')}”" in page


def test_undo_and_discard_are_posts_only(tree: Any, hlj_clerk: m.User) -> None:
    batch = check(
        hlj_clerk, workbook_bytes(MEMBER_HEADERS, [["王小明", "男", "1980.5.1", "", "", "哈尔滨工程大学支部"]])
    )
    client = client_for(hlj_clerk)
    assert client.get(f"/imports/batches/{batch.pk}/undo/").status_code == 405
    assert client.get(f"/imports/batches/{batch.pk}/discard/").status_code == 405


def test_a_checked_import_is_discarded_after_a_confirmation_and_nothing_else_is_written(
    tree: Any, hlj_clerk: m.User
) -> None:
    rows = [["王小明", "男", "1980.5.1", "", "", "哈尔滨工程大学支部"], ["李红", "女", "1980.13", "", "", ""]]
    batch = check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, rows))
    client = client_for(hlj_clerk)
    page = client.get(f"/imports/batches/{batch.pk}/").content.decode()
    assert f'action="/imports/batches/{batch.pk}/discard/"' in page and "放弃此次导入" in page

    confirm = client.post(f"/imports/batches/{batch.pk}/discard/")
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "确定放弃导入" in text and 'name="confirmed" value="yes"' in text
    assert ImportBatch.objects.get().state == "checked" and batch.rows.count() == 2

    history = m.Member.history.count()
    response = client.post(f"/imports/batches/{batch.pk}/discard/", {"confirmed": "yes"})
    assert response["Location"] == f"/imports/batches/{batch.pk}/"
    batch.refresh_from_db()
    assert (batch.state, batch.discarded_by, batch.rows_total) == ("discarded", hlj_clerk.username, 2)
    assert batch.discarded_at is not None and batch.rows.count() == 0
    assert m.Member.objects.count() == 0 and m.Member.history.count() == history
    page = client.get(f"/imports/batches/{batch.pk}/").content.decode()
    assert "已放弃" in page and 'id="discard"' not in page and 'id="commit"' not in page

    client.post(f"/imports/batches/{batch.pk}/discard/", {"confirmed": "yes"})  # twice: refused, said so
    assert "只有已检查、尚未提交的导入才能放弃" in client.get(f"/imports/batches/{batch.pk}/").content.decode()


def test_a_committed_import_cannot_be_discarded_and_a_leader_cannot_discard(
    tree: Any, hlj_clerk: m.User, gz_leader: m.User
) -> None:
    batch = check(
        hlj_clerk, workbook_bytes(MEMBER_HEADERS, [["王小明", "男", "1980.5.1", "", "", "哈尔滨工程大学支部"]])
    )
    services.import_commit(user=hlj_clerk, batch=batch)
    client = client_for(hlj_clerk)
    assert 'id="discard"' not in client.get(f"/imports/batches/{batch.pk}/").content.decode()
    client.post(f"/imports/batches/{batch.pk}/discard/", {"confirmed": "yes"})
    batch.refresh_from_db()
    assert batch.state == "committed" and m.Member.objects.count() == 1
    other = check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, [["李红", "女", "1980.5.1", "", "", "哈尔滨工程大学支部"]]))
    response = client_for(gz_leader).post(f"/imports/batches/{other.pk}/discard/", {"confirmed": "yes"})
    assert response.status_code in (403, 404)
    assert ImportBatch.objects.get(pk=other.pk).state == "checked"
