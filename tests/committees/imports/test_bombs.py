"""Hostile uploads within the size limit: refused (or read) in seconds, with a worker's peak memory growing by
less than 200 MB, the refusal in Chinese on the upload page and nothing written.

Each file is made here, small on disk: the zip is written by streaming a generator of XML through
``zipfile``, so a few hundred kilobytes stand for hundreds of megabytes of XML. Time and peak memory are
measured in a fresh Python process that reads the file as the check does (``VmHWM`` before and after: the
growth of the peak, not of the current size); the page is then asked in this process.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from committees import models as m
from committees.imports.models import ImportBatch, ImportRow

from .conftest import MEMBER_HEADERS, upload, workbook_bytes
from .test_pages import client_for

SECONDS = 10.0
GROWTH_MB = 200.0
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
GOOD_ROW = ["王小明", "男", "1980.5", "", "", "哈尔滨工程大学支部", "本科", "副高", ""]
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"

STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)

Part = bytes | Callable[[], Iterable[bytes]]


def inline_row(number: int, values: list[str]) -> bytes:
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        for i, value in enumerate(values)
        if value
    )
    return f'<row r="{number}">{cells}</row>'.encode()


def sheet(*, before: Iterable[bytes] = (), between: Iterable[bytes] = (), after: Iterable[bytes] = ()) -> Part:
    """A worksheet with the member header and one good row (inline strings), with what a test adds before
    the data, after the header row and after the good row."""

    def parts() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}">'.encode()
        yield from before
        yield b"<sheetData>"
        yield inline_row(1, MEMBER_HEADERS)
        yield from between
        yield inline_row(2, GOOD_ROW)
        yield from after
        yield b"</sheetData></worksheet>"

    return parts


def repeated(piece: bytes, times: int, block: int = 65536) -> Iterator[bytes]:
    chunk = piece * block
    for _ in range(times // block):
        yield chunk
    yield piece * (times % block)


def xlsx(parts: dict[str, Part]) -> bytes:
    """A workbook made by openpyxl with some of its parts replaced, each written as a stream."""
    base = zipfile.ZipFile(io.BytesIO(workbook_bytes(MEMBER_HEADERS, [GOOD_ROW], title=None)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in base.infolist():
            content = base.read(item.filename)
            if item.filename == "[Content_Types].xml" and STRINGS in parts:
                content = content.replace(b"</Types>", STRINGS_TYPE + b"</Types>")
            if item.filename not in parts:
                target.writestr(item, content)
        for name, content in parts.items():
            with target.open(name, "w") as out:
                for piece in [content] if isinstance(content, bytes) else content():
                    out.write(piece)
    data = buffer.getvalue()
    assert len(data) < 2**20, "the test file itself stays small"
    return data


MEASURE = """
import json, os, sys, time
import django
django.setup()
from django.utils import translation
translation.activate("zh-hans")
from committees.imports import reader, services
from committees.imports.members import MemberImporter

def peak():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024

path = sys.argv[1]
before, start, message, rows = peak(), time.monotonic(), "", 0
try:
    with open(path, "rb") as stream:
        book = reader.open_workbook(stream, size=os.path.getsize(path), max_bytes=services.max_bytes())
        try:
            table = reader.locate_table(book, MemberImporter.fields)
            rows = sum(1 for _row in reader.iter_rows(table, max_rows=services.max_rows()))
        finally:
            book.close()
except reader.FileRefused as refusal:
    message = refusal.message
print(json.dumps({"message": message, "rows": rows, "seconds": time.monotonic() - start, "growth": peak() - before}))
"""


def measured(data: bytes, tmp_path: Path) -> dict[str, Any]:
    """Read ``data`` as the check does, in a fresh process: its refusal, rows, seconds and peak growth."""
    path = tmp_path / "upload.xlsx"
    path.write_bytes(data)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
        timeout=120,
        check=True,
    )
    outcome: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return outcome


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def refused_on_the_page(user: m.User, data: bytes) -> str:
    """The upload page's answer to ``data``: the Chinese refusal beside the file field, nothing written."""
    start = time.monotonic()
    response = client_for(user).post("/imports/members/", {"file": upload(data)})
    assert time.monotonic() - start < SECONDS
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1 and has_chinese(errors[0])
    assert errors[0] in response.content.decode()
    assert ImportBatch.objects.count() == 0 and ImportRow.objects.count() == 0
    assert m.Member.objects.count() == 0
    return str(errors[0])


def refused_quickly(data: bytes, tmp_path: Path) -> str:
    outcome = measured(data, tmp_path)
    assert outcome["message"], outcome
    assert has_chinese(outcome["message"])
    assert outcome["seconds"] < SECONDS, outcome
    assert outcome["growth"] < GROWTH_MB, outcome
    return str(outcome["message"])


def string_bomb(count: int) -> bytes:
    def strings() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{NS}">'.encode()
        yield from repeated(b"<si><t>a</t></si>", count)
        yield b"</sst>"

    return xlsx({STRINGS: strings, SHEET: sheet()})


def test_the_shared_string_bomb_of_the_report_is_refused(tmp_path: Path, tree: Any, hlj_clerk: m.User) -> None:
    """22 million tiny strings in 0.9 MB (374 MB of XML): it grew a worker to 2 GB over 96 s."""
    data = string_bomb(22_000_000)
    message = refused_quickly(data, tmp_path)
    assert "MB" in message
    assert refused_on_the_page(hlj_clerk, data) == message


def test_a_shared_string_bomb_below_the_size_bound_is_refused_by_its_count(
    tmp_path: Path, tree: Any, hlj_clerk: m.User
) -> None:
    """3.5 million strings (60 MB of XML, under the bound on unpacked bytes): stopped at 500,000 strings."""
    data = string_bomb(3_500_000)
    message = refused_quickly(data, tmp_path)
    assert "500,000" in message
    assert refused_on_the_page(hlj_clerk, data) == message


def test_the_comment_padded_sheet_of_the_report_is_refused(tmp_path: Path, tree: Any, hlj_clerk: m.User) -> None:
    """390 MB of XML comments in a 0.4 MB file: it held a worker for 51 s."""
    data = xlsx({SHEET: sheet(between=repeated(b"<!--" + b" " * 4000 + b"-->", 100_000))})
    message = refused_quickly(data, tmp_path)
    assert refused_on_the_page(hlj_clerk, data) == message


@pytest.mark.parametrize(
    "padding",
    [
        pytest.param(lambda: repeated(b"<!-- padding padding padding padding padding -->", 1_250_000), id="comments"),
        pytest.param(lambda: [b"<!--", *repeated(b"x", 60 * 2**20), b"-->"], id="one-long-comment"),
        pytest.param(lambda: [b'<sheetPr codeName="', *repeated(b"x", 60 * 2**20), b'"/>'], id="one-long-attribute"),
        pytest.param(lambda: repeated(b"<a/>", 15_000_000), id="millions-of-elements"),
    ],
)
def test_padding_before_the_data_below_the_size_bound_is_refused(
    tmp_path: Path, tree: Any, hlj_clerk: m.User, padding: Callable[[], Iterable[bytes]]
) -> None:
    """Just under the bound on unpacked bytes: read once to find the header, the bound stops the second
    reading — or the tag count or the parser's own limits stop the first."""
    data = xlsx({SHEET: sheet(before=padding())})
    message = refused_quickly(data, tmp_path)
    assert refused_on_the_page(hlj_clerk, data) == message


def test_a_row_with_a_million_cells_is_refused(tmp_path: Path, tree: Any, hlj_clerk: m.User) -> None:
    data = xlsx({SHEET: sheet(between=[b'<row r="2">', *repeated(b'<c s="1"/>', 1_000_000), b"</row>"])})
    refused_quickly(data, tmp_path)
    refused_on_the_page(hlj_clerk, data)


def test_all_rows_of_a_sheet_formatted_are_refused_with_advice(tmp_path: Path, tree: Any, hlj_clerk: m.User) -> None:
    """Formatting whole rows leaves a row element for each of the sheet's 1,048,576 rows: 73 MB of XML,
    refused before reading with advice to copy the table without them."""
    empty = b'<row spans="1:9" s="1" customFormat="1" ht="13.5" customHeight="1"/>'  # numbered in order
    data = xlsx({SHEET: sheet(after=repeated(empty, 1_048_576 - 2))})
    message = refused_quickly(data, tmp_path)
    assert "空行" in message
    assert refused_on_the_page(hlj_clerk, data) == message


def test_many_empty_formatted_rows_under_the_bound_are_read_in_seconds(
    tmp_path: Path, tree: Any, hlj_clerk: m.User
) -> None:
    """300,000 formatted empty rows below the data (21 MB of XML) cost next to nothing and are freed."""
    empty = b'<row spans="1:9" s="1" customFormat="1" ht="13.5" customHeight="1"/>'
    data = xlsx({SHEET: sheet(after=repeated(empty, 300_000))})
    outcome = measured(data, tmp_path)
    assert (outcome["message"], outcome["rows"]) == ("", 1)
    assert outcome["seconds"] < SECONDS and outcome["growth"] < GROWTH_MB, outcome
    start = time.monotonic()
    response = client_for(hlj_clerk).post("/imports/members/", {"file": upload(data)})
    assert time.monotonic() - start < SECONDS
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/imports/batches/{batch.pk}/"
    assert list(batch.rows.values_list("number", "label")) == [(2, "王小明")]


def declaring(data: bytes, name: str, size: int) -> bytes:
    """``data`` with the uncompressed size of ``name`` in the zip's central directory replaced by ``size``
    (the data and the local header stay as they are)."""
    raw = bytearray(data)
    position = raw.find(b"PK\x01\x02")
    while position != -1:
        length = int.from_bytes(raw[position + 28 : position + 30], "little")
        if raw[position + 46 : position + 46 + length] == name.encode():
            raw[position + 24 : position + 28] = size.to_bytes(4, "little")
            return bytes(raw)
        position = raw.find(b"PK\x01\x02", position + 4)
    raise AssertionError(f"{name} not in the zip")


def test_a_zip_declaring_a_huge_part_is_refused_before_reading(tmp_path: Path, tree: Any, hlj_clerk: m.User) -> None:
    data = declaring(workbook_bytes(MEMBER_HEADERS, [GOOD_ROW]), SHEET, 4_000_000_000)
    message = refused_quickly(data, tmp_path)
    assert refused_on_the_page(hlj_clerk, data) == message


def test_a_zip_inflating_to_more_than_it_declares_is_refused(tmp_path: Path, tree: Any, hlj_clerk: m.User) -> None:
    """The sheet says it holds 2 KB and inflates to 90 MB: the zip module stops at the declared size and
    the checksum fails (damaged)."""
    data = declaring(xlsx({SHEET: sheet(after=repeated(b"<!-- x -->", 9_000_000))}), SHEET, 2048)
    message = refused_quickly(data, tmp_path)
    assert "损坏" in message
    assert refused_on_the_page(hlj_clerk, data) == message


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(os.urandom(300_000), id="random-bytes"),
        pytest.param("姓名,性别\n王小明,男\n".encode() * 1000, id="text"),
        pytest.param(b"PK\x03\x04" + os.urandom(100_000), id="zip-signature-then-noise"),
        pytest.param(workbook_bytes(MEMBER_HEADERS, [GOOD_ROW] * 200)[:-3000], id="truncated-zip"),
    ],
)
def test_files_that_are_no_workbook_are_refused_on_the_page(
    tmp_path: Path, tree: Any, hlj_clerk: m.User, data: bytes
) -> None:
    message = refused_quickly(data, tmp_path)
    assert refused_on_the_page(hlj_clerk, data) == message


def test_a_workbook_bloated_to_excels_64000_styles_is_read_with_its_dates(
    tmp_path: Path, tree: Any, hlj_clerk: m.User
) -> None:
    """Offices pass workbooks around until they hold Excel's maximum of cell styles (11 MB of styles here):
    only which styles show dates is read, as a stream. A birth date typed as a date (serial 29342 in a
    custom yyyy/m/d style) still reads as 1980-05-01."""
    xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"><alignment vertical="center"/></xf>'

    def styles() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}">'.encode()
        yield b'<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy/m/d"/></numFmts>'
        yield b'<fonts count="10000">' + b'<font><sz val="11"/><name val="SimSun"/></font>' * 10_000 + b"</fonts>"
        yield b'<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        yield b'<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        yield b'<cellStyleXfs count="64000">' + b'<xf numFmtId="0" fontId="0"/>' * 64_000 + b"</cellStyleXfs>"
        yield b'<cellXfs count="64000">' + xf + b'<xf numFmtId="164" applyNumberFormat="1"/>' + xf * 63_998
        yield b'</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        yield b"</styleSheet>"

    row = inline_row(3, ["李红", "女", "", "", "", "哈尔滨工程大学支部"]).replace(
        b"</row>", b'<c r="C3" s="1"><v>29342</v></c></row>'
    )
    data = xlsx({"xl/styles.xml": styles, SHEET: sheet(after=[row])})
    outcome = measured(data, tmp_path)
    assert (outcome["message"], outcome["rows"]) == ("", 2)
    assert outcome["seconds"] < SECONDS and outcome["growth"] < GROWTH_MB, outcome
    response = client_for(hlj_clerk).post("/imports/members/", {"file": upload(data)})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.rows.get(number=3).values["birth_date"] == "1980-05-01"


def test_a_sheet_with_a_row_number_twice_is_refused_as_damaged(tree: Any, hlj_clerk: m.User) -> None:
    """Rows come in order, each once: a repeated row number would be two rows with one number."""
    data = xlsx({SHEET: sheet(after=[inline_row(2, GOOD_ROW)])})
    assert "损坏" in refused_on_the_page(hlj_clerk, data)
