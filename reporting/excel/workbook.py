"""The office-layout workbook: one streaming xlsxwriter workbook, one table per sheet.

Layout of every sheet, top to bottom::

    title (merged, bold 16pt)
    填报单位：…                        填报日期：2020年10月14日
    header: one row, or two with group cells merged across and ungrouped leaves merged down
    data rows (bordered, typed cells)
    合计 row (sums computed in Python while streaming, written as numbers)
    (blank)
    填表人：          审核人：
    notes

xlsxwriter runs in constant-memory mode, so each row is flushed to disk as soon as a later row is written
and memory stays flat however many rows stream through. Everything is therefore written strictly top to
bottom, left to right.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import IO, Any, Final, Self

import xlsxwriter
from django.utils.functional import Promise
from xlsxwriter.utility import xl_col_to_name

from .columns import Align, Column, Kind, column_widths, group_runs, line_count, text_width, widen_to

FONT: Final = "宋体"
FONT_SIZE: Final = 11
DATE_FORMAT: Final = 'yyyy"年"m"月"d"日"'
NUMBER_FORMATS: Final[dict[str, str]] = {
    "text": "@",
    "id": "@",
    "int": "0",
    "decimal": "0.00",
    "number": "General",
    "money": "#,##0.00",
    "percent": "0.0%",
    "date": DATE_FORMAT,
}
ALIGN: Final[dict[str, Align]] = {
    "text": "left",
    "id": "left",
    "int": "right",
    "decimal": "right",
    "number": "right",
    "money": "right",
    "percent": "right",
    "date": "center",
}
HEADER_FILL: Final = "#D9D9D9"
LINE_HEIGHT: Final = 14.5  # points per line of 11pt 宋体
MAX_SHEET_NAME: Final = 31
LIST_SHEET: Final = "lists"
"""The hidden sheet holding the drop-down lists of import templates."""
_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")

CellWriter = Callable[[int, int, object], None]


def chinese_date(value: date) -> str:
    """``2020年10月14日``."""
    return f"{value.year}年{value.month}月{value.day}日"


def safe_sheet_name(name: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name for ``name``: forbidden characters ``[]:*?/\\`` become ``_``,
    surrounding apostrophes and blanks go, at most 31 characters, and a repeat (compared case-insensitively,
    as Excel does) gets ``(2)``, ``(3)``…. Adds the result to ``used``."""
    base = _FORBIDDEN_IN_SHEET_NAME.sub("_", " ".join(name.split())).strip(" '")[:MAX_SHEET_NAME].strip(" '")
    if not base or base.casefold() == "history":  # Excel reserves "History"
        base = f"{base or 'Sheet'}_"
    candidate = base
    n = 2
    while candidate.casefold() in used:
        suffix = f"({n})"
        candidate = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        n += 1
    used.add(candidate.casefold())
    return candidate


class OfficeWorkbook:
    """An ``.xlsx`` written in the Chinese office layout, one table per sheet.

    ``output`` is a path or a binary file object opened for writing (seekable). Use as a context manager or
    call :meth:`close`; the file is complete only after closing.
    """

    def __init__(self, output: str | os.PathLike[str] | IO[bytes]) -> None:
        self._book: Any = xlsxwriter.Workbook(
            output,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "default_date_format": DATE_FORMAT,
                # Every format, including the default one of empty cells, starts from these; "none" keeps
                # Excel from substituting the theme font.
                "default_format_properties": {
                    "font_name": FONT,
                    "font_size": FONT_SIZE,
                    "font_scheme": "none",
                    "font_charset": 134,  # GB2312
                },
            },
        )
        self._sheet_names: set[str] = set()
        fmt = self._book.add_format
        self._title = fmt({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        self._left = fmt({"align": "left", "valign": "vcenter"})
        self._right = fmt({"align": "right", "valign": "vcenter"})
        self._header = fmt(
            {
                "bold": True,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "border": 1,
                "bg_color": HEADER_FILL,
            }
        )
        self._cells: dict[tuple[Kind, Align, bool], Any] = {}
        self._input_formats: dict[Kind, Any] = {}
        self._lists: list[tuple[str, ...]] = []
        self._list_sheet: str | None = None
        self._total_label = fmt({"bold": True, "border": 1, "align": "center", "valign": "vcenter"})

    def _cell_format(self, kind: Kind, align: Align, bold: bool = False) -> Any:
        key = (kind, align, bold)
        if key not in self._cells:
            properties: dict[str, Any] = {"border": 1, "valign": "vcenter", "align": align}
            properties["num_format"] = NUMBER_FORMATS[kind]
            if kind == "text":
                properties["text_wrap"] = True
            if bold:
                properties["bold"] = True
            self._cells[key] = self._book.add_format(properties)
        return self._cells[key]

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._write_lists()
        self._book.close()

    def _list_reference(self, choices: tuple[str, ...]) -> str:
        """A reference to ``choices`` on the hidden list sheet (written on close): Excel caps a list typed into
        the validation itself at 255 characters, a range has no such limit."""
        if self._list_sheet is None:
            self._list_sheet = safe_sheet_name(LIST_SHEET, self._sheet_names)
        if choices not in self._lists:
            self._lists.append(choices)
        column = xl_col_to_name(self._lists.index(choices))
        return f"='{self._list_sheet}'!${column}$1:${column}${len(choices)}"

    def _write_lists(self) -> None:
        if not self._lists:
            return
        ws = self._book.add_worksheet(self._list_sheet)
        for row in range(max(len(values) for values in self._lists)):
            for col, values in enumerate(self._lists):
                if row < len(values):
                    ws.write_string(row, col, values[row])
        ws.hide()
        self._lists = []

    def add_table(
        self,
        *,
        sheet_name: str,
        title: str,
        unit: str,
        filled_on: date,
        columns: Sequence[Column],
        rows: Iterable[Sequence[object]],
        totals_label: str | None = "合计",
        signatures: Sequence[str] = ("填表人", "审核人"),
        landscape: bool = True,
        notes: Sequence[str] = (),
        input_rows: int = 0,
        choice_message: str = "请从下拉列表中选择。",
    ) -> int:
        """Write one table on a new sheet and return the number of data rows written.

        ``rows`` is consumed once, lazily: pass an iterator over a queryset's ``values_list()`` or a
        generator, never a materialised list of a big table. Each row has one value per column, typed as the
        column's :data:`Kind` requires; a wrong type raises ``TypeError`` (a programming error, not bad user
        data). The totals row appears when ``totals_label`` is set and some column has ``total=True``; the
        label goes in the first column, which therefore cannot itself be totalled. ``sheet_name`` is made
        valid and unique (see :func:`safe_sheet_name`). Signature labels get ``：`` appended unless they end in
        one.

        ``input_rows`` makes the sheet a form to fill in (an import template): that many rows below the data
        get the columns' drop-down lists (:attr:`Column.choices`, a warning on other values, shown with
        ``choice_message``), and the whole of an ``id`` or ``text`` column is formatted as text so that ID
        numbers typed in keep all 18 digits (dates get the date format). Use it with ``totals_label=None`` and
        no signatures, so that nothing stands below the rows to fill in.
        """
        cols = tuple(columns)
        if input_rows < 0:
            raise ValueError("input_rows cannot be negative")
        if not cols:
            raise ValueError("a table needs at least one column")
        has_totals = totals_label is not None and any(c.total for c in cols)
        if has_totals and cols[0].total:
            raise ValueError(f"the first column {cols[0].header!r} holds the totals label and cannot be totalled")

        ws = self._book.add_worksheet(safe_sheet_name(sheet_name, self._sheet_names))
        last = len(cols) - 1
        widths = column_widths(cols)
        ws.set_row(0, 36)
        self._span(ws, 0, 0, last, title, self._title)
        ws.set_row(1, 22)
        unit_text, date_text = f"填报单位：{unit}", f"填报日期：{chinese_date(filled_on)}"
        widen_to(widths, cols, text_width(unit_text) + text_width(date_text) + 6)
        for index, width in enumerate(widths):
            ws.set_column(index, index, width, self._input_format(cols[index].kind) if input_rows else None)
        if last == 0:
            ws.write_string(1, 0, f"{unit_text}    {date_text}", self._left)
        else:
            split, right_width = last, widths[last]  # the date takes the fewest right-hand columns it fits in
            while split > 1 and right_width < text_width(date_text) + 2:
                split -= 1
                right_width += widths[split]
            self._span(ws, 1, 0, split - 1, unit_text, self._left)
            self._span(ws, 1, split, last, date_text, self._right)

        first_data = self._write_header(ws, 2, cols, widths)
        ws.freeze_panes(first_data, 0)
        self._print_setup(ws, 2, first_data - 1, landscape)

        sums: list[Any] = [0] * len(cols)
        writers = [self._writer(ws, column, index, sums) for index, column in enumerate(cols)]
        ncols = len(cols)
        col_range = range(ncols)
        wrapped = [(index, widths[index]) for index, column in enumerate(cols) if column.wrap]
        row = first_data
        for values in rows:
            if len(values) != ncols:
                raise ValueError(f"row {row - first_data + 1} has {len(values)} values for {ncols} columns")
            if wrapped:
                lines = 1
                for index, width in wrapped:
                    value = values[index]
                    if value:
                        lines = max(lines, line_count(value if type(value) is str else str(value), width))
                if lines > 1:
                    ws.set_row(row, _height(lines))
            for col, write, value in zip(col_range, writers, values, strict=False):  # lengths checked above
                write(row, col, value)
            row += 1
        written = row - first_data
        if input_rows:
            last_input = row + input_rows - 1
            for index, column in enumerate(cols):
                if column.choices:
                    ws.data_validation(
                        first_data,
                        index,
                        last_input,
                        index,
                        {
                            "validate": "list",
                            "source": self._list_reference(column.choices),
                            "error_type": "warning",
                            "error_message": choice_message,
                        },
                    )

        if has_totals:
            assert totals_label is not None
            ws.write_string(row, 0, totals_label, self._total_label)
            for index in range(1, ncols):
                column = cols[index]
                if column.total:
                    ws.write_number(row, index, sums[index], self._cell_format(column.kind, _align(column), True))
                else:
                    ws.write_blank(row, index, None, self._cell_format(column.kind, _align(column), True))
            row += 1

        row += 1
        if signatures:
            self._write_signatures(ws, row, ncols, signatures)
            row += 1
        for note in notes:
            self._span(ws, row, 0, last, note, self._left)
            row += 1
        return written

    def _input_format(self, kind: Kind) -> Any:
        """The column-wide format of a form's column: text stays text, dates show as dates."""
        if kind not in ("text", "id", "date"):
            return None
        if kind not in self._input_formats:
            self._input_formats[kind] = self._book.add_format({"num_format": NUMBER_FORMATS[kind]})
        return self._input_formats[kind]

    def _write_header(self, ws: Any, top: int, cols: tuple[Column, ...], widths: list[float]) -> int:
        """Write the header rows from ``top``; return the first data row."""
        fmt = self._header
        leaf_lines = [line_count(c.header, w) for c, w in zip(cols, widths, strict=True)]
        if all(c.group is None for c in cols):
            ws.set_row(top, _height(max(leaf_lines)))
            for index, column in enumerate(cols):
                ws.write_string(top, index, column.header, fmt)
            return top + 1

        runs = group_runs(cols)
        group_lines = max(
            [line_count(group, sum(widths[first : last + 1])) for group, first, last in runs if group is not None]
        )
        grouped_leaves = [n for n, c in zip(leaf_lines, cols, strict=True) if c.group is not None]
        lone_leaves = [n for n, c in zip(leaf_lines, cols, strict=True) if c.group is None] or [1]
        upper, lower = _height(group_lines), _height(max(grouped_leaves))
        lower = max(lower, _height(max(lone_leaves)) - upper)
        ws.set_row(top, upper)
        ws.set_row(top + 1, lower)
        for group, first, last in runs:
            self._span(ws, top, first, last, group if group is not None else cols[first].header, fmt)
        for index, column in enumerate(cols):
            if column.group is None:
                ws.write_blank(top + 1, index, None, fmt)
            else:
                ws.write_string(top + 1, index, column.header, fmt)
        # merge_range() cannot merge down in constant-memory mode (it pads the lower cell, which flushes the
        # upper row before the next merge starts: XlsxWriter issue #292). The cells are written above, so
        # only the merge itself is recorded.
        for index, column in enumerate(cols):
            if column.group is None:
                ws.merge.append([top, index, top + 1, index])
        return top + 2

    @staticmethod
    def _print_setup(ws: Any, header_top: int, header_bottom: int, landscape: bool) -> None:
        ws.set_paper(9)  # A4
        if landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(header_top, header_bottom)
        ws.center_horizontally()
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
        ws.set_footer("&C第 &P 页 共 &N 页", {"margin": 0.3})

    def _write_signatures(self, ws: Any, row: int, ncols: int, signatures: Sequence[str]) -> None:
        labels = [s if s.endswith(("：", ":")) else f"{s}：" for s in signatures]
        if ncols < len(labels):
            ws.write_string(row, 0, "            ".join(labels), self._left)
            return
        for index, label in enumerate(labels):
            first, last = index * ncols // len(labels), (index + 1) * ncols // len(labels) - 1
            self._span(ws, row, first, last, label, self._left)

    def _span(self, ws: Any, row: int, first: int, last: int, text: str, fmt: Any) -> None:
        if first == last:
            ws.write_string(row, first, text, fmt)
        elif fmt is self._header:
            ws.merge_range(row, first, row, last, text, fmt)  # bordered: every cell of the range carries the border
        else:
            # Borderless (title, 填报单位 line, signatures, notes): the merge needs only its first cell written;
            # merge_range() would pad the rest of the range with empty formatted cells.
            ws.write_string(row, first, text, fmt)
            ws.merge.append([row, first, row, last])

    def _writer(self, ws: Any, column: Column, index: int, sums: list[Any]) -> CellWriter:
        fmt = self._cell_format(column.kind, _align(column))
        write = _WRITERS[column.kind](ws, fmt, column)
        if not column.total:
            return write
        write_number, int_only = ws.write_number, column.kind == "int"

        def write_and_add(row: int, col: int, value: Any) -> None:
            kind = type(value)
            if kind is int or (kind is float and not int_only):
                write_number(row, col, value, fmt)
            else:
                write(row, col, value)
                if value is None:
                    return
            try:
                sums[index] += value
            except TypeError:  # Decimal + float
                sums[index] = float(sums[index]) + float(value)

        return write_and_add


def _align(column: Column) -> Align:
    return column.align or ALIGN[column.kind]


def _height(lines: int) -> float:
    return max(20.0, lines * LINE_HEIGHT + 6)


def _wrong(column: Column, row: int, value: object, expected: str) -> TypeError:
    return TypeError(
        f"column {column.header!r} ({column.kind}) expects {expected}, got {type(value).__name__} {value!r:.60} "
        f"at sheet row {row + 1}"
    )


def _text_writer(ws: Any, fmt: Any, column: Column) -> CellWriter:
    write_string, write_blank = ws.write_string, ws.write_blank

    def write(row: int, col: int, value: object) -> None:
        if type(value) is str:
            write_string(row, col, value, fmt)
        elif value is None:
            write_blank(row, col, None, fmt)
        elif value is True or value is False:
            write_string(row, col, "是" if value else "否", fmt)
        elif isinstance(value, str | Promise):
            write_string(row, col, str(value), fmt)
        else:
            raise _wrong(column, row, value, "str")

    return write


def _id_writer(ws: Any, fmt: Any, column: Column) -> CellWriter:
    write_string, write_blank = ws.write_string, ws.write_blank

    def write(row: int, col: int, value: object) -> None:
        if type(value) is str:
            write_string(row, col, value, fmt)
        elif value is None:
            write_blank(row, col, None, fmt)
        elif isinstance(value, str):
            write_string(row, col, str(value), fmt)
        else:
            raise _wrong(column, row, value, "str (IDs and phones stay text to keep every digit)")

    return write


def _int_writer(ws: Any, fmt: Any, column: Column) -> CellWriter:
    write_number, write_blank = ws.write_number, ws.write_blank

    def write(row: int, col: int, value: object) -> None:
        if type(value) is int:
            write_number(row, col, value, fmt)
        elif value is None:
            write_blank(row, col, None, fmt)
        elif isinstance(value, int) and not isinstance(value, bool):
            write_number(row, col, int(value), fmt)
        else:
            raise _wrong(column, row, value, "int")

    return write


def _number_writer(ws: Any, fmt: Any, column: Column) -> CellWriter:
    write_number, write_blank = ws.write_number, ws.write_blank

    def write(row: int, col: int, value: object) -> None:
        kind = type(value)
        if kind is float or kind is int:
            write_number(row, col, value, fmt)
        elif kind is Decimal:
            write_number(row, col, float(value), fmt)  # type: ignore[arg-type]
        elif value is None:
            write_blank(row, col, None, fmt)
        elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            write_number(row, col, float(value), fmt)
        else:
            raise _wrong(column, row, value, "int, float or Decimal")

    return write


def _date_writer(ws: Any, fmt: Any, column: Column) -> CellWriter:
    write_datetime, write_blank = ws.write_datetime, ws.write_blank

    def write(row: int, col: int, value: object) -> None:
        if type(value) is date:
            write_datetime(row, col, value, fmt)
        elif value is None:
            write_blank(row, col, None, fmt)
        elif isinstance(value, datetime):
            raise _wrong(column, row, value, "date (convert datetimes with timezone.localdate())")
        elif isinstance(value, date):
            write_datetime(row, col, date(value.year, value.month, value.day), fmt)
        else:
            raise _wrong(column, row, value, "date")

    return write


_WRITERS: Final[dict[Kind, Callable[[Any, Any, Column], CellWriter]]] = {
    "text": _text_writer,
    "id": _id_writer,
    "int": _int_writer,
    "decimal": _number_writer,
    "number": _number_writer,
    "money": _number_writer,
    "percent": _number_writer,
    "date": _date_writer,
}
