"""Hand-made workbooks for the import tests."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from committees.imports import services
from committees.imports.models import ImportBatch


@pytest.fixture(autouse=True)
def chinese() -> Any:
    """The messages users read by default: Simplified Chinese, whatever an earlier test left active."""
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


MEMBER_HEADERS = ["姓名", "性别", "出生日期", "身份证号", "所属委员会", "所属支部", "学历", "职称", "手机号码"]


def workbook_bytes(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    title: str | None = "会员花名册",
    build: Callable[[Any], None] | None = None,
) -> bytes:
    """An .xlsx as an office would make it: a title line, then the header row, then the rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "花名册"
    if title:
        sheet.append([title])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    if build is not None:
        build(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def check(user: Any, data: bytes, kind: str = ImportBatch.Kind.MEMBERS, name: str = "花名册.xlsx") -> ImportBatch:
    return services.import_check(user=user, kind=kind, stream=io.BytesIO(data), file_name=name, size=len(data))


def upload(data: bytes, name: str = "花名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@pytest.fixture
def roster() -> Callable[..., bytes]:
    def make(rows: Sequence[Sequence[Any]], headers: Sequence[str] = MEMBER_HEADERS, **options: Any) -> bytes:
        return workbook_bytes(headers, rows, **options)

    return make


def id_number(region: str = "230102", birth: str = "19750302", serial: str = "124") -> str:
    """A valid 18-character ID number (GB 11643 check digit) for the given birth date."""
    from committees.imports.parsers import id_check_digit

    first = f"{region}{birth}{serial}"
    return first + id_check_digit(first)
