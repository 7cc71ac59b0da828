"""The cell parsers: every form offices type, and never anything but a CellError on junk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from committees.imports import parsers
from committees.imports.attendance import EVENT_KIND, ORGANISER
from committees.imports.members import DEGREE, EDUCATION, GENDER, SECTOR, STATUS, TIER, TITLE
from committees.imports.parsers import CellError
from committees.imports.proposals import KIND, LEVEL, REPLY

from .conftest import id_number

MAY_1980 = dt.date(1980, 5, 1)


@pytest.mark.parametrize(
    "cell",
    [
        dt.datetime(1980, 5, 1),
        MAY_1980,
        "1980-05-01",
        "1980/5/1",
        "1980.5.1",
        "1980.05",
        "1980.5",
        1980.05,
        "1980年5月",
        "1980年5月1日",
        "１９８０年５月１日",  # full-width digits
        "\u30001980-05-01\u3000",  # full-width spaces around
        "19800501",
        19800501,
        "198005",
        29342,  # the Excel serial number of 1980-05-01 in a cell without a date format
    ],
)
def test_dates_in_every_form_offices_use(cell: object) -> None:
    assert parsers.parse_date(cell) == MAY_1980


def test_a_month_typed_as_a_number_that_lost_its_zero_is_refused_as_ambiguous() -> None:
    with pytest.raises(CellError, match=r"1980\.1"):
        parsers.parse_date(1980.1)
    assert parsers.parse_date("1980.10") == dt.date(1980, 10, 1)


@pytest.mark.parametrize("cell", ["1980-02-30", "1980.13", "明年", "1899-12-31", True, dt.time(8, 0)])
def test_impossible_dates_are_refused(cell: object) -> None:
    with pytest.raises(CellError):
        parsers.parse_date(cell)


def test_blank_cells_are_blank() -> None:
    for parse in (parsers.parse_date, parsers.parse_count, parsers.parse_yes_no):
        assert parse(None) is None
        assert parse(" \u3000 ") is None
    assert parsers.parse_id_number("\u3000") == ""
    assert parsers.clean_text("\u3000\u3000") == ""


def test_text_is_trimmed_of_full_width_spaces_and_made_half_width() -> None:
    assert parsers.clean_text("\u3000张\u3000三\u3000") == "张 三"
    assert parsers.clean_text("ＡＢＣ１２３") == "ABC123"
    with pytest.raises(CellError):
        parsers.clean_text("很长" * 30, max_length=50)


def test_id_numbers_are_checked_against_gb_11643() -> None:
    valid = id_number(birth="19750501", serial="123")
    assert parsers.parse_id_number(valid) == valid
    assert parsers.parse_id_number(f" {valid[:6]} {valid[6:]} ") == valid
    wrong = valid[:17] + ("0" if valid[17] != "0" else "1")
    with pytest.raises(CellError, match="校验位"):
        parsers.parse_id_number(wrong)
    with pytest.raises(CellError, match="15"):
        parsers.parse_id_number(230102750501123)  # typed as a number: Excel kept 15 digits
    with pytest.raises(CellError):
        parsers.parse_id_number(2.30102197505011e17)


def test_the_trailing_x_of_an_id_number_may_be_lower_case() -> None:
    # 11010519491231002X is the textbook example of a check character X.
    assert parsers.parse_id_number("11010519491231002x") == "11010519491231002X"
    assert parsers.birth_date_of("11010519491231002X") == dt.date(1949, 12, 31)


@pytest.mark.parametrize(
    ("choice", "cell", "code"),
    [
        (GENDER, "男", "male"),
        (GENDER, "女性", "female"),
        (GENDER, "Female", "female"),
        (EDUCATION, "本科", "bachelor"),
        (EDUCATION, "大学本科", "bachelor"),
        (EDUCATION, "研究生（博士）", "doctorate"),
        (DEGREE, "学士", "bachelor"),
        (TITLE, "副高", "vice_senior"),
        (TITLE, "副高级", "vice_senior"),
        (TITLE, "正 高 级", "senior"),
        (SECTOR, "医卫", "medicine"),
        (STATUS, "在册", "active"),
        (TIER, "省级", "provincial"),
        (KIND, "社情民意", "social_info"),
        (LEVEL, "全国政协", "national_cppcc"),
        (REPLY, "A类", "A"),
        (EVENT_KIND, "新会员培训", "new_members"),
        (ORGANISER, "省社会主义学院", "academy"),
    ],
)
def test_coded_values_accept_labels_and_synonyms(choice: parsers.Choice, cell: str, code: str) -> None:
    assert choice.parse(cell) == code


def test_an_unknown_coded_value_lists_the_allowed_ones_in_chinese() -> None:
    with translation.override("zh-hans"):
        with pytest.raises(CellError) as error:
            TITLE.parse("特级")
    assert "特级" in str(error.value) and "副高级" in str(error.value)


def test_phones_and_yes_no() -> None:
    assert parsers.parse_phone(13812345678) == "13812345678"
    assert parsers.parse_phone("0451-8888 6666") == "0451-88886666"
    with pytest.raises(CellError):
        parsers.parse_phone("打电话")
    assert parsers.parse_yes_no("是") is True
    assert parsers.parse_yes_no("√") is True
    assert parsers.parse_yes_no("否") is False
    with pytest.raises(CellError):
        parsers.parse_yes_no("也许")


# ---- property: arbitrary cells never raise anything but a CellError -----------------------------------------

cells = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet=st.sampled_from("0123456789.-/年月日号 \u3000xX１２"), max_size=14),
    st.integers(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.timedeltas(),
    st.decimals(allow_nan=True),
)

PARSERS: list[tuple[str, Callable[[object], Any]]] = [
    ("text", lambda v: parsers.clean_text(v, max_length=100)),
    ("date", parsers.parse_date),
    ("id_number", parsers.parse_id_number),
    ("phone", parsers.parse_phone),
    ("count", parsers.parse_count),
    ("yes_no", parsers.parse_yes_no),
    ("names", parsers.parse_names),
    ("gender", GENDER.parse),
    ("education", EDUCATION.parse),
    ("level", LEVEL.parse),
]


@pytest.mark.parametrize(("name", "parse"), PARSERS, ids=[name for name, _p in PARSERS])
@settings(max_examples=300, deadline=None)
@given(cell=cells)
def test_parsers_never_fail_with_anything_but_a_validation_error(name: str, parse: Any, cell: object) -> None:
    try:
        parse(cell)
    except ValidationError as error:
        assert isinstance(error, CellError)
        assert str(error).strip(), "every refusal carries a message"


@settings(max_examples=300, deadline=None)
@given(day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_a_date_survives_every_text_form(day: dt.date) -> None:
    for text in (
        day.isoformat(),
        f"{day.year}.{day.month}.{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        day.strftime("%Y%m%d"),
        f"{day.year}/{day.month}/{day.day}",
    ):
        assert parsers.parse_date(text) == day


@settings(max_examples=300, deadline=None)
@given(
    region=st.from_regex(r"[1-6][0-9]{5}", fullmatch=True),
    day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    serial=st.from_regex(r"[0-9]{3}", fullmatch=True),
)
def test_every_well_formed_id_number_is_accepted_and_every_other_check_digit_refused(
    region: str, day: dt.date, serial: str
) -> None:
    first = f"{region}{day:%Y%m%d}{serial}"
    good = first + parsers.id_check_digit(first)
    assert parsers.parse_id_number(good.lower()) == good
    assert parsers.birth_date_of(good) == day
    for other in "0123456789X":
        if other != good[-1]:
            with pytest.raises(CellError):
                parsers.parse_id_number(first + other)
