"""Serving a workbook as a download."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import Final

from django.http import FileResponse

from .workbook import OfficeWorkbook

XLSX_CONTENT_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPOOL_BYTES: Final = 4 * 1024 * 1024
"""Workbooks up to this size stay in memory; bigger ones spill to a temporary file."""


def xlsx_response(filename: str, build: Callable[[OfficeWorkbook], object]) -> FileResponse:
    """Build a workbook with ``build`` and return it as an attachment named ``filename`` (``.xlsx`` added if
    missing). Chinese names work: Django sends them as ``filename*=UTF-8''…`` (RFC 5987) with an ASCII
    fallback. The zip is finished before the first byte goes out (an xlsx is a zip, its directory comes
    last), then the file is streamed from the spool and closed with the response."""
    if not filename.lower().endswith(".xlsx"):
        filename = f"{filename}.xlsx"
    buffer = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    try:
        with OfficeWorkbook(buffer) as book:
            build(book)
    except BaseException:
        buffer.close()
        raise
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
