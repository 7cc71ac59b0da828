"""The rules for ID numbers and typed dates, shared by the admin, the pages and the Excel imports.

One implementation each, so that a value the import refuses is refused by a form with the same words and a
value a form accepts is stored as the import would store it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Final

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EARLIEST: Final = dt.date(1900, 1, 1)
LATEST: Final = dt.date(2100, 12, 31)

# ---- ID numbers (GB 11643-1999) -----------------------------------------------------------------------------

ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK: Final = "10X98765432"


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits."""
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def _birth_date(text: str) -> dt.date | None:
    try:
        birth = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return None
    return birth if EARLIEST <= birth <= LATEST else None


def normalise_id_number(text: str) -> str:
    """An ID number as stored: 18 characters, 17 digits and a check digit or ``X`` (GB 11643), with a valid birth
    date inside. Blanks and full-width digits are tidied, a lower-case ``x`` is upper-cased, and an old 15-digit
    number (GB 11643-1989: two-digit year, no check digit) is extended to its 18-digit form ("19" before the
    year, the check digit after). Anything else raises :class:`ValidationError` with ``code="id_number"``."""
    compact = re.sub(r"\s+", "", text).translate(_FULL_WIDTH).upper()
    if not compact:
        return ""
    if re.fullmatch(r"\d{15}", compact):
        body = compact[:6] + "19" + compact[6:]
        compact = body + id_check_digit(body)
        if _birth_date(compact) is None:
            raise ValidationError(_("“%(value)s” holds no valid birth date.") % {"value": text}, code="id_number")
        return compact
    if not re.fullmatch(r"\d{17}[\dX]", compact):
        raise ValidationError(
            _("“%(value)s” is not an ID number: 18 characters, digits with a final digit or X.") % {"value": compact},
            code="id_number",
        )
    if id_check_digit(compact[:17]) != compact[17]:
        raise ValidationError(
            _("“%(value)s”: the check digit does not match (GB 11643).") % {"value": compact}, code="id_number"
        )
    if _birth_date(compact) is None:
        raise ValidationError(_("“%(value)s” holds no valid birth date.") % {"value": compact}, code="id_number")
    return compact


_FULL_WIDTH: Final = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789xX")


def birth_date_of(id_number: str) -> dt.date:
    """The birth date inside a valid 18-character ID number."""
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


# ---- dates --------------------------------------------------------------------------------------------------

DATE_PATTERNS: Final = (
    # 1980-05-01, 1980/5/1, 1980.5.1, 1980年5月1日, 1980年5月1号
    re.compile(r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?$"),
    # 19800501
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
)
MONTH_PATTERNS: Final = (
    # 1980-05, 1980/5, 1980.05, 1980年5月
    re.compile(r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*月?$"),
    # 198005
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})$"),
)


def make_date(year: int, month: int, day: int, shown: str) -> dt.date:
    try:
        value = dt.date(year, month, day)
    except ValueError:
        raise ValidationError(_("“%(value)s” is not a valid date.") % {"value": shown}, code="invalid") from None
    if not EARLIEST <= value <= LATEST:
        raise ValidationError(_("“%(value)s” is outside 1900–2100.") % {"value": shown}, code="invalid")
    return value


def parse_date_text(text: str, *, months: bool = False) -> dt.date:
    """A date typed the ways offices type them: ``2021-03-15``, ``2021-3-15``, ``2021/3/15``, ``2021.03.15``,
    ``2021年3月15日``, ``20210315``; with ``months``, also a month alone (``2021.03``, ``2021年3月``: the 1st)."""
    text = text.strip().translate(_FULL_WIDTH_DIGITS)
    for pattern in DATE_PATTERNS + (MONTH_PATTERNS if months else ()):
        match = pattern.match(text)
        if match:
            parts = match.groupdict()
            return make_date(int(parts["y"]), int(parts["m"]), int(parts.get("d") or 1), text)
    raise ValidationError(
        _("“%(value)s” is not a date. Use e.g. 2021年3月15日, 2021-3-15, 2021.03.15 or 20210315.") % {"value": text},
        code="not_a_date",
    )


_FULL_WIDTH_DIGITS: Final = str.maketrans("０１２３４５６７８９－／．", "0123456789-/.")


def chinese_date(value: dt.date) -> str:
    """2021-03-15 → 2021年3月15日."""
    return f"{value.year}年{value.month}月{value.day}日"


class ChineseDateInput(forms.DateInput):
    """Shows a date as 2021年3月15日."""

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return chinese_date(value)
        return super().format_value(value)  # type: ignore[no-any-return]


class AdminChineseDateWidget(ChineseDateInput, AdminDateWidget):
    """The admin's calendar widget, showing the date as 2021年3月15日 (the calendar writes 2021/03/15, also
    accepted)."""


class ChineseDateField(forms.DateField):
    """A date field that accepts every form :func:`parse_date_text` accepts."""

    widget = ChineseDateInput

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return parse_date_text(str(value))
