"""Column definitions and the width arithmetic of the office layout."""

from __future__ import annotations

import functools
import math
import unicodedata
from dataclasses import dataclass
from typing import Final, Literal, get_args

Align = Literal["left", "center", "right"]
Kind = Literal["text", "id", "int", "number", "decimal", "money", "percent", "date"]
"""How a column's values are validated and written:

- ``text``: ``str`` (``bool`` becomes 是/否), always a string cell, never a formula.
- ``id``: ``str`` only — ID card numbers, phones, codes; a text cell formatted ``@`` so leading zeros and all
  18 digits survive. Passing an ``int`` is a ``TypeError``.
- ``int``: ``int``. ``number``: a count or a measure shown as it is (61, 42.3). ``decimal`` (``0.00``),
  ``money`` (``#,##0.00``): ``int``, ``float`` or ``Decimal``.
- ``percent``: a fraction (``0.25`` shows as ``25.0%``).
- ``date``: ``datetime.date``, shown as ``2020年10月14日``. A ``datetime`` is refused: convert it with
  ``timezone.localdate()`` first, or a UTC evening lands on the wrong day.

``None`` is a blank (bordered) cell in every kind.
"""

KINDS: Final[frozenset[str]] = frozenset(get_args(Kind))
SUMMABLE: Final[frozenset[str]] = frozenset({"int", "number", "decimal", "money"})

DEFAULT_WIDTH: Final[dict[str, float]] = {
    "text": 14,
    "id": 22,
    "int": 9,
    "number": 11,
    "decimal": 11,
    "money": 14,
    "percent": 9,
    "date": 16,
}
MAX_AUTO_WIDTH: Final = 30.0
"""Widths grown to fit a header stop here; longer headers wrap."""


@dataclass(frozen=True, slots=True)
class Column:
    """One leaf column of a table.

    ``group`` is the upper header: consecutive columns with the same group share one merged cell above their
    leaf headers. ``width`` is in Excel character units (a CJK character is about 2); when omitted it is the
    kind's default, widened so the header fits. ``total`` sums the column in the totals row. ``align`` overrides
    the kind's alignment (text and IDs left, numbers right, dates centred), e.g. ``"center"`` for 序号 or 姓名.
    """

    header: str
    group: str | None = None
    kind: Kind = "text"
    width: float | None = None
    total: bool = False
    align: Align | None = None
    choices: tuple[str, ...] = ()
    """A drop-down list for the column's cells (import templates); see ``OfficeWorkbook.add_table(input_rows=…)``."""
    wrap: bool = False
    """Long text wraps and the row grows to show every line (Excel and LibreOffice keep the default height of a
    row written by xlsxwriter, so wrapped lines would spill over the next rows). For short tables: it measures
    each of the column's texts."""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Column {self.header!r}: unknown kind {self.kind!r}; expected one of {sorted(KINDS)}")
        if self.total and self.kind not in SUMMABLE:
            raise ValueError(f"Column {self.header!r}: only {sorted(SUMMABLE)} columns can be totalled")
        if self.align not in (None, "left", "center", "right"):
            raise ValueError(f"Column {self.header!r}: unknown align {self.align!r}")
        if not isinstance(self.choices, tuple) or not all(isinstance(c, str) and c for c in self.choices):
            raise ValueError(f"Column {self.header!r}: choices must be a tuple of non-empty strings")
        if self.width is not None and self.width <= 0:
            raise ValueError(f"Column {self.header!r}: width must be positive")


def text_width(text: str) -> int:
    """Display width in Excel character units: CJK and full-width characters count 2, the rest 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def line_count(text: str, width: float) -> int:
    """Lines a wrapped cell of ``width`` needs for ``text`` (an estimate; one unit of padding)."""
    room = max(width - 1, 1)
    if 2 * len(text) <= room:  # no character is wider than 2: one line, without measuring
        return 1
    return max(1, math.ceil(_measured(text) / room))


@functools.lru_cache(maxsize=4096)
def _measured(text: str) -> int:
    """:func:`text_width` of a text long enough to wrap; short tables repeat their texts from sheet to sheet."""
    return text_width(text)


def column_widths(columns: tuple[Column, ...]) -> list[float]:
    """Final widths: explicit ones kept; the others take the kind's default, grown (up to
    :data:`MAX_AUTO_WIDTH`) to fit their leaf header, and together to fit their group's header."""
    widths = [
        c.width if c.width is not None else max(DEFAULT_WIDTH[c.kind], min(text_width(c.header) + 2, MAX_AUTO_WIDTH))
        for c in columns
    ]
    for group, first, last in group_runs(columns):
        if group is None:
            continue
        free = [i for i in range(first, last + 1) if columns[i].width is None]
        missing = min(text_width(group) + 2, MAX_AUTO_WIDTH * len(free)) - sum(widths[first : last + 1])
        if free and missing > 0:
            for i in free:
                widths[i] += math.ceil(missing / len(free))
    return widths


def widen_to(widths: list[float], columns: tuple[Column, ...], needed: float) -> None:
    """Grow ``widths`` in place until they add up to ``needed``: columns without an explicit width share the
    difference, or all columns when every width is explicit."""
    missing = needed - sum(widths)
    if missing <= 0:
        return
    free = [i for i, c in enumerate(columns) if c.width is None] or list(range(len(columns)))
    for i in free:
        widths[i] += math.ceil(missing / len(free))


def group_runs(columns: tuple[Column, ...]) -> list[tuple[str | None, int, int]]:
    """Runs of consecutive columns sharing a group, as ``(group, first, last)``; ungrouped columns are runs
    of one with group ``None``."""
    runs: list[tuple[str | None, int, int]] = []
    for index, column in enumerate(columns):
        if runs and column.group is not None and runs[-1][0] == column.group:
            runs[-1] = (column.group, runs[-1][1], index)
        else:
            runs.append((column.group, index, index))
    return runs
