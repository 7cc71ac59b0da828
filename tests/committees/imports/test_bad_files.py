"""Bad files, each made by hand: refused with a clear Chinese message, and nothing written."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import msoffcrypto
import pytest
from django.test import override_settings

from committees import models as m
from committees.imports.models import ImportBatch, ImportRow
from committees.imports.reader import FileRefused

from .conftest import MEMBER_HEADERS, check, workbook_bytes

GOOD_ROW = ["王小明", "男", "1980.5", "", "", "哈尔滨工程大学支部", "本科", "副高", ""]


def nothing_written() -> None:
    assert m.Member.objects.count() == 0
    assert m.Member.history.count() == 0
    assert ImportBatch.objects.count() == 0
    assert ImportRow.objects.count() == 0


def refused(user: Any, data: bytes) -> str:
    with pytest.raises(FileRefused) as refusal:
        check(user, data)
    nothing_written()
    return refusal.value.message


def test_a_text_file_named_xlsx_is_refused(hlj_clerk: m.User) -> None:
    message = refused(hlj_clerk, "姓名,性别\n王小明,男\n".encode())
    assert "不是 Excel 工作簿" in message


def test_an_empty_file_is_refused(hlj_clerk: m.User) -> None:
    assert "空" in refused(hlj_clerk, b"")


def test_a_truncated_zip_is_refused_as_damaged(hlj_clerk: m.User) -> None:
    data = workbook_bytes(MEMBER_HEADERS, [GOOD_ROW])
    assert "损坏" in refused(hlj_clerk, data[: len(data) // 2])


def test_a_zip_with_a_corrupt_sheet_is_refused_as_damaged(hlj_clerk: m.User) -> None:
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes(MEMBER_HEADERS, [GOOD_ROW])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = content[: len(content) // 2]  # cut off mid-XML
            target.writestr(item, content)
    assert "损坏" in refused(hlj_clerk, buffer.getvalue())


def test_a_zip_that_is_no_workbook_is_refused(hlj_clerk: m.User) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        target.writestr("word/document.xml", "<document/>")
    assert "不是 Excel 工作簿" in refused(hlj_clerk, buffer.getvalue())


def test_a_zip_bomb_is_refused(hlj_clerk: m.User) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as target:
        target.writestr("xl/workbook.xml", "<workbook/>")
        target.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 2**20))
    assert len(buffer.getvalue()) < 1 * 2**20
    with override_settings(IMPORTS_MAX_BYTES=1 * 2**20):
        assert "异常" in refused(hlj_clerk, buffer.getvalue())


def test_a_password_protected_workbook_is_refused(hlj_clerk: m.User) -> None:
    plain = io.BytesIO(workbook_bytes(MEMBER_HEADERS, [GOOD_ROW]))
    encrypted = io.BytesIO()
    msoffcrypto.OfficeFile(plain).encrypt("secret-2020", encrypted)
    assert "密码" in refused(hlj_clerk, encrypted.getvalue())


def test_an_old_xls_file_is_refused(hlj_clerk: m.User) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Workbook".encode("utf-16-le") + bytes(1024)
    assert ".xls" in refused(hlj_clerk, ole)


@override_settings(IMPORTS_MAX_BYTES=4096)
def test_a_file_over_the_size_limit_is_refused(hlj_clerk: m.User) -> None:
    data = workbook_bytes(MEMBER_HEADERS, [GOOD_ROW] * 50)
    assert len(data) > 4096
    message = refused(hlj_clerk, data)
    assert "MB" in message and "拆分" in message


@override_settings(IMPORTS_MAX_ROWS=3)
def test_a_sheet_over_the_row_limit_is_refused_after_reading_nothing_into_the_records(
    hlj_clerk: m.User,
) -> None:
    rows = [[f"会员{i}", "男", "1980.5", "", "", "哈尔滨工程大学支部", "", "", ""] for i in range(4)]
    assert "3" in refused(hlj_clerk, workbook_bytes(MEMBER_HEADERS, rows))
    with override_settings(IMPORTS_MAX_ROWS=4):
        assert check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, rows)).rows_total == 4


def test_missing_required_columns_are_refused_before_any_row_is_read(hlj_clerk: m.User) -> None:
    headers = [h for h in MEMBER_HEADERS if h != "性别"]
    message = refused(hlj_clerk, workbook_bytes(headers, [GOOD_ROW[:1] + GOOD_ROW[2:]]))
    assert "性别" in message and "缺少" in message


def test_a_header_with_no_rows_under_it_is_refused(hlj_clerk: m.User) -> None:
    assert "没有数据" in refused(hlj_clerk, workbook_bytes(MEMBER_HEADERS, []))


def test_hidden_sheets_are_not_read(tree: Any, hlj_clerk: m.User) -> None:
    def hide_a_copy(book: Any) -> None:
        hidden = book.create_sheet("隐藏", 0)
        hidden.append(MEMBER_HEADERS)
        hidden.append(["藏起来的人", "女", "1970.1.1", "", "", "哈尔滨工程大学支部", "", "", ""])
        hidden.sheet_state = "hidden"

    batch = check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, [GOOD_ROW], build=hide_a_copy))
    assert batch.sheet_name == "花名册"
    assert list(batch.rows.values_list("label", flat=True)) == ["王小明"]


def test_a_table_only_on_a_hidden_sheet_is_refused(tree: Any, hlj_clerk: m.User) -> None:
    def only_hidden(book: Any) -> None:
        book.active.sheet_state = "hidden"
        book.create_sheet("说明").append(["请填写第一张表"])

    message = refused(hlj_clerk, workbook_bytes(MEMBER_HEADERS, [GOOD_ROW], build=only_hidden))
    assert "隐藏" in message


def test_formula_cells_are_reported_and_block_the_commit(tree: Any, hlj_clerk: m.User) -> None:
    row = ["王小明", "男", "=DATE(1980,5,1)", "", "", "哈尔滨工程大学支部", "本科", "副高", ""]
    batch = check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, [row, ["李红", *GOOD_ROW[1:]]]))
    error = batch.rows.get(number=3)
    assert error.action == "error"
    assert error.errors[0]["column"] == "birth_date"
    assert error.errors[0]["value"] == "=DATE(1980,5,1)"
    assert "公式" in error.errors[0]["message"]
    assert batch.rows_error == 1 and not batch.may_commit
    assert m.Member.objects.count() == 0
