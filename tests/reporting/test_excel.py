"""The office-layout Excel toolkit, read back with openpyxl."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.utils.translation import gettext_lazy
from openpyxl.worksheet.worksheet import Worksheet

from reporting.excel import XLSX_CONTENT_TYPE, Column, OfficeWorkbook, safe_sheet_name, xlsx_response

FILLED_ON = date(2020, 10, 14)

COLUMNS = [
    Column("序号", kind="int", align="center"),
    Column("姓名"),
    Column("身份证号", kind="id"),
    Column("联系电话", kind="id"),
    Column("提交篇数", group="社情民意信息", kind="int", total=True),
    Column("采用率", group="社情民意信息", kind="percent"),
    Column("提案件数", group="参政议政", kind="int", total=True),
    Column("捐款金额（元）", group="社会服务", kind="money", total=True),
    Column("入会日期", kind="date"),
    Column("备注"),
]

ROWS: list[tuple[Any, ...]] = [
    (1, "张伟", "23010219750501123X", "+8613800000000", 5, 0.4, 2, Decimal("1234.50"), date(2001, 3, 9), "=SUM(A1)"),
    (2, "王芳", "01234567890", "-1", 3, 0.25, 0, 100, date(2010, 12, 1), "+8613800000000"),
    (3, "李娜", "230102197505011234", "@cmd", 0, 0.0, 1, 0.5, None, "-1"),
    (4, True, None, "13900001111", None, None, 4, None, date(2019, 1, 31), "@cmd"),
]


def add_sample(book: OfficeWorkbook, rows: Sequence[Sequence[object]] = ROWS) -> int:
    return book.add_table(
        sheet_name="会员履职",
        title="2020年度会员履职情况统计表",
        unit="民进黑龙江省委会",
        filled_on=FILLED_ON,
        columns=COLUMNS,
        rows=iter(rows),
        notes=["注：采用率为采用篇数占提交篇数的比例。"],
    )


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worksheet]:
    path = tmp_path_factory.mktemp("excel") / "sample.xlsx"
    with OfficeWorkbook(path) as book:
        assert add_sample(book) == len(ROWS)
    book = openpyxl.load_workbook(path)
    yield book["会员履职"]
    book.close()


def cells(ws: Worksheet) -> Iterator[Any]:
    for row in ws.iter_rows():
        yield from row


def test_the_title_is_merged_across_the_table(sheet: Worksheet) -> None:
    assert "A1:J1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A1"].value == "2020年度会员履职情况统计表"
    assert sheet["A1"].font.b and sheet["A1"].font.sz == 16
    assert sheet["A1"].alignment.horizontal == "center"


def test_unit_on_the_left_and_chinese_date_on_the_right(sheet: Worksheet) -> None:
    line = [c for c in sheet[2] if c.value]
    assert [c.value for c in line] == ["填报单位：民进黑龙江省委会", "填报日期：2020年10月14日"]
    assert line[0].alignment.horizontal == "left"
    assert line[1].alignment.horizontal == "right"


def test_two_level_header_merges_groups_across_and_lone_leaves_down(sheet: Worksheet) -> None:
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"E3:F3", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "I3:I4", "J3:J4"} <= merged
    # A group of one column needs no merge, and the leaves under groups are never merged.
    assert not {"G3:G4", "H3:H4", "E4:F4"} & merged
    assert [c.value for c in sheet[3]] == [
        "序号",
        "姓名",
        "身份证号",
        "联系电话",
        "社情民意信息",
        None,
        "参政议政",
        "社会服务",
        "入会日期",
        "备注",
    ]
    assert [c.value for c in sheet[4]][4:8] == ["提交篇数", "采用率", "提案件数", "捐款金额（元）"]
    header = sheet["E3"]
    assert header.font.b and header.alignment.horizontal == "center" and header.alignment.wrap_text
    assert header.fill.fgColor.rgb.endswith("D9D9D9")
    assert header.border.left.style == "thin"


def test_numbers_are_numbers_and_dates_are_dates(sheet: Worksheet) -> None:
    first = sheet[5]
    assert first[0].value == 1 and isinstance(first[0].value, int)
    assert first[4].value == 5
    assert first[5].value == pytest.approx(0.4) and first[5].number_format == "0.0%"
    assert first[7].value == pytest.approx(1234.5) and first[7].number_format == "#,##0.00"
    assert first[8].value == datetime(2001, 3, 9) and first[8].is_date
    assert first[8].number_format == 'yyyy"年"m"月"d"日"'


def test_ids_and_phones_stay_text_with_every_digit(sheet: Worksheet) -> None:
    ids = ["23010219750501123X", "01234567890", "230102197505011234"]
    assert [sheet.cell(row, 3).value for row in (5, 6, 7)] == ids
    assert sheet.cell(5, 4).value == "+8613800000000"
    assert all(sheet.cell(row, col).data_type == "s" for row in (5, 6, 7) for col in (3, 4))
    assert sheet["C5"].number_format == "@"


def test_formula_looking_text_is_written_as_text(sheet: Worksheet) -> None:
    values = {sheet.cell(row, 10).value for row in range(5, 9)} | {sheet.cell(6, 4).value, sheet.cell(7, 4).value}
    assert values == {"=SUM(A1)", "+8613800000000", "-1", "@cmd"}
    assert sheet["J5"].data_type == "s"
    assert not [c.coordinate for c in cells(sheet) if c.data_type == "f"]


def test_none_is_a_bordered_blank_and_bools_read_是_or_否(sheet: Worksheet) -> None:
    assert sheet["I7"].value is None and sheet["I7"].border.bottom.style == "thin"
    assert sheet["C8"].value is None and sheet["C8"].border.top.style == "thin"
    assert sheet["B8"].value == "是"


def test_totals_row_sums_in_python_and_writes_numbers(sheet: Worksheet) -> None:
    totals = sheet[9]
    assert totals[0].value == "合计"
    assert [c.value for c in totals[1:]] == [None, None, None, 8, None, 7, pytest.approx(1335.0), None, None]
    assert totals[7].number_format == "#,##0.00" and totals[7].font.b
    assert all(c.border.left.style == "thin" for c in totals)


def test_signature_line_and_notes_follow_a_blank_row(sheet: Worksheet) -> None:
    assert all(c.value is None for c in sheet[10])
    assert [c.value for c in sheet[11] if c.value] == ["填表人：", "审核人："]
    assert sheet["A11"].value == "填表人：" and sheet["F11"].value == "审核人："
    assert sheet["A12"].value == "注：采用率为采用篇数占提交篇数的比例。"
    assert sheet.max_row == 12


def test_a4_landscape_one_page_wide_with_repeated_header(sheet: Worksheet) -> None:
    setup = sheet.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == 9
    assert setup.fitToWidth in (None, 1)  # omitted means 1, the OOXML default
    assert setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$3:$4"
    assert sheet.print_options.horizontalCentered
    assert sheet.freeze_panes == "A5"
    assert "第 &P 页 共 &N 页" in sheet.oddFooter.center.text


def test_every_cell_uses_宋体(sheet: Worksheet) -> None:
    for coordinate in ("A1", "A2", "A3", "E4", "B5", "G5", "I6", "A9", "A11", "A12"):
        assert sheet[coordinate].font.name == "宋体", coordinate
    assert sheet.parent._fonts[0].name == "宋体"  # the default font of untouched cells


def test_columns_are_wide_enough_for_their_headers(sheet: Worksheet) -> None:
    widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items()}
    assert widths["C"] >= 20  # an 18-digit ID number
    assert widths["H"] >= len("捐款金额（元）") * 2


def test_single_level_header_and_portrait(tmp_path: Path) -> None:
    path = tmp_path / "branches.xlsx"
    with OfficeWorkbook(path) as book:
        written = book.add_table(
            sheet_name="支部",
            title="支部汇总",
            unit="民进贵州省委会",
            filled_on=FILLED_ON,
            columns=[Column("支部", width=24), Column("会员数", kind="int", total=True)],
            rows=[("省直支部", 45), ("贵阳市委会第一支部", 30)],
            landscape=False,
            signatures=("填表人", "审核人", "负责人："),
        )
    assert written == 2
    ws = openpyxl.load_workbook(path)["支部"]
    assert [c.value for c in ws[3]] == ["支部", "会员数"]
    assert ws.print_title_rows == "$3:$3" and ws.freeze_panes == "A4"
    assert ws.page_setup.orientation == "portrait"
    assert [ws["A6"].value, ws["B6"].value] == ["合计", 75]
    assert ws["A8"].value == "填表人：            审核人：            负责人："
    # The 填报单位 / 填报日期 line fits: narrow tables are widened for it.
    assert sum(d.width for d in ws.column_dimensions.values()) > 48  # two lines of 24 units each


def test_no_totals_row_without_totalled_columns_or_label(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    with OfficeWorkbook(path) as book:
        for name, label, total in (("a", "合计", False), ("b", None, True)):
            book.add_table(
                sheet_name=name,
                title="名册",
                unit="民进哈尔滨市委会",
                filled_on=FILLED_ON,
                columns=[Column("姓名"), Column("人数", kind="int", total=total)],
                rows=[("张伟", 1)],
                totals_label=label,
                signatures=(),
            )
    book_ = openpyxl.load_workbook(path)
    assert [book_[name].max_row for name in ("a", "b")] == [4, 4]


def test_totals_mix_decimals_and_floats(tmp_path: Path) -> None:
    path = tmp_path / "money.xlsx"
    with OfficeWorkbook(path) as book:
        book.add_table(
            sheet_name="捐款",
            title="捐款",
            unit="民进绥滨县支部",
            filled_on=FILLED_ON,
            columns=[Column("项目"), Column("金额", kind="money", total=True)],
            rows=[("助学金", Decimal("130000.10")), ("设备", 200000.2), ("图书", 5)],
        )
    assert openpyxl.load_workbook(path)["捐款"]["B7"].value == pytest.approx(330005.3)


def test_lazy_translations_are_text(tmp_path: Path) -> None:
    path = tmp_path / "lazy.xlsx"
    with OfficeWorkbook(path) as book:
        book.add_table(
            sheet_name="x",
            title="x",
            unit="x",
            filled_on=FILLED_ON,
            columns=[Column("状态")],
            rows=[(gettext_lazy("Active"),)],
        )
    assert isinstance(openpyxl.load_workbook(path)["x"]["A4"].value, str)


@pytest.mark.parametrize(
    ("name", "used", "expected"),
    [
        ("支部/汇总", set(), "支部_汇总"),
        ("[2020]: a*b?c\\d", set(), "_2020__ a_b_c_d"),
        ("'引号'", set(), "引号"),
        ("", set(), "Sheet_"),
        ("History", set(), "History_"),
        ("哈尔滨市委会" * 6, set(), "哈尔滨市委会哈尔滨市委会哈尔滨市委会哈尔滨市委会哈尔滨市委会哈"),
        ("省直支部", {"省直支部"}, "省直支部(2)"),
        ("Sheet", {"sheet", "sheet(2)"}, "Sheet(3)"),
        ("一" * 40, {"一" * 31}, "一" * 28 + "(2)"),
    ],
)
def test_sheet_names_are_made_valid_and_unique(name: str, used: set[str], expected: str) -> None:
    result = safe_sheet_name(name, used)
    assert result == expected
    assert len(result) <= 31
    assert result.casefold() in used


def test_one_sheet_per_branch_with_repeated_names(tmp_path: Path) -> None:
    path = tmp_path / "scoring.xlsx"
    with OfficeWorkbook(path) as book:
        for name in ("排名", "第一支部", "第一支部", "第一/支部", "第一?支部"):
            book.add_table(
                sheet_name=name,
                title=f"{name}考核表",
                unit="民进哈尔滨市委会",
                filled_on=FILLED_ON,
                columns=[Column("项目"), Column("得分", kind="decimal", total=True)],
                rows=[("组织建设", 18.5)],
            )
    assert openpyxl.load_workbook(path).sheetnames == ["排名", "第一支部", "第一支部(2)", "第一_支部", "第一_支部(2)"]


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("id", 230102197505011234),
        ("int", "5"),
        ("int", 1.5),
        ("int", True),
        ("money", "1,234.50"),
        ("percent", False),
        ("date", datetime(2020, 10, 14, 23, 30)),
        ("date", "2020-10-14"),
        ("text", 42),
        ("text", date(2020, 10, 14)),
    ],
)
def test_a_value_of_the_wrong_type_is_a_programming_error(kind: Any, value: object) -> None:
    with OfficeWorkbook(io.BytesIO()) as book, pytest.raises(TypeError, match=r"column '值' \(" + kind):
        book.add_table(
            sheet_name="x", title="x", unit="x", filled_on=FILLED_ON, columns=[Column("值", kind=kind)], rows=[(value,)]
        )


def test_rows_must_match_the_columns() -> None:
    with OfficeWorkbook(io.BytesIO()) as book, pytest.raises(ValueError, match="row 2 has 1 values for 2 columns"):
        book.add_table(
            sheet_name="x",
            title="x",
            unit="x",
            filled_on=FILLED_ON,
            columns=[Column("a"), Column("b")],
            rows=[("1", "2"), ("1",)],
        )


def test_column_definitions_are_checked() -> None:
    with pytest.raises(ValueError, match="only"):
        Column("姓名", total=True)
    with pytest.raises(ValueError, match="unknown kind"):
        Column("姓名", kind="phone")  # type: ignore[arg-type]
    with OfficeWorkbook(io.BytesIO()) as book, pytest.raises(ValueError, match="cannot be totalled"):
        book.add_table(
            sheet_name="x",
            title="x",
            unit="x",
            filled_on=FILLED_ON,
            columns=[Column("n", kind="int", total=True)],
            rows=[],
        )


def test_fifty_thousand_rows_stream_quickly(tmp_path: Path) -> None:
    columns = [
        Column("序号", kind="int"),
        Column("姓名"),
        Column("身份证号", kind="id"),
        Column("电话", kind="id"),
        Column("提案", group="参政议政", kind="int", total=True),
        Column("社情民意", group="参政议政", kind="int", total=True),
        Column("得分", kind="decimal", total=True),
        Column("捐款", kind="money", total=True),
        Column("采用率", kind="percent"),
        Column("入会日期", kind="date"),
    ]
    day = date(2015, 6, 1)
    rows = ((i, "张伟", "23010219750501123X", "13900001111", i % 5, 2, 87.5, 100.25, 0.5, day) for i in range(50_000))
    path = tmp_path / "big.xlsx"
    started = time.perf_counter()
    with OfficeWorkbook(path) as book:
        written = book.add_table(
            sheet_name="会员", title="会员", unit="x", filled_on=FILLED_ON, columns=columns, rows=rows
        )
    elapsed = time.perf_counter() - started
    assert written == 50_000
    assert elapsed < 30, elapsed
    ws = openpyxl.load_workbook(path, read_only=True)["会员"]
    last_rows = list(ws.iter_rows(min_row=50_004, max_row=50_007, values_only=True))
    assert last_rows[0][:5] == (49_999, "张伟", "23010219750501123X", "13900001111", 4)
    assert last_rows[1][:5] == ("合计", None, None, None, sum(i % 5 for i in range(50_000)))
    assert last_rows[3][0] == "填表人："


def test_xlsx_response_is_a_download_with_a_chinese_filename() -> None:
    response = xlsx_response("会员履职情况统计表", add_sample)
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E4%BC%9A%E5%91%98" in disposition
    assert disposition.endswith(".xlsx")
    body = b"".join(response.streaming_content)  # type: ignore[arg-type]
    assert response.file_to_stream is not None
    response.file_to_stream.close()  # response.close() would also fire request_finished, which touches the DB
    assert int(response["Content-Length"]) == len(body)
    assert openpyxl.load_workbook(io.BytesIO(body))["会员履职"]["A1"].value == "2020年度会员履职情况统计表"


def test_xlsx_response_lets_errors_through() -> None:
    def broken(book: OfficeWorkbook) -> None:
        raise RuntimeError("query failed")

    with pytest.raises(RuntimeError, match="query failed"):
        xlsx_response("x.xlsx", broken)


def test_a_wrapping_column_makes_its_rows_tall_enough_for_every_line(tmp_path: Path) -> None:
    path = tmp_path / "wrap.xlsx"
    long = "每条0分；按最高采用或批示级别加分：市级+1，省级+3，民进中央+5，全国政协+10，国家领导人+20，最高10分"
    with OfficeWorkbook(path) as book:
        book.add_table(
            sheet_name="评分表",
            title="考核评分表",
            unit="民进黑龙江省委会",
            filled_on=FILLED_ON,
            columns=[Column("考核内容", width=12), Column("评分标准", width=30, wrap=True)],
            rows=iter([("短", "每项2分"), ("长", long)]),
            totals_label=None,
        )
    ws = openpyxl.load_workbook(path).worksheets[0]
    first = next(row for row in range(1, 10) if ws.cell(row, 1).value == "短")
    short_height = ws.row_dimensions[first].height
    tall_height = ws.row_dimensions[first + 1].height
    assert tall_height is not None and tall_height >= 3 * 13  # the text needs 4 lines at this width
    assert short_height is None or short_height < tall_height
