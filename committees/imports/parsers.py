"""Cell parsers: tolerant of how offices type things, strict about what they mean.

Every parser takes the raw value of one cell as openpyxl gives it (``None``, ``str``, ``int``, ``float``,
``bool``, ``datetime``/``date``/``time``/``timedelta``) and returns a clean Python value, or raises
:class:`CellError` with a message a clerk can act on. Nothing else escapes: the property-based test in
``tests/committees/imports/test_parsers.py`` feeds them arbitrary cell values.

Blank cells (``None``, empty or whitespace-only text, full-width spaces included) parse to the parser's
blank value (``""`` or ``None``); whether a blank is allowed is the importer's business.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from committees import validators
from committees.validators import EARLIEST as EARLIEST
from committees.validators import LATEST as LATEST
from committees.validators import birth_date_of as birth_date_of
from committees.validators import id_check_digit as id_check_digit


class CellError(ValidationError):
    """A cell's value cannot be used; ``message`` says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.text = message

    def __str__(self) -> str:
        return self.text


# Full-width and no-break spaces, zero-width characters and BOMs that pasted text brings along.
_SPACES: Final = re.compile(r"[\s\u3000\u00a0\u200b\u200c\u200d\ufeff]+")
_INVISIBLE: Final = re.compile(r"[\u200b\u200c\u200d\ufeff]")
EXCEL_EPOCH: Final = dt.date(1899, 12, 30)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not _SPACES.sub("", value))


def _number_text(value: float | int) -> str:
    """1980.0 → "1980"; 2.5 → "2.5"."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(_("This is not a usable number."))
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if value.bit_length() > 64:
        raise CellError(_("This number is far too large."))
    return str(value)


def clean_text(value: object, *, max_length: int | None = None) -> str:
    """Text with full-width letters and digits made half-width (NFKC), surrounding blanks trimmed and runs of
    blanks, full-width spaces included, made one space."""
    if value is None:
        return ""
    if type(value) is str and not _SPACES.search(value) and unicodedata.is_normalized("NFKC", value):
        text = value  # the common case: nothing to trim or normalise
        if max_length is not None and len(text) > max_length:
            raise CellError(
                _("Too long: %(length)s characters, at most %(max)s allowed.")
                % {"length": len(text), "max": max_length}
            )
        return text
    if isinstance(value, bool):
        text = _("yes") if value else _("no")
    elif isinstance(value, int | float):
        text = _number_text(value)
    elif isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, dt.date | dt.time):
        text = value.isoformat()
    elif isinstance(value, str):
        text = value
    else:
        text = str(value)
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))).strip()
    if max_length is not None and len(text) > max_length:
        raise CellError(
            _("Too long: %(length)s characters, at most %(max)s allowed.") % {"length": len(text), "max": max_length}
        )
    return text


def _compact(value: object) -> str:
    """Text without any blanks, for codes and numbers."""
    return clean_text(value).replace(" ", "")


# ---- dates --------------------------------------------------------------------------------------------------
# The text forms are the records' own rule (committees.validators), shared with every date field of the forms.


def _make_date(year: int, month: int, day: int, shown: str) -> dt.date:
    try:
        return validators.make_date(year, month, day, shown)
    except ValidationError as error:
        raise CellError(error.messages[0]) from None


def _date_from_text(text: str) -> dt.date:
    try:
        return validators.parse_date_text(text, months=True)
    except ValidationError as error:
        if error.code != "not_a_date":
            raise CellError(error.messages[0]) from None
    raise CellError(
        _("“%(value)s” is not a date. Use e.g. 1980-05-01, 1980.5.1, 1980年5月 or 19800501.") % {"value": text}
    )


def parse_date(value: object) -> dt.date | None:
    """A date from an Excel date, a serial number, or text in the forms offices use: ``1980-05-01``,
    ``1980/5/1``, ``1980.5.1``, ``1980.05`` (month: the 1st), ``1980年5月``, ``1980年5月1日``, ``19800501``.

    A month typed as a number loses its trailing zero in Excel (1980.10 becomes 1980.1), so a number with a
    single decimal ``1`` is refused as ambiguous instead of guessed."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return _make_date(value.year, value.month, value.day, value.date().isoformat())
    if isinstance(value, dt.date):
        return _make_date(value.year, value.month, value.day, value.isoformat())
    if isinstance(value, bool) or isinstance(value, dt.time | dt.timedelta):
        raise CellError(_("This is not a date."))
    if isinstance(value, int | float):
        return _date_from_number(value)
    return _date_from_text(clean_text(value))


def _date_from_number(value: float | int) -> dt.date:
    text = _number_text(value)
    if isinstance(value, float) and not value.is_integer():
        whole, _dot, fraction = text.partition(".")
        if len(whole) == 4 and len(fraction) in (1, 2):
            if fraction == "1":
                raise CellError(
                    _("“%(value)s” is ambiguous: January or October? Type it as text, e.g. 1980.01 or 1980.10.")
                    % {"value": text}
                )
            return _make_date(int(whole), int(fraction) * (10 if len(fraction) == 1 else 1), 1, text)
        raise CellError(_("“%(value)s” is not a date.") % {"value": text})
    number = int(value)
    if 18000101 <= number <= 21001231 or 180001 <= number <= 210012:
        return _date_from_text(str(number))
    if 1 <= number <= (LATEST - EXCEL_EPOCH).days:
        # An Excel serial day number in a cell without a date format.
        return _make_date(*(EXCEL_EPOCH + dt.timedelta(days=number)).timetuple()[:3], shown=text)
    raise CellError(_("“%(value)s” is not a date.") % {"value": text})


# ---- ID numbers (GB 11643-1999): the records' own rule, committees.validators ------------------------------


def parse_id_number(value: object) -> str:
    """An 18-character citizen ID number as text (:func:`committees.validators.normalise_id_number`: check
    digit, birth date inside, lower-case ``x`` upper-cased, an old 15-digit number extended to 18). A number
    typed as a number is refused: Excel keeps only 15 of its digits."""
    if is_blank(value):
        return ""
    if isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool) and value >= 10**14):
        raise CellError(
            _(
                "The ID number was stored as a number, so Excel kept only 15 digits. "
                "Format the column as text and type it again."
            )
        )
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise CellError(_("This is not an ID number."))
    try:
        return validators.normalise_id_number(_compact(value))
    except ValidationError as error:
        raise CellError(error.messages[0]) from None


# ---- phones, numbers, yes/no --------------------------------------------------------------------------------


def parse_phone(value: object) -> str:
    """A phone number as text: digits with optional ``+``, ``-`` and an extension; typed as a number is fine
    (phones have at most 15 digits)."""
    if is_blank(value):
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise CellError(_("This is not a phone number."))
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise CellError(_("This is not a phone number."))
    text = _compact(value).replace("－", "-")
    if not re.fullmatch(r"\+?\d[\d-]{4,18}\d(?:(?:转|ext\.?|-)\d{1,6})?", text):
        raise CellError(_("“%(value)s” is not a phone number.") % {"value": text[:40]})
    return text


def parse_count(value: object) -> int | None:
    """A whole number ≥ 0."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("This is not a whole number."))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"\d{1,9}", _compact(value)):
        number = int(_compact(value))
    else:
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": clean_text(value)[:40]})
    if not 0 <= number <= 10**9:
        raise CellError(_("“%(value)s” is out of range.") % {"value": number})
    return number


YES: Final = frozenset({"是", "有", "y", "yes", "true", "1", "√", "✓", "✔"})
NO: Final = frozenset({"否", "无", "没有", "n", "no", "false", "0", "×", "✗", "✘"})


def parse_yes_no(value: object) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise CellError(_("Enter 是 or 否."))
    text = _compact(value).casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(_("“%(value)s”: enter 是 or 否.") % {"value": clean_text(value)[:40]})


# ---- coded values -------------------------------------------------------------------------------------------


def _key(text: str) -> str:
    return _compact(text).casefold()


class Choice:
    """A coded column: accepts the code, its label in every language, and the synonyms offices use.

    ``Choice(Gender, {"male": ["男性", "M"]})``: the labels (男 / Male) and codes come from the choices class;
    the synonyms add what the labels do not cover. The drop-down list of the template shows :meth:`labels`.
    """

    def __init__(self, choices: type[models.TextChoices], synonyms: Mapping[str, Iterable[str]] | None = None) -> None:
        self.choices = choices
        self.synonyms = {code: tuple(words) for code, words in (synonyms or {}).items()}
        self._lookup: dict[str, dict[str, str]] = {}
        unknown = set(self.synonyms) - set(choices.values)
        if unknown:
            raise ValueError(f"synonyms for unknown codes {sorted(unknown)} of {choices.__name__}")

    def lookup(self) -> dict[str, str]:
        language = translation.get_language() or ""
        if language not in self._lookup:
            table: dict[str, str] = {}
            for code, label in self.choices.choices:
                table[_key(code)] = code
                for lang in ("zh-hans", "en"):
                    with translation.override(lang):
                        table[_key(str(label))] = code
                table[_key(str(label))] = code
                for word in self.synonyms.get(code, ()):
                    table[_key(word)] = code
            self._lookup[language] = table
        return self._lookup[language]

    def labels(self) -> list[str]:
        return [str(label) for _code, label in self.choices.choices]

    def label(self, code: str) -> str:
        return str(self.choices(code).label) if code else ""

    def parse(self, value: object) -> str:
        if is_blank(value):
            return ""
        if isinstance(value, dt.date | dt.time | dt.timedelta):
            raise CellError(_("Choose a value from the list: %(values)s.") % {"values": "、".join(self.labels())})
        code = self.lookup().get(_key(clean_text(value)))
        if code is None:
            raise CellError(
                _("“%(value)s” is not one of: %(values)s.")
                % {"value": clean_text(value)[:40], "values": "、".join(self.labels())}
            )
        return code


def parse_names(value: object) -> list[str]:
    """A list of people's names separated by 、，,;； or blanks: ``张三、李四``."""
    text = clean_text(value, max_length=1000)
    return [name for name in re.split(r"[、，,;；/\s]+", text) if name]


def describe(value: Any) -> str:
    """A cell's raw value as shown in an error message."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")[:19]
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)[:80]
