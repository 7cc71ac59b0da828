"""The one way the product writes Excel: the Chinese office layout, streamed with xlsxwriter.

Usage::

    columns = [Column("支部", width=20), Column("会员数", kind="int", total=True), ...]
    return xlsx_response(
        "支部履职情况统计表.xlsx",
        lambda book: book.add_table(
            sheet_name="支部", title="2020年度支部履职情况统计表", unit="民进黑龙江省委会",
            filled_on=timezone.localdate(), columns=columns, rows=rows_iterator,
        ),
    )
"""

from __future__ import annotations

from .columns import Align, Column, Kind
from .response import XLSX_CONTENT_TYPE, xlsx_response
from .workbook import DATE_FORMAT, FONT, OfficeWorkbook, chinese_date, safe_sheet_name

__all__ = [
    "DATE_FORMAT",
    "FONT",
    "XLSX_CONTENT_TYPE",
    "Align",
    "Column",
    "Kind",
    "OfficeWorkbook",
    "chinese_date",
    "safe_sheet_name",
    "xlsx_response",
]
