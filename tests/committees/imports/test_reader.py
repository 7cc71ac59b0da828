"""Reading the workbook: the shared-string table as openpyxl reads it, and a workbook's cells through it."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl.reader.strings import read_string_table

from committees import models as m
from committees.imports.models import ImportBatch
from committees.imports.reader import FileRefused, SharedStrings, read_shared_strings

from .conftest import MEMBER_HEADERS, check, id_number

WANG_ID = id_number(birth="19800501", serial="135")

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
TABLE = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst {NS} count="8" uniqueCount="8">
<si><t>王小明</t></si>
<si><t xml:space="preserve">  李\u3000红 </t></si>
<si><t/></si>
<si><r><rPr><b/></rPr><t>哈尔滨</t></r><r><t xml:space="preserve">工程大学 </t></r><r><t/></r></si>
<si><t>赵</t><rPh sb="0" eb="1"><t>ザオ</t></rPh><phoneticPr fontId="1"/></si>
<si><t>a_x005F_x000D_b</t></si>
<si><t>1980.5.1</t></si>
<si><r><t>支部</t></r><rPh sb="0" eb="1"><t>シブ</t></rPh></si>
</sst>""".encode()


def test_the_shared_strings_are_the_ones_openpyxl_reads() -> None:
    ours = read_shared_strings(io.BytesIO(TABLE))
    assert list(ours) == read_string_table(io.BytesIO(TABLE))
    assert ours[3] == "哈尔滨工程大学 " and ours[4] == "赵" and ours[7] == "支部"


def test_a_long_table_is_held_compactly_and_read_back_whole() -> None:
    texts = [f"会员{i:05d}" if i % 3 else f"{i}" * (i % 7) for i in range(SharedStrings.BLOCK * 2 + 5)]
    table = SharedStrings(texts)
    assert len(table) == len(texts) and list(table) == texts
    assert (table[SharedStrings.BLOCK], table[-1], table[2:4]) == (texts[SharedStrings.BLOCK], texts[-1], texts[2:4])
    with pytest.raises(IndexError):
        table[len(texts)]


def excel_bytes(rows: list[list[object]]) -> bytes:
    """A roster as Excel saves it: text in the shared-string table, one name in two formatted runs."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("花名册")
    sheet.write_row(0, 0, MEMBER_HEADERS)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, row)
    sheet.write_rich_string(1, 0, book.add_format({"bold": True}), "王", "小明")
    book.close()
    return buffer.getvalue()


def test_a_roster_saved_with_shared_strings_is_read_cell_by_cell(hlj_clerk: m.User) -> None:
    rows: list[list[object]] = [
        ["", "男", "1980.5.1", WANG_ID, "", "哈尔滨工程大学支部", "本科", "副高", "13812345678"],
        ["李\u3000红 ", "女", "19750302", "", "民进哈尔滨市委会", "", "硕士研究生", "", ""],
    ]
    data = excel_bytes(rows)
    assert "xl/sharedStrings.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    batch = check(hlj_clerk, data)
    assert (batch.rows_new, batch.rows_error) == (2, 0)
    wang, li = batch.rows.order_by("number")
    assert (wang.values["name"], wang.values["id_number"], wang.values["branch"]) == (
        "王小明",
        WANG_ID,
        "哈尔滨工程大学支部",
    )
    assert (li.values["name"], li.values["birth_date"], li.values["education"]) == ("李 红", "1975-03-02", "master")


def test_a_workbook_with_a_broken_string_table_is_refused_as_damaged(hlj_clerk: m.User) -> None:
    data = excel_bytes([["王小明", "男", "1980.5.1", WANG_ID, "", "", "", "", ""]])
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            content = source.read(item.filename)
            out.writestr(item, content[:-20] if item.filename == "xl/sharedStrings.xml" else content)
    broken = target.getvalue()
    with pytest.raises(FileRefused) as refusal:
        check(hlj_clerk, broken)
    assert "损坏" in refusal.value.message
    assert ImportBatch.objects.count() == 0
